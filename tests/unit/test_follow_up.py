"""The follow-up rules without an app: codes and facts in, no wording, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from taskboerse.models import ApplicationStatus
from taskboerse.services.follow_up import (
    ActivityFacts,
    ApplicationFact,
    FlagCode,
    FlagRules,
    compute_flags,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_flags_are_codes_with_their_facts() -> None:
    late = ApplicationFact(
        jobseeker_id=1,
        task_title="Logo til café",
        deadline=date(2026, 11, 20),
        status=ApplicationStatus.ACCEPTED,
        created_at=NOW - timedelta(days=50),
        decided_at=NOW - timedelta(days=45),
        accepted_at=NOW - timedelta(days=45),
        completed_at=None,
    )
    facts = ActivityFacts(NOW - timedelta(days=90), NOW - timedelta(days=40), [late])
    flags = compute_flags(facts, NOW, FlagRules())
    assert [(f.code, f.params) for f in flags] == [
        (FlagCode.INACTIVE, {"days": 40, "date": NOW - timedelta(days=40)}),
        (FlagCode.OVERDUE, {"task": "Logo til café", "date": date(2026, 11, 20)}),
    ]


def test_no_application_uses_its_own_threshold() -> None:
    facts = ActivityFacts(NOW - timedelta(days=14), NOW, [])
    assert [f.code for f in compute_flags(facts, NOW, FlagRules())] == [FlagCode.NO_APPLICATION]
    assert compute_flags(facts, NOW, FlagRules(no_application_days=15)) == []
