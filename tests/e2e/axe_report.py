"""axe-core results per page, collected by the journeys and printed at the end of the run.

A module of its own so that the conftest (loaded by pytest) and the helpers share one copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class AxeReport:
    """axe-core results per page, printed at the end of the run for the closing note."""

    pages: dict[str, dict] = field(default_factory=dict)

    def add(self, name: str, url: str, violations: list[dict], passes: int) -> None:
        impacts: dict[str, int] = {}
        for violation in violations:
            impact = violation.get("impact") or "unknown"
            impacts[impact] = impacts.get(impact, 0) + 1
        self.pages[name] = {
            "url": url,
            "passes": passes,
            "impacts": impacts,
            "rules": sorted({v["id"] for v in violations}),
        }


REPORT = AxeReport()
