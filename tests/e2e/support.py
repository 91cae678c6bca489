"""What every journey does on every page: an axe-core check, the language switch, and
keyboard-only moves."""

from __future__ import annotations

import re
import time
from pathlib import Path

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


def open_menu(page) -> None:
    """On a phone the menu is folded behind its button: open it (a no-op on a desktop)."""
    toggle = page.locator("header .menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"


def open_account_menu(page) -> None:
    """Open the account menu (name ▾): my data, password, log out."""
    open_menu(page)
    details = page.locator("header .account details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def log_out(page) -> None:
    open_account_menu(page)
    page.locator("header form[action='/auth/logout'] button").click()
    page.wait_for_load_state()


def check_page(page, name: str, axe_source: str, live_server=None) -> None:
    """The page is accessible, and switches to English (with no Danish left where English
    exists, when ``live_server`` is given) and back to Danish in place."""
    audit(page, name, axe_source)
    path = page.url
    assert page.get_attribute("html", "lang") == "da", name
    open_menu(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en", f"{name}: no English"
    assert page.url == path, f"{name}: the language switch left the page"
    if live_server is not None:
        english_only(page, live_server)
    open_menu(page)
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


def labelled_cells(page) -> None:
    """On a phone every table row stacks, and each cell says which column it is (a cell
    without a label may only be the row's title, a note spanning the row, or empty)."""
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('table.table td')]
                 .filter(td => td.checkVisibility() && !td.dataset.label
                               && !td.classList.contains('title') && !td.hasAttribute('colspan')
                               && td.innerText.trim())
                 .map(td => td.innerText.trim().slice(0, 40))"""
    )
    assert not unlabelled, f"{page.url}: table cells without a column label: {unlabelled[:5]}"


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


def _danish_interface_texts() -> set[str]:
    """Every Danish UI text that differs from its English original (longer than a word)."""
    from babel.messages.pofile import read_po

    path = (
        Path(__file__).resolve().parents[2] / "taskboerse/translations/da/LC_MESSAGES/messages.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle)
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    danish = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and "%" not in text and len(text) > 6 and text not in english:
                danish.add(text)
    return danish


def english_only(page, live_server) -> None:
    """On an English page no interface text and no skill name is Danish where an English
    one exists (user content — titles, descriptions, names — may be in any language)."""
    assert page.get_attribute("html", "lang") == "en"
    skills = live_server.query("SELECT label_da, label_en FROM skills")
    danish_skills = {da for da, en in skills if da and en and da != en} - {en for _, en in skills}
    texts = page.evaluate(
        """() => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, parent = node.parentElement;
            const user = 'bdi, blockquote, .prose, script, style, h1, h2 a, h3 a, [lang="da"]';
            if (!parent || parent.closest(user)) continue;
            const text = node.textContent.trim();
            if (text) out.push([text, !!parent.closest('.skills, .reasons, .reason')]);
          }
          return out;
        }"""
    )
    ui = _danish_interface_texts()
    found = [t for t, _ in texts if t in ui]
    for text, in_skills in texts:
        if in_skills:
            pieces = {p.strip(" .()") for p in re.split(r"[–:≈,→]| · ", text)}
            found += sorted(pieces & danish_skills)
    assert not found, f"{page.url}: Danish on the English page: {found[:8]}"
