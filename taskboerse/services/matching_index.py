"""The matching index: one process's in-memory view of the open tasks and the graduates'
profiles, built once from config by the application factory and handed to the services
that rank (``recommendations``, ``search``, ``skills``).

It follows the database: at most every ``sync_seconds`` it loads the tasks and profiles
changed since its watermark, once, and updates its catalogs. A task published through one
process shows up in another within seconds, without a restart.

Reading never commits the caller's transaction. Vectors that are missing or stale (text or
model changed) are computed within a budget and written by ``store_vectors`` in their own
short transaction on the engine: a cache fill that neither commits what the request has
pending nor expires what it has loaded. ``refresh_vectors`` is the same step over everything,
for ``flask reindex``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload

from taskboerse.extensions import db
from taskboerse.matching import texts
from taskboerse.matching.embedder import Embedder, get_embedder, text_hash
from taskboerse.matching.ranker import (
    Catalogs,
    ProfileDoc,
    SkillRef,
    SkillSpace,
    TaskDoc,
    calibration_for_model,
    weights_for_model,
)
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Company,
    Embedding,
    EndorsedSkill,
    JobseekerProfile,
    ProfileSkill,
    Reference,
    Skill,
    Task,
    TaskSkill,
    TaskStatus,
)
from taskboerse.models.types import utcnow
from taskboerse.services import mentor_docs
from taskboerse.services.skills import match_vocabulary, vocabulary_version
from taskboerse.services.tasks import count_taken_many, places_left

log = logging.getLogger(__name__)

# One language never stands in for another, however close their labels' vectors are.
NOT_RELATED_CATEGORY = "language"
# Re-read this far behind the watermark: a transaction may commit after a later one did.
WATERMARK_OVERLAP = timedelta(seconds=10)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STORE_BATCH = 256

# (owner id, text hash, vector) of a freshly encoded text
Fresh = tuple[int, str, np.ndarray]


# --- texts ---------------------------------------------------------------------------------


def task_text(task: Task) -> str:
    """The text a task's vector is made from."""
    skills = (s.skill.label_da if s.skill else s.label for s in task.skills)
    return texts.task_text(task.title, task.description, skills, task.learning)


def profile_text(profile: JobseekerProfile) -> str:
    """The text a profile's vector is made from (no name, age or other personal facts)."""
    skills = (s.skill.label_da if s.skill else s.label for s in profile.skills)
    return texts.profile_text(profile.field, profile.institution, skills, profile.about)


def skill_text(skill: Skill) -> str:
    """The text a vocabulary skill's vector is made from, for finding related skills."""
    return texts.skill_text(skill.label_da, skill.label_en, skill.synonyms or ())


# --- loading what changed --------------------------------------------------------------------


def _stored(kind: str, owner_ids: list[int]) -> dict[int, Embedding]:
    if not owner_ids:
        return {}
    # populate_existing: another transaction (``store_vectors``) may have rewritten rows this
    # session loaded earlier.
    rows = db.session.execute(
        select(Embedding)
        .where(Embedding.kind == kind, Embedding.owner_id.in_(owner_ids))
        .execution_options(populate_existing=True)
    ).scalars()
    return {row.owner_id: row for row in rows}


def _load_tasks(since: datetime | None = None) -> list[Task]:
    stmt = select(Task).options(selectinload(Task.skills).selectinload(TaskSkill.skill))
    if since is not None:
        changed = select(Embedding.owner_id).where(
            Embedding.kind == Embedding.KIND_TASK, Embedding.updated_at > since
        )
        stmt = stmt.where(or_(Task.updated_at > since, Task.id.in_(changed)))
    return list(db.session.execute(stmt).scalars())


def _load_profiles(since: datetime | None = None) -> list[JobseekerProfile]:
    stmt = select(JobseekerProfile).options(
        selectinload(JobseekerProfile.skills).selectinload(ProfileSkill.skill),
        selectinload(JobseekerProfile.user),
    )
    if since is not None:
        changed = select(Embedding.owner_id).where(
            Embedding.kind == Embedding.KIND_PROFILE, Embedding.updated_at > since
        )
        completed = (
            select(JobseekerProfile.id)
            .join(Application, Application.jobseeker_id == JobseekerProfile.user_id)
            .where(Application.completed_at > since)
        )
        stmt = stmt.where(
            or_(
                JobseekerProfile.updated_at > since,
                JobseekerProfile.id.in_(changed),
                JobseekerProfile.id.in_(completed),
            )
        )
    return list(db.session.execute(stmt).scalars())


def _is_indexed_task(task: Task) -> bool:
    return task.status == TaskStatus.OPEN


def _is_indexed_profile(profile: JobseekerProfile) -> bool:
    # An erased (anonymised) graduate's blank profile never gets a vector again.
    return profile.user.anonymised_at is None


# --- documents for the ranker ----------------------------------------------------------------


def task_doc(task: Task, taken: int) -> TaskDoc:
    """What the ranker knows of a task; ``taken`` is how many places are held."""

    def refs(skills):
        return tuple(SkillRef(s.label, s.skill_id) for s in skills)

    return TaskDoc(
        id=task.id,
        required=refs(task.required_skills),
        nice=refs(task.nice_skills),
        hours=task.hours,
        deadline=task.deadline,
        remote=task.remote,
        postcode=task.postcode,
        is_open=task.status == TaskStatus.OPEN,
        places_left=places_left(task.capacity, taken),
    )


def _endorsed(user_ids: list[int]) -> dict[int, list[EndorsedSkill]]:
    """Skills confirmed on completed tasks, only from companies the job centre verified: an
    unverified company's reference is its own word and ranks as a self-declared skill."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Application.jobseeker_id, EndorsedSkill)
        .join(Reference, Reference.application_id == Application.id)
        .join(EndorsedSkill, EndorsedSkill.reference_id == Reference.id)
        .join(Task, Task.id == Application.task_id)
        .join(Company, Company.id == Task.company_id)
        .where(Application.jobseeker_id.in_(user_ids), Company.is_verified)
    ).all()
    out: dict[int, list[EndorsedSkill]] = {}
    for user_id, skill in rows:
        out.setdefault(user_id, []).append(skill)
    return out


def _language_refs(languages: list[str]) -> list[SkillRef]:
    """Languages on a profile as language skills of the vocabulary (typed text when unknown)."""
    return [SkillRef(language, match_vocabulary(language, min_score=0.9)) for language in languages]


def profile_docs(profiles: list[JobseekerProfile]) -> dict[int, ProfileDoc]:
    """What the ranker knows of each profile, by profile id: confirmed skills first."""
    user_ids = [p.user_id for p in profiles]
    endorsed = _endorsed(user_ids)
    completed = (
        dict(
            db.session.execute(
                select(Application.jobseeker_id, func.count(Application.id))
                .where(
                    Application.jobseeker_id.in_(user_ids),
                    Application.status == ApplicationStatus.COMPLETED,
                )
                .group_by(Application.jobseeker_id)
            ).all()
        )
        if user_ids
        else {}
    )
    docs = {}
    for p in profiles:
        skills: dict[str, SkillRef] = {}
        for s in endorsed.get(p.user_id, []):
            ref = SkillRef(s.label, s.skill_id, endorsed=True)
            skills[ref.key] = ref
        for s in p.skills:
            ref = SkillRef(s.label, s.skill_id)
            skills.setdefault(ref.key, ref)
        for ref in _language_refs(p.languages or []):
            skills.setdefault(ref.key, ref)
        docs[p.id] = ProfileDoc(
            id=p.id,
            skills=tuple(skills.values()),
            hours_per_week=p.hours_per_week,
            postcode=p.postcode or None,
            remote_ok=p.remote_ok,
            max_km=p.max_distance_km,
            completed_tasks=completed.get(p.user_id, 0),
            active=not p.user.is_disabled,
        )
    return docs


# --- the index -------------------------------------------------------------------------------


class MatchingIndex:
    """Both catalogs and the vocabulary's vectors of one process, kept in step with the
    database. Thread-safe: a lock serialises syncs; reads of the catalogs are lock-free."""

    def __init__(
        self,
        embedder_spec: str = "default",
        sync_seconds: float = 2.0,
        encode_budget: int = 64,
        related_threshold: float | None = None,
    ) -> None:
        self.embedder_spec = embedder_spec
        self.sync_seconds = sync_seconds
        self.encode_budget = encode_budget
        self.related_threshold = related_threshold
        self._catalogs: Catalogs | None = None
        # Mentor needs (as "tasks") and mentors (as "profiles"): the same ranker, own rows.
        self._mentoring: Catalogs | None = None
        # Tasks and profiles changed after this moment are not in the catalogs yet.
        self.mark: datetime = EPOCH
        self._last_sync = 0.0
        self._skill_version: tuple | None = None
        self.skill_ids: list[int] = []
        self.skill_matrix: np.ndarray | None = None
        self._lock = threading.RLock()

    @classmethod
    def from_config(cls, config: Mapping) -> MatchingIndex:
        """An index configured by the app's settings (EMBEDDER, MATCHING_*); nothing loads
        until first use."""
        return cls(
            embedder_spec=config["EMBEDDER"],
            sync_seconds=float(config["MATCHING_SYNC_SECONDS"]),
            encode_budget=int(config["MATCHING_ENCODE_BUDGET"]),
            related_threshold=config.get("MATCHING_RELATED_THRESHOLD"),
        )

    # -- the model ------------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        """The process's embedder (the real model is loaded on first use, then kept)."""
        return get_embedder(self.embedder_spec)

    @property
    def model(self) -> str:
        """The name stored with every vector (model and prefix)."""
        return self.embedder.name

    def warm_up(self) -> None:
        """Load the model now (the app calls this in a background thread)."""
        self.embedder.encode(["warm-up"])

    def encode(self, text: str) -> np.ndarray:
        """The unit vector of one text."""
        return self.embedder.encode([text])[0]

    @property
    def catalogs(self) -> Catalogs:
        """Both sides as ranked; empty until the first ``sync``."""
        if self._catalogs is None:
            with self._lock:
                if self._catalogs is None:
                    enc = self.embedder
                    if not enc.dim:  # the real model reports its size once loaded
                        enc.encode(["warm-up"])
                    self._catalogs = Catalogs(enc.dim, weights_for_model(enc.name))
        return self._catalogs

    @property
    def mentoring(self) -> Catalogs:
        """Mentor needs (``.tasks``) and mentors (``.profiles``), ranked by the same rules as
        tasks and graduates; empty until the first ``sync``."""
        if self._mentoring is None:
            with self._lock:
                if self._mentoring is None:
                    catalogs = self.catalogs
                    self._mentoring = Catalogs(catalogs.dim, catalogs.weights)
                    self._mentoring.set_skill_space(catalogs.tasks.space)
        return self._mentoring

    # -- vectors --------------------------------------------------------------------------------

    def store_vectors(self, kind: str, fresh: list[Fresh]) -> None:
        """Write freshly computed vectors in their own transaction (never the caller's).
        Another process storing the same row first is harmless: its vector is as good; a
        database too busy to take them now leaves them to the next sync."""
        if not fresh:
            return
        model = self.model
        try:
            with Session(db.engine) as session, session.begin():
                ids = [owner_id for owner_id, _, _ in fresh]
                existing = {
                    row.owner_id: row
                    for row in session.scalars(
                        select(Embedding).where(Embedding.kind == kind, Embedding.owner_id.in_(ids))
                    )
                }
                for owner_id, digest, vector in fresh:
                    row = existing.get(owner_id)
                    if row is None:
                        row = Embedding(kind=kind, owner_id=owner_id)
                        session.add(row)
                    row.model = model
                    row.text_hash = digest
                    row.dim = int(vector.shape[0])
                    row.vector = vector.astype("float32").tobytes()
                    row.updated_at = utcnow()
        except IntegrityError:
            log.info("another process stored %s vectors first", kind)
        except OperationalError:  # e.g. SQLite busy: the vectors serve from memory this time
            log.warning("could not store %s vectors; will try again", kind, exc_info=True)

    def _vectors(
        self,
        kind: str,
        objects: list,
        make_text: Callable[[object], str],
        budget: int | None,
        progress: Callable[[int], None] | None = None,
        key: Callable[[object], int] = lambda obj: obj.id,
    ) -> tuple[dict[int, np.ndarray], int, int]:
        """Usable vectors of ``objects`` by ``key`` (the id), encoding (and storing) at most
        ``budget`` missing or stale ones; returns (vectors, how many encoded, how many still
        stale). A stale vector of the current model stands in until it is recomputed."""
        model = self.model
        stored = _stored(kind, [key(o) for o in objects])
        vectors: dict[int, np.ndarray] = {}
        stale: list[tuple[int, str, str]] = []
        for obj in objects:
            owner_id = key(obj)
            text = make_text(obj)
            digest = text_hash(text)
            row = stored.get(owner_id)
            usable = row is not None and row.model == model
            if usable:
                vectors[owner_id] = row.as_array()
            if not usable or row.text_hash != digest:
                stale.append((owner_id, text, digest))
        todo = stale if budget is None else stale[: max(0, budget)]
        for start in range(0, len(todo), STORE_BATCH):
            batch = todo[start : start + STORE_BATCH]
            encoded = self.embedder.encode([text for _, text, _ in batch])
            fresh = [(i, digest, encoded[n]) for n, (i, _, digest) in enumerate(batch)]
            self.store_vectors(kind, fresh)
            vectors.update((i, vector) for i, _, vector in fresh)
            if progress is not None:
                progress(len(batch))
        return vectors, len(todo), len(stale) - len(todo)

    def refresh_vectors(
        self, limit: int | None = None, progress: Callable[[int], None] | None = None
    ) -> dict[str, int]:
        """Compute and store every missing or stale vector of open tasks and profiles (the
        explicit step ``flask reindex`` runs); returns counts per kind and how many were
        checked. ``progress(n)`` is called after each stored batch."""
        counts = {"task": 0, "profile": 0, "need": 0, "mentor": 0, "checked": 0}
        by_id = lambda obj: obj.id  # noqa: E731
        sources = (
            (Embedding.KIND_TASK, _load_tasks, task_text, _is_indexed_task, by_id),
            (Embedding.KIND_PROFILE, _load_profiles, profile_text, _is_indexed_profile, by_id),
            (
                Embedding.KIND_NEED,
                mentor_docs.load_needs,
                mentor_docs.need_text,
                mentor_docs.is_indexed_need,
                by_id,
            ),
            (  # a mentor's vector is stored under the user id
                Embedding.KIND_MENTOR,
                mentor_docs.load_mentors,
                mentor_docs.mentor_text,
                mentor_docs.is_indexed_mentor,
                lambda mentor: mentor.user_id,
            ),
        )
        for kind, load, make_text, wanted, key in sources:
            objects = [o for o in load() if wanted(o)]
            spent = counts["task"] + counts["profile"] + counts["need"] + counts["mentor"]
            budget = None if limit is None else limit - spent
            _, encoded, _ = self._vectors(kind, objects, make_text, budget, progress, key)
            counts[kind] = encoded
            counts["checked"] += len(objects)
        return counts

    def refresh_skill_vectors(self) -> int:
        """Compute and store missing or stale vectors of vocabulary skills; returns how many."""
        skills = list(db.session.execute(select(Skill)).scalars())
        _, encoded, _ = self._vectors(Embedding.KIND_SKILL, skills, skill_text, None)
        return encoded

    def _load_skill_space(self) -> SkillSpace:
        model, dim = self.model, self.catalogs.dim
        rows = list(
            db.session.execute(
                select(Embedding).where(
                    Embedding.kind == Embedding.KIND_SKILL,
                    Embedding.model == model,
                    Embedding.dim == dim,
                )
            ).scalars()
        )
        categories = dict(db.session.execute(select(Skill.id, Skill.category)).all())
        self.skill_ids = [row.owner_id for row in rows]
        self.skill_matrix = (
            np.vstack([row.as_array() for row in rows])
            if rows
            else np.zeros((0, dim), dtype=np.float32)
        )
        keys, vectors, groups = [], [], []
        for row_id, vector in zip(self.skill_ids, self.skill_matrix, strict=True):
            if categories.get(row_id) == NOT_RELATED_CATEGORY:
                continue
            keys.append(f"v{row_id}")
            vectors.append(vector)
            groups.append(categories.get(row_id, ""))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
        threshold = self.related_threshold or calibration_for_model(model).related
        return SkillSpace(keys, matrix, threshold, groups)

    # -- following the database -----------------------------------------------------------------

    def sync(self, force: bool = False) -> MatchingIndex:
        """Bring the catalogs up to date with the database (at most every ``sync_seconds``
        unless ``force``): each changed set is loaded once."""
        if not force and time.monotonic() - self._last_sync < self.sync_seconds:
            return self
        with self._lock:
            catalogs = self.catalogs
            version = vocabulary_version()
            if version != self._skill_version:
                self.refresh_skill_vectors()
                catalogs.set_skill_space(self._load_skill_space())
                self.mentoring.set_skill_space(catalogs.tasks.space)
                self._skill_version = version
            started = utcnow()
            since = self.mark - WATERMARK_OVERLAP
            budget = self.encode_budget

            tasks = _load_tasks(since=since)
            indexed = [t for t in tasks if _is_indexed_task(t)]
            vectors, spent, left = self._vectors(Embedding.KIND_TASK, indexed, task_text, budget)
            taken = count_taken_many([t.id for t in indexed])
            for task in tasks:
                vector = vectors.get(task.id)
                if vector is not None and vector.shape == (catalogs.dim,):
                    catalogs.tasks.upsert(task_doc(task, taken.get(task.id, 0)), vector)
                else:
                    catalogs.tasks.remove(task.id)

            profiles = _load_profiles(since=since)
            indexed = [p for p in profiles if _is_indexed_profile(p)]
            vectors, _, left_p = self._vectors(
                Embedding.KIND_PROFILE, indexed, profile_text, budget - spent
            )
            docs = profile_docs(indexed)
            for profile in profiles:
                vector = vectors.get(profile.id)
                if vector is not None and vector.shape == (catalogs.dim,):
                    catalogs.profiles.upsert(docs[profile.id], vector)
                else:
                    catalogs.profiles.remove(profile.id)

            left_m = self._sync_mentoring(since, budget - spent)

            if not (left or left_p or left_m):  # more to encode: look at the same window again
                self.mark = started
            self._last_sync = time.monotonic()
        return self

    def _sync_mentoring(self, since: datetime, budget: int) -> int:
        """Bring the needs and mentors changed since ``since`` into the mentoring catalogs;
        returns how many vectors are still to encode."""
        mentoring = self.mentoring
        needs = mentor_docs.load_needs(since=since)
        indexed = [n for n in needs if mentor_docs.is_indexed_need(n)]
        topics = mentor_docs.topic_skills() if needs else {}
        vectors, spent, left = self._vectors(
            Embedding.KIND_NEED,
            indexed,
            lambda need: mentor_docs.need_text(need, topics),
            budget,
        )
        for need in needs:
            vector = vectors.get(need.id)
            if vector is not None and vector.shape == (mentoring.dim,):
                mentoring.tasks.upsert(mentor_docs.need_doc(need, topics), vector)
            else:
                mentoring.tasks.remove(need.id)

        mentors = mentor_docs.load_mentors(since=since)
        indexed_m = [m for m in mentors if mentor_docs.is_indexed_mentor(m)]
        # A mentor's vector is stored under the user id, as the API and the pages name them.
        by_user = {m.user_id: m for m in indexed_m}
        vectors, _, left_m = self._vectors(
            Embedding.KIND_MENTOR,
            list(by_user.values()),
            mentor_docs.mentor_text,
            budget - spent,
            key=lambda m: m.user_id,
        )
        docs = mentor_docs.mentor_docs(indexed_m)
        for mentor in mentors:
            vector = vectors.get(mentor.user_id)
            if vector is not None and vector.shape == (mentoring.dim,):
                mentoring.profiles.upsert(docs[mentor.user_id], vector)
            else:
                mentoring.profiles.remove(mentor.user_id)
        return left + left_m

    def vector_of_task(self, task_id: int) -> np.ndarray | None:
        """The task's vector as indexed, or as stored when the task is not open."""
        vector = self.catalogs.tasks.index.vector(task_id)
        if vector is None:
            row = _stored(Embedding.KIND_TASK, [task_id]).get(task_id)
            if row is not None and row.model == self.model:
                vector = row.as_array()
        return vector
