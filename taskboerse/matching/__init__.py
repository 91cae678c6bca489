"""Matching: plain Python (numpy, rapidfuzz, sentence-transformers); never Flask or SQLAlchemy."""
