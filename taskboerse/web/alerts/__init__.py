"""The alerts blueprint (issue 16)."""
