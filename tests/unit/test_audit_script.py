"""The dependency audit fails on findings and says so when it could audit nothing."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


def load():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_run(report: dict):
    def run(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, stdout=json.dumps(report), stderr="")

    return run


def test_a_vulnerability_fails_the_audit(monkeypatch, capsys) -> None:
    module = load()
    report = {
        "dependencies": [
            {"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2"]}]}
        ]
    }
    monkeypatch.setattr(module.subprocess, "run", fake_run(report))
    assert module.main() == 1
    assert "PYSEC-1" in capsys.readouterr().out


def test_nothing_audited_is_reported_loudly(monkeypatch, capsys) -> None:
    module = load()
    report = {"dependencies": [{"name": "flask", "version": "3", "skip_reason": "not found"}]}
    monkeypatch.setattr(module.subprocess, "run", fake_run(report))
    assert module.main() == 0
    assert "could not audit any package" in capsys.readouterr().out


def test_a_clean_report_passes(monkeypatch) -> None:
    module = load()
    report = {"dependencies": [{"name": "flask", "version": "3", "vulns": []}]}
    monkeypatch.setattr(module.subprocess, "run", fake_run(report))
    assert module.main() == 0
