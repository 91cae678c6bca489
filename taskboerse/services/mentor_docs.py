"""Mentors and mentor needs as the ranker sees them: the same ``TaskDoc``/``ProfileDoc`` and so
the same fit rule, score and explanations as tasks and graduates — no second copy.

A need plays the task: its topic's expertise is required, the entrepreneur's extra skills and
the company's sector are nice to have; place is the need's postcode, "online" is remote; it
has no deadline or hours. A mentor plays the profile: expertise and sectors are the skills,
"online" is remote work, the radius is the travel distance, and they are active only while
approved, not paused and with a mentee place left.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching import texts
from taskboerse.matching.ranker import ProfileDoc, SkillRef, TaskDoc
from taskboerse.models import (
    Company,
    Embedding,
    MentorNeed,
    MentorNeedSkill,
    MentorProfile,
    Mentorship,
    MentorSkill,
    NeedStatus,
)
from taskboerse.services.mentoring import TOPICS, topic_slugs
from taskboerse.services.mentors import active_mentorship_counts, is_visible
from taskboerse.services.skills import skills_by_slug

# A need has no deadline; the fit rule's deadline test always passes with this one.
NO_DEADLINE = date(9999, 12, 31)
SECTOR_PREFIX = "sector:"


def sector_ref(code: str) -> SkillRef:
    """A sector as a skill: matched exactly between a mentor and a need's company."""
    return SkillRef(f"{SECTOR_PREFIX}{code}")


def is_sector(label: str) -> bool:
    """Whether an explained skill label is a sector (shown as "knows your sector")."""
    return label.startswith(SECTOR_PREFIX)


# (id, Danish label) of each topic's vocabulary skills, by topic code.
TopicSkills = dict[str, list[tuple[int, str]]]


def topic_skills() -> TopicSkills:
    """Every topic's vocabulary skills, from the cached vocabulary (one cheap query): taken
    once per sync, not once per need."""
    return {topic: skills_by_slug(topic_slugs(topic)) for topic in TOPICS}


def _label_da(item) -> str:
    return item.skill.label_da if item.skill else item.label


def need_text(need: MentorNeed, topics: TopicSkills | None = None) -> str:
    """The text a need's vector is made from: the topic's expertise, what the entrepreneur
    wants, and the extra skills (Danish labels, whatever the reader's language)."""
    topics = topics if topics is not None else topic_skills()
    topic = [label for _id, label in topics.get(need.topic, [])]
    return texts.task_text(", ".join(topic), need.description, (_label_da(s) for s in need.skills))


def mentor_text(profile: MentorProfile) -> str:
    """The text a mentor's vector is made from (no name, age or other personal facts)."""
    return texts.profile_text(
        profile.headline, "", (_label_da(s) for s in profile.skills), profile.bio
    )


def load_needs(since: datetime | None = None) -> list[MentorNeed]:
    """Needs (with skills and company) changed since ``since``, or all."""
    stmt = select(MentorNeed).options(
        selectinload(MentorNeed.skills).selectinload(MentorNeedSkill.skill),
        selectinload(MentorNeed.company),
    )
    if since is not None:
        changed = select(Embedding.owner_id).where(
            Embedding.kind == Embedding.KIND_NEED, Embedding.updated_at > since
        )
        stmt = stmt.where(or_(MentorNeed.updated_at > since, MentorNeed.id.in_(changed)))
    return list(db.session.execute(stmt).scalars())


def load_mentors(since: datetime | None = None) -> list[MentorProfile]:
    """Mentor profiles changed since ``since`` (their own row, their vector, or a mentorship
    started or ended, which changes the places left), or all."""
    stmt = select(MentorProfile).options(
        selectinload(MentorProfile.skills).selectinload(MentorSkill.skill),
        selectinload(MentorProfile.user),
    )
    if since is not None:
        changed = select(Embedding.owner_id).where(
            Embedding.kind == Embedding.KIND_MENTOR, Embedding.updated_at > since
        )
        moved = select(Mentorship.mentor_id).where(
            or_(Mentorship.created_at > since, Mentorship.ended_at > since)
        )
        stmt = stmt.where(
            or_(
                MentorProfile.updated_at > since,
                MentorProfile.user_id.in_(changed),
                MentorProfile.user_id.in_(moved),
            )
        )
    return list(db.session.execute(stmt).scalars())


def is_indexed_need(need: MentorNeed) -> bool:
    """Open needs are ranked; matched and closed ones leave the catalogue."""
    return need.status == NeedStatus.OPEN


def is_indexed_mentor(profile: MentorProfile) -> bool:
    """Every mentor with a live account has a vector (a paused or full one is kept but not
    active, so the fit rule says why)."""
    return profile.user.anonymised_at is None


def places_left(profile: MentorProfile, active: int) -> int:
    """Mentee places a mentor has left."""
    return max(0, profile.capacity - active)


def is_available(profile: MentorProfile, active: int) -> bool:
    """Whether entrepreneurs can ask the mentor now: visible to them (``mentors.is_visible``)
    with a mentee place left. The one rule for ranking and for requests."""
    return is_visible(profile) and places_left(profile, active) > 0


def need_doc(need: MentorNeed, topics: TopicSkills | None = None) -> TaskDoc:
    """What the ranker knows of a need (its id is the need's id)."""
    topics = topics if topics is not None else topic_skills()
    required = tuple(SkillRef(label, i) for i, label in topics.get(need.topic, []))
    nice = [SkillRef(s.label, s.skill_id) for s in need.skills]
    company: Company | None = need.company
    if company is not None and company.sector:
        nice.append(sector_ref(company.sector))
    return TaskDoc(
        id=need.id,
        required=required,
        nice=tuple(nice),
        hours=0,
        deadline=NO_DEADLINE,
        remote=need.online,
        postcode=need.postcode or None,
        is_open=need.status == NeedStatus.OPEN,
        places_left=1,
    )


def mentor_docs(profiles: list[MentorProfile]) -> dict[int, ProfileDoc]:
    """What the ranker knows of each mentor, by the mentor's user id."""
    active = active_mentorship_counts([p.user_id for p in profiles])
    docs = {}
    for p in profiles:
        skills: dict[str, SkillRef] = {}
        for s in p.skills:
            ref = SkillRef(s.label, s.skill_id)
            skills.setdefault(ref.key, ref)
        for code in p.sectors or []:
            ref = sector_ref(code)
            skills.setdefault(ref.key, ref)
        docs[p.user_id] = ProfileDoc(
            id=p.user_id,
            skills=tuple(skills.values()),
            hours_per_week=None,
            postcode=p.postcode or None,
            remote_ok=p.online,
            max_km=p.max_distance_km,
            completed_tasks=1,  # no newcomer boost: it is for graduates
            active=is_available(p, active.get(p.user_id, 0)),
        )
    return docs
