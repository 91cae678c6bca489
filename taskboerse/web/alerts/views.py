"""Saved searches and their alerts: save the current search, list, change, delete, and
unsubscribe in one click from an email."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("alerts", __name__)
