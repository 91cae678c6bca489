"""The placement pages: the caseworker's approval queue and decision, the graduate's hours and
monthly statement, the company's confirmation, and the plan export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    ApplicationStatus,
    Notification,
    NotificationKind,
    Placement,
    PlacementHours,
    PlacementStatus,
    Role,
    TaskForm,
)
from taskboerse.services import clock
from taskboerse.services.applications import accept_application
from taskboerse.services.placements import PlacementPlan, next_monday
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
    follow,
)

PURPOSE = "Lære at lave en markedsanalyse i en lille virksomhed"


def make_praktik(graduate=None, company=None, start_on: date | None = None) -> Placement:
    """A praktik task accepted for ``graduate``: a placement waiting for the job centre."""
    company = company or CompanyFactory(employees=10, owner=EntrepreneurFactory(locale="en"))
    task = TaskFactory(
        company=company,
        form=TaskForm.PRAKTIK,
        hours_per_week=20,
        weeks=2,
        hourly_wage=None,
    )
    graduate = graduate or JobseekerFactory(locale="en")
    application = ApplicationFactory(task=task, jobseeker=graduate)
    accept_application(
        company.owner,
        application.id,
        PlacementPlan(purpose=PURPOSE, start_on=start_on or next_monday(date.today())),
    )
    return db.session.execute(
        select(Placement).where(Placement.application_id == application.id)
    ).scalar_one()


def approve(placement: Placement) -> None:
    """Approve without the web (for tests of what follows the approval)."""
    placement.status = PlacementStatus.APPROVED
    db.session.commit()


def access_rows(jobseeker_id: int, action: AccessAction) -> list[AccessLogEntry]:
    return list(
        db.session.execute(
            select(AccessLogEntry).where(
                AccessLogEntry.jobseeker_id == jobseeker_id, AccessLogEntry.action == action
            )
        ).scalars()
    )


def notes_of(user_id: int, kind: NotificationKind) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
        ).scalars()
    )


@pytest.fixture
def world(app):
    """Caseworker A follows graduate 1, caseworker B follows graduate 2, graduate 3 has no
    caseworker; graduates 1 and 3 are accepted for a praktik."""
    cw_a = CaseworkerFactory(locale="en", name="Anna Sagsbehandler")
    cw_b = CaseworkerFactory(locale="en", name="Bo Sagsbehandler")
    g1 = JobseekerFactory(locale="en", name="Freja Første")
    g2 = JobseekerFactory(locale="en", name="Gustav Anden")
    g3 = JobseekerFactory(locale="en", name="Hanne Tredje")
    follow(cw_a, g1)
    follow(cw_b, g2, consent=False)
    p1 = make_praktik(g1)
    p3 = make_praktik(g3)
    return {"cw_a": cw_a, "cw_b": cw_b, "g1": g1, "g2": g2, "g3": g3, "p1": p1, "p3": p3}


def test_queue_shows_the_praktik_each_caseworker_handles(world, login_as):
    a = login_as(world["cw_a"]).get("/placements/")
    assert a.status_code == 200
    page = a.get_data(as_text=True)
    assert "Freja Første" in page and "Hanne Tredje" in page
    assert PURPOSE in page
    # the rule checks' summary with its marks
    assert "✓" in page and "Hours a week" in page
    # the menu's badge counts the two waiting
    assert 'href="/placements/">Approvals<span class="count"' in page
    assert ">2</span>" in page

    b = login_as(world["cw_b"])
    page = b.get("/placements/").get_data(as_text=True)
    assert "Hanne Tredje" in page  # nobody's graduate: every caseworker sees it
    assert "Freja Første" not in page  # another caseworker's graduate
    assert b.get(f"/placements/{world['p1'].id}").status_code == 404
    assert b.get(f"/placements/{world['p1'].id}/plan.csv").status_code == 404
    assert b.post(f"/placements/{world['p1'].id}/approve").status_code == 404
    assert db.session.get(Placement, world["p1"].id).status == PlacementStatus.AWAITING_APPROVAL


def test_caseworker_opens_and_approves(world, login_as):
    cw, g1, p1 = world["cw_a"], world["g1"], world["p1"]
    client = login_as(cw)
    page = client.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert "The checks are decision support" in page
    assert "Ratio at the company" in page and "Former employer" in page
    assert "10 ordinary employees" in page and p1.company.cvr in page
    opened = access_rows(g1.id, AccessAction.VIEW_PLACEMENT)
    assert len(opened) == 1 and opened[0].purpose == AccessPurpose.PLACEMENT_APPROVAL

    response = client.post(f"/placements/{p1.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    placement = db.session.get(Placement, p1.id)
    assert placement.status == PlacementStatus.APPROVED
    assert placement.decided_by_id == cw.id
    assert notes_of(g1.id, NotificationKind.PLACEMENT_APPROVED)
    assert notes_of(placement.company.owner_id, NotificationKind.PLACEMENT_APPROVED)
    approved = access_rows(g1.id, AccessAction.APPROVE_PLACEMENT)
    assert len(approved) == 1 and approved[0].purpose == AccessPurpose.PLACEMENT_APPROVAL

    page = client.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert "by Anna Sagsbehandler" in page
    assert "Approve the praktik" not in page
    # a second decision is refused clearly and changes nothing
    again = client.post(f"/placements/{p1.id}/approve", follow_redirects=True)
    assert "already been decided" in again.get_data(as_text=True)
    # the graduate sees the access in their privacy page's log
    privacy = login_as(g1).get("/jobseeker/privacy").get_data(as_text=True)
    assert "Legal basis" in privacy and "6(1)(e)" in privacy


def test_decline_needs_a_reason_and_tells_both_sides(world, login_as):
    cw, g3, p3 = world["cw_b"], world["g3"], world["p3"]
    client = login_as(cw)
    refused = client.post(f"/placements/{p3.id}/decline", data={"reason": "   "})
    assert refused.status_code == 422
    assert "Give the reason for declining." in refused.get_data(as_text=True)
    too_long = client.post(f"/placements/{p3.id}/decline", data={"reason": "x" * 501})
    assert too_long.status_code == 422
    db.session.expire_all()
    assert db.session.get(Placement, p3.id).status == PlacementStatus.AWAITING_APPROVAL

    reason = "Opgaven ligner ordinært arbejde."
    done = client.post(f"/placements/{p3.id}/decline", data={"reason": reason})
    assert done.status_code == 302
    db.session.expire_all()
    placement = db.session.get(Placement, p3.id)
    assert placement.status == PlacementStatus.DECLINED
    assert placement.decision_reason == reason
    assert placement.application.status == ApplicationStatus.REJECTED
    for user_id in (g3.id, placement.company.owner_id):
        (note,) = notes_of(user_id, NotificationKind.PLACEMENT_DECLINED)
        assert note.params.get("reason") == reason
    declined = access_rows(g3.id, AccessAction.DECLINE_PLACEMENT)
    assert len(declined) == 1 and declined[0].purpose == AccessPurpose.PLACEMENT_APPROVAL

    page = login_as(g3).get(f"/placements/{p3.id}").get_data(as_text=True)
    assert reason in page and "did not approve" in page


def test_others_cannot_see_a_placement(world, login_as):
    p1 = world["p1"]
    other_graduate = login_as(world["g2"])
    for url in (f"/placements/{p1.id}", f"/placements/{p1.id}/plan.csv", "/placements/99999"):
        assert other_graduate.get(url).status_code == 404
    assert "Freja" not in other_graduate.get("/placements/").get_data(as_text=True)
    other_company = login_as(CompanyFactory(employees=3, owner=EntrepreneurFactory()).owner)
    assert other_company.get(f"/placements/{p1.id}").status_code == 404
    assert other_company.post(f"/placements/{p1.id}/confirm").status_code == 404
    admin = login_as(UserFactory(role=Role.ADMIN, locale="en"))
    assert admin.get("/placements/").status_code == 403
    # the graduate may not decide, the company may not log hours
    owner = login_as(p1.company.owner)
    assert owner.post(f"/placements/{p1.id}/hours", data={}).status_code == 403
    assert login_as(world["g1"]).post(f"/placements/{p1.id}/approve").status_code == 403


def test_graduate_waits_for_approval_before_logging(world, login_as):
    g1, p1 = world["g1"], world["p1"]
    client = login_as(g1)
    page = client.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert "You must not start until the job centre has approved the praktik." in page
    assert 'name="hours"' not in page
    listing = client.get("/placements/").get_data(as_text=True)
    assert "awaiting the job centre" in listing
    # the graduate reaches the page from the menu and the dashboard
    assert listing.count('href="/placements/"') >= 1
    assert 'href="/placements/"' in client.get("/jobseeker/").get_data(as_text=True)
    owner_page = login_as(p1.company.owner).get("/entrepreneur/").get_data(as_text=True)
    assert owner_page.count('href="/placements/"') == 2  # account menu and dashboard
    refused = client.post(
        f"/placements/{p1.id}/hours", data={"date": date.today().isoformat(), "hours": "7,5"}
    )
    assert refused.status_code == 409
    assert "has not approved the virksomhedspraktik yet" in refused.get_data(as_text=True)
    assert not db.session.execute(select(PlacementHours)).first()


def test_hours_logging_refusals_and_confirmation(world, login_as, monkeypatch):
    g1, p1 = world["g1"], world["p1"]
    approve(p1)
    monday = p1.start_on
    friday = monday + timedelta(days=4)
    monkeypatch.setattr(clock, "today", lambda: friday)
    client = login_as(g1)
    url = f"/placements/{p1.id}/hours"

    page = client.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert 'name="hours"' in page and "At most 37 hours a week" in page

    for offset in range(3):
        day = (monday + timedelta(days=offset)).isoformat()
        response = client.post(url, data={"date": day, "hours": "10", "note": "Analyse"})
        assert response.status_code == 302, response.get_data(as_text=True)
    assert client.post(url, data={"date": friday.isoformat(), "hours": "7"}).status_code == 302

    def refused(data, status, text):
        before = db.session.execute(select(PlacementHours.id, PlacementHours.minutes)).all()
        response = client.post(url, data=data)
        assert response.status_code == status, response.get_data(as_text=True)
        assert text in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.execute(select(PlacementHours.id, PlacementHours.minutes)).all() == (
            before
        )

    thursday = (monday + timedelta(days=3)).isoformat()
    # 37 + 1 hours in one week: the praktik rule
    refused({"date": thursday, "hours": "1"}, 422, "at most 37 hours a week")
    refused({"date": (friday + timedelta(days=1)).isoformat(), "hours": "2"}, 422, "day to come")
    refused({"date": (monday - timedelta(days=1)).isoformat(), "hours": "2"}, 422, "starts")
    refused({"date": thursday, "hours": "syv"}, 422, "Give the hours as a number")
    refused({"date": thursday, "hours": "7,2"}, 422, "quarter hours")
    refused({"date": "31-02-2026", "hours": "2"}, 422, "Not a valid date value.")

    owner = login_as(p1.company.owner)
    listing = owner.get("/placements/").get_data(as_text=True)
    assert "4 days wait" in listing
    page = owner.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert "37 hours logged, of which 0 confirmed" in page
    assert "Confirm hours" in page
    assert owner.post(f"/placements/{p1.id}/confirm").status_code == 302
    db.session.expire_all()
    assert all(h.confirmed_at is not None for h in db.session.get(Placement, p1.id).hours)
    page = owner.get(f"/placements/{p1.id}").get_data(as_text=True)
    assert "37 hours logged, of which 37 confirmed" in page
    assert "Confirm hours" not in page

    # a confirmed day can no longer change
    refused({"date": friday.isoformat(), "hours": "4"}, 409, "has confirmed this day")
    # the graduate cannot confirm their own hours
    assert client.post(f"/placements/{p1.id}/confirm").status_code == 403


def test_statement_downloads_and_bad_month(world, login_as, monkeypatch):
    g1, p1 = world["g1"], world["p1"]
    approve(p1)
    day = p1.start_on
    db.session.add(PlacementHours(placement_id=p1.id, work_date=day, minutes=450, note=""))
    db.session.commit()
    monkeypatch.setattr(clock, "today", lambda: day + timedelta(days=1))
    client = login_as(g1)
    month = day.strftime("%Y-%m")

    listing = client.get("/placements/").get_data(as_text=True)
    assert 'type="month"' in listing and f'value="{(day + timedelta(days=1)):%Y-%m}"' in listing

    pdf = client.get(f"/placements/statement.pdf?month={month}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Cache-Control"] == "no-store"
    response = client.get(f"/placements/statement.csv?month={month}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Employer"
    assert rows[1][0] == p1.company.name
    assert rows[1][3] == day.strftime("%d-%m-%Y")
    assert rows[1][4] == "7,50" and rows[1][5] == "nej"

    for bad in ("2026-13", "november", "2026-1-1", "99999-01"):
        for kind in ("pdf", "csv"):
            response = client.get(f"/placements/statement.{kind}?month={bad}")
            assert response.status_code == 422, (bad, kind)
            assert "Give the month as YYYY-MM." in response.get_data(as_text=True)
    # only the graduate has a statement
    assert login_as(p1.company.owner).get("/placements/statement.pdf").status_code == 403


def test_plan_export_for_each_side(world, login_as):
    g1, p1, cw = world["g1"], world["p1"], world["cw_a"]
    for user in (g1, p1.company.owner, cw):
        client = login_as(user)
        response = client.get(f"/placements/{p1.id}/plan.csv")
        assert response.status_code == 200
        text = response.data.decode("utf-8-sig")
        assert PURPOSE in text and p1.company.cvr in text
        pdf = client.get(f"/placements/{p1.id}/plan.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    exported = access_rows(g1.id, AccessAction.EXPORT_PLAN)
    assert len(exported) >= 1
    assert all(row.purpose == AccessPurpose.PLACEMENT_APPROVAL for row in exported)
    assert {row.actor_id for row in exported} == {cw.id}


def test_person_page_links_to_the_praktik(world, login_as):
    client = login_as(world["cw_a"])
    page = client.get(f"/caseworker/people/{world['g1'].id}").get_data(as_text=True)
    assert f"/placements/?person={world['g1'].id}" in page
    listing = client.get(f"/placements/?person={world['g1'].id}").get_data(as_text=True)
    assert "Freja Første" in listing and "Hanne Tredje" not in listing


def test_paid_job_logs_hours_at_once(login_as, monkeypatch):
    graduate = JobseekerFactory(locale="en")
    company = CompanyFactory(employees=2, owner=EntrepreneurFactory(locale="en"))
    task = TaskFactory(company=company)
    application = ApplicationFactory(task=task, jobseeker=graduate)
    accept_application(company.owner, application.id, PlacementPlan(start_on=date.today()))
    placement = db.session.execute(select(Placement)).scalar_one()
    assert placement.status == PlacementStatus.APPROVED
    client = login_as(graduate)
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Paid small job" in page and "160 DKK" in page
    response = client.post(
        f"/placements/{placement.id}/hours",
        data={"date": date.today().isoformat(), "hours": "7:30", "note": "Kundemøde"},
    )
    assert response.status_code == 302
    page = client.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Kundemøde" in page and "not yet confirmed" in page
    # a caseworker handles praktik only
    assert login_as(CaseworkerFactory()).get(f"/placements/{placement.id}").status_code == 404
