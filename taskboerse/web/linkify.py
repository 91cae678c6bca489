"""Plain text for a page: everything escaped, web addresses made clickable, nothing else."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# http(s) addresses and bare www. ones, up to whitespace or a closing bracket; a trailing
# full stop, comma or similar belongs to the sentence, not the address.
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+")
_TRAILING = ".,;:!?"


def linkify(text: str | None) -> Markup:
    """``text`` HTML-escaped with its web addresses as links (rel=nofollow noopener, new
    tab) and line breaks kept as <br>."""
    out: list[str] = []
    position = 0
    text = text or ""
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(str(escape(text[position : match.start()])))
        href = url if url.lower().startswith("http") else f"https://{url}"
        out.append(
            f'<a href="{escape(href)}" rel="nofollow noopener noreferrer" '
            f'target="_blank">{escape(url)}</a>'
        )
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out).replace("\r\n", "\n").replace("\n", "<br>\n"))
