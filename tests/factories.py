"""factory_boy factories for test data. Users get the password "correct horse battery"."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    CaseAssignment,
    Company,
    Consent,
    JobseekerProfile,
    ProfileSkill,
    Role,
    Task,
    TaskForm,
    TaskSkill,
    TaskStatus,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services.passwords import hash_password

PASSWORD = "correct horse battery"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"Test Person {n}")
    role = Role.JOBSEEKER
    locale = "da"
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))


class JobseekerFactory(UserFactory):
    role = Role.JOBSEEKER

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        profile = JobseekerProfile(
            user_id=obj.id,
            field="Cand.merc.",
            institution="CBS",
            languages=["Dansk"],
            postcode="2200",
            remote_ok=True,
            about="",
        )
        profile.skills = [ProfileSkill(label="Excel")]
        db.session.add(profile)
        db.session.commit()


class EntrepreneurFactory(UserFactory):
    role = Role.ENTREPRENEUR


VALID_CVRS = iter(
    str(n)
    for n in range(10_000_000, 99_999_999)
    if sum(int(d) * w for d, w in zip(str(n), (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0
)


class CompanyFactory(Base):
    class Meta:
        model = Company

    owner = factory.SubFactory(EntrepreneurFactory)
    name = factory.Sequence(lambda n: f"Firma {n} ApS")
    cvr = factory.LazyFunction(lambda: next(VALID_CVRS))


class TaskFactory(Base):
    class Meta:
        model = Task

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Opgave {n}")
    description = "Lav en markedsanalyse for vores nye produkt."
    learning = "Markedsanalyse i praksis"
    hours = 20
    deadline = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    postcode = "8000"
    remote = False
    capacity = 1
    # A paid small job starts at once; tests of the praktik and its approval set the form.
    form = TaskForm.PAID
    hourly_wage = 160
    status = TaskStatus.OPEN
    published_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        labels = extracted if extracted is not None else ["Excel"]
        obj.skills = [TaskSkill(label=label, required=True) for label in labels]
        db.session.commit()


class PraktikTaskFactory(TaskFactory):
    """A virksomhedspraktik of 2 weeks at 20 hours a week, at a company with 10 employees."""

    company = factory.SubFactory(CompanyFactory, employees=10)
    form = TaskForm.PRAKTIK
    hourly_wage = None
    hours_per_week = 20
    weeks = 2


class ApplicationFactory(Base):
    class Meta:
        model = Application

    task = factory.SubFactory(TaskFactory)
    jobseeker = factory.SubFactory(JobseekerFactory)
    motivation = "Jeg er motiveret."
    status = ApplicationStatus.PENDING


class CaseworkerFactory(UserFactory):
    role = Role.CASEWORKER


def follow(caseworker: User, jobseeker: User, consent: bool = True) -> None:
    """Assign ``jobseeker`` to ``caseworker``, with or without the graduate's consent."""
    db.session.add(CaseAssignment(jobseeker_id=jobseeker.id, caseworker_id=caseworker.id))
    db.session.add(Consent(jobseeker_id=jobseeker.id, shared=consent))
    db.session.commit()


def nearby_graduate(task: Task, **kwargs) -> User:
    """A graduate the ranking suggests for ``task``: the factory's Excel skill, living at
    the task's postcode (the default graduate lives in Copenhagen, the default task is in
    Aarhus). Invitations go only to suggested graduates."""
    user = JobseekerFactory(**kwargs)
    user.profile.postcode = task.postcode or "8000"
    db.session.commit()
    return user


# --- mentoring -----------------------------------------------------------------------------


class MentorFactory(UserFactory):
    """An approved, available mentor in Aarhus (online too) with finance expertise, capacity
    2 and 4 hours a month. ``MentorFactory(profile__approved=False)`` waits for approval."""

    role = Role.MENTOR

    @factory.post_generation
    def profile(obj, create, extracted, approved=True, paused=False, **kwargs):
        from taskboerse.models import MentorProfile, MentorSkill

        now = utcnow()
        profile = MentorProfile(
            user_id=obj.id,
            headline=kwargs.get("headline", "Tidligere økonomidirektør"),
            bio=kwargs.get("bio", "Jeg har hjulpet mange iværksættere med finansiering."),
            sectors=kwargs.get("sectors", ["finance"]),
            languages=kwargs.get("languages", ["Dansk", "Engelsk"]),
            hours_per_month=kwargs.get("hours_per_month", 4),
            capacity=kwargs.get("capacity", 2),
            postcode=kwargs.get("postcode", "8000"),
            max_distance_km=kwargs.get("max_distance_km", 30),
            online=kwargs.get("online", True),
            approved_at=now if approved else None,
            paused_at=now if paused else None,
        )
        labels = kwargs.get("skills", ["Finansiering", "Forretningsplan"])
        profile.skills = [MentorSkill(label=label, skill_id=_skill_id(label)) for label in labels]
        db.session.add(profile)
        db.session.commit()


class BusinessStaffFactory(UserFactory):
    """A member of the municipality's business service (erhvervsservice)."""

    role = Role.BUSINESS_STAFF


def _skill_id(label: str) -> int | None:
    """The vocabulary id of a skill labelled ``label`` in Danish, if the vocabulary has it."""
    from sqlalchemy import select

    from taskboerse.models import Skill

    return db.session.execute(select(Skill.id).where(Skill.label_da == label)).scalar()


def mentor_need(entrepreneur: User, topic: str = "financing", **fields):
    """An open mentor need of ``entrepreneur`` (in Aarhus, online welcome)."""
    from taskboerse.models import MentorNeed

    need = MentorNeed(
        entrepreneur_id=entrepreneur.id,
        company_id=entrepreneur.company.id if entrepreneur.company else None,
        topic=topic,
        stage=fields.pop("stage", "start"),
        description=fields.pop("description", "Vi skal rejse kapital til vores første år."),
        frequency=fields.pop("frequency", "monthly"),
        postcode=fields.pop("postcode", "8000"),
        online=fields.pop("online", True),
        **fields,
    )
    db.session.add(need)
    db.session.commit()
    return need
