"""Recommendations: the tasks that fit a graduate, the graduates who fit a task, and the
words that explain each match. The ranking itself is ``taskboerse.matching``; the catalogs it
ranks are the ``MatchingIndex`` the caller hands in (``services/matching_index.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.matching.ranker import Match, ProfileDoc, Ranking, TaskDoc
from taskboerse.matching.skills import normalise
from taskboerse.models import (
    Application,
    Invitation,
    JobseekerProfile,
    Role,
    Task,
    TaskStatus,
    User,
)
from taskboerse.services.errors import Forbidden, NotFound
from taskboerse.services.matching_index import MatchingIndex, profile_docs, task_doc
from taskboerse.services.skills import vocabulary_label_pairs
from taskboerse.services.tasks import count_taken_many, get_task_for_owner, today

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


def _profile_vector(index: MatchingIndex, profile: JobseekerProfile):
    vector = index.sync().catalogs.profiles.index.vector(profile.id)
    if vector is None:  # a profile saved a moment ago: index it now rather than show nothing
        vector = index.sync(force=True).catalogs.profiles.index.vector(profile.id)
    return vector


def skill_names(locale: str) -> dict[str, str]:
    """Normalised vocabulary labels (Danish and English) → the label in ``locale``."""
    names: dict[str, str] = {}
    for da, en in vocabulary_label_pairs().values():
        shown = en if locale == "en" else da
        names[normalise(da)] = names.setdefault(normalise(en), shown)
        names[normalise(en)] = shown
    return names


def localised(match: Match, names: dict[str, str]) -> Match:
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


def recommend_tasks(
    index: MatchingIndex, user: User, k: int = 10, locale: str = "da"
) -> Recommendations:
    """The open tasks that fit the graduate, best first, each with its explanation: only
    those above the relevance floor, and a notice when the list is short."""
    profile = _jobseeker_profile(user)
    if profile is None:
        return Recommendations(
            [], _("Add your skills to your profile, and we will suggest tasks that fit you.")
        )
    vector = _profile_vector(index, profile)
    doc = profile_docs([profile])[profile.id]
    if vector is None:
        return Recommendations([], _graduate_notice(Ranking([]), doc, 0, k))
    applied = (
        db.session.execute(select(Application.task_id).where(Application.jobseeker_id == user.id))
        .scalars()
        .all()
    )
    ranking = index.catalogs.tasks.rank_for(doc, vector, today(), exclude=applied, k=k)
    tasks = {
        t.id: t
        for t in db.session.execute(
            select(Task)
            .where(Task.id.in_([m.id for m in ranking]), Task.status == TaskStatus.OPEN)
            .options(selectinload(Task.company), selectinload(Task.skills))
        ).scalars()
    }
    names = skill_names(locale)
    items = [
        TaskRecommendation(tasks[m.id], m, explanation_sentence(m, for_graduate=True))
        for m in (localised(m, names) for m in ranking)
        if m.id in tasks
    ]
    return Recommendations(items, _graduate_notice(ranking, doc, len(items), k))


def recommend_candidates(
    index: MatchingIndex, owner: User, task_id: int, k: int = 10, locale: str = "da"
) -> Recommendations:
    """The graduates who fit the owner's task, best first, each with the reasons."""
    task = get_task_for_owner(owner, task_id)
    if task.status != TaskStatus.OPEN:
        return Recommendations([])
    vector = index.sync().catalogs.tasks.index.vector(task.id)
    if vector is None:  # published a moment ago: index it now rather than show nothing
        vector = index.sync(force=True).vector_of_task(task.id)
    if vector is None:
        return Recommendations([])
    doc = task_doc(task, count_taken_many([task.id]).get(task.id, 0))
    applicants = (
        db.session.execute(
            select(JobseekerProfile.id)
            .join(Application, Application.jobseeker_id == JobseekerProfile.user_id)
            .where(Application.task_id == task.id)
        )
        .scalars()
        .all()
    )
    ranking = index.catalogs.profiles.rank_for(doc, vector, today(), exclude=applicants, k=k)
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
    names = skill_names(locale)
    items = [
        CandidateRecommendation(
            profiles[m.id].user,
            profiles[m.id],
            m,
            explanation_sentence(m, for_graduate=False),
            profiles[m.id].user_id in invited,
        )
        for m in (localised(m, names) for m in ranking)
        if m.id in profiles and not profiles[m.id].user.is_disabled
    ]
    return Recommendations(items, _candidate_notice(ranking, doc, len(items)))


@dataclass(frozen=True)
class CandidatePage:
    """What the owner sees before inviting a suggested graduate."""

    task: Task
    candidate: CandidateRecommendation
    invitation: Invitation | None


# How far down the candidate list the owner may open a profile: the page shows ten, and a
# graduate who fits slightly less well is still a fair candidate.
CANDIDATE_PAGE_DEPTH = 50


def candidate_for(
    index: MatchingIndex, owner: User, task_id: int, jobseeker_id: int, locale: str = "da"
) -> CandidatePage:
    """A suggested graduate's fit with the owner's task, for the profile page before inviting.
    Only graduates the ranking suggests for the task (or already invited) can be opened, so
    the page cannot be used to look through every graduate's profile; others give 404."""
    task = get_task_for_owner(owner, task_id)
    invitation = db.session.execute(
        select(Invitation).where(
            Invitation.task_id == task.id, Invitation.jobseeker_id == jobseeker_id
        )
    ).scalar_one_or_none()
    found = recommend_candidates(index, owner, task.id, k=CANDIDATE_PAGE_DEPTH, locale=locale)
    for candidate in found:
        if candidate.user.id == jobseeker_id:
            return CandidatePage(task, candidate, invitation)
    raise NotFound(_l("No such graduate."))


def is_suggested(index: MatchingIndex, owner: User, task_id: int, jobseeker_id: int) -> bool:
    """True when the ranking suggests the graduate for the owner's task (within the depth
    the candidate pages reach): the graduates an owner may open and invite."""
    found = recommend_candidates(index, owner, task_id, k=CANDIDATE_PAGE_DEPTH)
    return any(candidate.user.id == jobseeker_id for candidate in found)


def similar_open_tasks(
    index: MatchingIndex, text: str, limit: int = 200
) -> list[tuple[int, float]]:
    """Open tasks whose vectors are closest to ``text`` (semantic search), as (id, cosine)."""
    catalog = index.sync().catalogs.tasks
    if not text.strip() or catalog.index.size == 0:
        return []
    vector = index.encode(text)
    mask = catalog.open_mask()
    return [
        (int(catalog.index.id_at(row)), sim) for row, sim in catalog.index.top(vector, limit, mask)
    ]


def score_tasks_for(index: MatchingIndex, user: User, task_ids: list[int]) -> dict[int, Match]:
    """The graduate's match (score and explanation) with each of ``task_ids`` that is in the
    matching index, for sorting search results by "best for me"; no relevance floor."""
    if user.role != Role.JOBSEEKER or not task_ids:
        return {}
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == user.id)
    ).scalar_one_or_none()
    if profile is None:
        return {}
    vector = index.sync().catalogs.profiles.index.vector(profile.id)
    if vector is None:
        return {}
    doc = profile_docs([profile])[profile.id]
    return index.catalogs.tasks.score_ids(doc, vector, task_ids)


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


def explain_task_for(
    index: MatchingIndex, user: User, task: Task, locale: str = "da"
) -> TaskRecommendation | None:
    """How one open task fits a graduate, for the task's page (None for anyone else, or
    before the task or the profile has a vector)."""
    if user is None or user.role != Role.JOBSEEKER or task.status != TaskStatus.OPEN:
        return None
    match = score_tasks_for(index, user, [task.id]).get(task.id)
    if match is None:
        return None
    match = localised(match, skill_names(locale))
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
