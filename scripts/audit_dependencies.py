"""Run pip-audit on the installed environment and fail on any known vulnerability.

Justified exceptions go in pyproject.toml under [tool.taskboerse.audit] ignore-vulns, each
with a comment saying why. Where the vulnerability service cannot be reached (this machine's
package mirror answers PyPI's JSON API with 404), pip-audit audits nothing: that is printed
loudly, because "no findings" would then mean nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Exit 1 on findings, 0 otherwise."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ignored = config.get("tool", {}).get("taskboerse", {}).get("audit", {}).get("ignore-vulns", [])
    command = [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off"]
    for vuln in ignored:
        command += ["--ignore-vuln", vuln]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit did not produce a report")
        return 1
    dependencies = report.get("dependencies", [])
    findings = [
        f"{d['name']} {d['version']}: {v['id']} "
        f"(fixed in {', '.join(v.get('fix_versions', [])) or '?'})"
        for d in dependencies
        for v in d.get("vulns", [])
    ]
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(skipped)
    print(
        f"pip-audit: {audited} of {len(dependencies)} packages audited, "
        f"{len(findings)} known vulnerabilities, {len(ignored)} ignored by pyproject.toml"
    )
    if findings:
        print("\n".join(findings))
        return 1
    if audited == 0 and dependencies:
        print(
            "WARNING: pip-audit could not audit any package: the vulnerability service is "
            "unreachable from this machine (reason given: "
            f"{skipped[0]['skip_reason']!r}). Run it where pypi.org is reachable."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
