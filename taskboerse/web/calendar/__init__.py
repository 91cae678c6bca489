"""The calendar blueprint (issue 16)."""
