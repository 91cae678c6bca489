"""Calendar files: an accepted application's deadline as .ics, and the private feed."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__)
