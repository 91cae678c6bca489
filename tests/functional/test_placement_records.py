"""What a placement leaves behind: its form and period on the CV, the graduate's data export,
erasure, and notifications that open the placement's page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Notification,
    NotificationKind,
    Placement,
    PlacementHours,
    PlacementStatus,
)
from taskboerse.services import applications, placements, privacy
from taskboerse.services.cv import cv_lines
from taskboerse.services.errors import Conflict
from tests.factories import (
    CaseworkerFactory,
    JobseekerFactory,
    PraktikTaskFactory,
    follow,
)
from tests.helpers import backdate_acceptance


@pytest.fixture
def under_way(app):
    """An approved praktik that started two weeks ago, with a day of hours logged."""
    task = PraktikTaskFactory(title="Markedsanalyse")
    company = task.company
    graduate = JobseekerFactory(locale="en")
    caseworker = CaseworkerFactory()
    follow(caseworker, graduate)
    application = applications.apply_to_task(graduate, task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    placement = application.placement
    placements.approve_placement(caseworker, placement.id)
    # Approved before it started two weeks ago.
    placement.start_on = date.today() - timedelta(days=14)
    placement.end_on = date.today() - timedelta(days=1)
    db.session.commit()
    placements.log_hours(graduate, placement.id, date.today() - timedelta(days=3), "6")
    return application


def test_the_cv_shows_the_form_and_period(under_way) -> None:
    backdate_acceptance(under_way)
    applications.complete_application(
        under_way.task.company.owner,
        under_way.id,
        applications.ReferenceInfo(rating=5, text="Grundigt arbejde."),
    )
    assert under_way.placement.status == PlacementStatus.COMPLETED
    with force_locale("en"):
        lines = [line.text for line in cv_lines(under_way.jobseeker, "en")]
    line = next(text for text in lines if text.startswith("Virksomhedspraktik, "))
    assert line.endswith("20 hours")
    start = under_way.placement.start_on
    assert str(start.day) in line and str(start.year) in line


def test_completing_before_approval_is_refused(app) -> None:
    task = PraktikTaskFactory()
    company = task.company
    application = applications.apply_to_task(JobseekerFactory(), task.id, "Jeg vil gerne.")
    applications.accept_application(company.owner, application.id)
    backdate_acceptance(application)
    with pytest.raises(Conflict):
        applications.complete_application(
            company.owner, application.id, applications.ReferenceInfo(rating=4, text="Fint.")
        )
    db.session.refresh(application)
    assert application.placement.status == PlacementStatus.AWAITING_APPROVAL


def test_withdrawing_ends_the_placement(under_way) -> None:
    applications.withdraw_application(under_way.jobseeker, under_way.id)
    assert under_way.placement.status == PlacementStatus.ENDED


def test_the_export_holds_placements_and_hours(under_way) -> None:
    data = privacy.export_personal_data(under_way.jobseeker)
    (placement,) = data["placements"]
    assert placement["form"] == "praktik" and placement["status"] == "approved"
    assert placement["hours"][0]["hours"] == 6.0


def test_erasure_removes_hours_and_purpose(under_way) -> None:
    placement_id = under_way.placement.id
    privacy.anonymise_user(under_way.jobseeker)
    db.session.expire_all()
    placement = db.session.get(Placement, placement_id)
    assert placement.purpose == "" and placement.status == PlacementStatus.ENDED
    assert db.session.execute(select(PlacementHours)).first() is None


def test_notifications_open_the_placement(app, under_way, login_as) -> None:
    placement = under_way.placement
    for user, kind in (
        (under_way.jobseeker, NotificationKind.PLACEMENT_APPROVED),
        (under_way.task.company.owner, NotificationKind.HOURS_LOGGED),
    ):
        note = db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        ).scalar_one()
        client = login_as(user)
        response = client.get(f"/notifications/{note.id}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/placements/{placement.id}")
