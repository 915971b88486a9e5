"""Symbl Admin: a dashboard for Symbl trackers and conversation groups."""
