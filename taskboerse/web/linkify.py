"""Plain text for a page: everything escaped, web addresses made clickable, nothing else."""

from __future__ import annotations

import re

from markupsafe import Markup

# http(s) addresses and bare www. ones, up to whitespace or a closing bracket; a trailing
# full stop, comma or similar belongs to the sentence, not the address.
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+")
_TRAILING = ".,;:!?"
# Literal templates only: Markup.format and Markup.join escape every piece of user text.
_LINK = Markup('<a href="{}" rel="nofollow noopener noreferrer" target="_blank">{}</a>')
_BREAK = Markup("<br>\n")


def linkify(text: str | None) -> Markup:
    """``text`` HTML-escaped with its web addresses as links (rel=nofollow noopener, new
    tab) and line breaks kept as <br>."""
    text = (text or "").replace("\r\n", "\n")
    parts: list[str | Markup] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        parts.append(text[position : match.start()])
        href = url if url.lower().startswith("http") else f"https://{url}"
        parts.append(_LINK.format(href, url))
        position = match.start() + len(url)
    parts.append(text[position:])
    return _BREAK.join(Markup("").join(parts).split("\n"))
