"""The Management API client: the only code in the dashboard that talks HTTP."""
