"""The mentor programme woven into the rest: start pages, menus, notifications that open the
right page, notification settings in each role's words, and the access log people can read."""

from __future__ import annotations

import pytest

from taskboerse.extensions import db
from taskboerse.models import Notification, NotificationKind
from taskboerse.services.notifications import notify
from tests.factories import BusinessStaffFactory, CompanyFactory, MentorFactory, mentor_need


def test_start_pages_and_menus(login_as) -> None:
    mentor = login_as(MentorFactory())
    assert mentor.get("/dashboard").headers["Location"].endswith("/mentors/home")
    page = mentor.get("/mentors/home").get_data(as_text=True)
    for label in ("Anmodninger", "Mentorforløb", "Spørg en mentor", "Beskeder"):
        assert label in page
    staff = login_as(BusinessStaffFactory())
    assert staff.get("/dashboard").headers["Location"].endswith("/programme/")
    assert "Mentorprogrammet" in staff.get("/programme/").get_data(as_text=True)
    entrepreneur = login_as(CompanyFactory().owner)
    assert 'href="/mentor-needs/"' in entrepreneur.get("/entrepreneur/").get_data(as_text=True)


def test_the_menu_counts_requests_waiting_for_the_mentor(login_as) -> None:
    from datetime import timedelta

    from taskboerse.models import MentorRequest
    from taskboerse.models.types import utcnow

    mentor = MentorFactory()
    need = mentor_need(CompanyFactory().owner)
    db.session.add(
        MentorRequest(
            need_id=need.id,
            mentor_id=mentor.id,
            message="Hej",
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    db.session.commit()
    page = login_as(mentor).get("/mentors/home").get_data(as_text=True)
    assert 'aria-label="1 venter"' in page


@pytest.mark.parametrize(
    ("kind", "params", "target"),
    [
        (NotificationKind.MENTOR_REQUEST, {"need_id": 1}, "/mentor-needs/requests"),
        (NotificationKind.MENTOR_REQUEST_DECLINED, {"need_id": 7}, "/mentor-needs/7"),
        (NotificationKind.MENTOR_REQUEST_ACCEPTED, {"mentorship_id": 3}, "/mentorships/3"),
        (NotificationKind.MENTORSHIP_MESSAGE, {"mentorship_id": 3}, "/mentorships/3"),
        (NotificationKind.QUESTION_ANSWERED, {"question_id": 5}, "/questions/5"),
        (NotificationKind.MENTOR_APPROVED, {}, "/mentors/profile"),
        (NotificationKind.MENTOR_AWAITING_APPROVAL, {}, "/mentors/approvals"),
    ],
)
def test_mentoring_notifications_open_their_page(login_as, kind, params, target) -> None:
    user = MentorFactory()
    note = notify(user, kind, params={"name": "Ida", "topic": "financing", **params})
    db.session.commit()
    response = login_as(user).get(f"/notifications/{note.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(target)
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None


def test_notification_texts_name_the_topic_in_the_readers_language(login_as) -> None:
    user = MentorFactory()
    notify(user, NotificationKind.MENTOR_REQUEST, params={"name": "Ida", "topic": "export"})
    db.session.commit()
    page = login_as(user).get("/notifications").get_data(as_text=True)
    assert "Ida spørger, om du vil være mentor (Eksport og nye markeder)." in page


def test_notification_settings_in_each_roles_words(login_as) -> None:
    mentor = login_as(MentorFactory())
    page = mentor.get("/auth/account/notifications").get_data(as_text=True)
    assert "Anmodninger fra iværksættere" in page and "Beskeder i dine mentorforløb" in page
    staff = login_as(BusinessStaffFactory())
    page = staff.get("/auth/account/notifications").get_data(as_text=True)
    assert "Mentorer, der venter på godkendelse" in page


def test_entrepreneurs_read_when_the_business_service_opened_their_data(login_as) -> None:
    owner = CompanyFactory().owner
    need = mentor_need(owner)
    assert "Ingen har set dine oplysninger endnu." in login_as(owner).get("/auth/account").get_data(
        as_text=True
    )
    assert login_as(BusinessStaffFactory()).get(f"/programme/needs/{need.id}").status_code == 200
    page = login_as(owner).get("/auth/account").get_data(as_text=True)
    assert "Et af dine mentorbehov blev åbnet af erhvervsservice" in page
    assert "Kommunens opfølgning på mentorprogrammet" in page


def test_staff_opening_a_question_is_in_the_askers_log_and_lists_name_no_one(login_as) -> None:
    from taskboerse.models import AccessLogEntry, Question

    owner = CompanyFactory().owner
    question = Question(author_id=owner.id, title="Moms?", body="Hvordan?", is_public=False)
    db.session.add(question)
    db.session.commit()
    staff = login_as(BusinessStaffFactory())
    assert owner.name not in staff.get("/questions/").get_data(as_text=True)
    assert owner.name in staff.get(f"/questions/{question.id}").get_data(as_text=True)
    rows = db.session.query(AccessLogEntry).filter_by(jobseeker_id=owner.id).all()
    assert [r.action.value for r in rows] == ["view_question"]
    page = login_as(owner).get("/auth/account").get_data(as_text=True)
    assert "Et af dine spørgsmål blev åbnet af erhvervsservice, med dit navn" in page


def test_a_huge_page_number_in_the_access_log_is_no_error(login_as) -> None:
    owner = CompanyFactory().owner
    response = login_as(owner).get("/auth/account?page=99999999999999999999")
    assert response.status_code == 200


def _info(**kw):
    from taskboerse.services.mentor_needs import NeedInfo

    fields = {
        "topic": "financing",
        "stage": "start",
        "description": "Vi skal rejse kapital.",
        "frequency": "monthly",
        "postcode": "8000",
        "online": True,
        "skills": "",
    }
    fields.update(kw)
    return NeedInfo(**fields)


def test_at_most_three_open_needs_at_once(app) -> None:
    from taskboerse.services import mentor_needs
    from taskboerse.services.errors import Conflict

    owner = CompanyFactory().owner
    needs = [mentor_needs.create_need(owner, _info()) for _ in range(3)]
    with pytest.raises(Conflict):
        mentor_needs.create_need(owner, _info())
    mentor_needs.close_need(owner, needs[0].id)
    mentor_needs.create_need(owner, _info())


def test_one_mentor_one_waiting_request_per_entrepreneur(app) -> None:
    from taskboerse.services import mentor_needs
    from taskboerse.services.errors import Conflict

    owner = CompanyFactory().owner
    mentor = MentorFactory()
    first, second = (mentor_needs.create_need(owner, _info()) for _ in range(2))
    mentor_needs.request_mentor(owner, first.id, mentor.id, "Hej")
    with pytest.raises(Conflict):
        mentor_needs.request_mentor(owner, second.id, mentor.id, "Hej igen")


def test_disabling_a_mentor_releases_the_requests_waiting_for_them(app) -> None:
    from taskboerse.models import MentorRequest, RequestStatus, Role
    from taskboerse.services import accounts, mentor_needs
    from tests.factories import UserFactory

    owner = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_needs.create_need(owner, _info())
    request = mentor_needs.request_mentor(owner, need.id, mentor.id, "Hej")
    accounts.set_user_disabled(UserFactory(role=Role.ADMIN), mentor.id, True)
    assert db.session.get(MentorRequest, request.id).status == RequestStatus.DECLINED
    kinds = [n.kind for n in db.session.query(Notification).filter_by(user_id=owner.id)]
    assert NotificationKind.MENTOR_REQUEST_DECLINED in kinds


def test_a_refused_mentor_cannot_be_approved_from_a_stale_page(login_as) -> None:
    mentor = MentorFactory(profile__approved=False)
    staff = login_as(BusinessStaffFactory())
    refused = staff.post(f"/mentors/{mentor.id}/reject", data={"reason": "Ikke et match."})
    assert refused.status_code == 302
    assert staff.post(f"/mentors/{mentor.id}/approve").status_code == 404
    from taskboerse.models import MentorProfile

    db.session.expire_all()
    profile = db.session.query(MentorProfile).filter_by(user_id=mentor.id).one()
    assert profile.approved_at is None


def test_a_new_request_after_the_deadline_expires_the_old_one_without_a_late_notice(app) -> None:
    from datetime import timedelta

    from taskboerse.models import MentorRequest, RequestStatus
    from taskboerse.services import mentor_needs
    from taskboerse.worker import jobs

    owner = CompanyFactory().owner
    first, second = MentorFactory(), MentorFactory()
    need = mentor_needs.create_need(owner, _info())
    old = mentor_needs.request_mentor(owner, need.id, first.id, "Hej")
    old.expires_at = old.expires_at - timedelta(days=8)
    db.session.commit()
    mentor_needs.request_mentor(owner, need.id, second.id, "Hej igen")
    db.session.expire_all()
    assert db.session.get(MentorRequest, old.id).status == RequestStatus.EXPIRED
    assert jobs.scheduled_work.call_local()["mentor_requests_expired"] == 0


def test_disabling_either_side_ends_their_mentorships(app) -> None:
    from taskboerse.models import Mentorship, MentorshipStatus, Role
    from taskboerse.services import accounts, mentor_needs
    from tests.factories import UserFactory

    owner = CompanyFactory().owner
    mentor = MentorFactory()
    need = mentor_needs.create_need(owner, _info())
    request = mentor_needs.request_mentor(owner, need.id, mentor.id, "Hej")
    ship = mentor_needs.accept_request(mentor, request.id)
    accounts.set_user_disabled(UserFactory(role=Role.ADMIN), mentor.id, True)
    db.session.expire_all()
    assert db.session.get(Mentorship, ship.id).status == MentorshipStatus.ENDED
    kinds = [n.kind for n in db.session.query(Notification).filter_by(user_id=owner.id)]
    assert NotificationKind.MENTORSHIP_ENDED in kinds
