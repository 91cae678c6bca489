"""Normalise free-text skills onto a vocabulary with rapidfuzz.

Handles case, spacing, punctuation, common Danish and English inflections and typos. A term
that matches nothing well enough is left to the caller to keep as free text.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process

_PUNCT = re.compile(r"[^\w+#æøå ]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Longest first, so "erne" is tried before "er".
_SUFFIXES = ("erne", "ene", "ing", "er", "en", "et", "es", "s", "e")


def normalise(text: str) -> str:
    """Case-fold, drop punctuation (keeping + and # for C++ and C#), collapse spaces."""
    text = _PUNCT.sub(" ", text.casefold().replace("-", " "))
    return _SPACE.sub(" ", text).strip()


_stemmers = threading.local()


def danish_stemmer():
    """Snowball's Danish stemmer for this thread (a stemmer keeps state while it works, so
    threads must not share one)."""
    stemmer = getattr(_stemmers, "danish", None)
    if stemmer is None:
        stemmer = _stemmers.danish = snowballstemmer.stemmer("danish")
    return stemmer


def danish_stems(text: str) -> list[str]:
    """The words of ``text``, normalised and reduced to their Danish Snowball stems."""
    return danish_stemmer().stemWords(normalise(text).split())


def stem(text: str) -> str:
    """Strip one common inflection ending from each word longer than four letters."""
    words = []
    for word in normalise(text).split(" "):
        if len(word) > 4:
            for suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                    word = word[: -len(suffix)]
                    break
        words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class VocabularyEntry:
    """One vocabulary skill and every form it may be written in."""

    id: Hashable
    labels: tuple[str, ...]


@dataclass(frozen=True)
class SkillMatch:
    """A typed term resolved to a vocabulary entry, with how sure the match is (0–1)."""

    entry_id: Hashable
    matched_label: str
    score: float


class SkillMatcher:
    """Resolves typed skills to vocabulary entries."""

    def __init__(self, entries: Iterable[VocabularyEntry], threshold: float = 0.88) -> None:
        self.threshold = threshold
        self._keys: list[str] = []
        self._owners: list[tuple[Hashable, str]] = []
        self._exact: dict[str, tuple[Hashable, str]] = {}
        self._phrases: dict[tuple[str, ...], Hashable] = {}
        for entry in entries:
            for label in entry.labels:
                phrase = tuple(danish_stems(label))
                if len("".join(phrase)) >= 3:
                    self._phrases.setdefault(phrase, entry.id)
                for key in {normalise(label), stem(label)}:
                    if not key:
                        continue
                    self._exact.setdefault(key, (entry.id, label))
                    self._keys.append(key)
                    self._owners.append((entry.id, label))

    def mentions(self, text: str) -> list[Hashable]:
        """Entries a running text names (any label or synonym, word for word after Danish
        stemming, longest phrases first), in the order they first appear."""
        words = danish_stems(text)
        found: dict[Hashable, int] = {}
        for n in (4, 3, 2, 1):
            for start in range(len(words) - n + 1):
                entry_id = self._phrases.get(tuple(words[start : start + n]))
                if entry_id is not None and entry_id not in found:
                    found[entry_id] = start
        return sorted(found, key=found.__getitem__)

    def match(self, text: str) -> SkillMatch | None:
        """The best vocabulary entry for ``text``, or None when nothing is close enough."""
        for key in (normalise(text), stem(text)):
            if key in self._exact:
                entry_id, label = self._exact[key]
                return SkillMatch(entry_id, label, 1.0)
        query = stem(text)
        if len(query) < 3 or not self._keys:
            return None
        best = process.extractOne(query, self._keys, scorer=fuzz.ratio)
        if best is None:
            return None
        _, score, index = best
        score /= 100.0
        if score < self.threshold:
            return None
        entry_id, label = self._owners[index]
        return SkillMatch(entry_id, label, round(score, 3))

    def suggest(self, prefix: str, limit: int = 10, whole_words: bool = False) -> list[Hashable]:
        """Entries for what the user has typed so far (type-ahead), best first.

        Tiers: the whole label, a label starting with the text, a word of a label starting
        with it; then, for four letters or more, the text inside a word and near misses
        (typos). ``whole_words`` keeps only the first three tiers (for a large fallback
        vocabulary, where "some" must not find "isomerisation"). Within a tier shorter
        labels come first.
        """
        query = normalise(prefix)
        if not query:
            return []
        best: dict[Hashable, tuple[int, int, int]] = {}
        for order, (key, (entry_id, _)) in enumerate(zip(self._keys, self._owners, strict=True)):
            if key == query:
                tier = 0
            elif key.startswith(query):
                tier = 1
            elif f" {query}" in f" {key}":
                tier = 2
            elif not whole_words and len(query) >= 4 and query in key:
                tier = 3
            else:
                continue
            rank = (tier, len(key), order)
            if entry_id not in best or rank < best[entry_id]:
                best[entry_id] = rank
        ranked = sorted(best, key=best.__getitem__)
        if len(ranked) < limit and len(query) >= 4 and not whole_words:
            # Near misses ("exel", "budgetering"): whole-string similarity, so a short label
            # inside a long query ("r" in "sociale medier") is never a match.
            for _, _, index in process.extract(
                query, self._keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=80
            ):
                entry_id = self._owners[index][0]
                if entry_id not in best:
                    best[entry_id] = (4, 0, 0)
                    ranked.append(entry_id)
        return ranked[:limit]


@dataclass(frozen=True)
class CuratedSkill:
    """One row of the curated vocabulary shipped with the package."""

    slug: str
    category: str
    label_da: str
    label_en: str
    synonyms: tuple[str, ...]
    esco_label: str | None


def load_curated_vocabulary() -> list[CuratedSkill]:
    """The curated Danish/English skill vocabulary from ``matching/data/skills.tsv``."""
    text = resources.files("taskboerse.matching").joinpath("data/skills.tsv").read_text("utf-8")
    rows: list[CuratedSkill] = []
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for parts in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        slug, category, label_da, label_en, synonyms, esco = (parts + [""] * 6)[:6]
        rows.append(
            CuratedSkill(
                slug=slug,
                category=category,
                label_da=label_da,
                label_en=label_en,
                synonyms=tuple(s for s in synonyms.split("|") if s),
                esco_label=esco or None,
            )
        )
    return rows


def load_esco_labels() -> list[str]:
    """The 13,896 English ESCO skill labels shipped with the package (the fallback vocabulary)."""
    text = resources.files("taskboerse.matching").joinpath("data/esco_skills_en.txt")
    return [line.strip() for line in text.read_text("utf-8").splitlines() if line.strip()]


def split_skill_list(raw: str | Sequence[str]) -> list[str]:
    """Split a comma- or newline-separated skill list, dropping blanks and duplicates."""
    items = raw if not isinstance(raw, str) else re.split(r"[,\n;]", raw)
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        label = _SPACE.sub(" ", item).strip()
        if label and normalise(label) not in seen:
            seen.add(normalise(label))
            out.append(label)
    return out


def semantic_picks(
    text_vector: np.ndarray, skill_vectors: np.ndarray, k: int = 2, min_z: float = 2.0
) -> list[int]:
    """Rows of ``skill_vectors`` that stand out for a text: at most ``k``, each at least
    ``min_z`` standard deviations above the text's mean similarity to all skills."""
    if len(skill_vectors) < 3:
        return []
    sims = skill_vectors @ text_vector
    z = (sims - sims.mean()) / (sims.std() + 1e-9)
    order = np.argsort(-z, kind="stable")[:k]
    return [int(i) for i in order if z[i] >= min_z]
