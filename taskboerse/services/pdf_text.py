"""Text for the PDFs (fpdf2's core fonts): the CV, the monthly statement, the plan."""

from __future__ import annotations

# The core PDF fonts cover Latin-1 (æ, ø, å included); map the usual typographic characters
# outside it so user text never breaks the PDF.
_REPLACEMENTS = str.maketrans(
    {"–": "-", "—": "-", "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "...", "•": "-"}
)


def latin1(text: str) -> str:
    """``text`` as the core PDF fonts can print it."""
    return text.translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")
