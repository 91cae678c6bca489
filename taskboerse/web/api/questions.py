"""Spørg en mentor: questions and answers."""

from __future__ import annotations

from taskboerse.web.api import bp  # noqa: F401
