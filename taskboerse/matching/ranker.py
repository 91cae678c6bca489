"""Two-way ranking with explanations: tasks for a graduate, graduates for a task.

Both directions share one rule for who fits what and one score, each written once as a
function of a (task, profile) pair:

- ``fit_conditions`` — open with a place left and the graduate active, deadline not passed,
  hours that fit, and place: remote work for a graduate who works remotely, or an on-site
  task within the graduate's travel radius (great-circle km between postcodes). It works on
  scalars and on numpy columns alike, so a catalogue evaluates it for every row at once and
  ``fits`` evaluates it for one pair; neither direction has its own copy.
- ``explain`` and ``score`` — skills matched exactly (vocabulary id), fuzzily (free text),
  or by meaning (a related skill, from the embedding similarity of skill labels), required
  skills weighing twice nice-to-have ones, endorsed skills fully and self-declared ones at
  ``declared_factor``; plus the similarity of the two texts, rescaled from the model's
  cosine range to 0–1 (``Weights.sim_low`` … ``sim_high``), and a small boost for graduates
  without completed tasks so newcomers get seen.

A list holds only matches at or above ``Weights.floor``; no padding. When it comes out short,
``Ranking.held_back`` counts the relevant items that one rule alone kept out (too far away,
too many hours), so the page can say what the user can change.

Candidate generation is vectorised over the whole catalogue (cosine plus skill overlap from
a sparse matrix, related skills included); the exact, explained score is computed for the
best few dozen. No protected attribute (age, gender, nationality …) is an input: the
documents below simply have no such field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from taskboerse.matching.geo import chord_for_km, km_for_chord, postcodes, unit_xyz
from taskboerse.matching.index import VectorIndex
from taskboerse.matching.skills import normalise

DEFAULT_MAX_KM = 25


@dataclass(frozen=True)
class SkillRef:
    """A skill on a task or profile: a vocabulary id when known, else the typed label."""

    label: str
    vocab_id: int | None = None
    endorsed: bool = False

    @cached_property
    def norm(self) -> str:
        """The label normalised for fuzzy matching."""
        return normalise(self.label)

    @cached_property
    def key(self) -> str:
        """Identity for exact matching: the vocabulary id, or the normalised label."""
        return f"v{self.vocab_id}" if self.vocab_id is not None else f"t:{self.norm}"


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
    max_km: float = DEFAULT_MAX_KM
    completed_tasks: int = 0
    active: bool = True


@dataclass(frozen=True)
class Weights:
    """Score weights and thresholds; arguments, not constants, so they can be tuned and
    tested. ``sim_low``/``sim_high`` depend on the embedding model (``for_model``)."""

    semantic: float = 0.6
    skills: float = 0.4
    declared_factor: float = 0.8
    nice_weight: float = 0.5
    fuzzy_threshold: float = 0.85
    related_credit: float = 0.5
    newcomer_boost: float = 0.03
    sim_low: float = 0.0
    sim_high: float = 1.0
    floor: float = 0.35
    pool: int = 60


@dataclass(frozen=True)
class Calibration:
    """What a model's cosines mean: the range from unrelated to clearly matching task and
    profile texts, and the similarity of two skill labels from which they count as related."""

    sim_low: float
    sim_high: float
    related: float
    search: float  # least cosine of a search query to a task for a semantic hit


# Measured per model on the Danish evaluation set (tests/data/matching_eval_da.json) and the
# labelled skill pairs (tests/data/skill_relations.tsv); the benchmark prints the figures.
MODEL_CALIBRATION: dict[str, Calibration] = {
    "multilingual-e5-small-q4/query": Calibration(0.84, 0.90, 0.0, 0.85),
    "multilingual-e5-small/query": Calibration(0.84, 0.90, 0.0, 0.85),
    "all-MiniLM-L6-v2": Calibration(0.15, 0.65, 0.0, 0.45),
}
UNCALIBRATED = Calibration(0.0, 1.0, 0.05, 0.5)


def calibration_for_model(model: str) -> Calibration:
    """The calibration of ``model`` (a neutral one for a model not measured)."""
    return MODEL_CALIBRATION.get(model, UNCALIBRATED)


def weights_for_model(model: str, **overrides) -> Weights:
    """Default weights with the similarity range of ``model``."""
    c = calibration_for_model(model)
    return Weights(**{"sim_low": c.sim_low, "sim_high": c.sim_high, **overrides})


class SkillSpace:
    """Which skills are related by meaning: for each skill key, the other keys at least
    ``threshold`` related, best first.

    Relatedness is the cosine of the skills' label embeddings corrected for hubness (CSLS:
    2·cos(a, b) − r(a) − r(b), r the mean cosine of a skill to its ``k`` nearest skills), so
    a short label that is close to everything ("Svejsning") is not related to everything;
    plus ``group_bonus`` when both skills share a vocabulary category. Measured on
    tests/data/skill_relations.tsv (the benchmark prints precision and recall).
    """

    def __init__(
        self,
        keys: list[str],
        vectors: np.ndarray,
        threshold: float,
        groups: list[str] | None = None,
        group_bonus: float = 0.03,
        k: int = 10,
    ) -> None:
        self.threshold = threshold
        self._neighbours: dict[str, tuple[tuple[str, float], ...]] = {}
        if len(keys) < 2:
            return
        sims = relatedness(vectors, groups, group_bonus, k)
        for i, key in enumerate(keys):
            near = np.flatnonzero(sims[i] >= threshold)
            near = near[np.argsort(-sims[i][near], kind="stable")]
            if near.size:
                self._neighbours[key] = tuple((keys[j], round(float(sims[i, j]), 3)) for j in near)

    def neighbours(self, key: str) -> tuple[tuple[str, float], ...]:
        """Related keys with their similarity, best first."""
        return self._neighbours.get(key, ())

    def __len__(self) -> int:
        return len(self._neighbours)


EMPTY_SPACE = SkillSpace([], np.zeros((0, 1), dtype=np.float32), 1.0)


def relatedness(
    vectors: np.ndarray, groups: list[str] | None = None, group_bonus: float = 0.03, k: int = 10
) -> np.ndarray:
    """Pairwise relatedness of unit vectors (CSLS, plus a bonus within a group); the
    diagonal is -inf."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    k = max(1, min(k, len(vectors) - 1))
    local = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    out = 2 * sims - local[:, None] - local[None, :]
    if groups is not None:
        labels = np.array(groups, dtype=object)
        out = out + group_bonus * (labels[:, None] == labels[None, :])
    return out


@dataclass(frozen=True)
class MatchedSkill:
    """A task skill the graduate has (exactly, fuzzily or a related one) and how surely."""

    task_label: str
    profile_label: str
    certainty: float
    endorsed: bool
    required: bool
    related: bool = False


@dataclass(frozen=True)
class Explanation:
    """Why a task and a graduate were matched."""

    matched: tuple[MatchedSkill, ...]
    missing_required: tuple[str, ...]
    required_total: int
    similarity: float
    coverage: float
    text_fit: float = 0.0
    newcomer: bool = False
    distance_km: float | None = None
    remote: bool = False

    @property
    def required_matched(self) -> int:
        """How many required skills the graduate has (exactly or fuzzily)."""
        return sum(1 for m in self.matched if m.required and not m.related)

    @property
    def required_related(self) -> tuple[MatchedSkill, ...]:
        """Required skills covered only by a related skill."""
        return tuple(m for m in self.matched if m.required and m.related)


@dataclass(frozen=True)
class Match:
    """One recommendation: the other side's id, its score and the explanation."""

    id: int
    score: float
    explanation: Explanation


@dataclass
class Ranking:
    """A ranked list and, when it is short, what kept relevant items out.

    ``held_back`` maps a rule to how many items at or above the floor that rule alone
    excluded: "place" (too far away), "remote" (remote work for someone who works on site
    only) or "hours". It behaves as the list of matches otherwise.
    """

    matches: list[Match]
    held_back: dict[str, int] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    def __getitem__(self, i):
        return self.matches[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return self.matches == other
        return isinstance(other, Ranking) and self.matches == other.matches


# --- who fits what: one rule for both directions ---------------------------------------------

F32 = np.float32


def task_columns(doc: TaskDoc) -> dict[str, object]:
    """The fit attributes of a task, as stored in a catalogue row."""
    x, y, z = _xyz(doc.postcode)
    return {
        "open": doc.is_open and doc.places_left > 0,
        "deadline": np.int32(doc.deadline.toordinal()),
        "hours": np.int32(doc.hours),
        "remote": bool(doc.remote),
        "x": x,
        "y": y,
        "z": z,
    }


def profile_columns(doc: ProfileDoc) -> dict[str, object]:
    """The fit attributes of a graduate, as stored in a catalogue row."""
    x, y, z = _xyz(doc.postcode)
    return {
        "active": bool(doc.active),
        "hours": np.int32(doc.hours_per_week or 0),
        "remote_ok": bool(doc.remote_ok),
        "reach": F32(chord_for_km(max(0.0, float(doc.max_km)))),
        "x": x,
        "y": y,
        "z": z,
    }


def _xyz(postcode: str | None) -> tuple[np.float32, np.float32, np.float32]:
    place = postcodes().get(postcode)
    if place is None:
        return F32(np.nan), F32(np.nan), F32(np.nan)
    return tuple(F32(c) for c in unit_xyz(place.lat, place.lon))  # type: ignore[return-value]


def _chord(t: Mapping, p: Mapping):
    return np.sqrt(
        (t["x"] - p["x"]) * (t["x"] - p["x"])
        + (t["y"] - p["y"]) * (t["y"] - p["y"])
        + (t["z"] - p["z"]) * (t["z"] - p["z"])
    )


def fit_conditions(
    t: Mapping, p: Mapping, today: int, chord: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Each rule a task and a graduate must meet, for scalars or numpy columns (broadcast).

    ``t`` holds task columns (``task_columns``), ``p`` profile columns (``profile_columns``),
    either side may be whole catalogue columns; ``today`` is a date ordinal; ``chord`` is
    ``_chord(t, p)`` when the caller has it already.
    """
    days_left = np.maximum(t["deadline"] - today, 7)
    with np.errstate(invalid="ignore"):  # an unknown postcode is NaN: never near
        near = (_chord(t, p) if chord is None else chord) <= p["reach"]
    return {
        "open": np.logical_and(t["open"], p["active"]),
        "deadline": t["deadline"] >= today,
        "hours": (p["hours"] == 0) | (t["hours"] * 7 <= p["hours"] * days_left),
        "place": np.logical_and(t["remote"], p["remote_ok"]) | near,
    }


def _all(conditions: Mapping[str, np.ndarray]) -> np.ndarray:
    out = None
    for value in conditions.values():
        out = value if out is None else out & value
    return out


def fits(task: TaskDoc, profile: ProfileDoc, today: date) -> bool:
    """Whether the graduate can take the task (the same rule the catalogues apply)."""
    return bool(
        _all(fit_conditions(task_columns(task), profile_columns(profile), today.toordinal()))
    )


def distance_km(task: TaskDoc, profile: ProfileDoc) -> float | None:
    """Great-circle km between the task's and the graduate's postcodes, None if unknown."""
    chord = _chord(task_columns(task), profile_columns(profile))
    return None if np.isnan(chord) else round(float(km_for_chord(chord)), 1)


# --- the score: one function of a pair ---------------------------------------------------------


class ProfileLabels(NamedTuple):
    """A profile's skills prepared for matching: by key for exact hits, and normalised labels
    (with the refs at the same positions) for fuzzy look-ups, all of them and only the
    free-text ones (two vocabulary skills with different ids are different skills)."""

    by_key: dict[str, SkillRef]
    all_norms: list[str]
    all_refs: list[SkillRef]
    free_norms: list[str]
    free_refs: list[SkillRef]


def _profile_labels(profile: ProfileDoc) -> ProfileLabels:
    """The profile's ``ProfileLabels``, computed once per profile and reused per task."""
    refs = list(profile.skills)
    free = [s for s in refs if s.vocab_id is None]
    return ProfileLabels(
        by_key={s.key: s for s in refs},
        all_norms=[s.norm for s in refs],
        all_refs=refs,
        free_norms=[s.norm for s in free],
        free_refs=free,
    )


def text_fit(similarity, weights: Weights):
    """The cosine rescaled to 0–1 over the model's range from unrelated to clearly matching
    (a float for a float, an array for an array)."""
    span = max(weights.sim_high - weights.sim_low, 1e-6)
    if isinstance(similarity, np.ndarray):
        return np.clip((similarity - weights.sim_low) / span, 0.0, 1.0)
    return min(1.0, max(0.0, (float(similarity) - weights.sim_low) / span))


def explain(
    task: TaskDoc,
    profile: ProfileDoc,
    similarity: float,
    weights: Weights,
    _labels: ProfileLabels | None = None,
    space: SkillSpace = EMPTY_SPACE,
    distance: float | None = None,
) -> Explanation:
    """Match the task's skills against the profile's: exactly by vocabulary id, fuzzily for
    free text, or by a related skill; and say how similar the texts are."""
    labels_of = _labels or _profile_labels(profile)
    have = labels_of.by_key
    matched: list[MatchedSkill] = []
    missing: list[str] = []
    got = total = 0.0
    cutoff = weights.fuzzy_threshold * 100
    for required, skills in ((True, task.required), (False, task.nice)):
        weight = 1.0 if required else weights.nice_weight
        for skill in skills:
            total += weight
            hit, certainty, related = have.get(skill.key), 1.0, False
            # A vocabulary skill is only fuzzily matched against typed (free-text) skills.
            if skill.vocab_id:
                labels, refs = labels_of.free_norms, labels_of.free_refs
            else:
                labels, refs = labels_of.all_norms, labels_of.all_refs
            if hit is None and labels:
                best = process.extractOne(
                    skill.norm, labels, scorer=fuzz.ratio, score_cutoff=cutoff
                )
                if best is not None:
                    hit, certainty = refs[best[2]], round(best[1] / 100.0, 2)
            if hit is None:
                for key, sim in space.neighbours(skill.key):
                    if key in have:
                        hit, certainty, related = have[key], sim, True
                        break
            if hit is None:
                if required:
                    missing.append(skill.label)
                continue
            factor = 1.0 if hit.endorsed else weights.declared_factor
            credit = weights.related_credit if related else certainty
            got += weight * credit * factor
            matched.append(
                MatchedSkill(skill.label, hit.label, certainty, hit.endorsed, required, related)
            )
    fit = text_fit(similarity, weights)
    # A task that names no skills is judged on its text alone.
    coverage = got / total if total else fit
    if distance is None:
        distance = distance_km(task, profile)
    return Explanation(
        matched=tuple(matched),
        missing_required=tuple(missing),
        required_total=len(task.required),
        similarity=round(float(similarity), 4),
        coverage=round(coverage, 4),
        text_fit=round(fit, 4),
        newcomer=profile.completed_tasks == 0,
        distance_km=None if distance is None else round(float(distance), 1),
        remote=bool(task.remote and profile.remote_ok),
    )


def relevance(explanation: Explanation, weights: Weights) -> float:
    """How well a task and a graduate fit, 0–1: what the relevance floor is compared with."""
    return weights.semantic * explanation.text_fit + weights.skills * explanation.coverage


def score(explanation: Explanation, weights: Weights) -> float:
    """The one score of a (task, graduate) pair, the same in both directions: relevance plus
    the newcomer boost (which orders, but never lifts a pair over the floor)."""
    value = relevance(explanation, weights)
    if explanation.newcomer:
        value += weights.newcomer_boost
    return round(value, 4)


# --- catalogues -------------------------------------------------------------------------------


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
                vec[col] = max(vec[col], value)
        return vec


class _Catalog:
    """Shared machinery: an index, fit columns per row, a sparse skill matrix, and one
    ranking routine for both directions."""

    COLUMNS: tuple[tuple[str, type], ...] = ()
    LIVE_COLUMN = ""  # the column that marks a row usable

    def __init__(self, dim: int, precision: str = "float16", weights: Weights | None = None):
        self.index = VectorIndex(dim, precision=precision)
        self.weights = weights or Weights()
        self.space: SkillSpace = EMPTY_SPACE
        self.docs: dict = {}
        self._skills = _SkillMatrix()
        self._cols = {name: np.zeros(0, dtype=dt) for name, dt in self.COLUMNS}

    def __len__(self) -> int:
        return len(self.docs)

    def _store(self, item_id: int, vector: np.ndarray, columns: Mapping) -> int:
        row = self.index.upsert(item_id, vector)
        for name, arr in self._cols.items():
            if arr.shape[0] <= row:
                grown = np.zeros(max(row + 1, arr.shape[0] * 2, 1024), dtype=arr.dtype)
                grown[: arr.shape[0]] = arr
                self._cols[name] = arr = grown
            arr[row] = columns[name]
        return row

    def remove(self, item_id: int) -> None:
        """Drop an item (closed, cancelled, disabled, deleted)."""
        row = self.index.row_of(item_id)
        if row is not None:
            self._cols[self.LIVE_COLUMN][row] = False
            self._skills.set_row(row, {})
        self.index.remove(item_id)
        self.docs.pop(item_id, None)

    def columns(self) -> dict[str, np.ndarray]:
        """The fit columns of every row in use."""
        n = self.index.size
        return {name: arr[:n] for name, arr in self._cols.items()}

    def open_mask(self) -> np.ndarray:
        """Rows that hold a live, usable item."""
        return self.columns()[self.LIVE_COLUMN] & self.index.alive

    def _expand(self, weights: dict[str, float], w: Weights) -> dict[str, float]:
        """Skill weights plus related skills at their partial credit, for candidate recall."""
        out = dict(weights)
        for key, value in weights.items():
            for other, _ in self.space.neighbours(key):
                out.setdefault(other, value * w.related_credit)
        return out

    def _rank(
        self,
        conditions: dict[str, np.ndarray],
        exclude: Iterable[int],
        sims: np.ndarray,
        wanted: dict[str, float],
        totals: np.ndarray | float,
        scorer,
        chords: np.ndarray,
        remote_task: np.ndarray | bool,
        k: int,
        w: Weights,
    ) -> Ranking:
        alive = self.index.alive.copy()
        for item_id in exclude:
            row = self.index.row_of(item_id)
            if row is not None:
                alive[row] = False
        mask = _all(conditions) & alive
        overlap = self._skills.matrix(self.index.size) @ self._skills.query(wanted)
        approx = w.semantic * text_fit(sims, w) + w.skills * np.minimum(overlap / totals, 1.0)
        pool = min(w.pool, int(mask.sum()))
        matches: list[Match] = []
        if pool:
            ranked = np.where(mask, approx, -np.inf)
            rows = np.argpartition(-ranked, pool - 1)[:pool]
            distances = km_for_chord(chords[rows] if chords.ndim else np.full(pool, chords))
            for row, km in zip(rows.tolist(), distances.tolist(), strict=True):
                match = scorer(row, None if km != km else km)  # NaN: unknown place
                if relevance(match.explanation, w) >= w.floor:
                    matches.append(match)
            matches.sort(key=lambda m: (-m.score, m.id))
        ranking = Ranking(matches[:k])
        if len(ranking) < k:
            # Which single rule kept relevant items out, estimated from the vectorised score:
            # worth saying on a short list.
            # "remote": remote work for someone who stays on site; "place": too far away.
            relevant = alive & (approx >= w.floor)
            for rule in ("place", "hours"):
                others = _all({n: c for n, c in conditions.items() if n != rule})
                held = others & ~conditions[rule] & relevant
                if rule == "place":
                    remote = held & remote_task
                    ranking.held_back["remote"] = int(remote.sum())
                    held = held & ~remote_task
                ranking.held_back[rule] = int(held.sum())
            ranking.held_back = {rule: n for rule, n in ranking.held_back.items() if n}
        return ranking


class TaskCatalog(_Catalog):
    """Open tasks with vectors and fit columns, for ranking tasks for a graduate."""

    COLUMNS = (
        ("open", bool),
        ("deadline", np.int32),
        ("hours", np.int32),
        ("remote", bool),
        ("x", np.float32),
        ("y", np.float32),
        ("z", np.float32),
        ("total", np.float32),
    )
    LIVE_COLUMN = "open"

    def upsert(self, doc: TaskDoc, vector: np.ndarray) -> None:
        """Add or replace a task."""
        weights = _task_weights(doc, self.weights)
        row = self._store(
            doc.id, vector, {**task_columns(doc), "total": sum(weights.values()) or 1}
        )
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
    ) -> Ranking:
        """The best ``k`` tasks for ``profile`` at or above the floor, with explanations."""
        w = weights or self.weights
        if self.index.size == 0:
            return Ranking([])
        cols = self.columns()
        p = profile_columns(profile)
        chords = _chord(cols, p)
        conditions = fit_conditions(cols, p, today.toordinal(), chords)
        sims = self.index.similarities(vector)
        have = {s.key: 1.0 if s.endorsed else w.declared_factor for s in profile.skills}
        labels = _profile_labels(profile)

        def scorer(row: int, km: float | None) -> Match:
            doc = self.docs[self.index.id_at(row)]
            return _match(doc, profile, sims[row], w, labels, self.space, km, doc.id)

        wanted = self._expand(have, w)
        return self._rank(
            conditions, exclude, sims, wanted, cols["total"], scorer, chords, cols["remote"], k, w
        )

    def score_ids(
        self, profile: ProfileDoc, vector: np.ndarray, ids: Iterable[int]
    ) -> dict[int, Match]:
        """The graduate's match with each of ``ids`` that is indexed (no floor, no filter)."""
        w = self.weights
        labels = _profile_labels(profile)
        out = {}
        for item_id in ids:
            row = self.index.row_of(item_id)
            if row is None or item_id not in self.docs:
                continue
            sim = self.index.similarity_at(row, vector)
            doc = self.docs[item_id]
            out[item_id] = _match(doc, profile, sim, w, labels, self.space, None, item_id)
        return out


class ProfileCatalog(_Catalog):
    """Graduates with vectors and fit columns, for ranking candidates for a task."""

    COLUMNS = (
        ("active", bool),
        ("hours", np.int32),
        ("remote_ok", bool),
        ("reach", np.float32),
        ("x", np.float32),
        ("y", np.float32),
        ("z", np.float32),
    )
    LIVE_COLUMN = "active"

    def __init__(self, dim: int, precision: str = "float16", weights: Weights | None = None):
        super().__init__(dim, precision, weights)
        self._labels: dict[int, ProfileLabels] = {}

    def upsert(self, doc: ProfileDoc, vector: np.ndarray) -> None:
        """Add or replace a graduate."""
        row = self._store(doc.id, vector, profile_columns(doc))
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
    ) -> Ranking:
        """The best ``k`` graduates for ``task`` at or above the floor, with explanations."""
        w = weights or self.weights
        if self.index.size == 0:
            return Ranking([])
        cols = self.columns()
        t = task_columns(task)
        chords = _chord(t, cols)
        conditions = fit_conditions(t, cols, today.toordinal(), chords)
        sims = self.index.similarities(vector)
        wanted = _task_weights(task, w)
        total = sum(wanted.values()) or 1.0

        def scorer(row: int, km: float | None) -> Match:
            doc = self.docs[self.index.id_at(row)]
            return _match(task, doc, sims[row], w, self._labels[doc.id], self.space, km, doc.id)

        wanted = self._expand(wanted, w)
        remote = np.bool_(t["remote"])
        return self._rank(conditions, exclude, sims, wanted, total, scorer, chords, remote, k, w)


def _task_weights(doc: TaskDoc, w: Weights) -> dict[str, float]:
    weights = {s.key: 1.0 for s in doc.required}
    for s in doc.nice:
        weights.setdefault(s.key, w.nice_weight)
    return weights


def _match(
    task: TaskDoc,
    profile: ProfileDoc,
    similarity: float,
    w: Weights,
    labels: ProfileLabels,
    space: SkillSpace,
    distance: float | None,
    item_id: int,
) -> Match:
    """Explain and score one pair for the list of ``item_id``'s side."""
    explanation = explain(task, profile, similarity, w, labels, space, distance)
    return Match(item_id, score(explanation, w), explanation)


@dataclass
class Catalogs:
    """Both sides, as one process keeps them in memory."""

    dim: int
    weights: Weights = field(default_factory=Weights)
    tasks: TaskCatalog = field(init=False)
    profiles: ProfileCatalog = field(init=False)

    def __post_init__(self) -> None:
        self.tasks = TaskCatalog(self.dim, weights=self.weights)
        self.profiles = ProfileCatalog(self.dim, weights=self.weights)

    def set_skill_space(self, space: SkillSpace) -> None:
        """Related skills for both directions."""
        self.tasks.space = self.profiles.space = space
