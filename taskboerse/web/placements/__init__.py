"""Placements: the approval queue, the placement page, hours and the downloads."""
