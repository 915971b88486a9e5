"""A comparison Django admin for `make bench`: what a team would use instead of the dashboard.

Bench-only (its own settings and SQLite file, never the product's database): an ORM model
holding the same trackers and groups, each changelist showing the same columns as the
dashboard's list, 50 per page.
"""
