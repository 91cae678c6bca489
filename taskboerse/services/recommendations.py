"""The only adapter between the models and ``taskboerse.matching``.

Each process keeps the open tasks and the graduates' profiles in memory (``Catalogs``) and
follows the database: at most every MATCHING_SYNC_SECONDS it computes vectors that are
missing or stale (text or model changed), stores them, and pulls every task and profile
changed since its watermark. So a task published through one process shows up in another
within seconds, without a restart.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching import texts
from taskboerse.matching.embedder import Embedder, embed_stale, get_embedder, text_hash
from taskboerse.matching.ranker import (
    Catalogs,
    Match,
    ProfileDoc,
    Ranking,
    SkillRef,
    SkillSpace,
    TaskDoc,
    calibration_for_model,
    weights_for_model,
)
from taskboerse.matching.skills import normalise, semantic_picks
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Company,
    Embedding,
    EndorsedSkill,
    Invitation,
    JobseekerProfile,
    ProfileSkill,
    Reference,
    Role,
    Skill,
    Task,
    TaskSkill,
    TaskStatus,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.errors import Forbidden
from taskboerse.services.skills import (
    match_vocabulary,
    vocabulary_label_pairs,
    vocabulary_labels,
    vocabulary_mentions,
    vocabulary_version,
)
from taskboerse.services.tasks import (
    count_taken_many,
    get_task_for_owner,
    places_left,
    today,
)

# One language never stands in for another, however close their labels' vectors are.
NOT_RELATED_CATEGORY = "language"
# Re-read this far behind the watermark: a transaction may commit after a later one did.
WATERMARK_OVERLAP = timedelta(seconds=10)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class MatchingState:
    """One process's in-memory view of the matching data."""

    model: str
    dim: int
    catalogs: Catalogs
    # Tasks and profiles changed after this moment are not in the catalogs yet.
    mark: datetime = EPOCH
    last_sync: float = 0.0
    skill_version: tuple | None = None
    skill_ids: list[int] = field(default_factory=list)
    skill_matrix: np.ndarray | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)


def embedder() -> Embedder:
    """The process's embedder (the real model is loaded on first use, then kept)."""
    return get_embedder(current_app.config["EMBEDDER"])


def _state() -> MatchingState:
    state = current_app.extensions.get("taskboerse_matching")
    enc = embedder()
    if state is None or state.model != enc.name:
        if not enc.dim:  # the real model reports its size once loaded
            enc.encode(["warm-up"])
        state = MatchingState(enc.name, enc.dim, Catalogs(enc.dim, weights_for_model(enc.name)))
        current_app.extensions["taskboerse_matching"] = state
    return state


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


# --- vectors -------------------------------------------------------------------------------


def _stored(kind: str, owner_ids: list[int]) -> dict[int, Embedding]:
    if not owner_ids:
        return {}
    rows = db.session.execute(
        select(Embedding).where(Embedding.kind == kind, Embedding.owner_id.in_(owner_ids))
    ).scalars()
    return {row.owner_id: row for row in rows}


def _store(
    kind: str, items: list[tuple[int, str, object]], existing: dict[int, Embedding], model: str
) -> None:
    for owner_id, digest, vector in items:
        row = existing.get(owner_id)
        if row is None:
            row = Embedding(kind=kind, owner_id=owner_id)
            db.session.add(row)
        row.model = model
        row.text_hash = digest
        row.dim = int(vector.shape[0])
        row.vector = vector.astype("float32").tobytes()
        row.updated_at = utcnow()


def _load_tasks(since: datetime | None = None):
    stmt = select(Task).options(selectinload(Task.skills).selectinload(TaskSkill.skill))
    if since is not None:
        changed = select(Embedding.owner_id).where(
            Embedding.kind == Embedding.KIND_TASK, Embedding.updated_at > since
        )
        stmt = stmt.where(or_(Task.updated_at > since, Task.id.in_(changed)))
    return list(db.session.execute(stmt).scalars())


def _load_profiles(since: datetime | None = None):
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


def refresh_vectors(
    since: datetime | None = None, limit: int | None = None, progress=None
) -> dict[str, int]:
    """Compute and store vectors that are missing or stale; returns counts per kind.

    Only open tasks and profiles need vectors; with ``since``, only objects changed after it
    are looked at. ``progress(n)`` is called after each batch.
    """
    enc = embedder()
    counts = {"task": 0, "profile": 0, "checked": 0}
    sources = (
        (Embedding.KIND_TASK, _load_tasks, task_text, lambda t: t.status == TaskStatus.OPEN),
        # An erased (anonymised) graduate's blank profile never gets a vector again.
        (
            Embedding.KIND_PROFILE,
            _load_profiles,
            profile_text,
            lambda p: p.user.anonymised_at is None,
        ),
    )
    for kind, load, make_text, wanted in sources:
        objects = [o for o in load(since=since) if wanted(o)]
        stored = _stored(kind, [o.id for o in objects])
        documents = []
        for obj in objects:
            row = stored.get(obj.id)
            old = row.text_hash if row is not None and row.model == enc.name else None
            documents.append((obj.id, make_text(obj), old))
        counts["checked"] += len(documents)
        stale = [d for d in documents if text_hash(d[1]) != d[2]]
        if limit is not None:
            stale = stale[: max(0, limit - counts["task"] - counts["profile"])]
        for start in range(0, len(stale), 256):
            batch = stale[start : start + 256]
            _store(kind, embed_stale(enc, batch), stored, enc.name)
            db.session.commit()
            counts[kind] += len(batch)
            if progress is not None:
                progress(len(batch))
    return counts


def refresh_skill_vectors() -> int:
    """Compute and store missing or stale vectors of vocabulary skills; returns how many."""
    enc = embedder()
    skills = list(db.session.execute(select(Skill)).scalars())
    stored = _stored(Embedding.KIND_SKILL, [s.id for s in skills])
    documents = []
    for skill in skills:
        row = stored.get(skill.id)
        old = row.text_hash if row is not None and row.model == enc.name else None
        documents.append((skill.id, skill_text(skill), old))
    fresh = embed_stale(enc, documents)
    _store(Embedding.KIND_SKILL, fresh, stored, enc.name)
    db.session.commit()
    return len(fresh)


def _skill_space(state: MatchingState) -> SkillSpace:
    rows = db.session.execute(
        select(Embedding).where(
            Embedding.kind == Embedding.KIND_SKILL,
            Embedding.model == state.model,
            Embedding.dim == state.dim,
        )
    ).scalars()
    categories = dict(db.session.execute(select(Skill.id, Skill.category)).all())
    rows = list(rows)
    state.skill_ids = [row.owner_id for row in rows]
    state.skill_matrix = (
        np.vstack([row.as_array() for row in rows])
        if rows
        else np.zeros((0, state.dim), dtype=np.float32)
    )
    keys, vectors, groups = [], [], []
    for row_id, vector in zip(state.skill_ids, state.skill_matrix, strict=True):
        if categories.get(row_id) == NOT_RELATED_CATEGORY:
            continue
        keys.append(f"v{row_id}")
        vectors.append(vector)
        groups.append(categories.get(row_id, ""))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, state.dim), dtype=np.float32)
    threshold = current_app.config.get("MATCHING_RELATED_THRESHOLD") or (
        calibration_for_model(state.model).related
    )
    return SkillSpace(keys, matrix, threshold, groups)


# --- documents for the ranker ----------------------------------------------------------------


def _task_doc(task: Task, taken: int) -> TaskDoc:
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
        .where(Application.jobseeker_id.in_(user_ids), Company.verified_at.is_not(None))
    ).all()
    out: dict[int, list[EndorsedSkill]] = {}
    for user_id, skill in rows:
        out.setdefault(user_id, []).append(skill)
    return out


def _language_refs(languages: list[str]) -> list[SkillRef]:
    """Languages on a profile as language skills of the vocabulary (typed text when unknown)."""
    refs = []
    for language in languages:
        skill_id = match_vocabulary(language, min_score=0.9)
        refs.append(SkillRef(language, skill_id))
    return refs


def _profile_docs(profiles: list[JobseekerProfile]) -> dict[int, ProfileDoc]:
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


def sync(force: bool = False) -> MatchingState:
    """Bring this process's catalogs up to date with the database (rate-limited)."""
    state = _state()
    interval = current_app.config["MATCHING_SYNC_SECONDS"]
    if not force and time.monotonic() - state.last_sync < interval:
        return state
    with state.lock:
        version = vocabulary_version()
        if version != state.skill_version:
            refresh_skill_vectors()
            state.catalogs.set_skill_space(_skill_space(state))
            state.skill_version = version
        started = utcnow()
        budget = current_app.config["MATCHING_ENCODE_BUDGET"]
        since = state.mark - WATERMARK_OVERLAP
        done = refresh_vectors(since=since, limit=budget)
        if done["task"] + done["profile"] >= budget:
            started = state.mark  # more to encode: look again
        tasks = _load_tasks(since=since)
        vectors = _stored(Embedding.KIND_TASK, [t.id for t in tasks])
        taken = count_taken_many([t.id for t in tasks])
        for task in tasks:
            row = vectors.get(task.id)
            usable = row is not None and row.model == state.model and row.dim == state.dim
            if task.status == TaskStatus.OPEN and usable:
                state.catalogs.tasks.upsert(_task_doc(task, taken.get(task.id, 0)), row.as_array())
            else:
                state.catalogs.tasks.remove(task.id)
        profiles = _load_profiles(since=since)
        vectors = _stored(Embedding.KIND_PROFILE, [p.id for p in profiles])
        for pid, doc in _profile_docs(profiles).items():
            row = vectors.get(pid)
            if row is not None and row.model == state.model and row.dim == state.dim:
                state.catalogs.profiles.upsert(doc, row.as_array())
            else:
                state.catalogs.profiles.remove(pid)
        state.mark = started
        state.last_sync = time.monotonic()
        db.session.commit()
    return state


# --- recommendations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRecommendation:
    """A task for a graduate, with the reasons."""

    task: Task
    match: Match
    sentence: str


@dataclass(frozen=True)
class CandidateRecommendation:
    """A graduate for a task, with the reasons."""

    user: User
    profile: JobseekerProfile
    match: Match
    sentence: str
    invited: bool


@dataclass(frozen=True)
class Recommendations:
    """A list that holds only what fits, and when it is short, why, in words the reader can
    act on (``notice``; empty when there is nothing to say)."""

    items: list
    notice: str = ""

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def _graduate_notice(ranking: Ranking, doc: ProfileDoc, shown: int, k: int) -> str:
    """Why a graduate's list is short or empty, in words the graduate can act on."""
    held = ranking.held_back
    parts = []
    if held.get("place"):
        n, km = held["place"], doc.max_km
        if not doc.postcode:
            parts.append(
                ngettext(
                    "%(num)d more task fits you but is done on site — add your postcode to "
                    "your profile so we can see if it is near you.",
                    "%(num)d more tasks fit you but are done on site — add your postcode to "
                    "your profile so we can see which are near you.",
                    n,
                )
            )
        elif doc.remote_ok or held.get("remote"):
            parts.append(
                ngettext(
                    "%(num)d more task fits you but is more than %(km)d km away — increase "
                    "the distance in your profile.",
                    "%(num)d more tasks fit you but are more than %(km)d km away — increase "
                    "the distance in your profile.",
                    n,
                    km=km,
                )
            )
        else:
            parts.append(
                ngettext(
                    "%(num)d more task fits you but is more than %(km)d km away — increase "
                    "the distance or choose remote work in your profile.",
                    "%(num)d more tasks fit you but are more than %(km)d km away — increase "
                    "the distance or choose remote work in your profile.",
                    n,
                    km=km,
                )
            )
    if held.get("remote"):
        parts.append(
            ngettext(
                "%(num)d more task fits you but is done remotely — choose remote work in your "
                "profile to see it.",
                "%(num)d more tasks fit you but are done remotely — choose remote work in your "
                "profile to see them.",
                held["remote"],
            )
        )
    if held.get("hours"):
        parts.append(
            ngettext(
                "%(num)d more task fits you but needs more hours per week than you have given "
                "— change your hours in your profile.",
                "%(num)d more tasks fit you but need more hours per week than you have given — "
                "change your hours in your profile.",
                held["hours"],
            )
        )
    if not parts and shown < k:
        if not doc.skills:
            parts.append(
                _("Add your skills to your profile, and we will suggest tasks that fit you.")
            )
        elif shown == 0:
            parts.append(
                _(
                    "No open task fits your skills right now. Add more skills or describe your "
                    "field in your profile, or search all tasks."
                )
            )
        else:
            parts.append(
                ngettext(
                    "Only %(num)d open task fits you right now. More skills in your profile "
                    "find more, and new tasks appear here as they are posted.",
                    "Only %(num)d open tasks fit you right now. More skills in your profile "
                    "find more, and new tasks appear here as they are posted.",
                    shown,
                )
            )
    return " ".join(parts)


def _candidate_notice(ranking: Ranking, doc: TaskDoc, shown: int) -> str:
    """Why a task's candidate list is short or empty."""
    held = ranking.held_back
    parts = []
    if held.get("place"):
        parts.append(
            ngettext(
                "%(num)d more graduate has fitting skills but lives further away than they "
                "will travel — consider letting the task be done remotely.",
                "%(num)d more graduates have fitting skills but live further away than they "
                "will travel — consider letting the task be done remotely.",
                held["place"],
            )
        )
    if held.get("remote"):
        parts.append(
            ngettext(
                "%(num)d more graduate has fitting skills but works on site only, and not "
                "near the task's place.",
                "%(num)d more graduates have fitting skills but work on site only, and not "
                "near the task's place.",
                held["remote"],
            )
        )
    if held.get("hours"):
        parts.append(
            ngettext(
                "%(num)d more graduate has fitting skills but fewer hours per week than the "
                "task needs before its deadline — consider fewer hours or a later deadline.",
                "%(num)d more graduates have fitting skills but fewer hours per week than the "
                "task needs before its deadline — consider fewer hours or a later deadline.",
                held["hours"],
            )
        )
    if not parts and shown == 0:
        if not doc.required and not doc.nice:
            parts.append(_("Name the skills the task needs, so we can find graduates who fit."))
        else:
            parts.append(
                _("No graduate fits this task yet. We look again whenever someone new signs up.")
            )
    return " ".join(parts)


def _jobseeker_profile(user: User) -> JobseekerProfile | None:
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_l("Only graduates get task recommendations."))
    return db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == user.id)
    ).scalar_one_or_none()


def _skill_names(locale: str) -> dict[str, str]:
    """Normalised vocabulary labels (Danish and English) → the label in ``locale``."""
    names: dict[str, str] = {}
    for da, en in vocabulary_label_pairs().values():
        shown = en if locale == "en" else da
        names[normalise(da)] = names.setdefault(normalise(en), shown)
        names[normalise(en)] = shown
    return names


def _localised(match: Match, names: dict[str, str]) -> Match:
    """The match with every vocabulary skill named in the reader's language."""
    e = match.explanation

    def name(label: str) -> str:
        return names.get(normalise(label), label)

    matched = tuple(
        replace(m, task_label=name(m.task_label), profile_label=name(m.profile_label))
        for m in e.matched
    )
    missing = tuple(name(label) for label in e.missing_required)
    return replace(match, explanation=replace(e, matched=matched, missing_required=missing))


def recommend_tasks(user: User, k: int = 10, locale: str = "da") -> Recommendations:
    """The open tasks that fit the graduate, best first, each with its explanation: only
    those above the relevance floor, and a notice when the list is short."""
    profile = _jobseeker_profile(user)
    if profile is None:
        return Recommendations(
            [], _("Add your skills to your profile, and we will suggest tasks that fit you.")
        )
    state = sync()
    vector = state.catalogs.profiles.index.vector(profile.id)
    if vector is None:  # a profile saved a moment ago: index it now rather than show nothing
        state = sync(force=True)
        vector = state.catalogs.profiles.index.vector(profile.id)
    doc = _profile_docs([profile])[profile.id]
    if vector is None:
        return Recommendations([], _graduate_notice(Ranking([]), doc, 0, k))
    applied = (
        db.session.execute(select(Application.task_id).where(Application.jobseeker_id == user.id))
        .scalars()
        .all()
    )
    ranking = state.catalogs.tasks.rank_for(doc, vector, today(), exclude=applied, k=k)
    tasks = {
        t.id: t
        for t in db.session.execute(
            select(Task)
            .where(Task.id.in_([m.id for m in ranking]), Task.status == TaskStatus.OPEN)
            .options(selectinload(Task.company), selectinload(Task.skills))
        ).scalars()
    }
    names = _skill_names(locale)
    items = [
        TaskRecommendation(tasks[m.id], m, explanation_sentence(m, for_graduate=True))
        for m in (_localised(m, names) for m in ranking)
        if m.id in tasks
    ]
    return Recommendations(items, _graduate_notice(ranking, doc, len(items), k))


def recommend_candidates(
    owner: User, task_id: int, k: int = 10, locale: str = "da"
) -> Recommendations:
    """The graduates who fit the owner's task, best first, each with the reasons."""
    task = get_task_for_owner(owner, task_id)
    if task.status != TaskStatus.OPEN:
        return Recommendations([])
    state = sync()
    vector = state.catalogs.tasks.index.vector(task.id)
    if vector is None:  # published a moment ago: index it now rather than show nothing
        state = sync(force=True)
        vector = state.catalogs.tasks.index.vector(task.id)
    if vector is None:
        rows = _stored(Embedding.KIND_TASK, [task.id])
        if task.id not in rows:
            return Recommendations([])
        vector = rows[task.id].as_array()
    doc = _task_doc(task, count_taken_many([task.id]).get(task.id, 0))
    applicants = (
        db.session.execute(
            select(JobseekerProfile.id)
            .join(Application, Application.jobseeker_id == JobseekerProfile.user_id)
            .where(Application.task_id == task.id)
        )
        .scalars()
        .all()
    )
    ranking = state.catalogs.profiles.rank_for(doc, vector, today(), exclude=applicants, k=k)
    profiles = {
        p.id: p
        for p in db.session.execute(
            select(JobseekerProfile)
            .where(JobseekerProfile.id.in_([m.id for m in ranking]))
            .options(selectinload(JobseekerProfile.user))
        ).scalars()
    }
    invited = set(
        db.session.execute(
            select(Invitation.jobseeker_id).where(Invitation.task_id == task.id)
        ).scalars()
    )
    names = _skill_names(locale)
    items = [
        CandidateRecommendation(
            profiles[m.id].user,
            profiles[m.id],
            m,
            explanation_sentence(m, for_graduate=False),
            profiles[m.id].user_id in invited,
        )
        for m in (_localised(m, names) for m in ranking)
        if m.id in profiles and not profiles[m.id].user.is_disabled
    ]
    return Recommendations(items, _candidate_notice(ranking, doc, len(items)))


def similar_open_tasks(text: str, limit: int = 200) -> list[tuple[int, float]]:
    """Open tasks whose vectors are closest to ``text`` (semantic search), as (id, cosine)."""
    state = sync()
    catalog = state.catalogs.tasks
    if not text.strip() or catalog.index.size == 0:
        return []
    vector = embedder().encode([text])[0]
    mask = catalog.open_mask()
    return [
        (int(catalog.index.id_at(row)), sim) for row, sim in catalog.index.top(vector, limit, mask)
    ]


def score_tasks_for(user: User, task_ids: list[int]) -> dict[int, Match]:
    """The graduate's match (score and explanation) with each of ``task_ids`` that is in the
    matching index, for sorting search results by "best for me"; no relevance floor."""
    if user.role != Role.JOBSEEKER or not task_ids:
        return {}
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == user.id)
    ).scalar_one_or_none()
    if profile is None:
        return {}
    state = sync()
    vector = state.catalogs.profiles.index.vector(profile.id)
    if vector is None:
        return {}
    doc = _profile_docs([profile])[profile.id]
    return state.catalogs.tasks.score_ids(doc, vector, task_ids)


def similarity_phrase(text_fit: float, for_graduate: bool) -> str:
    """How alike the two texts are, as a graded phrase instead of a bare percentage."""
    if for_graduate:
        if text_fit >= 0.75:
            return _("The task's text is very close to your profile.")
        if text_fit >= 0.45:
            return _("The task's text is close to your profile.")
        if text_fit >= 0.2:
            return _("The task's text is somewhat like your profile.")
        return _("The task's text has little in common with your profile.")
    if text_fit >= 0.75:
        return _("The profile is very close to the task's text.")
    if text_fit >= 0.45:
        return _("The profile is close to the task's text.")
    if text_fit >= 0.2:
        return _("The profile is somewhat like the task's text.")
    return _("The profile has little in common with the task's text.")


def place_phrase(explanation, for_graduate: bool) -> str:
    """Where the work happens as seen from the reader: remote, or how far away."""
    if explanation.remote:
        return _("Can be done remotely.")
    if explanation.distance_km is None:
        return ""
    km = round(explanation.distance_km)
    if for_graduate:
        return _("%(km)d km from you.", km=km)
    return _("Lives %(km)d km from the task.", km=km)


def explain_task_for(user: User, task: Task, locale: str = "da") -> TaskRecommendation | None:
    """How one open task fits a graduate, for the task's page (None for anyone else, or
    before the task or the profile has a vector)."""
    if user is None or user.role != Role.JOBSEEKER or task.status != TaskStatus.OPEN:
        return None
    match = score_tasks_for(user, [task.id]).get(task.id)
    if match is None:
        return None
    match = _localised(match, _skill_names(locale))
    return TaskRecommendation(task, match, explanation_sentence(match, for_graduate=True))


def explanation_sentence(match: Match, for_graduate: bool) -> str:
    """The first line of an explanation in the reader's language: required skills matched,
    related and missing, then the place."""
    e = match.explanation
    exact = ", ".join(m.task_label for m in e.matched if m.required and not m.related)
    if e.required_total:
        if for_graduate:
            text = _(
                "You have %(n)d of %(total)d required skills",
                n=e.required_matched,
                total=e.required_total,
            )
        else:
            text = _(
                "Has %(n)d of %(total)d required skills",
                n=e.required_matched,
                total=e.required_total,
            )
        if exact:
            text += ": " + exact
        text += "."
    else:
        text = _("The task asks for no specific skills.")
    related = e.required_related
    if related:
        text += " " + _(
            "Related: %(skills)s.",
            skills=", ".join(f"{m.profile_label} → {m.task_label}" for m in related),
        )
    if e.missing_required:
        text += " " + _("Missing: %(skills)s.", skills=", ".join(e.missing_required))
    place = place_phrase(e, for_graduate)
    if place:
        text += " " + place
    if not for_graduate and e.newcomer:
        text += " " + _("New on Taskbørs – no completed tasks yet.")
    return text


# --- skill suggestions from a description -------------------------------------------------------


def suggest_skills_from_text(text: str, locale: str, limit: int = 8) -> list[dict]:
    """Vocabulary skills a task description calls for: those it names (any label or synonym,
    after Danish stemming), then up to two that stand out by meaning."""
    text = text[:4000]
    found = list(vocabulary_mentions(text))
    if text.strip():
        state = sync()
        if state.skill_matrix is not None and len(state.skill_matrix):
            vector = embedder().encode([text])[0]
            for row in semantic_picks(vector, state.skill_matrix):
                if state.skill_ids[row] not in found:
                    found.append(state.skill_ids[row])
    labels = vocabulary_labels(locale)
    return [{"id": i, "label": labels[i]} for i in found[:limit] if i in labels]
