"""Two-way ranking with explanations: tasks for a graduate, graduates for a task.

score = semantic · cosine(task text, profile text) + skills · coverage (+ a small boost for
graduates without history, so newcomers get seen). Coverage weighs required skills twice
nice-to-have ones, counts fuzzy matches by how sure they are, and counts skills endorsed on
completed tasks fully and self-declared ones at ``declared_factor``. Hard filters remove what
cannot be taken: task not open, no place left, deadline passed, already applied, hours or
place that do not fit. No protected attribute (age, gender, nationality …) is an input: the
documents below simply have no such field.

Candidate generation is vectorised over the whole catalogue (cosine plus exact skill overlap
from a sparse matrix); the exact, explained score is computed for the best few hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from taskboerse.matching.index import VectorIndex
from taskboerse.matching.skills import normalise


@dataclass(frozen=True)
class SkillRef:
    """A skill on a task or profile: a vocabulary id when known, else the typed label."""

    label: str
    vocab_id: int | None = None
    endorsed: bool = False

    @cached_property
    def key(self) -> str:
        """Identity for exact matching: the vocabulary id, or the normalised label."""
        return f"v{self.vocab_id}" if self.vocab_id is not None else f"t:{normalise(self.label)}"


@dataclass(frozen=True)
class TaskDoc:
    """What the ranker knows about a task."""

    id: int
    required: tuple[SkillRef, ...]
    nice: tuple[SkillRef, ...]
    hours: int
    deadline: date
    remote: bool
    postcode: str | None
    is_open: bool = True
    places_left: int = 1


@dataclass(frozen=True)
class ProfileDoc:
    """What the ranker knows about a graduate (no protected attributes exist here)."""

    id: int
    skills: tuple[SkillRef, ...]
    hours_per_week: int | None
    postcode: str | None
    remote_ok: bool
    completed_tasks: int = 0
    active: bool = True


@dataclass(frozen=True)
class Weights:
    """Score weights; arguments, not constants, so they can be tuned and tested."""

    semantic: float = 0.45
    skills: float = 0.55
    declared_factor: float = 0.8
    nice_weight: float = 0.5
    fuzzy_threshold: float = 0.85
    newcomer_boost: float = 0.03
    pool: int = 80


@dataclass(frozen=True)
class MatchedSkill:
    """A task skill the graduate has: how sure the match is and whether it is endorsed."""

    task_label: str
    profile_label: str
    certainty: float
    endorsed: bool
    required: bool


@dataclass(frozen=True)
class Explanation:
    """Why a task and a graduate were matched."""

    matched: tuple[MatchedSkill, ...]
    missing_required: tuple[str, ...]
    required_total: int
    similarity: float
    coverage: float
    newcomer: bool = False

    @property
    def required_matched(self) -> int:
        """How many required skills the graduate has."""
        return sum(1 for m in self.matched if m.required)


@dataclass(frozen=True)
class Match:
    """One recommendation: the other side's id, its score and the explanation."""

    id: int
    score: float
    explanation: Explanation


def region(postcode: str | None) -> int:
    """A coarse region from a Danish postcode (its first digit); -1 when unknown."""
    return int(postcode[0]) if postcode and postcode[:1].isdigit() else -1


def explain(
    task: TaskDoc,
    profile: ProfileDoc,
    similarity: float,
    weights: Weights,
    _labels: Labels | None = None,
) -> Explanation:
    """Match the task's skills against the profile's, exactly by vocabulary id or fuzzily."""
    have, all_labels, all_refs, free_labels, free_refs = _labels or _profile_labels(profile)
    matched: list[MatchedSkill] = []
    missing: list[str] = []
    got = total = 0.0
    cutoff = weights.fuzzy_threshold * 100
    for required, skills in ((True, task.required), (False, task.nice)):
        weight = 1.0 if required else weights.nice_weight
        for skill in skills:
            total += weight
            hit, certainty = have.get(skill.key), 1.0
            labels, refs = (free_labels, free_refs) if skill.vocab_id else (all_labels, all_refs)
            if hit is None and labels:
                best = process.extractOne(
                    normalise(skill.label), labels, scorer=fuzz.ratio, score_cutoff=cutoff
                )
                if best is not None:
                    hit, certainty = refs[best[2]], round(best[1] / 100.0, 2)
            if hit is None:
                if required:
                    missing.append(skill.label)
                continue
            factor = 1.0 if hit.endorsed else weights.declared_factor
            got += weight * certainty * factor
            matched.append(MatchedSkill(skill.label, hit.label, certainty, hit.endorsed, required))
    coverage = got / total if total else 0.0
    return Explanation(
        matched=tuple(matched),
        missing_required=tuple(missing),
        required_total=len(task.required),
        similarity=round(float(similarity), 4),
        coverage=round(coverage, 4),
        newcomer=profile.completed_tasks == 0,
    )


Labels = tuple[dict[str, SkillRef], list[str], list[SkillRef], list[str], list[SkillRef]]


def _profile_labels(profile: ProfileDoc) -> Labels:
    """The profile's skills by key, and normalised labels for fuzzy look-ups: all of them, and
    only the free-text ones (two vocabulary skills with different ids are different skills)."""
    refs = list(profile.skills)
    free = [s for s in refs if s.vocab_id is None]
    return (
        {s.key: s for s in refs},
        [normalise(s.label) for s in refs],
        refs,
        [normalise(s.label) for s in free],
        free,
    )


def _final_score(explanation: Explanation, weights: Weights, boost_newcomer: bool) -> float:
    score = weights.semantic * explanation.similarity + weights.skills * explanation.coverage
    if boost_newcomer and explanation.newcomer:
        score += weights.newcomer_boost
    return round(score, 4)


class _SkillMatrix:
    """Rows × skill-key weights as a sparse matrix, rebuilt lazily after changes."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.rows: dict[int, dict[int, float]] = {}
        self._matrix: sparse.csr_matrix | None = None

    def set_row(self, row: int, weights: dict[str, float]) -> None:
        cols = {}
        for key, value in weights.items():
            col = self.columns.setdefault(key, len(self.columns))
            cols[col] = value
        self.rows[row] = cols
        self._matrix = None

    def matrix(self, n_rows: int) -> sparse.csr_matrix:
        if self._matrix is None or self._matrix.shape[0] != n_rows:
            r, c, v = [], [], []
            for row, cols in self.rows.items():
                for col, value in cols.items():
                    r.append(row)
                    c.append(col)
                    v.append(value)
            self._matrix = sparse.csr_matrix(
                (np.array(v, dtype=np.float32), (np.array(r), np.array(c))),
                shape=(n_rows, max(1, len(self.columns))),
            )
        return self._matrix

    def query(self, weights: dict[str, float]) -> np.ndarray:
        vec = np.zeros(max(1, len(self.columns)), dtype=np.float32)
        for key, value in weights.items():
            col = self.columns.get(key)
            if col is not None:
                vec[col] = value
        return vec


class _Catalog:
    """Shared machinery: an index, per-row filter attributes and a sparse skill matrix."""

    ATTRS: tuple[tuple[str, type], ...] = ()
    FLAG = ""  # the attribute that marks a row usable

    def __init__(self, dim: int, precision: str = "float16", weights: Weights | None = None):
        self.index = VectorIndex(dim, precision=precision)
        self.weights = weights or Weights()  # used for candidate generation
        self.docs: dict = {}
        self._skills = _SkillMatrix()
        self._attrs = {name: np.zeros(0, dtype=dt) for name, dt in self.ATTRS}

    def __len__(self) -> int:
        return len(self.docs)

    def _row_for(self, item_id: int, vector: np.ndarray) -> int:
        row = self.index.upsert(item_id, vector)
        for name, arr in self._attrs.items():
            if arr.shape[0] <= row:
                grown = np.zeros(max(row + 1, arr.shape[0] * 2, 1024), dtype=arr.dtype)
                grown[: arr.shape[0]] = arr
                self._attrs[name] = grown
        return row

    def remove(self, item_id: int) -> None:
        """Drop an item (closed, cancelled, disabled, deleted)."""
        row = self.index.row_of(item_id)
        if row is not None:
            self._attrs[self.FLAG][row] = False
            self._skills.set_row(row, {})
        self.index.remove(item_id)
        self.docs.pop(item_id, None)

    def _view(self) -> dict[str, np.ndarray]:
        n = self.index.size
        return {name: arr[:n] for name, arr in self._attrs.items()}

    def _pool(
        self,
        mask: np.ndarray,
        exclude: Iterable[int],
        sims: np.ndarray,
        wanted: dict[str, float],
        totals: np.ndarray | float,
        w: Weights,
    ) -> np.ndarray:
        """Rows worth an exact, explained score: the best by cosine plus exact skill overlap."""
        mask = mask & self.index.alive
        for item_id in exclude:
            row = self.index.row_of(item_id)
            if row is not None:
                mask[row] = False
        pool = min(w.pool, int(mask.sum()))
        if pool == 0:
            return np.zeros(0, dtype=np.int64)
        overlap = self._skills.matrix(self.index.size) @ self._skills.query(wanted)
        approx = np.where(mask, w.semantic * sims + w.skills * overlap / totals, -np.inf)
        return np.argpartition(-approx, pool - 1)[:pool]


class TaskCatalog(_Catalog):
    """Open tasks with vectors and filter attributes, for ranking tasks for a graduate."""

    ATTRS = (
        ("open", bool),
        ("deadline", np.int32),
        ("hours", np.int32),
        ("remote", bool),
        ("region", np.int8),
        ("total", np.float32),
    )
    FLAG = "open"

    def upsert(self, doc: TaskDoc, vector: np.ndarray) -> None:
        """Add or replace a task."""
        row = self._row_for(doc.id, vector)
        a = self._attrs
        a["open"][row] = doc.is_open and doc.places_left > 0
        a["deadline"][row] = doc.deadline.toordinal()
        a["hours"][row] = doc.hours
        a["remote"][row] = doc.remote
        a["region"][row] = region(doc.postcode)
        weights = {s.key: 1.0 for s in doc.required}
        for s in doc.nice:
            weights.setdefault(s.key, self.weights.nice_weight)
        a["total"][row] = sum(weights.values()) or 1.0
        self._skills.set_row(row, weights)
        self.docs[doc.id] = doc

    def rank_for(
        self,
        profile: ProfileDoc,
        vector: np.ndarray,
        today: date,
        exclude: Iterable[int] = (),
        k: int = 20,
        weights: Weights | None = None,
    ) -> list[Match]:
        """The best ``k`` tasks for ``profile`` with explanations."""
        w = weights or self.weights
        if self.index.size == 0:
            return []
        a = self._view()
        mask = a["open"] & (a["deadline"] >= today.toordinal())
        if profile.hours_per_week:
            days_left = np.maximum(a["deadline"] - today.toordinal(), 7)
            mask &= a["hours"] * 7 <= profile.hours_per_week * days_left
        own_region = region(profile.postcode)
        nearby = (a["region"] == own_region) | np.bool_(own_region < 0)
        mask &= (a["remote"] & np.bool_(profile.remote_ok)) | nearby
        sims = self.index.similarities(vector)
        have = {s.key: 1.0 if s.endorsed else w.declared_factor for s in profile.skills}
        labels = _profile_labels(profile)
        matches = []
        for row in self._pool(mask, exclude, sims, have, a["total"], w):
            doc = self.docs[self.index.id_at(int(row))]
            explanation = explain(doc, profile, sims[row], w, labels)
            matches.append(Match(doc.id, _final_score(explanation, w, False), explanation))
        matches.sort(key=lambda m: (-m.score, m.id))
        return matches[:k]


class ProfileCatalog(_Catalog):
    """Graduates with vectors and filter attributes, for ranking candidates for a task."""

    ATTRS = (("active", bool), ("hours", np.int32), ("remote_ok", bool), ("region", np.int8))
    FLAG = "active"

    def __init__(self, dim: int, precision: str = "float16", weights: Weights | None = None):
        super().__init__(dim, precision, weights)
        self._labels: dict[int, Labels] = {}

    def upsert(self, doc: ProfileDoc, vector: np.ndarray) -> None:
        """Add or replace a graduate."""
        row = self._row_for(doc.id, vector)
        a = self._attrs
        a["active"][row] = doc.active
        a["hours"][row] = doc.hours_per_week or 0
        a["remote_ok"][row] = doc.remote_ok
        a["region"][row] = region(doc.postcode)
        factor = self.weights.declared_factor
        self._skills.set_row(row, {s.key: 1.0 if s.endorsed else factor for s in doc.skills})
        self.docs[doc.id] = doc
        self._labels[doc.id] = _profile_labels(doc)

    def remove(self, item_id: int) -> None:
        """Drop a graduate (disabled, deleted, consent withdrawn)."""
        super().remove(item_id)
        self._labels.pop(item_id, None)

    def rank_for(
        self,
        task: TaskDoc,
        vector: np.ndarray,
        today: date,
        exclude: Iterable[int] = (),
        k: int = 20,
        weights: Weights | None = None,
    ) -> list[Match]:
        """The best ``k`` graduates for ``task`` with explanations."""
        w = weights or self.weights
        if self.index.size == 0:
            return []
        a = self._view()
        days_left = max((task.deadline - today).days, 7)
        mask = a["active"] & ((a["hours"] == 0) | (task.hours * 7 <= a["hours"] * days_left))
        task_region = region(task.postcode)
        on_site_ok = (a["region"] == task_region) | (a["region"] < 0) | np.bool_(task_region < 0)
        mask &= (a["remote_ok"] & np.bool_(task.remote)) | on_site_ok
        sims = self.index.similarities(vector)
        wanted = {s.key: 1.0 for s in task.required}
        for s in task.nice:
            wanted.setdefault(s.key, w.nice_weight)
        total = sum(wanted.values()) or 1.0
        matches = []
        for row in self._pool(mask, exclude, sims, wanted, total, w):
            doc = self.docs[self.index.id_at(int(row))]
            explanation = explain(task, doc, sims[row], w, self._labels[doc.id])
            matches.append(Match(doc.id, _final_score(explanation, w, True), explanation))
        matches.sort(key=lambda m: (-m.score, m.id))
        return matches[:k]


@dataclass
class Catalogs:
    """Both sides, as one process keeps them in memory."""

    dim: int
    tasks: TaskCatalog = field(init=False)
    profiles: ProfileCatalog = field(init=False)

    def __post_init__(self) -> None:
        self.tasks = TaskCatalog(self.dim)
        self.profiles = ProfileCatalog(self.dim)
