"""What every journey does on every page: an axe-core check, the language switch, and
keyboard-only moves."""

from __future__ import annotations

import re
import time

from tests.e2e.axe_report import REPORT, WCAG_TAGS

BLOCKING = ("serious", "critical")
DEMO_PASSWORD = "taskboerse-demo"


def unique_email(prefix: str) -> str:
    """An address no other test run uses."""
    return f"{prefix}-{time.time_ns()}@e2e.example.com"


def audit(page, name: str, axe_source: str) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; fail on serious or critical."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # evaluated by the browser, not a page script: CSP allows it
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    REPORT.add(name, page.url, violations, len(result["passes"]))
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in violations
        if v.get("impact") in BLOCKING
    ]
    assert not blocking, f"{name}: " + " | ".join(blocking)


def check_page(page, name: str, axe_source: str) -> None:
    """The page is accessible, and switches to English and back to Danish in place."""
    audit(page, name, axe_source)
    path = page.url
    assert page.get_attribute("html", "lang") == "da", name
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en", f"{name}: no English"
    assert page.url == path, f"{name}: the language switch left the page"
    page.get_by_role("button", name="Dansk").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "da", f"{name}: no Danish"


def login(page, email: str, password: str) -> None:
    """Log in through the form."""
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/auth/login" not in page.url, page.inner_text("main")


def no_sideways_scroll(page) -> None:
    """Nothing is wider than the viewport (a phone user never scrolls sideways)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url}: {width}px wide in a {viewport}px viewport"


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus, and check that the
    focus is visible there (an outline or a box shadow)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(sel) => document.activeElement && document.activeElement.matches(sel)", selector
        ):
            style = page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                           return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
            )
            visible = (style[0] != "none" and style[1] not in ("0px", "")) or style[2] != "none"
            assert visible, f"focus on {selector} is not visible: {style}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def text_of(page) -> str:
    """The main content's text, with whitespace collapsed."""
    return re.sub(r"\s+", " ", page.inner_text("main"))
