"""Spørg en mentor."""
