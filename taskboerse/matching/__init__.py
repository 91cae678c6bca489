"""Matching: plain Python (numpy, rapidfuzz, sentence-transformers); never imports Flask or SQLAlchemy."""
