"""Seed realistic, fictitious demo data through the same services the app uses. Idempotent."""

from __future__ import annotations

import io
from datetime import timedelta
from itertools import cycle
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Company,
    Consent,
    OutcomeStatus,
    Role,
    Task,
    TaskForm,
    TaskStatus,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import (
    accounts,
    applications,
    companies,
    conversations,
    placements,
    profiles,
    tasks,
)
from taskboerse.services.demo_data import (
    ABOUTS,
    ASSOCIATION,
    ASSOCIATION_PROFILE,
    COMPANIES,
    COMPANIES_WITHOUT_LOGO,
    COMPANY_PROFILES,
    EDUCATIONS,
    EMPLOYEES,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    POSTCODES,
    REFERENCES,
    TASK_POSTCODES,
    TASKS,
    UNVERIFIED_COMPANIES,
    VOLUNTARY_TASKS,
)
from taskboerse.services.demo_mentoring import seed_mentoring
from taskboerse.services.skills import sync_vocabulary

if TYPE_CHECKING:
    from taskboerse.services.matching_index import MatchingIndex

DEMO_PASSWORD = "taskboerse-demo"
DEMO_DOMAIN = "demo.example.com"  # reserved for examples (RFC 2606); mail never arrives


def _demo_cvr(index: int) -> str:
    """The index-th valid CVR number at or above 30000000 (fictitious, but check-digit valid)."""
    found = -1
    number = 30_000_000
    while True:
        if companies.is_valid_cvr(str(number)):
            found += 1
            if found == index:
                return str(number)
        number += 1


# Logo colours: dark enough for white initials to read.
LOGO_COLOURS = ("#0b5cad", "#14632f", "#8a4b00", "#6b2c91", "#a4001d", "#00606b")


def _demo_logo(name: str, index: int) -> bytes:
    """A drawn logo for a demo company: its initials in white on a colour (a PNG upload)."""
    initials = "".join(word[0] for word in name.replace("&", "").split()[:2]).upper()
    image = Image.new("RGB", (320, 320), LOGO_COLOURS[index % len(LOGO_COLOURS)])
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=150)
    draw.text((160, 160), initials, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _fill_company_profile(owner: User, index: int) -> None:
    """Give a demo company its public profile and logo, once (also to one seeded before
    companies had profiles)."""
    company = owner.company
    if company is None or company.description or company.name not in COMPANY_PROFILES:
        return
    sector, description, website, address, postcode = COMPANY_PROFILES[company.name]
    companies.save_company(
        owner,
        company.name,
        company.cvr,
        company.phone,
        profile=companies.CompanyProfile(
            description=description,
            website=website,
            sector=sector,
            address=address,
            postcode=postcode,
        ),
        logo=None
        if company.name in COMPANIES_WITHOUT_LOGO
        else companies.LogoChange(upload=_demo_logo(company.name, index)),
    )


def _user(email: str, name: str, role: Role) -> User:
    existing = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if existing is not None:
        return existing
    return accounts.create_user(
        accounts.NewUser(email=email, name=name, role=role, password=DEMO_PASSWORD)
    )


def seed_demo(index: MatchingIndex) -> dict[str, int]:
    """Create the demo world; running it again adds nothing. Returns counts of what exists.
    ``index`` ranks the candidates one demo invitation goes to."""
    sync_vocabulary()
    admin = _user(f"admin@{DEMO_DOMAIN}", "Anne Admin", Role.ADMIN)
    _user(f"sagsbehandler1@{DEMO_DOMAIN}", "Karen Sagsbehandler", Role.CASEWORKER)
    _user(f"sagsbehandler2@{DEMO_DOMAIN}", "Bo Sagsbehandler", Role.CASEWORKER)

    owners: list[User] = []
    for i, (company_name, person) in enumerate(COMPANIES, start=1):
        owner = _user(f"virksomhed{i}@{DEMO_DOMAIN}", person, Role.ENTREPRENEUR)
        if owner.company is None:
            # Fictitious numbers in a range no Danish operator hands out to customers.
            company = companies.save_company(
                owner, company_name, _demo_cvr(i), phone=f"70 00 {i:02d} {i:02d}"
            )
            # The job centre has checked all but one company, so CVs show both kinds.
            if company_name not in UNVERIFIED_COMPANIES:
                companies.verify_company(admin, company.id)
        _fill_company_profile(owner, i)
        if owner.company.employees is None:
            owner.company.employees = EMPLOYEES[(i - 1) % len(EMPLOYEES)]
            db.session.commit()
        owners.append(owner)
    association = _association(admin, len(COMPANIES) + 1)

    graduates: list[User] = []
    new_graduates: list[tuple[int, User]] = []
    for i in range(60):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i // 10 % len(LAST_NAMES)]}"
        grad = _user(f"dimittend{i + 1}@{DEMO_DOMAIN}", name, Role.JOBSEEKER)
        if grad.profile is None:
            level, field, institution, skills, languages = EDUCATIONS[i % len(EDUCATIONS)]
            profiles.save_profile(
                grad,
                profiles.ProfileInfo(
                    degree_level=level,
                    field=field,
                    institution=institution,
                    graduation_year=2024 + i % 3,
                    skills=skills,
                    languages=languages,
                    hours_per_week=(10, 15, 20, 25, 30, 37)[i % 6],
                    # Each education in several towns, not five copies in one place.
                    postcode=POSTCODES[(i + 5 * (i // len(EDUCATIONS))) % len(POSTCODES)],
                    remote_ok=i % 4 != 0,
                    max_distance_km=(25, 40, 60)[i % 3],
                    about=ABOUTS[i % len(ABOUTS)],
                    phone=f"+45 70 10 {i // 10:02d} {i % 10:02d}" if i % 3 else "",
                ),
            )
            new_graduates.append((i, grad))
        graduates.append(grad)
    # Graduates seeded before the education vocabulary existed get their field linked too.
    profiles.link_educations()

    new_applications: list[Application] = []
    for i, (title, description, required, nice, hours, remote, learning, _field) in enumerate(
        TASKS
    ):
        owner = owners[i % len(owners)]
        task = db.session.execute(
            select(Task).where(Task.company_id == owner.company.id, Task.title == title)
        ).scalar_one_or_none()
        if task is None:
            task = tasks.create_task(
                owner,
                tasks.TaskInfo(
                    title=title,
                    description=description,
                    required_skills=required,
                    nice_skills=nice,
                    hours=hours,
                    deadline=tasks.today() + timedelta(days=14 + (i * 3) % 60),
                    postcode=None
                    if remote
                    else TASK_POSTCODES.get(title, POSTCODES[i % len(POSTCODES)]),
                    remote=remote,
                    capacity=1 + i % 3,
                    learning=learning,
                    **_demo_form(i, hours),
                ),
            )
            new_applications.extend(_play_out(i, task, owner, graduates))
    new_applications.extend(_voluntary_tasks(association, graduates))

    if new_applications:
        _invite_with_a_message(index, owners, graduates[0])
    _age_history(new_graduates, new_applications)
    _seed_followup(new_graduates)
    mentoring = seed_mentoring(owners, DEMO_DOMAIN, DEMO_PASSWORD)

    return {
        "users": len(db.session.execute(select(User.id)).all()),
        "companies": len(db.session.execute(select(Company.id)).all()),
        "tasks": len(db.session.execute(select(Task.id)).all()),
        "applications": len(db.session.execute(select(Application.id)).all()),
        **mentoring,
    }


def _demo_form(i: int, hours: int) -> dict:
    """Every third demo task is a virksomhedspraktik (20 hours a week, as many weeks as the
    hours need; every other one uses the graduate's degree), the rest paid small jobs."""
    if i % 3 == 1:
        return {
            "form": TaskForm.PRAKTIK,
            "hours_per_week": 20,
            "weeks": -(-hours // 20),
            "uses_degree": i % 2 == 0,
        }
    return {"form": TaskForm.PAID, "hourly_wage": 150 + (i % 5) * 10}


def _association(admin: User, number: int) -> User:
    """The demo's non-profit association, marked by the administrator (voluntary work)."""
    name, person = ASSOCIATION
    owner = _user(f"virksomhed{number}@{DEMO_DOMAIN}", person, Role.ENTREPRENEUR)
    if owner.company is None:
        sector, description, website, address, postcode = ASSOCIATION_PROFILE
        company = companies.save_company(
            owner,
            name,
            _demo_cvr(number),
            phone=f"70 00 {number:02d} {number:02d}",
            profile=companies.CompanyProfile(
                description=description, website=website, address=address, postcode=postcode
            ),
            logo=companies.LogoChange(upload=_demo_logo(name, number)),
        )
        companies.verify_company(admin, company.id)
        company.employees = 0
        company.nonprofit_at = utcnow()
        db.session.commit()
    return owner


def _voluntary_tasks(owner: User, graduates: list[User]) -> list[Application]:
    """The association's voluntary tasks: one open with an applicant, one under way."""
    new: list[Application] = []
    for k, (title, description, required, nice, hours, remote, learning) in enumerate(
        VOLUNTARY_TASKS
    ):
        exists = db.session.execute(
            select(Task.id).where(Task.company_id == owner.company.id, Task.title == title)
        ).first()
        if exists:
            continue
        task = tasks.create_task(
            owner,
            tasks.TaskInfo(
                title=title,
                description=description,
                required_skills=required,
                nice_skills=nice,
                hours=hours,
                deadline=tasks.today() + timedelta(days=30 + 10 * k),
                postcode=None if remote else "2200",
                remote=remote,
                capacity=2,
                learning=learning,
                form=TaskForm.VOLUNTARY,
            ),
        )
        tasks.change_task_status(owner, task.id, "publish")
        grad = graduates[(17 + 13 * k) % len(graduates)]
        application = applications.apply_to_task(
            grad, task.id, "Jeg vil gerne give en hånd med i foreningen."
        )
        new.append(application)
        if k == 1:
            applications.accept_application(owner, application.id)
    return new


def _approve(application: Application) -> None:
    """A demo caseworker approves the praktik the application became."""
    caseworker = _user(f"sagsbehandler1@{DEMO_DOMAIN}", "Karen Sagsbehandler", Role.CASEWORKER)
    placement = application.placement
    if placement is not None and placement.needs_approval:
        placements.approve_placement(caseworker, placement.id)


def _log_demo_hours(application: Application, confirm: bool) -> None:
    """Backdate a placement that logs hours (by three weeks when the work is done, else by
    eight days, so it is still under way) and log a few days of work; the company confirms
    them when ``confirm``."""
    placement = application.placement
    if placement is None or not placement.logs_hours:
        return
    length = placement.end_on - placement.start_on
    placement.start_on = tasks.today() - timedelta(days=21 if confirm else 8)
    if placement.form == TaskForm.PRAKTIK:
        placement.end_on = placement.start_on + length
    db.session.commit()
    day = placement.start_on
    logged = 0
    last = min(tasks.today(), placement.end_on)
    while logged < 6 and day <= last:
        if day.weekday() < 5:
            placements.log_hours(
                application.jobseeker, placement.id, day, "7,5" if logged % 2 else "4"
            )
            logged += 1
        day += timedelta(days=1)
    if confirm:
        placements.confirm_hours(application.task.company.owner, placement.id)


def _play_out(i: int, task: Task, owner: User, graduates: list[User]) -> list[Application]:
    """Move a new demo task and its applications into a state chosen by its index.

    Every task and application state appears: drafts, open tasks with pending, rejected and
    withdrawn applicants, tasks in progress, completed tasks with references, cancelled tasks.
    """
    scenario = i % 8
    if scenario == 7:
        return []  # stays a draft
    tasks.change_task_status(owner, task.id, "publish")
    applicants = [graduates[(i * 7 + k * 11) % len(graduates)] for k in range(1 + i % 4)]
    apps = []
    for grad in applicants:
        apps.append(
            applications.apply_to_task(
                grad, task.id, f"Jeg har relevante kompetencer og vil gerne løse «{task.title}»."
            )
        )
    _talk(owner, apps[0], QUESTIONS[i % len(QUESTIONS)])
    if scenario in (0, 1):
        return apps  # open with pending applicants
    texts = cycle(REFERENCES)
    first = apps[0]
    if scenario == 2 and len(apps) > 1:
        applications.reject_application(owner, apps[1].id, reason=REJECTION_REASON)
    if scenario == 3:
        applications.withdraw_application(first.jobseeker, first.id, reason=WITHDRAWAL_REASON)
        return apps
    if scenario == 6:
        tasks.change_task_status(owner, task.id, "cancel", reason=CANCEL_REASON)
        return apps
    accepted = applications.accept_application(owner, first.id)
    _talk(owner, accepted, WELCOME)
    # One praktik waits for the job centre (i == 10); the others are approved and under way.
    if i != 10:
        _approve(accepted)
        _log_demo_hours(accepted, confirm=scenario in (4, 5))
    if scenario in (4, 5):
        # The work took its time: completion is refused until the task's hours could pass.
        accepted.accepted_at = accepted.decided_at = utcnow() - timedelta(days=60)
        db.session.commit()
        skill_ids = tuple(s.id for s in task.skills)
        applications.complete_application(
            owner,
            first.id,
            applications.ReferenceInfo(rating=4 + i % 2, text=next(texts), skill_ids=skill_ids),
        )
        if scenario == 5 and task.status == TaskStatus.OPEN:
            tasks.change_task_status(owner, task.id, "close")
    elif i == 2:
        # One graduate is behind: accepted, and the deadline has passed (a follow-up flag).
        task.deadline = tasks.today() - timedelta(days=5)
        db.session.commit()
    return apps


QUESTIONS = (
    ("Hej! Skal analysen dække hele Østjylland eller kun Aarhus?", "Kun Aarhus og omegn."),
    ("Må jeg bruge jeres tal fra sidste år som udgangspunkt?", "Ja, dem sender jeg i morgen."),
    ("Hvornår vil I gerne have et første udkast?", "Gerne om to uger, før vores møde."),
)
WELCOME = (
    "Tak for aftalen! Jeg kan starte på mandag – passer kl. 9?",
    "Mandag kl. 9 er fint. Vi ses på kontoret, eller på video hvis du er syg.",
)
REJECTION_REASON = "Vi valgte en ansøger med erfaring fra detailhandlen. Søg gerne igen."
WITHDRAWAL_REASON = "Jeg har fået et deltidsjob og har ikke tid nok."
CANCEL_REASON = "Vi har udskudt projektet til næste år."


INVITATION_NOTE = (
    "Hej! Vi har set din profil og tror, opgaven passer godt til dig. "
    "Skriv endelig, hvis du har spørgsmål."
)


def _invite_with_a_message(index: MatchingIndex, owners: list[User], graduate: User) -> None:
    """One invitation with a personal note, so the invitation and its conversation can be
    seen at once: to the first demo graduate where the ranking suggests them, else to the
    best-ranked graduate of the first open task that has one."""
    from taskboerse.services.recommendations import is_suggested, recommend_candidates

    index.refresh_vectors()  # the explicit step: every new task and profile gets its vector
    applied = set(
        db.session.execute(
            select(Application.task_id).where(Application.jobseeker_id == graduate.id)
        ).scalars()
    )
    open_tasks = [
        (owner, task)
        for owner in owners
        for task in tasks.tasks_of_company(owner)
        if task.status == TaskStatus.OPEN
    ]
    for owner, task in open_tasks:
        if task.id not in applied and is_suggested(index, owner, task.id, graduate.id):
            applications.invite_jobseeker(index, owner, task.id, graduate.id, INVITATION_NOTE)
            return
    for owner, task in open_tasks:
        for candidate in recommend_candidates(index, owner, task.id, k=1):
            applications.invite_jobseeker(index, owner, task.id, candidate.user.id, INVITATION_NOTE)
            return


def _talk(owner: User, application: Application, lines: tuple[str, str]) -> None:
    """The graduate writes first, the company answers: a demo conversation."""
    thread = conversations.thread_of_application(owner, application.id)
    conversations.post_message(application.jobseeker, thread, lines[0])
    conversations.post_message(owner, thread, lines[1])


def _age_history(new_graduates: list[tuple[int, User]], new_apps: list[Application]) -> None:
    """Spread the new demo history over the past months, so the caseload, its flags and the
    statistics look like a job centre's after half a year (the services stamp "now")."""
    now = utcnow()
    registered = {}
    for i, grad in new_graduates:
        grad.created_at = now - timedelta(days=4 + (i * 37) % 200, hours=i)
        registered[grad.id] = (i, grad)
    for application in new_apps:
        if application.jobseeker_id not in registered:
            continue
        start = registered[application.jobseeker_id][1].created_at
        span = now - start
        application.created_at = start + span * 0.25
        if application.accepted_at is not None:
            application.accepted_at = start + span * 0.45
        if application.decided_at is not None:
            application.decided_at = application.accepted_at or start + span * 0.45
        if application.completed_at is not None:
            application.completed_at = start + span * 0.7
    for i, grad in new_graduates:
        start = grad.created_at
        # Every fifth graduate went quiet soon after registering (the "no activity" flag).
        grad.last_active_at = (
            start + (now - start) * 0.3 if i % 5 == 0 else now - timedelta(days=i % 10)
        )
    db.session.commit()


def _seed_followup(new_graduates: list[tuple[int, User]]) -> None:
    """Consent for three in four graduates, assignments to the two demo caseworkers, and a
    few notes and outcomes."""
    first = _user(f"sagsbehandler1@{DEMO_DOMAIN}", "Karen Sagsbehandler", Role.CASEWORKER)
    second = _user(f"sagsbehandler2@{DEMO_DOMAIN}", "Bo Sagsbehandler", Role.CASEWORKER)
    for i, grad in new_graduates:
        if i % 4 != 3:
            db.session.add(Consent(jobseeker_id=grad.id, shared=True, changed_at=grad.created_at))
        if i < 58:
            caseworker = first if i < 30 else second
            db.session.add(CaseAssignment(jobseeker_id=grad.id, caseworker_id=caseworker.id))
        if i in (0, 1, 31):
            db.session.add(
                CaseNote(
                    jobseeker_id=grad.id,
                    author_id=(first if i < 30 else second).id,
                    text=NOTES[i % len(NOTES)],
                )
            )
        if i in (4, 9, 36):
            db.session.add(
                CaseOutcome(
                    jobseeker_id=grad.id,
                    status=OutcomeStatus.EMPLOYED if i != 9 else OutcomeStatus.IN_EDUCATION,
                    outcome_date=tasks.today() - timedelta(days=10 + i),
                    recorded_by_id=(first if i < 30 else second).id,
                )
            )
    db.session.commit()
