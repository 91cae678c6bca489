"""GET /api/v1/mentorships: a party's own mentorships with meetings, the shared agenda and only
their own notes; other people's are 404, staff and other roles 403."""

from __future__ import annotations

from datetime import timedelta

from jsonschema import Draft202012Validator

from taskboerse.models import Role
from taskboerse.services import clock, mentorships
from taskboerse.web.api.openapi import SCHEMAS
from tests.factories import (
    BusinessStaffFactory,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    MentorFactory,
    UserFactory,
)
from tests.functional.test_api import token_for
from tests.functional.test_mentorships import ENT_NOTE, SECRET_NOTE, make_mentorship
from tests.helpers import count_queries


def conforms(instance, schema: str) -> None:
    Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": {"schemas": SCHEMAS}}
    ).validate(instance)


def test_each_side_gets_the_agenda_and_only_their_own_notes(client) -> None:
    ms = make_mentorship()
    meeting = mentorships.add_meeting(ms.mentor, ms.id, clock.today(), "Likviditetsbudget")
    mentorships.save_note(ms.mentor, meeting.id, SECRET_NOTE)
    mentorships.save_note(ms.entrepreneur, meeting.id, ENT_NOTE)
    for user, mine, theirs, side in (
        (ms.mentor, SECRET_NOTE, ENT_NOTE, "mentor"),
        (ms.entrepreneur, ENT_NOTE, SECRET_NOTE, "entrepreneur"),
    ):
        headers = token_for(client, user)
        listed = client.get("/api/v1/mentorships", headers=headers)
        assert listed.status_code == 200
        (body,) = listed.get_json()
        conforms(body, "Mentorship")
        assert body["my_side"] == side and body["status"] == "active"
        assert body["topic"] == "financing"
        assert body["period"] == {"week": 3, "weeks": 12, "started": True, "past_end": False}
        assert body["meetings"][0]["agenda"] == "Likviditetsbudget"
        assert body["meetings"][0]["my_note"] == mine
        assert theirs not in listed.get_data(as_text=True)
        one = client.get(f"/api/v1/mentorships/{ms.id}", headers=headers)
        assert one.status_code == 200 and one.get_json() == body


def test_feedback_and_outcome_as_each_side_sees_them(client) -> None:
    ms = make_mentorship(start=clock.today() - timedelta(weeks=12))
    mentorships.give_feedback(ms.mentor, ms.id, 4, "Engageret iværksætter")
    mentorships.record_outcome(ms.entrepreneur, ms.id, "first_hire", "Ansat en sælger")
    ent = client.get(
        f"/api/v1/mentorships/{ms.id}", headers=token_for(client, ms.entrepreneur)
    ).get_json()
    conforms(ent, "Mentorship")
    assert ent["status"] == "completed" and ent["my_feedback"] is None
    assert ent["other_gave_feedback"] is True and ent["may"]["give_feedback"] is True
    assert ent["outcome"] == "first_hire" and ent["outcome_note"] == "Ansat en sælger"
    assert "Engageret" not in str(ent)
    mentor = client.get(
        f"/api/v1/mentorships/{ms.id}", headers=token_for(client, ms.mentor)
    ).get_json()
    conforms(mentor, "Mentorship")
    assert mentor["my_feedback"]["rating"] == 4 and mentor["other_gave_feedback"] is False
    assert mentor["outcome"] == "first_hire" and mentor["outcome_note"] is None


def test_others_get_404_and_other_roles_403(client) -> None:
    ms = make_mentorship()
    mentorships.add_meeting(ms.mentor, ms.id, clock.today())
    other_mentor = token_for(client, MentorFactory())
    assert client.get(f"/api/v1/mentorships/{ms.id}", headers=other_mentor).status_code == 404
    assert client.get("/api/v1/mentorships", headers=other_mentor).get_json() == []
    other_ent = token_for(client, CompanyFactory().owner)
    assert client.get(f"/api/v1/mentorships/{ms.id}", headers=other_ent).status_code == 404
    for user in (
        BusinessStaffFactory(),
        UserFactory(role=Role.ADMIN),
        CaseworkerFactory(),
        JobseekerFactory(),
    ):
        headers = token_for(client, user)
        assert client.get("/api/v1/mentorships", headers=headers).status_code == 403
        r = client.get(f"/api/v1/mentorships/{ms.id}", headers=headers)
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/mentorships").status_code == 401
    party = token_for(client, ms.mentor)
    assert client.get("/api/v1/mentorships/0", headers=party).status_code == 404
    assert client.get("/api/v1/mentorships/abc", headers=party).status_code == 404


def test_the_list_costs_the_same_queries_for_any_number(client) -> None:
    mentor = MentorFactory()
    headers = token_for(client, mentor)

    def queries_for(n: int) -> int:
        for _ in range(n):
            ms = make_mentorship(mentor=mentor)
            meeting = mentorships.add_meeting(mentor, ms.id, clock.today(), "Punkt")
            mentorships.save_note(mentor, meeting.id, "Note")
        return count_queries(client, "/api/v1/mentorships", headers)

    assert queries_for(1) == queries_for(3)


def test_the_document_describes_the_routes(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/mentorships" in doc["paths"] and "/mentorships/{mentorship_id}" in doc["paths"]
    assert "Mentorship" in doc["components"]["schemas"]
