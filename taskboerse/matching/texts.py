"""The texts that task and profile vectors are made from, one definition for the app, the
benchmark and the tests. No names, ages or other personal facts go into a profile's text."""

from __future__ import annotations

from collections.abc import Iterable


def task_text(title: str, description: str, skills: Iterable[str], learning: str = "") -> str:
    """Title, description, the skills asked for, and what the graduate will learn."""
    return "\n".join(p for p in (title, description, ", ".join(skills), learning) if p)


def profile_text(field: str, institution: str, skills: Iterable[str], about: str = "") -> str:
    """Field of study, institution, skills and the graduate's own words."""
    return "\n".join(p for p in (field, institution, ", ".join(skills), about) if p)


def skill_text(label_da: str, label_en: str, synonyms: Iterable[str] = ()) -> str:
    """A vocabulary skill's text for finding related skills: both labels and the first three
    synonyms read better than one label (measured on tests/data/skill_relations.tsv)."""
    parts = dict.fromkeys([label_da, label_en, *list(synonyms)[:3]])
    return ", ".join(parts)
