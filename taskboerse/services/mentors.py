"""Mentors: the profile a mentor keeps (expertise, sectors, languages, time, place), pausing,
and the approval by an admin or business-service staff member before entrepreneurs see it.

A mentor is visible to entrepreneurs (listed, ranked, requestable) only while approved and not
paused, and while the account is active: ``is_visible`` says so in one place, for the ranking
and the request rules too; ``mentor_state`` adds the places left, for every page that says
where a mentor stands. Pausing stops new requests; mentorships already running continue.
Staff approve a waiting mentor, or refuse them with a reason (the account is disabled).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    MENTOR_PROGRAMME_ROLES,
    AccessAction,
    AccessPurpose,
    MentorNeed,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    MentorSkill,
    NeedStatus,
    NotificationKind,
    Role,
    User,
)
from taskboerse.services import clock
from taskboerse.services.access_log import log_access
from taskboerse.services.accounts import set_user_disabled
from taskboerse.services.companies import SECTORS
from taskboerse.services.errors import Forbidden, NotFound, ValidationFailed
from taskboerse.services.mentoring import (
    MAX_BIO,
    MAX_CAPACITY,
    MAX_HEADLINE,
    MAX_HOURS_PER_MONTH,
    waiting_clause,
)
from taskboerse.services.notifications import check_reason, notify
from taskboerse.services.places import DEFAULT_MAX_DISTANCE_KM, MAX_DISTANCE_KM, check_postcode
from taskboerse.services.profiles import MAX_LANGUAGES
from taskboerse.services.questions import unanswered_count
from taskboerse.services.security import CPR_MESSAGE, contains_cpr
from taskboerse.services.skills import MAX_SKILLS, resolve_skills

MAX_LANGUAGE_LENGTH = 40
DEFAULT_HOURS_PER_MONTH = 4
DEFAULT_CAPACITY = 1

# The profile's fields, in the order a form shows them (refusals are reported in this order).
PROFILE_FIELDS = (
    "headline",
    "bio",
    "expertise",
    "sectors",
    "languages",
    "hours_per_month",
    "capacity",
    "postcode",
    "max_distance_km",
    "online",
)


@dataclass(frozen=True)
class MentorProfileInfo:
    """Everything a mentor states in their profile. The numbers are whole numbers, or the
    text as typed (refused unless it is one), so a form and the API share one check."""

    headline: str
    bio: str
    expertise: str | list[str]
    sectors: list[str] | tuple[str, ...] = ()
    languages: str | list[str] = ""
    hours_per_month: int | str | None = DEFAULT_HOURS_PER_MONTH
    capacity: int | str | None = DEFAULT_CAPACITY
    postcode: str = ""
    max_distance_km: int | str | None = DEFAULT_MAX_DISTANCE_KM
    online: bool = True


class MentorProfileInvalid(ValidationFailed):
    """Several parts of the profile were refused at once; ``errors`` holds one per field
    (the first is also this error's own message and field)."""

    def __init__(self, errors: list[ValidationFailed]) -> None:
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = errors


@dataclass(frozen=True)
class _Cleaned:
    headline: str
    bio: str
    skills: list  # ResolvedSkill
    sectors: list[str]
    languages: list[str]
    hours_per_month: int
    capacity: int
    postcode: str
    max_distance_km: int
    online: bool


# --- checking the profile ----------------------------------------------------------------


def _text(raw: str | None, name: str, limit: int, required_message, limit_message) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationFailed(_l("Remove the invisible control characters."), field=name)
    if not text:
        raise ValidationFailed(required_message, field=name)
    if len(text) > limit:
        raise ValidationFailed(limit_message, field=name)
    if contains_cpr(text):
        raise ValidationFailed(CPR_MESSAGE, field=name)
    return text


def _clean_headline(raw: str) -> str:
    text = _text(
        raw,
        "headline",
        MAX_HEADLINE,
        _l("Write one line about who you are, e.g. “Former CFO in an export company”."),
        _l("The headline can be at most %(n)d characters.", n=MAX_HEADLINE),
    )
    return " ".join(text.split())


def _clean_bio(raw: str) -> str:
    return _text(
        raw,
        "bio",
        MAX_BIO,
        _l("Tell entrepreneurs about your experience and what you can help with."),
        _l("The text about you can be at most %(n)d characters.", n=MAX_BIO),
    )


def _clean_expertise(raw: str | list[str]) -> list:
    values = [str(v or "") for v in raw] if isinstance(raw, list | tuple) else [raw or ""]
    if any("\x00" in v for v in values):
        raise ValidationFailed(_l("Remove the invisible control characters."), field="expertise")
    resolved = resolve_skills(values if isinstance(raw, list | tuple) else values[0], "expertise")
    if not resolved:
        raise ValidationFailed(
            _l("Add at least one area of expertise, e.g. “Financing” or “Export”."),
            field="expertise",
        )
    if len(resolved) > MAX_SKILLS:  # resolve_skills counts what was typed; this is stored
        raise ValidationFailed(
            _l("At most %(n)d areas of expertise.", n=MAX_SKILLS), field="expertise"
        )
    return resolved


def _clean_sectors(raw: Iterable[str] | None) -> list[str]:
    sectors: list[str] = []
    for code in raw or ():
        code = (code or "").strip() if isinstance(code, str) else code
        if code not in SECTORS:
            raise ValidationFailed(_l("Choose sectors from the list."), field="sectors")
        if code not in sectors:
            sectors.append(code)
    return sectors


def _clean_languages(raw: str | list[str]) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[,\n;]", raw or "")
    languages: list[str] = []
    for item in items:
        text = " ".join(str(item or "").split())
        if "\x00" in text:
            raise ValidationFailed(
                _l("Remove the invisible control characters."), field="languages"
            )
        if text and text.casefold() not in {x.casefold() for x in languages}:
            languages.append(text)
    if len(languages) > MAX_LANGUAGES or any(len(x) > MAX_LANGUAGE_LENGTH for x in languages):
        raise ValidationFailed(
            _l(
                "List at most %(n)d languages, each at most %(length)d characters.",
                n=MAX_LANGUAGES,
                length=MAX_LANGUAGE_LENGTH,
            ),
            field="languages",
        )
    return languages


def _whole(raw: int | str | None, low: int, high: int, name: str, message) -> int:
    """``raw`` as a whole number from ``low`` to ``high``; anything else is refused."""
    if isinstance(raw, str):
        raw = raw.strip()
        raw = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise ValidationFailed(message, field=name)
    return raw


def _clean_postcode(raw: str) -> str:
    postcode = (raw or "").strip()
    if "\x00" in postcode:
        raise ValidationFailed(_l("A Danish postcode is 4 digits."), field="postcode")
    check_postcode(postcode)
    return postcode


def check_profile(info: MentorProfileInfo) -> _Cleaned:
    """The profile as it would be stored, or MentorProfileInvalid listing every refused
    field at once (so the mentor fixes everything in one go)."""
    errors: list[ValidationFailed] = []

    def check(clean, *args):
        try:
            return clean(*args)
        except ValidationFailed as error:
            errors.append(error)
            return None

    headline = check(_clean_headline, info.headline)
    bio = check(_clean_bio, info.bio)
    skills = check(_clean_expertise, info.expertise)
    sectors = check(_clean_sectors, info.sectors)
    languages = check(_clean_languages, info.languages)
    hours = check(
        _whole,
        info.hours_per_month,
        1,
        MAX_HOURS_PER_MONTH,
        "hours_per_month",
        _l("Enter 1 to %(n)d hours a month.", n=MAX_HOURS_PER_MONTH),
    )
    capacity = check(
        _whole,
        info.capacity,
        1,
        MAX_CAPACITY,
        "capacity",
        _l("Enter how many entrepreneurs at once: 1 to %(n)d.", n=MAX_CAPACITY),
    )
    postcode = check(_clean_postcode, info.postcode)
    distance = info.max_distance_km
    if distance is None or distance == "":
        distance = DEFAULT_MAX_DISTANCE_KM
    max_distance = check(
        _whole,
        distance,
        1,
        MAX_DISTANCE_KM,
        "max_distance_km",
        _l("Enter a distance between 1 and %(n)d km.", n=MAX_DISTANCE_KM),
    )
    online = bool(info.online)
    if postcode == "" and not online:
        errors.append(
            ValidationFailed(
                _l("Enter the postcode where you can meet, or tick that you can meet online."),
                field="postcode",
            )
        )
    if errors:
        raise MentorProfileInvalid(errors)
    return _Cleaned(
        headline=headline,
        bio=bio,
        skills=skills,
        sectors=sectors,
        languages=languages,
        hours_per_month=hours,
        capacity=capacity,
        postcode=postcode,
        max_distance_km=max_distance,
        online=online,
    )


# --- the mentor's own profile ------------------------------------------------------------


def _require_mentor(user: User) -> None:
    if user.role != Role.MENTOR:
        raise Forbidden(_l("Only mentors have a mentor profile."))


def load_profile(user_id: int) -> MentorProfile | None:
    """A mentor's profile with its expertise loaded in one go; None before the first save."""
    return db.session.execute(
        select(MentorProfile)
        .where(MentorProfile.user_id == user_id)
        .options(selectinload(MentorProfile.skills).selectinload(MentorSkill.skill))
    ).scalar_one_or_none()


def get_profile(user: User) -> MentorProfile | None:
    """The mentor's own profile (None before they have saved one)."""
    _require_mentor(user)
    return load_profile(user.id)


def _programme_staff() -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .where(
                User.role.in_(MENTOR_PROGRAMME_ROLES),
                User.is_disabled.is_(False),
                User.anonymised_at.is_(None),
            )
            .order_by(User.id)
        ).scalars()
    )


def save_profile(user: User, info: MentorProfileInfo) -> MentorProfile:
    """Check and store the mentor's profile; expertise is normalised onto the vocabulary.
    Nothing changes when anything is refused. The first save puts the mentor in the approval
    queue and tells every admin and business-service staff member once; editing later keeps
    an approval (staff approve the person, not each wording)."""
    _require_mentor(user)
    cleaned = check_profile(info)
    profile = load_profile(user.id)
    first = profile is None
    if first:
        profile = MentorProfile(user_id=user.id)
        db.session.add(profile)
    profile.headline = cleaned.headline
    profile.bio = cleaned.bio
    profile.sectors = cleaned.sectors
    profile.languages = cleaned.languages
    profile.hours_per_month = cleaned.hours_per_month
    profile.capacity = cleaned.capacity
    profile.postcode = cleaned.postcode
    profile.max_distance_km = cleaned.max_distance_km
    profile.online = cleaned.online
    profile.skills = [MentorSkill(skill_id=s.skill_id, label=s.label) for s in cleaned.skills]
    # Only the skills may have changed: the matching index looks at updated_at.
    profile.updated_at = clock.now()
    if first:
        db.session.flush()
        for staff in _programme_staff():
            notify(
                staff,
                NotificationKind.MENTOR_AWAITING_APPROVAL,
                actor=user,
                params={"name": user.name, "mentor_id": user.id},
            )
    db.session.commit()
    return profile


def _own_profile(user: User) -> MentorProfile:
    _require_mentor(user)
    profile = db.session.execute(
        select(MentorProfile).where(MentorProfile.user_id == user.id)
    ).scalar_one_or_none()
    if profile is None:
        raise ValidationFailed(_l("Fill in your mentor profile first."))
    return profile


def pause_mentor(user: User) -> MentorProfile:
    """Stop being ranked and requested (holidays, a busy season); running mentorships go
    on. Pausing twice changes nothing."""
    profile = _own_profile(user)
    if profile.paused_at is None:
        profile.paused_at = clock.now()
        db.session.commit()
    return profile


def resume_mentor(user: User) -> MentorProfile:
    """Be visible and requestable again (once approved)."""
    profile = _own_profile(user)
    if profile.paused_at is not None:
        profile.paused_at = None
        db.session.commit()
    return profile


# --- visibility --------------------------------------------------------------------------


def is_visible(profile: MentorProfile) -> bool:
    """Whether entrepreneurs may see, rank and request the mentor (places aside): approved,
    not paused, the account active. Needs ``profile.user`` loaded."""
    user = profile.user
    return (
        profile.is_approved
        and not profile.is_paused
        and not user.is_disabled
        and user.anonymised_at is None
    )


def active_mentorship_counts(mentor_ids: Iterable[int]) -> dict[int, int]:
    """Active mentorships per mentor user id (one query); mentors without any are absent."""
    ids = list(dict.fromkeys(mentor_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Mentorship.mentor_id, func.count(Mentorship.id))
        .where(Mentorship.mentor_id.in_(ids), Mentorship.status == MentorshipStatus.ACTIVE)
        .group_by(Mentorship.mentor_id)
    ).all()
    return {mentor_id: count for mentor_id, count in rows}


# Where a mentor stands, as staff see it; ``mentor_state`` decides, pages only show the label.
MENTOR_STATES = {
    "waiting": _l("Waiting for approval"),
    "disabled": _l("Disabled"),
    "paused": _l("Paused"),
    "full": _l("Full"),
    "available": _l("Available"),
}


def mentor_state(profile: MentorProfile, active: int) -> str:
    """One word for where a mentor stands: "available" (entrepreneurs can ask them now,
    ``mentor_docs.is_available``), "full" (visible, no place left), else why they are not
    visible: "disabled" (the account is disabled or erased: also a refused mentor, who no
    longer waits), "waiting" (for approval) or "paused". ``active`` is their mentorships in
    progress (``active_mentorship_counts``); needs ``profile.user`` loaded."""
    # Imported here: mentor_docs imports this module.
    from taskboerse.services.mentor_docs import places_left

    if is_visible(profile):
        return "available" if places_left(profile, active) > 0 else "full"
    user = profile.user
    if user.is_disabled or user.anonymised_at is not None:
        return "disabled"
    if not profile.is_approved:
        return "waiting"
    return "paused"


def mentor_state_label(state: str) -> str:
    """The state's label in the reader's language."""
    return str(MENTOR_STATES[state])


@dataclass(frozen=True)
class PublicMentor:
    """A mentor's profile as a reader may see it (never the email)."""

    profile: MentorProfile
    name: str
    active: int  # mentorships in progress
    own: bool  # the mentor reads their own profile
    staff: bool  # an admin or business-service staff member reads it
    can_request: bool = False  # an entrepreneur reads it: point them to their needs
    need_id: int | None = None  # the entrepreneur's open need they came from

    @property
    def capacity_left(self) -> int:
        """Places free for new mentees (never below 0, also after the capacity was lowered)."""
        from taskboerse.services.mentor_docs import places_left

        return places_left(self.profile, self.active)

    @property
    def visible(self) -> bool:
        """Entrepreneurs can find and request this mentor."""
        return is_visible(self.profile)


PUBLIC_READER_ROLES = (Role.ENTREPRENEUR, Role.MENTOR, *MENTOR_PROGRAMME_ROLES)
# A need id in a link is a whole number of at most this many digits (else it is ignored).
MAX_ID_DIGITS = 18


def _own_open_need(viewer: User, raw: str | int | None) -> int | None:
    """The id of the entrepreneur's own open need named by ``raw`` (from a link), or None
    for anything else: a link is a hint, never an error."""
    if isinstance(raw, str):
        raw = raw.strip()
        ok = raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
        raw = int(raw) if ok else None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < 10**MAX_ID_DIGITS:
        return None
    return db.session.execute(
        select(MentorNeed.id).where(
            MentorNeed.id == raw,
            MentorNeed.entrepreneur_id == viewer.id,
            MentorNeed.status == NeedStatus.OPEN,
        )
    ).scalar_one_or_none()


def open_public_profile(
    viewer: User, mentor_user_id: int, via: str = "web", from_need: str | int | None = None
) -> PublicMentor:
    """The profile an entrepreneur sees before asking for a mentor. Entrepreneurs (and other
    mentors) see it only while the mentor is visible, else it does not exist for them; the
    mentor always sees their own; staff always, and their opening is in the access log.

    Only an entrepreneur can ask for a mentor (``can_request``); one who came from one of
    their open needs (``from_need``, the id from the link) is led back to it."""
    if viewer.role not in PUBLIC_READER_ROLES:
        raise Forbidden(_l("Only entrepreneurs and the business service can see mentors."))
    profile = db.session.execute(
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(
            MentorProfile.user_id == mentor_user_id,
            User.role == Role.MENTOR,
            User.anonymised_at.is_(None),
        )
        .options(
            selectinload(MentorProfile.skills).selectinload(MentorSkill.skill),
            selectinload(MentorProfile.user),
        )
    ).scalar_one_or_none()
    not_found = NotFound(_l("This mentor does not exist or is not available."))
    if profile is None:
        raise not_found
    own = viewer.id == mentor_user_id
    staff = viewer.role in MENTOR_PROGRAMME_ROLES
    if not own and not staff and not is_visible(profile):
        raise not_found
    if staff and not own:
        log_access(
            viewer, [mentor_user_id], AccessAction.VIEW_MENTOR, AccessPurpose.MENTOR_PROGRAMME, via
        )
        db.session.commit()  # expires the profile: load it again, whole, for the page
        profile = load_profile(mentor_user_id)
    active = active_mentorship_counts([mentor_user_id]).get(mentor_user_id, 0)
    can_request = viewer.role == Role.ENTREPRENEUR
    return PublicMentor(
        profile=profile,
        name=profile.user.name,
        active=active,
        own=own,
        staff=staff,
        can_request=can_request,
        need_id=_own_open_need(viewer, from_need) if can_request and from_need else None,
    )


# --- approval ----------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if actor.role not in MENTOR_PROGRAMME_ROLES:
        raise Forbidden(_l("Only administrators and the business service approve mentors."))


def approve_mentor(actor: User, mentor_user_id: int, via: str = "web") -> MentorProfile:
    """Make a mentor visible to entrepreneurs and tell them. Approving an approved mentor
    changes nothing (two staff members may click at once: only one approval is stored and
    only one notification sent)."""
    _require_staff(actor)
    profile = db.session.execute(
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(
            MentorProfile.user_id == mentor_user_id,
            User.role == Role.MENTOR,
            User.anonymised_at.is_(None),
            # A refused (disabled) mentor stays refused, also from a stale approvals page.
            User.is_disabled.is_(False),
        )
    ).scalar_one_or_none()
    if profile is None:
        raise NotFound(_l("This mentor does not exist or has not filled in a profile."))
    if profile.approved_at is not None:
        return profile
    # Conditional, so a concurrent approval does not notify twice.
    result = db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.id == profile.id, MentorProfile.approved_at.is_(None))
        .values(approved_at=clock.now(), approved_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        notify(
            profile.user,
            NotificationKind.MENTOR_APPROVED,
            actor=actor,
            params={"mentor_id": mentor_user_id},
        )
        log_access(
            actor,
            [mentor_user_id],
            AccessAction.APPROVE_MENTOR,
            AccessPurpose.MENTOR_PROGRAMME,
            via,
        )
    db.session.commit()
    db.session.refresh(profile)
    return profile


def reject_mentor(actor: User, mentor_user_id: int, reason: str) -> User:
    """Refuse a mentor waiting for approval: the account is disabled as an administrator
    disables one (every login session ends) and the mentor is told by email with the
    reason, which is required (the person deserves to know why). A mentor already approved,
    already refused, or anyone else is NotFound; nothing changes on any refusal."""
    _require_staff(actor)
    mentor = db.session.execute(
        select(User)
        .join(MentorProfile, MentorProfile.user_id == User.id)
        .where(
            User.id == mentor_user_id,
            User.role == Role.MENTOR,
            User.is_disabled.is_(False),
            User.anonymised_at.is_(None),
            MentorProfile.approved_at.is_(None),
        )
    ).scalar_one_or_none()
    if mentor is None:
        raise NotFound(_l("This mentor does not exist or is not waiting for approval."))
    if "\x00" in (reason or ""):
        raise ValidationFailed(_l("Remove the invisible control characters."), field="reason")
    reason = check_reason(reason)
    if not reason:
        raise ValidationFailed(
            _l("Give the reason for refusing. The mentor reads it in the email."), field="reason"
        )
    return set_user_disabled(actor, mentor.id, True, reason=reason)


def _pending_query():
    return (
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(
            MentorProfile.approved_at.is_(None),
            User.role == Role.MENTOR,
            User.is_disabled.is_(False),
            User.anonymised_at.is_(None),
        )
        .order_by(MentorProfile.created_at, MentorProfile.id)
    )


def pending_mentors(actor: User, log: bool = True, via: str = "web") -> list[MentorProfile]:
    """Mentors waiting for approval with their whole profile, oldest first. Staff see each
    whole profile, so each is in the access log (``log=False`` for a mere count)."""
    _require_staff(actor)
    if log:
        # Logged and committed first, so the profiles below stay loaded for the page.
        ids = list(db.session.execute(_pending_query().with_only_columns(User.id)).scalars())
        if ids:
            log_access(actor, ids, AccessAction.VIEW_MENTOR, AccessPurpose.MENTOR_PROGRAMME, via)
            db.session.commit()
    return list(
        db.session.execute(
            _pending_query().options(
                selectinload(MentorProfile.skills).selectinload(MentorSkill.skill),
                selectinload(MentorProfile.user),
            )
        ).scalars()
    )


@dataclass(frozen=True)
class PoolRow:
    """An approved mentor in the staff's overview of the pool."""

    profile: MentorProfile
    active: int

    @property
    def state(self) -> str:
        """Where the mentor stands (``mentor_state``)."""
        return mentor_state(self.profile, self.active)

    @property
    def state_label(self) -> str:
        """The state in the reader's language."""
        return mentor_state_label(self.state)


def mentor_pool(actor: User) -> list[PoolRow]:
    """Approved mentors (paused ones too) with their places in use, by name: the staff's
    view of how much mentoring the programme can offer. Two queries whatever the size."""
    _require_staff(actor)
    profiles = list(
        db.session.execute(
            select(MentorProfile)
            .join(User, User.id == MentorProfile.user_id)
            .where(
                MentorProfile.approved_at.is_not(None),
                User.role == Role.MENTOR,
                User.anonymised_at.is_(None),
            )
            .options(
                selectinload(MentorProfile.skills).selectinload(MentorSkill.skill),
                selectinload(MentorProfile.user),
            )
            .order_by(func.lower(User.name), User.id)
        ).scalars()
    )
    counts = active_mentorship_counts(p.user_id for p in profiles)
    return [PoolRow(profile=p, active=counts.get(p.user_id, 0)) for p in profiles]


# --- the mentor's home page --------------------------------------------------------------


@dataclass(frozen=True)
class MentorOverview:
    """What the mentor's start page shows: where the profile stands and what waits."""

    has_profile: bool
    approved: bool = False
    paused: bool = False
    capacity: int = 0
    active: int = 0
    pending_requests: int = 0
    unanswered_questions: int = 0

    @property
    def visible(self) -> bool:
        """Entrepreneurs can find and request the mentor now."""
        return self.has_profile and self.approved and not self.paused

    @property
    def state(self) -> str:
        """ "missing", "waiting" (for approval), "paused" or "visible"."""
        if not self.has_profile:
            return "missing"
        if not self.approved:
            return "waiting"
        if self.paused:
            return "paused"
        return "visible"


def waiting_requests(mentor_id: int) -> int:
    """How many requests wait for the mentor's answer (the start page and the menu), by the
    same rule as the requests page: one past its deadline no longer waits."""
    return db.session.execute(
        select(func.count(MentorRequest.id)).where(
            MentorRequest.mentor_id == mentor_id, waiting_clause(clock.now())
        )
    ).scalar_one()


def mentor_overview(user: User) -> MentorOverview:
    """The mentor's start page in a few small queries: approval, pause, places in use,
    requests waiting for an answer and questions nobody has answered yet."""
    _require_mentor(user)
    row = db.session.execute(
        select(MentorProfile.approved_at, MentorProfile.paused_at, MentorProfile.capacity).where(
            MentorProfile.user_id == user.id
        )
    ).one_or_none()
    pending = waiting_requests(user.id)
    unanswered = unanswered_count()
    if row is None:
        return MentorOverview(
            has_profile=False, pending_requests=pending, unanswered_questions=unanswered
        )
    active = active_mentorship_counts([user.id]).get(user.id, 0)
    return MentorOverview(
        has_profile=True,
        approved=row.approved_at is not None,
        paused=row.paused_at is not None,
        capacity=row.capacity,
        active=active,
        pending_requests=pending,
        unanswered_questions=unanswered,
    )
