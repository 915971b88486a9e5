"""Test helpers shared by several test folders (not fixtures, not tests)."""
