"""The skill vocabulary: loading it, resolving typed skills onto it, type-ahead suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.matching.skills import (
    SkillMatcher,
    VocabularyEntry,
    load_curated_vocabulary,
    load_esco_labels,
    split_skill_list,
)
from taskboerse.models import Skill
from taskboerse.services.errors import ValidationFailed

MAX_SKILLS = 25
MAX_SKILL_LENGTH = 120


@dataclass(frozen=True)
class ResolvedSkill:
    """A typed skill after normalisation: a vocabulary skill, or free text kept as typed."""

    skill_id: int | None
    label: str


def sync_vocabulary() -> int:
    """Insert or update the curated vocabulary; returns how many skills were added."""
    existing = {s.slug: s for s in db.session.execute(select(Skill)).scalars()}
    added = 0
    for row in load_curated_vocabulary():
        skill = existing.get(row.slug)
        if skill is None:
            skill = Skill(slug=row.slug)
            db.session.add(skill)
            added += 1
        skill.label_da = row.label_da
        skill.label_en = row.label_en
        skill.synonyms = list(row.synonyms)
        skill.esco_label = row.esco_label
        skill.category = row.category
    db.session.commit()
    current_app.extensions.pop("taskboerse_skill_matcher", None)
    return added


def _matcher() -> tuple[SkillMatcher, dict[int, Skill]]:
    """The matcher over the vocabulary in the database, built once per process."""
    cached = current_app.extensions.get("taskboerse_skill_matcher")
    skills = {s.id: s for s in db.session.execute(select(Skill)).scalars()}
    if cached is not None and cached[0] == len(skills):
        return cached[1], skills
    matcher = SkillMatcher(
        VocabularyEntry(s.id, (s.label_da, s.label_en, *s.synonyms)) for s in skills.values()
    )
    current_app.extensions["taskboerse_skill_matcher"] = (len(skills), matcher)
    return matcher, skills


def _esco_matcher() -> SkillMatcher:
    """A matcher over the ESCO labels, built once per process on first use."""
    matcher = current_app.extensions.get("taskboerse_esco_matcher")
    if matcher is None:
        matcher = SkillMatcher(
            (VocabularyEntry(label, (label,)) for label in load_esco_labels()), threshold=0.9
        )
        current_app.extensions["taskboerse_esco_matcher"] = matcher
    return matcher


def resolve_skills(raw: str | list[str], field: str = "skills") -> list[ResolvedSkill]:
    """Normalise typed skills onto the vocabulary; unmatched ones are kept as free text."""
    labels = split_skill_list(raw)
    if len(labels) > MAX_SKILLS:
        raise ValidationFailed(_l("At most %(n)d skills.", n=MAX_SKILLS), field=field)
    for label in labels:
        if len(label) > MAX_SKILL_LENGTH:
            raise ValidationFailed(
                _l("A skill can be at most %(n)d characters.", n=MAX_SKILL_LENGTH), field=field
            )
    matcher, skills = _matcher()
    resolved: list[ResolvedSkill] = []
    seen: set[object] = set()
    for label in labels:
        match = matcher.match(label)
        if match is not None:
            skill = skills[match.entry_id]
            key: object = skill.id
            item = ResolvedSkill(skill.id, skill.label_da)
        else:
            # Not in the curated vocabulary: take ESCO's spelling when it is close, so the
            # same skill typed two ways still matches; otherwise keep the text as typed.
            esco = _esco_matcher().match(label)
            text = str(esco.entry_id) if esco is not None else label
            key = text.casefold()
            item = ResolvedSkill(None, text)
        if key not in seen:
            seen.add(key)
            resolved.append(item)
    return resolved


def suggest_skills(prefix: str, locale: str, limit: int = 10) -> list[dict]:
    """Type-ahead: vocabulary skills for what the user has typed so far."""
    if len(prefix) > MAX_SKILL_LENGTH:
        return []
    matcher, skills = _matcher()
    found = [
        {"id": skills[i].id, "label": skills[i].label(locale)}
        for i in matcher.suggest(prefix, limit=limit)
    ]
    if len(found) < limit and len(prefix.strip()) >= 3:
        found += [
            {"id": None, "label": str(label)}
            for label in _esco_matcher().suggest(prefix, limit=limit - len(found))
        ]
    return found


def skill_label(skill: Skill | None, label: str, locale: str) -> str:
    """The label to show: the vocabulary's in the reader's language, else the typed text."""
    return skill.label(locale) if skill is not None else label


def all_skills() -> list[Skill]:
    """The vocabulary sorted by Danish label."""
    return list(db.session.execute(select(Skill).order_by(Skill.label_da)).scalars())
