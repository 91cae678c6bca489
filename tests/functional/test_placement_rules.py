"""The rules on work while on dagpenge (services/placement_rules.py): each refusal names its
rule, changes nothing, and the limits are configuration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Placement,
    PlacementStatus,
    Task,
    TaskForm,
)
from taskboerse.models.types import utcnow
from taskboerse.services import applications, placement_rules, placements, tasks
from taskboerse.services.errors import Conflict, ValidationFailed
from taskboerse.services.placement_rules import RuleBroken
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    TaskFactory,
    follow,
)


def task_info(**changes) -> tasks.TaskInfo:
    values = {
        "title": "Markedsanalyse",
        "description": "Analyser markedet for vores nye produkt.",
        "required_skills": "Excel",
        "nice_skills": "",
        "hours": 30,
        "deadline": date.today() + timedelta(days=40),
        "postcode": "8000",
        "remote": False,
        "capacity": 2,
        "learning": "Markedsanalyse i praksis",
        "form": TaskForm.PRAKTIK,
        "hours_per_week": 20,
        "weeks": 2,
    }
    values.update(changes)
    return tasks.TaskInfo(**values)


@pytest.fixture
def company(app):
    return CompanyFactory(employees=10)


def task_count() -> int:
    return db.session.execute(select(func.count()).select_from(Task)).scalar_one()


def refused(rule: str, call, *args, **kwargs) -> RuleBroken:
    with pytest.raises(RuleBroken) as caught:
        call(*args, **kwargs)
    assert caught.value.rule == rule
    return caught.value


# --- the form of a task ----------------------------------------------------------------------


def test_a_praktik_task_within_the_limits_is_saved(company) -> None:
    task = tasks.create_task(company.owner, task_info())
    assert (task.form, task.hours_per_week, task.weeks, task.hourly_wage) == (
        TaskForm.PRAKTIK,
        20,
        2,
        None,
    )


def test_the_form_must_be_chosen(company) -> None:
    with pytest.raises(ValidationFailed) as caught:
        tasks.create_task(company.owner, task_info(form=None))
    assert caught.value.field == "form"
    assert task_count() == 0


def test_a_praktik_over_37_hours_a_week_is_refused(company) -> None:
    error = refused("praktik_hours", tasks.create_task, company.owner, task_info(hours_per_week=38))
    assert "37" in str(error.message) and "LAB" in str(error.message)
    assert task_count() == 0


def test_a_praktik_longer_than_4_weeks_is_refused(company) -> None:
    error = refused("praktik_weeks", tasks.create_task, company.owner, task_info(weeks=5, hours=40))
    assert "4" in str(error.message) and "8" in str(error.message)
    assert task_count() == 0


def test_a_new_graduates_degree_allows_8_weeks_and_no_more(company) -> None:
    task = tasks.create_task(company.owner, task_info(weeks=8, uses_degree=True, hours=120))
    assert task.weeks == 8
    refused(
        "praktik_weeks",
        tasks.create_task,
        company.owner,
        task_info(weeks=9, uses_degree=True, hours=120),
    )


def test_the_hours_must_fit_in_the_period(company) -> None:
    refused("praktik_period", tasks.create_task, company.owner, task_info(hours=50))


def test_a_praktik_needs_the_number_of_employees(app) -> None:
    company = CompanyFactory(employees=None)
    error = refused("praktik_ratio", tasks.create_task, company.owner, task_info())
    assert "ansatte" in str(error.message) or "employees" in str(error.message)


def test_a_paid_job_needs_a_wage(company) -> None:
    refused(
        "paid_wage",
        tasks.create_task,
        company.owner,
        task_info(form=TaskForm.PAID, hourly_wage=None),
    )
    task = tasks.create_task(
        company.owner, task_info(form=TaskForm.PAID, hourly_wage=175, hours_per_week=60)
    )
    # A paid job keeps its wage and drops the praktik's fields.
    assert (task.hourly_wage, task.hours_per_week, task.weeks) == (175, None, None)


def test_voluntary_work_only_for_a_marked_association(company) -> None:
    refused(
        "voluntary_nonprofit",
        tasks.create_task,
        company.owner,
        task_info(form=TaskForm.VOLUNTARY),
    )
    company.nonprofit_at = utcnow()
    db.session.commit()
    task = tasks.create_task(company.owner, task_info(form=TaskForm.VOLUNTARY))
    assert task.form == TaskForm.VOLUNTARY


def test_the_form_cannot_change_once_someone_is_accepted(company) -> None:
    task = TaskFactory(company=company, form=TaskForm.PAID, hourly_wage=150)
    ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED)
    with pytest.raises(ValidationFailed) as caught:
        tasks.update_task(company.owner, task.id, task_info())
    assert caught.value.field == "form"
    db.session.refresh(task)
    assert task.form == TaskForm.PAID


def test_the_limits_are_configuration(app, company) -> None:
    app.config["PRAKTIK_MAX_HOURS_PER_WEEK"] = 30
    app.config["PRAKTIK_MAX_WEEKS"] = 2
    refused("praktik_hours", tasks.create_task, company.owner, task_info(hours_per_week=31))
    refused("praktik_weeks", tasks.create_task, company.owner, task_info(weeks=3))
    assert placement_rules.max_weeks(False) == 2


# --- applying and accepting -----------------------------------------------------------------


def praktik_task(company, **changes):
    values = {
        "company": company,
        "form": TaskForm.PRAKTIK,
        "hourly_wage": None,
        "hours_per_week": 20,
        "weeks": 2,
        "capacity": 5,
    }
    values.update(changes)
    return TaskFactory(**values)


def test_a_praktik_at_a_former_employer_is_refused(company) -> None:
    task = praktik_task(company)
    graduate = JobseekerFactory()
    refused(
        "praktik_former_employer",
        applications.apply_to_task,
        graduate,
        task.id,
        "Jeg vil gerne.",
        worked_for_company=True,
    )
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 0


def test_a_paid_job_at_a_former_employer_is_fine(company) -> None:
    task = TaskFactory(company=company)
    application = applications.apply_to_task(
        JobseekerFactory(), task.id, "Jeg vil gerne.", worked_for_company=True
    )
    assert application.worked_for_company


def test_accepting_a_praktik_waits_for_the_job_centre(company) -> None:
    task = praktik_task(company)
    graduate = JobseekerFactory()
    caseworker = CaseworkerFactory()
    follow(caseworker, graduate)
    application = applications.apply_to_task(graduate, task.id, "Jeg vil gerne.")
    start = placements.next_monday(date.today())
    applications.accept_application(
        company.owner, application.id, placements.PlacementPlan("Lære markedsanalyse", start)
    )
    placement = application.placement
    assert placement.status == PlacementStatus.AWAITING_APPROVAL
    assert (placement.start_on, placement.end_on) == (start, start + timedelta(days=13))
    assert placement.purpose == "Lære markedsanalyse"
    assert placements.placements_for(caseworker, waiting_only=True) == [placement]
    # Completing it before approval is refused: the work may not have started.
    with pytest.raises(Conflict):
        placements.check_may_complete(application)


def test_the_ratio_rule_refuses_one_praktik_too_many(app) -> None:
    company = CompanyFactory(employees=9)  # 9 // 5 = 1 place
    task = praktik_task(company)
    first, second = JobseekerFactory(), JobseekerFactory()
    a1 = applications.apply_to_task(first, task.id, "Jeg vil gerne.")
    a2 = applications.apply_to_task(second, task.id, "Jeg vil også.")
    applications.accept_application(company.owner, a1.id)
    error = refused("praktik_ratio", applications.accept_application, company.owner, a2.id)
    assert "9" in str(error.message)
    db.session.refresh(a2)
    assert a2.status == ApplicationStatus.PENDING and a2.placement is None


def test_a_company_with_no_employees_still_has_one_place(app) -> None:
    company = CompanyFactory(employees=0)
    assert placement_rules.places_allowed(0) == 1
    task = praktik_task(company)
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    assert application.placement.status == PlacementStatus.AWAITING_APPROVAL


def test_a_praktik_needs_a_purpose_and_a_start_not_in_the_past(company) -> None:
    task = praktik_task(company, learning="")
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    with pytest.raises(ValidationFailed) as caught:
        applications.accept_application(company.owner, application.id)
    assert caught.value.field == "purpose"
    with pytest.raises(ValidationFailed) as caught:
        applications.accept_application(
            company.owner,
            application.id,
            placements.PlacementPlan("Formål", date.today() - timedelta(days=1)),
        )
    assert caught.value.field == "start_on"
    db.session.refresh(application)
    assert application.status == ApplicationStatus.PENDING
    assert db.session.execute(select(func.count()).select_from(Placement)).scalar_one() == 0


def test_paid_and_voluntary_work_start_at_once(company) -> None:
    task = TaskFactory(company=company)
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    placement = application.placement
    assert placement.status == PlacementStatus.APPROVED
    assert placement.hourly_wage == 160 and placement.end_on == task.deadline


# --- hours ----------------------------------------------------------------------------------


@pytest.fixture
def approved(company):
    task = praktik_task(company)
    graduate = JobseekerFactory()
    caseworker = CaseworkerFactory()
    application = applications.apply_to_task(graduate, task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    placement = application.placement
    placements.approve_placement(caseworker, placement.id)
    # It started two weeks ago (approved before that).
    placement.start_on = date.today() - timedelta(days=14)
    placement.end_on = date.today()
    db.session.commit()
    return placement


def monday_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_praktik_hours_over_37_a_week_are_refused(approved) -> None:
    monday = monday_before(date.today() - timedelta(days=7))
    graduate = approved.jobseeker
    for k in range(4):
        placements.log_hours(graduate, approved.id, monday + timedelta(days=k), "9")
    error = refused(
        "praktik_hours", placements.log_hours, graduate, approved.id, monday + timedelta(4), "2"
    )
    assert "38" in str(error.message)
    assert len(approved.hours) == 4
    # 1 hour more fits exactly: 37.
    placements.log_hours(graduate, approved.id, monday + timedelta(days=4), "1")


@pytest.mark.parametrize(
    "raw", ["", "abc", "0", "25", "7,3", "-1", "1e9", True, None, "7:61", "nan"]
)
def test_bad_hours_are_refused(approved, raw) -> None:
    with pytest.raises(ValidationFailed):
        placements.log_hours(approved.jobseeker, approved.id, date.today(), raw)
    assert approved.hours == []


@pytest.mark.parametrize("raw,minutes", [("7,5", 450), (7.5, 450), ("7:30", 450), ("0.25", 15)])
def test_hours_as_typed(raw, minutes) -> None:
    assert placements.parse_hours(raw) == minutes


def test_hours_for_a_future_day_or_before_the_start_are_refused(approved) -> None:
    graduate = approved.jobseeker
    with pytest.raises(ValidationFailed):
        placements.log_hours(graduate, approved.id, date.today() + timedelta(days=1), "2")
    with pytest.raises(ValidationFailed):
        placements.log_hours(graduate, approved.id, approved.start_on - timedelta(days=1), "2")


def test_confirmed_hours_are_final(approved) -> None:
    graduate, owner = approved.jobseeker, approved.company.owner
    placements.log_hours(graduate, approved.id, date.today(), "7,5")
    assert placements.confirm_hours(owner, approved.id) == 1
    with pytest.raises(Conflict):
        placements.log_hours(graduate, approved.id, date.today(), "8")
    assert placements.hours_summary(approved) == (7.5, 7.5)


def test_no_hours_before_approval(company) -> None:
    task = praktik_task(company)
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    with pytest.raises(Conflict):
        placements.log_hours(application.jobseeker, application.placement.id, date.today(), "2")


def test_rule_checks_for_the_caseworker(approved) -> None:
    checks = {c.rule: c for c in placement_rules.checks_for(approved, date.today())}
    assert set(checks) == {
        "praktik_start",
        "praktik_weeks",
        "praktik_hours",
        "praktik_ratio",
        "praktik_former_employer",
        "praktik_degree",
    }
    assert checks["praktik_hours"].holds and "20" in checks["praktik_hours"].detail


# --- found in review --------------------------------------------------------------------------


def test_a_praktik_asking_for_more_graduates_than_the_ratio_allows(company) -> None:
    # 10 employees: 2 at once.
    error = refused("praktik_ratio", tasks.create_task, company.owner, task_info(capacity=3))
    assert error.field == "capacity"
    assert tasks.create_task(company.owner, task_info(capacity=2)).capacity == 2


def test_the_ratio_is_checked_again_at_approval(app) -> None:
    company = CompanyFactory(employees=5)  # one place
    caseworker = CaseworkerFactory()
    first = applications.apply_to_task(JobseekerFactory(), praktik_task(company).id, "Ja.")
    applications.accept_application(company.owner, first.id)
    # The count changed behind the rule's back (an older praktik approved elsewhere).
    other = Placement(
        application_id=ApplicationFactory(task=praktik_task(company)).id,
        jobseeker_id=JobseekerFactory().id,
        company_id=company.id,
        form=TaskForm.PRAKTIK,
        status=PlacementStatus.APPROVED,
        purpose="",
        start_on=date.today(),
        end_on=date.today() + timedelta(days=13),
    )
    db.session.add(other)
    db.session.commit()
    refused("praktik_ratio", placements.approve_placement, caseworker, first.placement.id)
    db.session.refresh(first.placement)
    assert first.placement.status == PlacementStatus.AWAITING_APPROVAL


def test_a_late_approval_starts_the_praktik_today(company) -> None:
    task = praktik_task(company)
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    placement = application.placement
    placement.start_on = date.today() - timedelta(days=3)
    placement.end_on = placement.start_on + timedelta(days=13)
    db.session.commit()
    check = next(
        c for c in placement_rules.checks_for(placement, date.today()) if c.rule == "praktik_start"
    )
    assert not check.holds
    placements.approve_placement(CaseworkerFactory(), placement.id)
    assert placement.start_on == date.today()
    assert placement.end_on == date.today() + timedelta(days=13)
    # No hours before the approval.
    with pytest.raises(ValidationFailed):
        placements.log_hours(
            application.jobseeker, placement.id, date.today() - timedelta(days=1), "2"
        )


def test_no_approval_after_a_withdrawal(company) -> None:
    task = praktik_task(company)
    graduate = JobseekerFactory()
    application = applications.apply_to_task(graduate, task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    applications.withdraw_application(graduate, application.id)
    with pytest.raises(Conflict):
        placements.approve_placement(CaseworkerFactory(), application.placement.id)
    # Nor hours on the ended placement.
    with pytest.raises(Conflict):
        placements.log_hours(graduate, application.placement.id, date.today(), "2")


def test_a_disabled_caseworkers_graduate_goes_to_every_caseworker(company) -> None:
    graduate = JobseekerFactory()
    gone, other = CaseworkerFactory(), CaseworkerFactory()
    follow(gone, graduate)
    gone.is_disabled = True
    db.session.commit()
    application = applications.apply_to_task(graduate, praktik_task(company).id, "Ja.")
    applications.accept_application(company.owner, application.id)
    assert placements.placements_for(other, waiting_only=True) == [application.placement]
    assert placements.get_placement(other, application.placement.id) is application.placement
    placements.approve_placement(other, application.placement.id)
    assert application.placement.status == PlacementStatus.APPROVED


def test_a_praktik_cannot_be_completed_before_it_starts(company) -> None:
    task = praktik_task(company)
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    placements.approve_placement(CaseworkerFactory(), application.placement.id)
    with pytest.raises(Conflict):
        placements.check_may_complete(application)


def test_no_praktik_hours_after_its_end(approved) -> None:
    approved.end_on = date.today() - timedelta(days=2)
    db.session.commit()
    refused(
        "praktik_weeks",
        placements.log_hours,
        approved.jobseeker,
        approved.id,
        date.today() - timedelta(days=1),
        "2",
    )


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e400", 1e400, "7:75", "1:-15", "7:", ":30"])
def test_more_bad_hours(approved, raw) -> None:
    with pytest.raises(ValidationFailed):
        placements.log_hours(approved.jobseeker, approved.id, date.today(), raw)


def test_the_caseworkers_list_is_in_the_access_log_once_a_day(company) -> None:
    from taskboerse.models import AccessAction, AccessLogEntry

    graduate = JobseekerFactory()
    caseworker = CaseworkerFactory()
    follow(caseworker, graduate)
    application = applications.apply_to_task(graduate, praktik_task(company).id, "Ja.")
    applications.accept_application(company.owner, application.id)
    placements.list_placements(caseworker)
    placements.list_placements(caseworker)
    rows = (
        db.session.execute(
            select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.VIEW_PLACEMENT_QUEUE)
        )
        .scalars()
        .all()
    )
    assert [r.jobseeker_id for r in rows] == [graduate.id]
