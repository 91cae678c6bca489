"""The access log: a caseload overview is written once a day per caseworker and graduate
(Copenhagen's day, the project's clock), person pages, prints and exports every time; the
admin reads neutral wording, the graduate their own (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from taskboerse.extensions import db
from taskboerse.models import AccessAction, AccessLogEntry, AccessPurpose, Role
from taskboerse.services import clock
from taskboerse.services.access_log import local_day, log_access
from tests.factories import CaseworkerFactory, JobseekerFactory, UserFactory, follow
from tests.functional.test_api import token_for


@pytest.fixture
def team(app):
    caseworker = CaseworkerFactory(name="Karen Sagsbehandler", locale="en")
    freja = JobseekerFactory(name="Freja Dimittend", locale="en")
    gustav = JobseekerFactory(name="Gustav Anden", locale="en")
    follow(caseworker, freja)
    follow(caseworker, gustav)
    return caseworker, freja, gustav


def rows(action: AccessAction | None = None) -> list[tuple]:
    db.session.expire_all()
    stmt = select(
        AccessLogEntry.jobseeker_id, AccessLogEntry.action, AccessLogEntry.actor_id
    ).order_by(AccessLogEntry.id)
    if action is not None:
        stmt = stmt.where(AccessLogEntry.action == action)
    return list(db.session.execute(stmt).all())


def freeze(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_two_overviews_the_same_day_write_one_row_per_graduate(team, login_as) -> None:
    caseworker, freja, gustav = team
    client = login_as(caseworker)
    assert client.get("/caseworker/").status_code == 200
    assert client.get("/caseworker/?sort=name&dir=desc").status_code == 200
    overview = rows(AccessAction.VIEW_CASELOAD)
    assert sorted(r.jobseeker_id for r in overview) == sorted([freja.id, gustav.id])


def test_the_api_overview_counts_as_the_same_sighting(team, client, login_as) -> None:
    caseworker, freja, gustav = team
    login_as(caseworker).get("/caseworker/")
    headers = token_for(client, caseworker)
    assert client.get("/api/v1/caseload", headers=headers).status_code == 200
    assert len(rows(AccessAction.VIEW_CASELOAD)) == 2


def test_a_new_graduate_in_the_overview_gets_a_row_the_same_day(team, login_as) -> None:
    caseworker, _freja, _gustav = team
    client = login_as(caseworker)
    client.get("/caseworker/")
    newcomer = JobseekerFactory()
    follow(caseworker, newcomer)
    client.get("/caseworker/")
    overview = rows(AccessAction.VIEW_CASELOAD)
    assert len(overview) == 3 and overview[-1].jobseeker_id == newcomer.id


def test_each_caseworker_has_their_own_row(team, login_as) -> None:
    caseworker, freja, _gustav = team
    login_as(caseworker).get("/caseworker/")
    # The graduate moves to another caseworker, who opens their overview the same day.
    other = CaseworkerFactory()
    from taskboerse.services import assignments

    assignments.assign_caseworker(UserFactory(role=Role.ADMIN), other.email, freja.email)
    login_as(other).get("/caseworker/")
    by_actor = {(r.jobseeker_id, r.actor_id) for r in rows(AccessAction.VIEW_CASELOAD)}
    assert (freja.id, caseworker.id) in by_actor and (freja.id, other.id) in by_actor


def test_person_page_print_and_export_are_written_every_time(team, login_as) -> None:
    caseworker, freja, gustav = team
    client = login_as(caseworker)
    for _ in range(2):
        assert client.get(f"/caseworker/people/{freja.id}").status_code == 200
        assert client.get("/caseworker/summary").status_code == 200
        assert client.get("/caseworker/export/caseload.csv").status_code == 200
    assert [r.jobseeker_id for r in rows(AccessAction.VIEW_PERSON)] == [freja.id, freja.id]
    assert len(rows(AccessAction.VIEW_SUMMARY)) == 4
    assert len(rows(AccessAction.EXPORT_CASELOAD)) == 4


def test_the_next_day_gets_a_new_row(team, login_as, monkeypatch) -> None:
    caseworker, _freja, _gustav = team
    client = login_as(caseworker)
    today = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    freeze(monkeypatch, today)
    client.get("/caseworker/")
    freeze(monkeypatch, today + timedelta(hours=12))  # 23:00 in Copenhagen: still today
    client.get("/caseworker/")
    assert len(rows(AccessAction.VIEW_CASELOAD)) == 2
    freeze(monkeypatch, today + timedelta(hours=14))  # 01:00 the next day in Copenhagen
    client.get("/caseworker/")
    overview = rows(AccessAction.VIEW_CASELOAD)
    assert len(overview) == 4
    db.session.expire_all()
    stamps = sorted(
        db.session.execute(
            select(AccessLogEntry.created_at).where(
                AccessLogEntry.action == AccessAction.VIEW_CASELOAD
            )
        ).scalars()
    )
    assert stamps[0] == today and stamps[-1] == today + timedelta(hours=14)


def test_the_day_is_copenhagens_also_in_summer() -> None:
    # 22:30 UTC on 30 June is 00:30 on 1 July in Copenhagen (summer time, UTC+2).
    start, end = local_day(datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    assert start.astimezone(UTC) == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=24)
    # The night summer time ends has 25 hours.
    start, end = local_day(datetime(2026, 10, 25, 12, 0, tzinfo=UTC))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=25)


def test_one_query_finds_the_days_rows_however_many_graduates(app) -> None:
    caseworker = CaseworkerFactory()
    graduates = [JobseekerFactory() for _ in range(30)]
    ids = [g.id for g in graduates]
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        log_access(caseworker, ids, AccessAction.VIEW_CASELOAD, AccessPurpose.FOLLOW_UP)
        db.session.commit()
        first = len(statements)
        statements.clear()
        log_access(caseworker, ids, AccessAction.VIEW_CASELOAD, AccessPurpose.FOLLOW_UP)
        db.session.commit()
        second = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(rows(AccessAction.VIEW_CASELOAD)) == 30
    selects = [s for s in statements if "FROM access_log" in s]
    assert len(selects) == 1  # the day's rows, in one query, not one per graduate
    assert second <= first


def test_the_admin_reads_neutral_words_and_the_graduate_their_own(team, login_as) -> None:
    caseworker, freja, _gustav = team
    client = login_as(caseworker)
    client.get("/caseworker/")
    client.get(f"/caseworker/people/{freja.id}")
    client.get("/caseworker/summary")
    client.get("/caseworker/export/caseload.csv")
    admin = login_as(UserFactory(role=Role.ADMIN, locale="en"))
    page = admin.get("/admin/access-log?jobseeker=Freja").get_data(as_text=True)
    for words in (
        "Viewed the caseload overview",
        "Opened the person page",
        "Opened the printable caseload summary",
        "Exported the caseload (CSV)",
        "Follow-up on the job search",
        "Preparing a meeting",
        "Documentation in the case",
    ):
        assert words in page, words
    assert "Your " not in page and "You appeared" not in page and " you" not in page.lower()
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<td") == body.count("<td data-label=")

    own = login_as(freja).get("/jobseeker/privacy").get_data(as_text=True)
    assert "Your page (applications, references, flags and notes) was opened" in own
    assert "You appeared on a printable caseload summary" in own
    assert "Follow-up on your job search" in own
    assert "Opened the person page" not in own and "Viewed the caseload overview" not in own


def test_every_action_and_purpose_has_both_wordings(app) -> None:
    from flask_babel import force_locale

    from taskboerse.labels import (
        action_label,
        admin_action_label,
        admin_purpose_label,
        purpose_label,
    )

    with app.test_request_context(), force_locale("en"):
        for action in AccessAction:
            assert str(admin_action_label(action)) != str(action_label(action))
            assert "you" not in str(admin_action_label(action)).lower()
        for purpose in AccessPurpose:
            assert str(admin_purpose_label(purpose)) != str(purpose_label(purpose))
            assert "you" not in str(admin_purpose_label(purpose)).lower()
