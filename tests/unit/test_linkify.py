"""Messages are plain text: everything escaped, only web addresses become links."""

from __future__ import annotations

from taskboerse.web.linkify import linkify


def test_text_is_escaped_and_addresses_become_links() -> None:
    html = str(linkify("Se <b>dette</b>: https://example.org/plan.pdf. Og www.example.org!"))
    assert "&lt;b&gt;dette&lt;/b&gt;" in html and "<b>" not in html
    assert (
        '<a href="https://example.org/plan.pdf" rel="nofollow noopener noreferrer" '
        'target="_blank">https://example.org/plan.pdf</a>.' in html
    )
    assert '<a href="https://www.example.org" ' in html and "www.example.org</a>!" in html


def test_no_scheme_but_http_and_no_attribute_injection() -> None:
    html = str(linkify('javascript:alert(1) https://x.org/"onmouseover="alert(1)'))
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert '<a href="https://x.org/"' in html and "&#34;onmouseover=&#34;alert(1)" in html


def test_line_breaks_are_kept_and_empty_text_is_empty() -> None:
    assert str(linkify("en\r\nto\nhttps://a.dk")).startswith("en<br>\nto<br>\n<a href=")
    assert str(linkify(None)) == ""
