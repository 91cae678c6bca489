"""OpenAPI schemas and paths of the API module ``questions``: merged into the document by
``openapi.document``."""

from __future__ import annotations

SCHEMAS: dict[str, dict] = {}


def paths() -> dict:
    """The paths of this module."""
    return {}
