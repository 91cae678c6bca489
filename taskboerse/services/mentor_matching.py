"""Mentors for a need and needs for a mentor, ranked and explained by the one ranker that
ranks tasks and graduates (``matching.ranker``): a need is ranked like a task, a mentor like
a graduate (``mentor_docs`` maps them). This module only adds the reader's words: expertise
matched or related, the company's sector, distance or online, and places left.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching.ranker import Match, Ranking
from taskboerse.models import (
    MentorNeed,
    MentorProfile,
    MentorRequest,
    MentorSkill,
    NeedStatus,
    Role,
    User,
)
from taskboerse.services import mentor_docs
from taskboerse.services.clock import today
from taskboerse.services.companies import sector_label
from taskboerse.services.errors import Forbidden
from taskboerse.services.matching_index import MatchingIndex
from taskboerse.services.mentors import active_mentorship_counts
from taskboerse.services.recommendations import localised, skill_names


@dataclass(frozen=True)
class MentorMatch:
    """One mentor for a need: the profile, the score (0-1), the reasons in the reader's
    language, the expertise matched as (need's label, mentor's label, related?), the distance
    and the places the mentor has left."""

    mentor: MentorProfile
    score: float
    reasons: list[str]
    matched: list[tuple[str, str, bool]]
    distance_km: float | None
    capacity_left: int
    online: bool


@dataclass(frozen=True)
class NeedMatch:
    """One need for a mentor, with the same kind of reasons."""

    need: MentorNeed
    score: float
    reasons: list[str]
    matched: list[tuple[str, str, bool]]
    distance_km: float | None
    online: bool


@dataclass
class MentorRanking:
    """Ranked mentors; ``notice`` says what the entrepreneur can change when the list is
    short (empty when nothing would help)."""

    matches: list[MentorMatch]
    notice: str = ""
    held_back: dict[str, int] = field(default_factory=dict)

    def __iter__(self) -> Iterator[MentorMatch]:
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    def __bool__(self) -> bool:
        return bool(self.matches)


def _matched(match: Match) -> list[tuple[str, str, bool]]:
    """(need's label, mentor's label, related?) of the expertise matched, each need skill
    once (a need's extra skill may repeat one of its topic's)."""
    seen: dict[str, tuple[str, str, bool]] = {}
    for m in match.explanation.matched:
        if not mentor_docs.is_sector(m.task_label):
            seen.setdefault(m.task_label, (m.task_label, m.profile_label, m.related))
    return list(seen.values())


def _sectors(match: Match) -> list[str]:
    return [
        sector_label(m.task_label.removeprefix(mentor_docs.SECTOR_PREFIX))
        for m in match.explanation.matched
        if mentor_docs.is_sector(m.task_label)
    ]


def reasons_for(match: Match, places: int | None, for_entrepreneur: bool) -> list[str]:
    """Why a need and a mentor were matched, one short sentence each: the expertise they
    share, related expertise, the sector, where they meet, and (for the entrepreneur) the
    places the mentor has left."""
    e = match.explanation
    exact = [need for need, _mentor, related in _matched(match) if not related]
    related = [(need, mentor) for need, mentor, rel in _matched(match) if rel]
    out = []
    if exact:
        if for_entrepreneur:
            out.append(_("Experience with: %(skills)s.", skills=", ".join(exact)))
        else:
            out.append(_("They need your experience with: %(skills)s.", skills=", ".join(exact)))
    if related:
        pairs = ", ".join(f"{mentor} → {need}" for need, mentor in related)
        out.append(_("Related experience: %(pairs)s.", pairs=pairs))
    if e.missing_required and not exact and not related:
        out.append(_("Not an expert in: %(skills)s.", skills=", ".join(e.missing_required)))
    sectors = _sectors(match)
    if sectors:
        if for_entrepreneur:
            out.append(_("Knows your sector: %(sectors)s.", sectors=", ".join(sectors)))
        else:
            out.append(_("A sector you know: %(sectors)s.", sectors=", ".join(sectors)))
    if e.distance_km is not None and not (e.remote and e.distance_km > 100):
        out.append(_("%(km)d km away.", km=round(e.distance_km)))
    if e.remote:
        out.append(_("Can meet online."))
    if places is not None:
        out.append(
            ngettext("Room for %(num)d more mentee.", "Room for %(num)d more mentees.", places)
        )
    return out


def _asked(need_id: int) -> list[int]:
    """Mentors (user ids) this need has already been sent to, whatever the answer."""
    return list(
        db.session.execute(
            select(MentorRequest.mentor_id).where(MentorRequest.need_id == need_id)
        ).scalars()
    )


def _need_vector(index: MatchingIndex, need: MentorNeed):
    vector = index.sync().mentoring.tasks.index.vector(need.id)
    if vector is None:  # saved a moment ago: index it now rather than show nothing
        vector = index.sync(force=True).mentoring.tasks.index.vector(need.id)
    return vector


def _notice(ranking: Ranking, need: MentorNeed, shown: int) -> str:
    """What the entrepreneur can change when few mentors fit."""
    parts = []
    far = ranking.held_back.get("place", 0)
    if far and not need.online:
        parts.append(
            ngettext(
                "%(num)d more mentor would fit but lives too far away: tick “online” to "
                "include mentors who meet online.",
                "%(num)d more mentors would fit but live too far away: tick “online” to "
                "include mentors who meet online.",
                far,
            )
        )
    elif far:
        parts.append(
            ngettext(
                "%(num)d more mentor would fit but does not travel this far.",
                "%(num)d more mentors would fit but do not travel this far.",
                far,
            )
        )
    if not shown and not parts:
        parts.append(
            _(
                "Describe what you want in more words or add expertise; or put your question "
                "to all mentors in “Ask a mentor”. The business service sees needs that wait."
            )
        )
    return " ".join(parts)


def mentors_for_need(index: MatchingIndex, need: MentorNeed, k: int = 10) -> MentorRanking:
    """The available mentors who fit ``need``, best first, with reasons; mentors already
    asked for this need are left out (the next candidates after a decline or expiry)."""
    if need.status != NeedStatus.OPEN:
        return MentorRanking([])
    vector = _need_vector(index, need)
    if vector is None:
        return MentorRanking([], _notice(Ranking([]), need, 0))
    doc = mentor_docs.need_doc(need)
    ranking = index.mentoring.profiles.rank_for(doc, vector, today(), exclude=_asked(need.id), k=k)
    profiles = {
        p.user_id: p
        for p in db.session.execute(
            select(MentorProfile)
            .where(MentorProfile.user_id.in_([m.id for m in ranking]))
            .options(
                selectinload(MentorProfile.user),
                selectinload(MentorProfile.skills).selectinload(MentorSkill.skill),
            )
        ).scalars()
    }
    active = active_mentorship_counts(list(profiles))
    names = skill_names(_locale())
    out = []
    for match in ranking:
        profile = profiles.get(match.id)
        # The catalogue may lag the database by a sync: the rule is checked again here.
        if profile is None or not mentor_docs.is_available(profile, active.get(match.id, 0)):
            continue
        match = localised(match, names)
        places = mentor_docs.places_left(profile, active.get(match.id, 0))
        out.append(
            MentorMatch(
                mentor=profile,
                score=match.score,
                reasons=reasons_for(match, places, for_entrepreneur=True),
                matched=_matched(match),
                distance_km=match.explanation.distance_km,
                capacity_left=places,
                online=match.explanation.remote,
            )
        )
    return MentorRanking(out, _notice(ranking, need, len(out)), dict(ranking.held_back))


def needs_for_mentor(index: MatchingIndex, mentor: User, k: int = 20) -> list[NeedMatch]:
    """Open needs that fit the mentor's profile, best first, with reasons (needs already
    sent to this mentor are left out: they are in the mentor's requests)."""
    if mentor.role != Role.MENTOR:
        raise Forbidden(_("Only mentors see the needs that fit them."))
    profile = db.session.execute(
        select(MentorProfile)
        .where(MentorProfile.user_id == mentor.id)
        .options(selectinload(MentorProfile.skills), selectinload(MentorProfile.user))
    ).scalar_one_or_none()
    if profile is None:
        return []
    catalog = index.sync().mentoring.profiles
    vector = catalog.index.vector(mentor.id)
    if vector is None:
        vector = index.sync(force=True).mentoring.profiles.index.vector(mentor.id)
    if vector is None:
        return []
    doc = mentor_docs.mentor_docs([profile])[mentor.id]
    # Ranked as if available: a paused or full mentor still sees where they would help.
    doc = replace(doc, active=True)
    asked = db.session.execute(
        select(MentorRequest.need_id).where(MentorRequest.mentor_id == mentor.id)
    ).scalars()
    ranking = index.mentoring.tasks.rank_for(doc, vector, today(), exclude=list(asked), k=k)
    needs = {
        n.id: n
        for n in db.session.execute(
            select(MentorNeed)
            .where(
                MentorNeed.id.in_([m.id for m in ranking]),
                MentorNeed.status == NeedStatus.OPEN,
            )
            .options(selectinload(MentorNeed.company), selectinload(MentorNeed.skills))
        ).scalars()
    }
    names = skill_names(_locale())
    out = []
    for match in ranking:
        need = needs.get(match.id)
        if need is None:
            continue
        match = localised(match, names)
        out.append(
            NeedMatch(
                need=need,
                score=match.score,
                reasons=reasons_for(match, None, for_entrepreneur=False),
                matched=_matched(match),
                distance_km=match.explanation.distance_km,
                online=match.explanation.remote,
            )
        )
    return out


def _locale() -> str:
    return str(get_locale() or "da")
