"""Review: the queue where team leads sign off changes, and the account's quality report.

Stored only in the audit log (review entries, see review/reviews.py); the objects
themselves are read through the Management API client.
"""
