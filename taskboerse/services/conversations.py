"""Conversations. Two kinds of thread share one set of rules: one thread per task and
graduate, between the graduate and the task's company, from the invitation or the application
on; and one thread per mentorship, between the mentor and the entrepreneur.

Only the two sides read a thread; caseworkers and the business service do not (the pages say
so). A thread is read-only once its task is completed or cancelled, or its mentorship has
ended, and stays visible. A new message notifies the other side in the app every time and by
email at most once per thread per MESSAGE_EMAIL_INTERVAL_MINUTES while they have not read it.
The message check (check_message), the read marks and the unread count (_unread_query) are
the same for both kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    Company,
    Invitation,
    JobseekerProfile,
    Mentorship,
    MentorshipStatus,
    Message,
    Notification,
    NotificationKind,
    Role,
    Task,
    TaskStatus,
    ThreadRead,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import clock
from taskboerse.services.errors import Conflict, NotFound, ValidationFailed
from taskboerse.services.notifications import notify
from taskboerse.services.security import CPR_MESSAGE, contains_cpr

MESSAGE_MAX_LENGTH = 2000
CLOSED_STATUSES = (TaskStatus.COMPLETED, TaskStatus.CANCELLED)


@dataclass(frozen=True)
class Thread:
    """The conversation of one task and one graduate, with what it hangs on."""

    task: Task
    jobseeker: User
    application: Application | None
    invitation: Invitation | None

    @property
    def owner(self) -> User:
        """The task's company's user: the other side of the graduate."""
        return self.task.company.owner

    @property
    def read_only(self) -> bool:
        """No new messages once the task is completed or cancelled."""
        return self.task.status in CLOSED_STATUSES

    @property
    def shares_contact(self) -> bool:
        """Both sides see each other's contact details (accepted or completed)."""
        return self.application is not None and self.application.shares_contact

    def other_side(self, user: User) -> User:
        """The person ``user`` is talking to."""
        return self.owner if user.id == self.jobseeker.id else self.jobseeker

    def is_party(self, user: User) -> bool:
        """True for the graduate and the task's company user."""
        return user.id in (self.jobseeker.id, self.task.company.owner_id)

    @property
    def closed_message(self):
        """Why no new message can be written."""
        return _l("The task is closed, so the conversation is read-only.")

    def keys(self) -> dict[str, int]:
        """The columns that name this thread on a message and a read mark."""
        return {"task_id": self.task.id, "jobseeker_id": self.jobseeker.id}

    def tell(self, recipient: User, sender: User, email: bool) -> None:
        """The other side's notification of a new message."""
        notify(
            recipient,
            NotificationKind.MESSAGE,
            task=self.task,
            application=self.application,
            actor=sender,
            email=email,
        )

    def read_notifications(self, user: User) -> list:
        """Conditions for ``user``'s notifications about this thread."""
        about = [
            Notification.kind == NotificationKind.MESSAGE,
            Notification.task_id == self.task.id,
        ]
        if user.id != self.jobseeker.id:  # the company hears from every graduate of the task
            about.append(Notification.actor_id == self.jobseeker.id)
        return about


@dataclass(frozen=True)
class MentorshipThread:
    """The conversation of one mentorship, between the mentor and the entrepreneur."""

    mentorship: Mentorship

    @property
    def read_only(self) -> bool:
        """No new messages once the mentorship has ended (either way)."""
        return self.mentorship.status != MentorshipStatus.ACTIVE

    @property
    def closed_message(self):
        """Why no new message can be written."""
        return _l("The mentorship has ended, so the conversation is read-only.")

    def other_side(self, user: User) -> User:
        """The person ``user`` is talking to."""
        m = self.mentorship
        return m.entrepreneur if user.id == m.mentor_id else m.mentor

    def is_party(self, user: User) -> bool:
        """True for the mentor and the entrepreneur."""
        return user.id in (self.mentorship.mentor_id, self.mentorship.entrepreneur_id)

    def keys(self) -> dict[str, int]:
        """The column that names this thread on a message and a read mark."""
        return {"mentorship_id": self.mentorship.id}

    def tell(self, recipient: User, sender: User, email: bool) -> None:
        """The other side's notification of a new message (the ids are in params)."""
        notify(
            recipient,
            NotificationKind.MENTORSHIP_MESSAGE,
            actor=sender,
            email=email,
            params={
                "name": sender.name,
                "topic": self.mentorship.need.topic,
                "mentorship_id": self.mentorship.id,
            },
        )

    def read_notifications(self, user: User) -> list:
        """Conditions for ``user``'s notifications about this thread."""
        return [
            Notification.kind == NotificationKind.MENTORSHIP_MESSAGE,
            Notification.params["mentorship_id"].as_integer() == self.mentorship.id,
        ]


AnyThread = Thread | MentorshipThread


@dataclass(frozen=True)
class Contact:
    """What one side sees of the other once accepted."""

    name: str
    email: str
    phone: str
    company: str | None = None


@dataclass(frozen=True)
class ThreadSummary:
    """One line of the messages overview."""

    task_id: int | None
    task_title: str
    jobseeker_id: int | None
    other_name: str
    last_at: datetime
    last_preview: str
    unread: int
    # A mentorship's thread: then task_id and jobseeker_id are None and ``topic`` is the
    # need's topic code.
    mentorship_id: int | None = None
    topic: str = ""


def _thread(task: Task | None, jobseeker: User | None, user: User) -> Thread:
    """The thread if it exists (an application or an invitation) and ``user`` is a party."""
    if task is None or jobseeker is None:
        raise NotFound(_l("No such conversation."))
    application = db.session.execute(
        select(Application).where(
            Application.task_id == task.id, Application.jobseeker_id == jobseeker.id
        )
    ).scalar_one_or_none()
    invitation = db.session.execute(
        select(Invitation).where(
            Invitation.task_id == task.id, Invitation.jobseeker_id == jobseeker.id
        )
    ).scalar_one_or_none()
    thread = Thread(task, jobseeker, application, invitation)
    if (application is None and invitation is None) or not thread.is_party(user):
        raise NotFound(_l("No such conversation."))
    return thread


def get_thread(user: User, task_id: int, jobseeker_id: int) -> Thread:
    """The conversation about ``task_id`` with graduate ``jobseeker_id``; 404 for anyone
    but the two sides, and where there is neither an application nor an invitation."""
    return _thread(db.session.get(Task, task_id), db.session.get(User, jobseeker_id), user)


def thread_of_application(user: User, application_id: int) -> Thread:
    """The conversation of one application; 404 for anyone but the two sides."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_l("No such conversation."))
    return _thread(application.task, application.jobseeker, user)


def mentorship_thread(user: User, mentorship_id: int) -> MentorshipThread:
    """The conversation of one mentorship; 404 for anyone but the mentor and the
    entrepreneur."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None:
        raise NotFound(_l("No such conversation."))
    thread = MentorshipThread(mentorship)
    if not thread.is_party(user):
        raise NotFound(_l("No such conversation."))
    return thread


def messages(thread: AnyThread) -> list[Message]:
    """The thread's messages, oldest first."""
    where = [getattr(Message, k) == v for k, v in thread.keys().items()]
    return list(
        db.session.execute(
            select(Message)
            .where(*where)
            .options(selectinload(Message.sender))
            .order_by(Message.created_at, Message.id)
        ).scalars()
    )


def _reader(thread: AnyThread, user: User) -> ThreadRead:
    """The user's read mark on the thread, created on first use. Two requests creating it at
    once (two tabs, both sides' first messages) meet the unique constraint: the loser reads
    the winner's row instead (a savepoint keeps the rest of the transaction)."""
    keys = thread.keys()
    where = (*(getattr(ThreadRead, k) == v for k, v in keys.items()), ThreadRead.user_id == user.id)
    row = db.session.execute(select(ThreadRead).where(*where)).scalar_one_or_none()
    if row is None:
        row = ThreadRead(user_id=user.id, **keys)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            row = db.session.execute(select(ThreadRead).where(*where)).scalar_one()
    return row


def mark_read(thread: AnyThread, user: User) -> None:
    """``user`` has read the thread up to now, and its message notifications; commits."""
    now = clock.now()
    _reader(thread, user).read_at = now
    about_thread = [
        Notification.user_id == user.id,
        Notification.read_at.is_(None),
        *thread.read_notifications(user),
    ]
    db.session.execute(update(Notification).where(*about_thread).values(read_at=now))
    db.session.commit()


def check_message(body: str, field: str = "body") -> str:
    """The message as stored, or ValidationFailed: not empty, at most MESSAGE_MAX_LENGTH
    characters, no CPR number."""
    body = (body or "").strip()
    limit = MESSAGE_MAX_LENGTH
    if not body:
        raise ValidationFailed(_l("Write a message."), field=field)
    if len(body) > limit:
        raise ValidationFailed(
            _l("A message can be at most %(n)d characters.", n=limit), field=field
        )
    if contains_cpr(body):
        raise ValidationFailed(CPR_MESSAGE, field=field)
    return body


def post_message(user: User, thread: AnyThread, body: str) -> Message:
    """Add ``user``'s message to the thread and tell the other side; commits."""
    if not thread.is_party(user):
        raise NotFound(_l("No such conversation."))
    if thread.read_only:
        raise Conflict(thread.closed_message)
    body = check_message(body)
    now = clock.now()
    message = Message(sender_id=user.id, body=body, created_at=now, **thread.keys())
    db.session.add(message)
    _reader(thread, user).read_at = now
    recipient = thread.other_side(user)
    if not recipient.is_disabled:
        reader = _reader(thread, recipient)
        interval = timedelta(
            minutes=int(current_app.config.get("MESSAGE_EMAIL_INTERVAL_MINUTES", 60))
        )
        # At most one email per thread per interval: a lively exchange read as it happens
        # does not fill the inbox; the in-app notification still comes every time.
        email = reader.emailed_at is None or now - reader.emailed_at >= interval
        thread.tell(recipient, user, email)
        if email:
            reader.emailed_at = now
    db.session.commit()
    return message


TASK_KEYS = ("task_id", "jobseeker_id")
MENTORSHIP_KEYS = ("mentorship_id",)
TASK_ROLES = (Role.JOBSEEKER, Role.ENTREPRENEUR)
MENTORSHIP_ROLES = (Role.MENTOR, Role.ENTREPRENEUR)


def _party_condition(user: User):
    """Messages in task threads ``user`` is a side of."""
    if user.role == Role.JOBSEEKER:
        return Message.jobseeker_id == user.id
    owned = select(Task.id).join(Company, Company.id == Task.company_id)
    return Message.task_id.in_(owned.where(Company.owner_id == user.id))


def _mentorship_condition(user: User):
    """Messages in mentorship threads ``user`` is a side of."""
    mine = select(Mentorship.id).where(
        or_(Mentorship.mentor_id == user.id, Mentorship.entrepreneur_id == user.id)
    )
    return Message.mentorship_id.in_(mine)


def _unread_query(user: User, keys: tuple[str, ...], party):
    """Unread messages per thread (named by ``keys``) among the threads ``party`` selects:
    the one shape of "unread" for both kinds of thread."""
    columns = [getattr(Message, k) for k in keys]
    return (
        select(*columns, func.count(Message.id))
        .outerjoin(
            ThreadRead,
            and_(
                *(getattr(ThreadRead, k) == getattr(Message, k) for k in keys),
                ThreadRead.user_id == user.id,
            ),
        )
        .where(
            party,
            or_(Message.sender_id.is_(None), Message.sender_id != user.id),
            or_(ThreadRead.read_at.is_(None), Message.created_at > ThreadRead.read_at),
        )
        .group_by(*columns)
    )


def unread_by_thread(user: User) -> dict[tuple[int, int], int]:
    """Unread messages per task thread, (task id, graduate id), for ``user``."""
    if user.role not in TASK_ROLES:
        return {}
    query = _unread_query(user, TASK_KEYS, _party_condition(user))
    return {(t, j): n for t, j, n in db.session.execute(query).all()}


def unread_by_mentorship(user: User) -> dict[int, int]:
    """Unread messages per mentorship thread for ``user`` (a mentor or an entrepreneur)."""
    if user.role not in MENTORSHIP_ROLES:
        return {}
    query = _unread_query(user, MENTORSHIP_KEYS, _mentorship_condition(user))
    return {m: n for m, n in db.session.execute(query).all()}


def unread_total(user: User) -> int:
    """How many messages ``user`` has not read, in every kind of thread (the menu's count)."""
    return sum(unread_by_thread(user).values()) + sum(unread_by_mentorship(user).values())


def unread_by_task(user: User) -> dict[int, int]:
    """Unread messages per task, for the entrepreneur's dashboard."""
    out: dict[int, int] = {}
    for (task_id, _jobseeker_id), n in unread_by_thread(user).items():
        out[task_id] = out.get(task_id, 0) + n
    return out


def threads_of(user: User) -> list[ThreadSummary]:
    """Every conversation ``user`` is a side of that holds a message (task threads and
    mentorship threads), newest first."""
    out = _task_threads_of(user) + _mentorship_threads_of(user)
    out.sort(key=lambda t: t.last_at, reverse=True)
    return out


def _task_threads_of(user: User) -> list[ThreadSummary]:
    if user.role not in TASK_ROLES:
        return []
    last = (
        select(
            Message.task_id,
            Message.jobseeker_id,
            func.max(Message.id).label("last_id"),
        )
        .where(_party_condition(user))
        .group_by(Message.task_id, Message.jobseeker_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Message, Task, User)
        .join(last, Message.id == last.c.last_id)
        .join(Task, Task.id == Message.task_id)
        .join(User, User.id == Message.jobseeker_id)
        .options(selectinload(Task.company).selectinload(Company.owner))
        .order_by(Message.created_at.desc(), Message.id.desc())
    ).all()
    unread = unread_by_thread(user)
    out = []
    for message, task, jobseeker in rows:
        other = task.company.owner if user.role == Role.JOBSEEKER else jobseeker
        other_name = task.company.name if user.role == Role.JOBSEEKER else other.name
        preview = message.body if message.erased_at is None else ""
        out.append(
            ThreadSummary(
                task_id=task.id,
                task_title=task.title,
                jobseeker_id=jobseeker.id,
                other_name=other_name,
                last_at=message.created_at,
                last_preview=preview[:140],
                unread=unread.get((task.id, jobseeker.id), 0),
            )
        )
    return out


def _mentorship_threads_of(user: User) -> list[ThreadSummary]:
    if user.role not in MENTORSHIP_ROLES:
        return []
    last = (
        select(Message.mentorship_id, func.max(Message.id).label("last_id"))
        .where(_mentorship_condition(user))
        .group_by(Message.mentorship_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Message, Mentorship)
        .join(last, Message.id == last.c.last_id)
        .join(Mentorship, Mentorship.id == Message.mentorship_id)
        .options(
            selectinload(Mentorship.need),
            selectinload(Mentorship.mentor),
            selectinload(Mentorship.entrepreneur),
        )
    ).all()
    unread = unread_by_mentorship(user)
    out = []
    for message, mentorship in rows:
        other = MentorshipThread(mentorship).other_side(user)
        preview = message.body if message.erased_at is None else ""
        out.append(
            ThreadSummary(
                task_id=None,
                task_title="",
                jobseeker_id=None,
                other_name=other.name,
                last_at=message.created_at,
                last_preview=preview[:140],
                unread=unread.get(mentorship.id, 0),
                mentorship_id=mentorship.id,
                topic=mentorship.need.topic,
            )
        )
    return out


def contact_of(thread: Thread, viewer: User) -> Contact | None:
    """The other side's contact details, for ``viewer``, once the application is accepted
    (or completed); None before, so nothing leaks."""
    if not thread.shares_contact or not thread.is_party(viewer):
        return None
    if viewer.id == thread.jobseeker.id:
        company = thread.task.company
        owner = company.owner
        return Contact(owner.name, owner.email, company.phone or "", company.name)
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == thread.jobseeker.id)
    ).scalar_one_or_none()
    phone = profile.phone if profile is not None else ""
    return Contact(thread.jobseeker.name, thread.jobseeker.email, phone or "")


def erase_messages_of(user_id: int) -> None:
    """Erasure: the person's messages lose their text (the thread's shape stays for the other
    side), and their read marks go (in the caller's transaction). An erased graduate's
    threads that hang on no application (an invitation, deleted with them) go entirely, so
    the company is not left with an unread count it cannot open."""
    applied = select(Application.id).where(
        Application.task_id == Message.task_id, Application.jobseeker_id == Message.jobseeker_id
    )
    orphaned = and_(Message.jobseeker_id == user_id, ~applied.exists())
    db.session.execute(delete(Message).where(orphaned))
    applied_read = select(Application.id).where(
        Application.task_id == ThreadRead.task_id,
        Application.jobseeker_id == ThreadRead.jobseeker_id,
    )
    db.session.execute(
        delete(ThreadRead).where(ThreadRead.jobseeker_id == user_id, ~applied_read.exists())
    )
    db.session.execute(
        update(Message)
        .where(Message.sender_id == user_id)
        .values(body="", erased_at=utcnow(), sender_id=None)
    )
    db.session.execute(delete(ThreadRead).where(ThreadRead.user_id == user_id))
    owned = select(Task.id).join(Company, Company.id == Task.company_id)
    db.session.execute(
        update(Invitation)
        .where(Invitation.task_id.in_(owned.where(Company.owner_id == user_id)))
        .values(message=None)
    )
