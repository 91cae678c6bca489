"""Mentor needs, ranked mentors, requests and their answers."""

from __future__ import annotations

from taskboerse.web.api import bp  # noqa: F401
