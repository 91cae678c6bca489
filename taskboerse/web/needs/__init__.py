"""Mentor needs."""
