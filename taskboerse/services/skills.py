"""The skill vocabulary: loading it, resolving typed skills onto it, type-ahead suggestions
and suggestions from a task description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.matching.skills import (
    SkillMatcher,
    VocabularyEntry,
    load_curated_vocabulary,
    load_esco_labels,
    semantic_picks,
    split_skill_list,
)
from taskboerse.models import Skill
from taskboerse.services.errors import ValidationFailed

if TYPE_CHECKING:  # the index imports this module
    from taskboerse.services.matching_index import MatchingIndex

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
    current_app.extensions.pop("taskboerse_skill_vocabulary", None)
    return added


@dataclass(frozen=True)
class _Vocabulary:
    """The vocabulary as plain data (safe to keep across sessions) and its matcher."""

    version: tuple[int, int]
    matcher: SkillMatcher
    labels: dict[int, tuple[str, str]]  # id -> (Danish, English)
    slugs: dict[str, int]  # slug -> id


def vocabulary_version() -> tuple:
    """Changes whenever skills are added or removed (one cheap query)."""
    return tuple(db.session.execute(select(func.count(Skill.id), func.max(Skill.id))).one())


def _vocabulary() -> _Vocabulary:
    """The vocabulary matcher, rebuilt only when the skills table changed (one cheap query)."""
    version = vocabulary_version()
    cached = current_app.extensions.get("taskboerse_skill_vocabulary")
    if cached is not None and cached.version == version:
        return cached
    skills = list(db.session.execute(select(Skill)).scalars())
    vocabulary = _Vocabulary(
        version=version,
        matcher=SkillMatcher(
            VocabularyEntry(s.id, (s.label_da, s.label_en, *s.synonyms)) for s in skills
        ),
        labels={s.id: (s.label_da, s.label_en) for s in skills},
        slugs={s.slug: s.id for s in skills},
    )
    current_app.extensions["taskboerse_skill_vocabulary"] = vocabulary
    return vocabulary


def vocabulary_labels(locale: str) -> dict[int, str]:
    """Every vocabulary skill's label in ``locale``."""
    index = 1 if locale == "en" else 0
    return {i: pair[index] for i, pair in _vocabulary().labels.items()}


def skills_by_slug(slugs: tuple[str, ...]) -> list[tuple[int, str]]:
    """(id, Danish label) of the vocabulary skills with these slugs, in their order (unknown
    slugs are left out); from the cached vocabulary."""
    vocabulary = _vocabulary()
    ids = (vocabulary.slugs.get(slug) for slug in slugs)
    return [(i, vocabulary.labels[i][0]) for i in ids if i is not None]


def vocabulary_label_pairs() -> dict[int, tuple[str, str]]:
    """Every vocabulary skill's (Danish, English) labels."""
    return _vocabulary().labels


def language_names(labels: list[str], locale: str) -> list[str]:
    """Languages as a profile lists them, named in ``locale`` when the vocabulary knows them
    ("engelsk" → "English" in the English UI, "Danish" → "Dansk" in the Danish one)."""
    vocabulary = _vocabulary()
    out = []
    for label in labels:
        found = vocabulary.matcher.match(label)
        if found is not None and found.score >= 0.9:
            da, en = vocabulary.labels[found.entry_id]
            out.append(en if locale == "en" else da)
        else:
            out.append(label)
    return out


def match_vocabulary(text: str, min_score: float = 0.0) -> int | None:
    """The vocabulary skill ``text`` names, if any (no ESCO fallback)."""
    match = _vocabulary().matcher.match(text)
    return match.entry_id if match is not None and match.score >= min_score else None


def vocabulary_mentions(text: str) -> list[int]:
    """Vocabulary skills a running text names, in order of appearance."""
    return [int(i) for i in _vocabulary().matcher.mentions(text)]


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
    vocabulary = _vocabulary()
    resolved: list[ResolvedSkill] = []
    seen: set[object] = set()
    for label in labels:
        match = vocabulary.matcher.match(label)
        if match is not None:
            key: object = match.entry_id
            item = ResolvedSkill(match.entry_id, vocabulary.labels[match.entry_id][0])
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
    """Type-ahead: vocabulary skills for what the user has typed so far, labelled in the
    reader's language (Danish and English labels and synonyms all find them). ESCO's English
    labels come only when the vocabulary has no answer, marked as a fallback (``fallback``
    and a ``note`` to show)."""
    if len(prefix) > MAX_SKILL_LENGTH:
        return []
    labels = vocabulary_labels(locale)
    found = [
        {"id": i, "label": labels[i], "fallback": False}
        for i in _vocabulary().matcher.suggest(prefix, limit=limit)
    ]
    if not found and len(prefix.strip()) >= 4:
        shown = {item["label"].casefold() for item in found}
        note = str(_l("ESCO, in English")) if locale != "en" else "ESCO"
        for label in _esco_matcher().suggest(prefix, limit=limit - len(found), whole_words=True):
            if str(label).casefold() not in shown:
                found.append({"id": None, "label": str(label), "fallback": True, "note": note})
    return found


def suggest_skills_from_text(
    index: MatchingIndex, text: str, locale: str, limit: int = 8
) -> list[dict]:
    """Vocabulary skills a task description calls for: those it names (any label or synonym,
    after Danish stemming), then up to two that stand out by meaning."""
    text = text[:4000]
    found = list(vocabulary_mentions(text))
    if text.strip():
        index.sync()
        if index.skill_matrix is not None and len(index.skill_matrix):
            for row in semantic_picks(index.encode(text), index.skill_matrix):
                if index.skill_ids[row] not in found:
                    found.append(index.skill_ids[row])
    labels = vocabulary_labels(locale)
    return [{"id": i, "label": labels[i]} for i in found[:limit] if i in labels]


def skill_label(skill: Skill | None, label: str, locale: str) -> str:
    """The label to show: the vocabulary's in the reader's language, else the typed text."""
    return skill.label(locale) if skill is not None else label


# Danish alphabetical order: æ, ø, å come last, in that order, and case does not matter.
_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|"})


def collation_key(label: str) -> str:
    """Sort key for labels in Danish alphabetical order (also right for English labels)."""
    return label.casefold().translate(_DANISH_ORDER)


def all_skills() -> list[Skill]:
    """The vocabulary sorted by Danish label."""
    return list(db.session.execute(select(Skill).order_by(Skill.label_da)).scalars())
