"""Each rule has one home that every edge reads: the service, the form and the OpenAPI
document cannot drift apart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from taskboerse.services import tasks
from taskboerse.services.errors import ValidationFailed
from taskboerse.web.api.openapi import TASK_FIELDS
from taskboerse.web.entrepreneur.forms import TaskForm
from tests.factories import CompanyFactory


def test_task_limits_are_the_services_everywhere(app) -> None:
    limits = {
        "title": tasks.MAX_TITLE,
        "description": tasks.MAX_DESCRIPTION,
        "learning": tasks.MAX_LEARNING,
    }
    with app.test_request_context():
        form = TaskForm(meta={"csrf": False})
        for name, limit in limits.items():
            assert TASK_FIELDS[name]["maxLength"] == limit
            lengths = [v.max for v in form[name].validators if hasattr(v, "max")]
            assert lengths == [limit], name
        assert TASK_FIELDS["hours"]["maximum"] == tasks.MAX_HOURS
        assert TASK_FIELDS["capacity"]["maximum"] == tasks.MAX_CAPACITY
        assert [v.max for v in form.hours.validators if hasattr(v, "max")] == [tasks.MAX_HOURS]


def test_the_service_checks_what_the_graduate_will_learn(app) -> None:
    company = CompanyFactory()
    info = tasks.TaskInfo(
        title="Markedsanalyse",
        description="Analyser markedet.",
        required_skills="Excel",
        nice_skills="",
        hours=10,
        deadline=date.today() + timedelta(days=10),
        postcode="8000",
        remote=False,
        capacity=1,
        learning="x" * (tasks.MAX_LEARNING + 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        tasks.create_task(company.owner, info)
    assert refused.value.field == "learning"


def test_places_are_counted_one_way() -> None:
    from taskboerse.models import ApplicationStatus

    holding = [s for s in ApplicationStatus if tasks.takes_a_place(s)]
    assert holding == [ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED]
    assert [tasks.places_left(3, n) for n in (0, 2, 3, 5)] == [3, 1, 0, 0]


def test_templates_get_the_rules_as_booleans(app) -> None:
    from taskboerse.models import ApplicationStatus, TaskStatus
    from tests.factories import ApplicationFactory, TaskFactory

    application = ApplicationFactory(task=TaskFactory())
    assert application.can_withdraw and application.can_decide and not application.can_complete
    application.status = ApplicationStatus.ACCEPTED
    assert application.can_withdraw and application.can_complete and not application.can_decide
    application.task.status = TaskStatus.COMPLETED
    assert not application.can_complete and not application.task.takes_applications
    application.status = ApplicationStatus.COMPLETED
    assert not application.can_withdraw


def test_the_owner_is_offered_only_actions_that_can_succeed(app, login_as) -> None:
    from taskboerse.models import ApplicationStatus
    from tests.factories import ApplicationFactory, TaskFactory

    task = TaskFactory()
    assert tasks.offered_actions(task, 0) == {"cancel"}
    assert tasks.offered_actions(task, 1) == {"close", "complete", "cancel"}
    owner = login_as(task.company.owner)
    page = owner.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert "/close" not in page and "/cancel" in page
    ApplicationFactory(task=task, status=ApplicationStatus.ACCEPTED)
    page = owner.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert "/close" in page


def test_a_confirmed_reference_is_one_rule(app) -> None:
    """A reference counts as confirmed only from a company the job centre verified; pages,
    the CV and the ranking read ``Application.reference_confirmed`` / ``Company.is_verified``
    instead of checking ``verified_at`` themselves."""
    from pathlib import Path

    from sqlalchemy import select

    from taskboerse.extensions import db
    from taskboerse.models import ApplicationStatus, Company, Reference
    from taskboerse.models.types import utcnow
    from tests.factories import ApplicationFactory, TaskFactory

    application = ApplicationFactory(task=TaskFactory(), status=ApplicationStatus.COMPLETED)
    assert not application.reference_confirmed  # no reference yet
    application.reference = Reference(rating=5, text="Godt arbejde.")
    db.session.commit()
    assert not application.reference_confirmed  # the company is not verified
    company = application.task.company
    assert db.session.execute(select(Company.id).where(Company.is_verified)).first() is None
    company.verified_at = utcnow()
    db.session.commit()
    assert application.reference_confirmed
    assert db.session.execute(select(Company.id).where(Company.is_verified)).scalars().all() == [
        company.id
    ]

    root = Path(__file__).parents[2]
    readers = [
        *root.joinpath("templates").rglob("*.html"),
        *root.joinpath("taskboerse").rglob("*.py"),
    ]
    allowed = {
        "models/company.py",
        "models/application.py",
        "services/companies.py",
        "services/signups.py",  # the admin's warning names the company's state
        "web/admin/views.py",  # the verification page itself
        "web/api/serialisers.py",  # the company's own state, shown to its owner
    }
    direct = [
        str(path.relative_to(root))
        for path in readers
        if "company.is_verified" in path.read_text("utf-8")
        or "verified_at.is_not" in path.read_text("utf-8")
        if not any(str(path).endswith(a) for a in allowed)
    ]
    assert direct == []
