"""Mentorships."""
