"""Statistics for the job centre: the funnel, placements per month, time to a first placement.

Only graduates who consent are counted. Groups smaller than ``STATS_MIN_GROUP`` are folded
into one "other groups" line, so a breakdown never shows one person's progress.
"""

from __future__ import annotations

import statistics as pystats
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from taskboerse.models import ApplicationStatus, OutcomeStatus, Role, User
from taskboerse.services.errors import Forbidden, ValidationFailed
from taskboerse.services.follow_up import (
    GraduateRecord,
    caseload_ids,
    consenting_ids,
    education_of,
    load_people,
    now_utc,
)

LOCAL = ZoneInfo("Europe/Copenhagen")
SCOPES = ("mine", "all")


@dataclass(frozen=True)
class GroupStats:
    """The funnel and the two rates for one group of graduates."""

    label: str
    registered: int
    applied: int
    accepted: int
    completed: int
    employed: int
    median_days_to_accept: float | None
    completion_rate: float | None  # completed ÷ placements that ended (ongoing not counted)
    placements: int
    ended_placements: int


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics page shows."""

    scope: str
    total: GroupStats
    per_month: list[tuple[date, int]]
    by_education: list[GroupStats]
    by_cohort: list[GroupStats]
    min_group: int


def group_stats(label: str, people: list[GraduateRecord]) -> GroupStats:
    """Count the funnel stages and the rates for ``people``."""
    applied = accepted = completed = employed = 0
    days: list[int] = []
    placements = done = ended = 0
    for person in people:
        apps = person.facts.applications
        applied += bool(apps)
        accepted_at = [a.accepted_at for a in apps if a.accepted_at is not None]
        if accepted_at:
            accepted += 1
            days.append((min(accepted_at) - person.user.created_at).days)
        completed += any(a.status == ApplicationStatus.COMPLETED for a in apps)
        employed += bool(person.outcome and person.outcome.status == OutcomeStatus.EMPLOYED)
        for a in apps:
            if a.accepted_at is None:
                continue
            placements += 1
            if a.status == ApplicationStatus.COMPLETED:
                done += 1
                ended += 1
            elif a.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
                ended += 1
    return GroupStats(
        label=label,
        registered=len(people),
        applied=applied,
        accepted=accepted,
        completed=completed,
        employed=employed,
        median_days_to_accept=float(pystats.median(days)) if days else None,
        completion_rate=done / ended if ended else None,
        placements=placements,
        ended_placements=ended,
    )


def _month(moment) -> date:
    local = moment.astimezone(LOCAL)
    return date(local.year, local.month, 1)


def _months_back(today: date, n: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _breakdown(
    people: list[GraduateRecord],
    key: Callable[[GraduateRecord], str],
    label: Callable[[str], str],
    min_group: int,
) -> list[GroupStats]:
    groups: dict[str, list[GraduateRecord]] = {}
    for person in people:
        groups.setdefault(key(person), []).append(person)
    shown, folded = [], []
    for group_key, members in groups.items():
        (shown if len(members) >= min_group else folded).append((group_key, members))
    shown.sort(key=lambda item: item[0])
    result = [group_stats(label(k), members) for k, members in shown]
    if folded:
        rest = [p for _k, members in folded for p in members]
        result.append(
            group_stats(str(_l("Other groups (fewer than %(n)d each)", n=min_group)), rest)
        )
    return result


def job_centre_statistics(actor: User, scope: str = "mine", months: int = 12) -> Statistics:
    """Statistics for the caseworker's own caseload ("mine") or the whole job centre ("all")."""
    if actor.role not in (Role.CASEWORKER, Role.ADMIN):
        raise Forbidden(_l("Only the job centre sees statistics."))
    if scope not in SCOPES:
        raise ValidationFailed(_l("Unknown scope."), field="scope")
    if scope == "mine" and actor.role != Role.CASEWORKER:
        scope = "all"
    ids = caseload_ids(actor.id) if scope == "mine" else consenting_ids()
    people = load_people(ids)
    min_group = current_app.config["STATS_MIN_GROUP"]
    now = now_utc()

    month_list = _months_back(now.astimezone(LOCAL).date(), months)
    per_month = dict.fromkeys(month_list, 0)
    for person in people:
        for a in person.facts.applications:
            if a.accepted_at is not None and _month(a.accepted_at) in per_month:
                per_month[_month(a.accepted_at)] += 1

    def education_key(person: GraduateRecord) -> str:
        return education_of(person.profile).casefold()

    first_spelling: dict[str, str] = {}
    for person in people:
        first_spelling.setdefault(education_key(person), education_of(person.profile))

    def education_label(key: str) -> str:
        return first_spelling.get(key) or str(_l("Not given"))

    by_education = sorted(
        _breakdown(people, education_key, education_label, min_group),
        key=lambda g: -g.registered,
    )
    by_cohort = _breakdown(
        people,
        lambda p: _month(p.user.created_at).isoformat(),
        lambda k: format_date(date.fromisoformat(k), "MMMM yyyy"),
        min_group,
    )
    return Statistics(
        scope=scope,
        total=group_stats(str(_l("All")), people),
        per_month=list(per_month.items()),
        by_education=by_education,
        by_cohort=by_cohort,
        min_group=min_group,
    )
