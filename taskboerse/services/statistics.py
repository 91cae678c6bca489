"""Statistics for the job centre: the funnel, placements per month, time to a first placement,
broken down by education (the vocabulary's groups, and the degree level) and by cohort.

Only graduates who consent are counted. Groups smaller than ``STATS_MIN_GROUP`` are folded
into one "other groups" line, and that line too must reach ``STATS_MIN_GROUP`` (or the whole
breakdown is left out), so no line, and no "All" minus the lines shown, reveals a smaller group.
"""

from __future__ import annotations

import statistics as pystats
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from taskboerse.labels import degree_label, education_group_label
from taskboerse.matching.educations import GROUPS, load_educations
from taskboerse.models import ApplicationStatus, DegreeLevel, OutcomeStatus, Role, User
from taskboerse.services.errors import Forbidden, ValidationFailed
from taskboerse.services.follow_up import (
    GraduateRecord,
    caseload_ids,
    consenting_ids,
    load_people,
    now_utc,
)

LOCAL = ZoneInfo("Europe/Copenhagen")
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
SCOPES = ("mine", "all")
NOT_GIVEN = "~none"  # group keys that sort after the real ones
NOT_LINKED = "~unlinked"


@dataclass(frozen=True)
class GroupStats:
    """The funnel and the two rates for one group of graduates.

    The funnel (``applied`` … ``employed``) counts graduates; ``applications``, ``withdrawn``
    and the ``*_placements`` count applications. A placement is an accepted application; it
    has ended when it was completed, withdrawn or cancelled, and ``completion_rate`` is
    ``completed_placements / ended_placements`` (placements still under way are left out, so
    the rate does not drop each time a new placement starts)."""

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
    completed_placements: int = 0
    applications: int = 0  # applications not withdrawn
    withdrawn: int = 0  # applications the graduate withdrew

    @property
    def ongoing_placements(self) -> int:
        """Placements still under way (accepted, not yet ended)."""
        return self.placements - self.ended_placements


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics page shows."""

    scope: str
    total: GroupStats
    per_month: list[tuple[date, int]]
    by_education: list[GroupStats]  # by the vocabulary's groups of educations
    by_level: list[GroupStats]  # by degree level
    by_cohort: list[GroupStats]
    min_group: int


def group_stats(label: str, people: list[GraduateRecord]) -> GroupStats:
    """Count the funnel stages and the rates for ``people``."""
    applied = accepted = completed = employed = 0
    days: list[int] = []
    placements = done = ended = applications = withdrawn = 0
    for person in people:
        apps = person.facts.applications
        applied += bool(apps)
        gone = sum(1 for a in apps if a.status == ApplicationStatus.WITHDRAWN)
        withdrawn += gone
        applications += len(apps) - gone
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
        completed_placements=done,
        applications=applications,
        withdrawn=withdrawn,
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
    order: Callable[[tuple[str, list[GraduateRecord]]], object] = lambda item: item[0],
) -> list[GroupStats]:
    """One line per group of at least ``min_group`` graduates in ``order``, then one line
    for the smaller groups together.

    The "All" row is shown beside the lines, so the folded line is as telling as any: when
    it has fewer than ``min_group`` graduates, the smallest shown groups are folded into it
    until it has enough. When that folds everything, there is no breakdown at all (an empty
    list): a lone line would only repeat "All"."""
    groups: dict[str, list[GraduateRecord]] = {}
    for person in people:
        groups.setdefault(key(person), []).append(person)
    shown, rest, widened = fold_small_groups(sorted(groups.items(), key=order), min_group)
    if not shown:
        return []
    result = [group_stats(label(k), members) for k, members in shown]
    if rest:
        result.append(group_stats(other_groups_label(min_group, widened), rest))
    return result


def fold_small_groups(
    groups: Sequence[tuple[K, list[T]]], threshold: int
) -> tuple[list[tuple[K, list[T]]], list[T], bool]:
    """Split ``groups`` (in display order) into the groups shown, the members of the folded
    "other groups" line, and whether a group of ``threshold`` or more had to be folded too.

    Groups under ``threshold`` are folded; when the folded line itself stays under it, the
    smallest shown groups (of equal ones, the last listed) join it until it reaches it. When
    that folds everything, nothing is shown: a lone line would only repeat the total."""
    shown = [(k, m) for k, m in groups if len(m) >= threshold]
    rest = [p for _k, m in groups if len(m) < threshold for p in m]
    widened = False
    while rest and len(rest) < threshold and shown:
        smallest = min(range(len(shown)), key=lambda i: (len(shown[i][1]), -i))
        rest += shown.pop(smallest)[1]
        widened = True
    if not shown:
        return [], [], widened
    return shown, rest, widened


def other_groups_label(threshold: int, widened: bool) -> str:
    """The folded line's name, in the job centre's statistics' words."""
    if widened:
        return str(
            _l("Other groups, put together so that no line has fewer than %(n)d", n=threshold)
        )
    return str(_l("Other groups (fewer than %(n)d each)", n=threshold))


def education_group_key(person: GraduateRecord) -> str:
    """The vocabulary group of the graduate's education; ``NOT_LINKED`` for a field the
    vocabulary does not know, ``NOT_GIVEN`` for none."""
    profile = person.profile
    if profile is None or not (profile.field or "").strip():
        return NOT_GIVEN
    return load_educations().group_of(profile.education_code) or NOT_LINKED


def education_group_name(key: str) -> str:
    """The words for an ``education_group_key`` in the reader's language."""
    if key == NOT_GIVEN:
        return str(_l("Not given"))
    if key == NOT_LINKED:
        return str(_l("Not linked to the vocabulary"))
    return education_group_label(key) if key in GROUPS else key


def level_key(person: GraduateRecord) -> str:
    """The graduate's degree level (``NOT_GIVEN`` for none)."""
    profile = person.profile
    if profile is None or profile.degree_level is None:
        return NOT_GIVEN
    return profile.degree_level.value


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

    by_education = _breakdown(
        people,
        education_group_key,
        education_group_name,
        min_group,
        order=lambda item: (item[0].startswith("~"), -len(item[1]), item[0]),
    )
    levels = [level.value for level in DegreeLevel]
    by_level = _breakdown(
        people,
        level_key,
        lambda k: str(_l("Not given")) if k == NOT_GIVEN else degree_label(k),
        min_group,
        order=lambda item: levels.index(item[0]) if item[0] in levels else len(levels),
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
        by_level=by_level,
        by_cohort=by_cohort,
        min_group=min_group,
    )
