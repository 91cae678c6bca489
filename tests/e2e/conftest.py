"""Browser journeys: a real server on a fresh SQLite database with demo data, driven by
Playwright in Debian's Chromium, with axe-core run on every page a journey visits.

Without /usr/bin/chromium, Playwright or axe-core these tests are skipped with the reason
(and only these); with TASKBOERSE_E2E_REQUIRED=1, as in CI, a missing piece fails instead.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.axe_report import REPORT

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return (
            "Chromium is not installed: apt-get install chromium chromium-driver "
            "(the browser tests need /usr/bin/chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -e '.[dev]'"
    if not AXE.exists():
        return "axe-core is not installed: npm ci (in the repository root)"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    """Mark the browser tests (slow, e2e); skip only them, saying why, when a piece is
    missing (fail in CI), or on the PostgreSQL pass: they serve their own SQLite database,
    so one run is all they need."""
    here = Path(__file__).parent
    mine = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    for item in mine:
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.slow)
    if os.environ.get("TASKBOERSE_TEST_DATABASE_URL"):
        once = pytest.mark.skip(reason="the journeys run once, on the SQLite pass")
        for item in mine:
            item.add_marker(once)
        return
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("TASKBOERSE_E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    marker = pytest.mark.skip(reason=reason)
    for item in mine:
        item.add_marker(marker)


# --- the accessibility report -----------------------------------------------------------------


def pytest_terminal_summary(terminalreporter) -> None:
    """The pages the journeys visited with their axe results."""
    if not REPORT.pages:
        return
    terminalreporter.section("axe-core (WCAG 2.1 A/AA) per page")
    for name, result in sorted(REPORT.pages.items()):
        impacts = ", ".join(f"{k}: {v}" for k, v in sorted(result["impacts"].items())) or "none"
        rules = f" ({', '.join(result['rules'])})" if result["rules"] else ""
        terminalreporter.write_line(
            f"{name:40} passes {result['passes']:3}  violations: {impacts}{rules}"
        )


# --- the server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    """The app served on 127.0.0.1 by a separate process, and its database file."""

    url: str
    database: Path

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the server's database (to find, say, which demo company owns a task)."""
        with sqlite3.connect(self.database) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Migrate a fresh SQLite database, seed the demo data, index it, and serve it."""
    folder = tmp_path_factory.mktemp("e2e")
    database = folder / "taskboerse.sqlite"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TASKBOERSE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "e2e-only-secret",
        "TASKBOERSE_MAIL_BACKEND": "log",
        "TASKBOERSE_LOGIN_RATE_LIMIT": "200 per minute",
        "HF_HUB_OFFLINE": "1",
        "TASKBOERSE_BASE_URL": url,  # the links in emails point at this server
    }
    env.pop("TASKBOERSE_TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "taskboerse.app"]
    for command in (["db", "upgrade"], ["seed-demo"], ["reindex"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, capture_output=True)
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        flask
        + ["run", "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--with-threads"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError((folder / "server.log").read_text()[-3000:]) from None
            time.sleep(0.3)
    try:
        yield LiveServer(url=url, database=database)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        server_log = (folder / "server.log").read_text()
        assert "Traceback" not in server_log, server_log[-3000:]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, headless; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts (a desktop by default, or a 375-pixel phone)."""
    contexts = []

    def make(phone: bool = False):
        options = {"base_url": live_server.url, "locale": "da-DK", "accept_downloads": True}
        if phone:
            options.update(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, injected into each page that is checked."""
    return AXE.read_text(encoding="utf-8")
