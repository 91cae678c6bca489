"""Taskbørs: a municipal task exchange for entrepreneurs, graduates and caseworkers.

This module holds only the version so that ``import taskboerse.matching`` never pulls in Flask.
"""

__version__ = "0.1.0"
