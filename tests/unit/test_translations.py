"""Every UI string has a Danish translation, and the compiled catalog matches the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "taskboerse/translations/da/LC_MESSAGES/messages.po"
MO = ROOT / "taskboerse/translations/da/LC_MESSAGES/messages.mo"


def test_every_string_in_the_code_is_translated_to_danish(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "-k",
            "N_p:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f, locale="da")
    translated = {
        m.id
        for m in catalog
        if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(str(m) for m in wanted - translated)
    assert not missing, f"untranslated (run `make translations`, then translate): {missing}"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalog_is_up_to_date() -> None:
    with PO.open("rb") as f:
        po = {_key(m.id): _key(m.string) for m in read_po(f, locale="da") if m.id}
    with MO.open("rb") as f:
        mo = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run `make translations` to recompile the .mo file"
