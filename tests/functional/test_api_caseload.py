"""JSON API for the job centre's follow-up: consent, caseload, case file, outcome, access log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    ApplicationStatus,
    CaseAssignment,
    CaseOutcome,
    Consent,
    Role,
)
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    JobseekerFactory,
    UserFactory,
    follow,
)
from tests.functional.test_api import token_for
from tests.helpers import count_queries


@pytest.fixture
def world(client):
    caseworker = CaseworkerFactory(name="Karen Sagsbehandler")
    mine = JobseekerFactory(name="Freja Dimittend")
    withdrawn = JobseekerFactory(name="Holger Tilbagetrukket")
    theirs = JobseekerFactory(name="Ida Andenmands")
    follow(caseworker, mine)
    follow(caseworker, withdrawn, consent=False)
    follow(CaseworkerFactory(), theirs)
    ApplicationFactory(
        jobseeker=mine, status=ApplicationStatus.ACCEPTED, accepted_at=datetime.now(UTC)
    )
    return {
        "caseworker": caseworker,
        "mine": mine,
        "withdrawn": withdrawn,
        "theirs": theirs,
        "cw": token_for(client, caseworker),
    }


def test_consent_through_the_api(client, world) -> None:
    graduate = world["withdrawn"]
    headers = token_for(client, graduate)
    response = client.put(
        "/api/v1/me/consent", json={"share_with_jobcentre": True}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["share_with_jobcentre"] is True
    ids = [
        r["jobseeker_id"] for r in client.get("/api/v1/caseload", headers=world["cw"]).get_json()
    ]
    assert graduate.id in ids
    client.put("/api/v1/me/consent", json={"share_with_jobcentre": False}, headers=headers)
    ids = [
        r["jobseeker_id"] for r in client.get("/api/v1/caseload", headers=world["cw"]).get_json()
    ]
    assert graduate.id not in ids


@pytest.mark.parametrize(
    "body", [{}, {"share_with_jobcentre": "yes"}, {"share_with_jobcentre": 1}, {"share": True}]
)
def test_bad_consent_bodies_are_refused(client, world, body) -> None:
    graduate = world["withdrawn"]
    response = client.put("/api/v1/me/consent", json=body, headers=token_for(client, graduate))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"
    assert db.session.get(Consent, graduate.id).shared is False


def test_only_graduates_consent_and_only_caseworkers_read_caseloads(client, world) -> None:
    assert (
        client.put(
            "/api/v1/me/consent", json={"share_with_jobcentre": True}, headers=world["cw"]
        ).status_code
        == 403
    )
    for role in (Role.JOBSEEKER, Role.ENTREPRENEUR, Role.ADMIN):
        headers = token_for(client, UserFactory(role=role))
        assert client.get("/api/v1/caseload", headers=headers).status_code == 403
        assert (
            client.get(f"/api/v1/caseload/{world['mine'].id}", headers=headers).status_code == 403
        )
    assert client.get("/api/v1/caseload").status_code == 401
    assert client.get("/api/v1/me/access-log", headers=world["cw"]).status_code == 403


def test_caseload_lists_only_mine_with_counts_and_flags(client, world) -> None:
    response = client.get("/api/v1/caseload", headers=world["cw"])
    assert response.status_code == 200
    rows = response.get_json()
    assert [r["name"] for r in rows] == ["Freja Dimittend"]
    row = rows[0]
    assert (row["applications"], row["accepted"], row["completed"]) == (1, 1, 0)
    assert row["flags"] == [] and row["outcome"] is None
    logged = db.session.execute(
        select(AccessLogEntry.action, AccessLogEntry.via).where(
            AccessLogEntry.jobseeker_id == world["mine"].id
        )
    ).all()
    assert logged == [(AccessAction.VIEW_CASELOAD, "api")]


@pytest.mark.parametrize(
    "query", ["?sort=secret", "?flag=x", "?dir=up", "?unknown=1", "?q=" + "x" * 201]
)
def test_caseload_query_parameters_are_checked(client, world, query) -> None:
    response = client.get("/api/v1/caseload" + query, headers=world["cw"])
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]


def test_case_file_is_logged_and_refused_for_others(client, world) -> None:
    mine = world["mine"]
    response = client.get(f"/api/v1/caseload/{mine.id}", headers=world["cw"])
    assert response.status_code == 200
    data = response.get_json()
    assert data["summary"]["name"] == "Freja Dimittend"
    assert data["timeline"][0]["status"] == "accepted"
    assert (
        db.session.execute(
            select(func.count(AccessLogEntry.id)).where(
                AccessLogEntry.jobseeker_id == mine.id,
                AccessLogEntry.action == AccessAction.VIEW_PERSON,
            )
        ).scalar_one()
        == 1
    )
    for other in ("withdrawn", "theirs"):
        response = client.get(f"/api/v1/caseload/{world[other].id}", headers=world["cw"])
        assert response.status_code == 404
        assert world[other].name not in response.get_data(as_text=True)
    assert client.get("/api/v1/caseload/99999999999", headers=world["cw"]).status_code == 404
    assert (
        db.session.execute(
            select(func.count(AccessLogEntry.id)).where(
                AccessLogEntry.jobseeker_id.in_([world["withdrawn"].id, world["theirs"].id])
            )
        ).scalar_one()
        == 0
    )


def test_record_outcome(client, world) -> None:
    mine = world["mine"]
    url = f"/api/v1/caseload/{mine.id}/outcome"
    response = client.post(
        url, json={"status": "employed", "date": "2026-12-01"}, headers=world["cw"]
    )
    assert response.status_code == 200
    assert response.get_json() == {"status": "employed", "date": "2026-12-01"}
    outcome = db.session.get(CaseOutcome, mine.id)
    assert (outcome.status.value, outcome.outcome_date) == ("employed", date(2026, 12, 1))
    row = client.get("/api/v1/caseload", headers=world["cw"]).get_json()[0]
    assert row["outcome"] == {"status": "employed", "date": "2026-12-01"}


@pytest.mark.parametrize(
    "body",
    [
        {"status": "rich", "date": "2026-12-01"},
        {"status": "employed", "date": "01-12-2026"},
        {"status": "employed", "date": "1999-01-01"},
        {"status": "employed"},
        {"status": "employed", "date": "2026-12-01", "caseworker_id": 1},
    ],
)
def test_bad_outcomes_are_refused(client, world, body) -> None:
    url = f"/api/v1/caseload/{world['mine'].id}/outcome"
    response = client.post(url, json=body, headers=world["cw"])
    assert response.status_code == 422, response.get_json()
    assert db.session.get(CaseOutcome, world["mine"].id) is None


def test_outcome_for_someone_elses_graduate_is_refused(client, world) -> None:
    for other in ("withdrawn", "theirs"):
        response = client.post(
            f"/api/v1/caseload/{world[other].id}/outcome",
            json={"status": "employed", "date": "2026-12-01"},
            headers=world["cw"],
        )
        assert response.status_code == 404
    assert db.session.execute(select(func.count()).select_from(CaseOutcome)).scalar_one() == 0


def test_access_log_shows_when_and_why_but_not_who(client, world) -> None:
    mine = world["mine"]
    client.get(f"/api/v1/caseload/{mine.id}", headers=world["cw"])
    response = client.get("/api/v1/me/access-log", headers=token_for(client, mine))
    assert response.status_code == 200
    data = response.get_json()
    assert data["total"] == 1
    entry = data["items"][0]
    assert entry["action"] == "view_person" and entry["purpose"] == "follow_up"
    assert set(entry) == {"at", "action", "purpose", "description", "purpose_text"}
    assert "Karen" not in response.get_data(as_text=True)
    assert (
        client.get("/api/v1/me/access-log?page=0", headers=token_for(client, mine)).status_code
        == 422
    )


def test_reassignment_in_the_database_is_respected_at_once(client, world) -> None:
    db.session.get(CaseAssignment, world["mine"].id).caseworker_id = CaseworkerFactory().id
    db.session.commit()
    assert (
        client.get(f"/api/v1/caseload/{world['mine'].id}", headers=world["cw"]).status_code == 404
    )


def test_caseload_api_costs_the_same_queries_for_any_size(client, world) -> None:
    headers = world["cw"]

    def queries() -> int:
        return count_queries(client, "/api/v1/caseload", headers)

    first = queries()
    for _ in range(10):
        graduate = JobseekerFactory()
        follow(world["caseworker"], graduate)
        ApplicationFactory(jobseeker=graduate)
    assert queries() == first
