"""Backup and restore of everything that matters: the dashboard database, the local
Management API's data and the audit checkpoints (`manage.py backup`, `manage.py restore`)."""
