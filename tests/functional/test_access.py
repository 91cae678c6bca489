"""Walk every route as every role and check what is allowed and what is refused.

Objects belong to the first jobseeker and the first entrepreneur; the second of each acts on
them by id, which must be refused. A refused request must change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import (
    Answer,
    Application,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Company,
    Consent,
    MeetingNote,
    MentorNeed,
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipFeedback,
    MentorshipMeeting,
    Message,
    NeedStatus,
    Placement,
    PlacementHours,
    Question,
    RequestStatus,
    Role,
    Task,
    TaskStatus,
    User,
)
from taskboerse.models.types import utcnow
from taskboerse.services import applications
from tests.factories import (
    ApplicationFactory,
    BusinessStaffFactory,
    CompanyFactory,
    JobseekerFactory,
    MentorFactory,
    PraktikTaskFactory,
    TaskFactory,
    UserFactory,
    follow,
    mentor_need,
)

ROLES = (
    "anonymous",
    "jobseeker",
    "jobseeker2",
    "entrepreneur",
    "entrepreneur2",
    "caseworker",
    "caseworker2",
    "admin",
    "mentor",
    "mentor2",
    "staff",
)
LOGIN = "login"  # a redirect to the login page


@dataclass
class World:
    users: dict
    task: Task
    draft: Task
    application: Application
    # The first graduate's pending application to a virksomhedspraktik of the first company,
    # and their accepted praktik waiting for the first caseworker's approval.
    praktik_application: Application
    placement: Placement
    # Mentoring: the first entrepreneur's open need with a pending request to the first
    # mentor; a mentorship between them (with a meeting) on another need; the entrepreneur's
    # public question with the mentor's answer.
    need: MentorNeed
    mentor_request: MentorRequest
    mentorship: Mentorship
    meeting: MentorshipMeeting
    question: Question
    answer: Answer
    waiting_mentor: User  # a mentor waiting for approval


@pytest.fixture
def world() -> World:
    js1, js2 = JobseekerFactory(), JobseekerFactory()
    c1, c2 = CompanyFactory(), CompanyFactory()
    task = TaskFactory(company=c1, capacity=3)
    draft = TaskFactory(company=c1, status=TaskStatus.DRAFT)
    TaskFactory(company=c2)
    application = ApplicationFactory(task=task, jobseeker=js1)
    users = {
        "jobseeker": js1,
        "jobseeker2": js2,
        "entrepreneur": c1.owner,
        "entrepreneur2": c2.owner,
        "caseworker": UserFactory(role=Role.CASEWORKER),
        "caseworker2": UserFactory(role=Role.CASEWORKER),
        "admin": UserFactory(role=Role.ADMIN),
    }
    # The first graduate consents and is the first caseworker's; the second graduate is the
    # second caseworker's but does not consent, so no caseworker may see either's neighbour.
    follow(users["caseworker"], js1)
    follow(users["caseworker2"], js2, consent=False)
    c1.employees = 10
    pending = ApplicationFactory(task=PraktikTaskFactory(company=c1), jobseeker=js1)
    accepted = ApplicationFactory(task=PraktikTaskFactory(company=c1), jobseeker=js1)
    applications.accept_application(c1.owner, accepted.id)
    users["mentor"] = MentorFactory()
    users["mentor2"] = MentorFactory()
    users["staff"] = BusinessStaffFactory()
    mentoring = _mentoring(c1.owner, users["mentor"])
    waiting = MentorFactory(profile__approved=False)
    return World(users, task, draft, application, pending, accepted.placement, *mentoring, waiting)


def _mentoring(entrepreneur: User, mentor: User) -> tuple:
    need = mentor_need(entrepreneur, "financing")
    request = MentorRequest(
        need_id=need.id,
        mentor_id=mentor.id,
        message="Vil du være min mentor?",
        expires_at=utcnow() + timedelta(days=7),
    )
    matched = mentor_need(entrepreneur, "export", status=NeedStatus.MATCHED)
    accepted = MentorRequest(
        need_id=matched.id,
        mentor_id=mentor.id,
        message="Hjælp med eksport",
        status=RequestStatus.ACCEPTED,
        expires_at=utcnow(),
    )
    db.session.add_all([request, accepted])
    db.session.flush()
    mentorship = Mentorship(
        request_id=accepted.id,
        need_id=matched.id,
        mentor_id=mentor.id,
        entrepreneur_id=entrepreneur.id,
        start_on=date.today() - timedelta(weeks=2),
        end_on=date.today() + timedelta(weeks=10),
    )
    db.session.add(mentorship)
    db.session.flush()
    meeting = MentorshipMeeting(
        mentorship_id=mentorship.id, held_on=date.today(), agenda="Eksportplan"
    )
    question = Question(
        author_id=entrepreneur.id, title="Moms ved eksport?", body="Hvordan?", is_public=True
    )
    db.session.add_all([meeting, question])
    db.session.flush()
    answer = Answer(question_id=question.id, author_id=mentor.id, body="Se skat.dk.")
    db.session.add(answer)
    db.session.commit()
    return need, request, mentorship, meeting, question, answer


def everyone(code):
    return dict.fromkeys(ROLES, code)


def only(allowed: dict, others=403, anonymous=LOGIN):
    result = {role: others for role in ROLES}
    result["anonymous"] = anonymous
    result.update(allowed)
    return result


LOGGED_IN = {r: 200 for r in ROLES if r != "anonymous"}


def GRADUATES(code):  # noqa: N802 — reads like the other role sets
    """Both graduates."""
    return {"jobseeker": code, "jobseeker2": code}


def verifiers(code):
    """Admins and caseworkers verify companies."""
    return {"admin": code, "caseworker": code, "caseworker2": code}


MENTORS = ("mentor", "mentor2")
ENTREPRENEURS = ("entrepreneur", "entrepreneur2")
STAFF = ("admin", "staff")


def the(*roles: str, code: int = 200) -> dict:
    """These roles get ``code``."""
    return dict.fromkeys(roles, code)


# endpoint → list of (method, url maker, data, expected status per role)
CASES = {
    "static": [("GET", lambda w: "/static/css/app.css", None, everyone(200))],
    "main.index": [("GET", lambda w: "/", None, everyone(200))],
    "favicon": [("GET", lambda w: "/favicon.ico", None, everyone(200))],
    "main.company_logo": [
        ("GET", lambda w: f"/companies/{w.task.company_id}/logo.png", None, everyone(404))
    ],
    "main.healthz": [("GET", lambda w: "/healthz", None, everyone(200))],
    "main.dashboard": [("GET", lambda w: "/dashboard", None, only(dict.fromkeys(ROLES[1:], 302)))],
    "main.notifications_page": [("GET", lambda w: "/notifications", None, only(LOGGED_IN))],
    "main.mark_notifications_read": [
        ("POST", lambda w: "/notifications/read", {}, only(dict.fromkeys(ROLES[1:], 302)))
    ],
    "main.set_language": [("POST", lambda w: "/language", {"lang": "en"}, everyone(302))],
    "main.skills_suggest": [("GET", lambda w: "/skills/suggest?q=exc", None, everyone(200))],
    "main.skills_from_text": [
        ("GET", lambda w: "/skills/from-text?text=Budget+i+Excel", None, everyone(200))
    ],
    "auth.signup": [("GET", lambda w: "/auth/signup", None, {**everyone(302), "anonymous": 200})],
    "auth.login": [("GET", lambda w: "/auth/login", None, {**everyone(302), "anonymous": 200})],
    "auth.logout": [("POST", lambda w: "/auth/logout", {}, everyone(302))],
    "auth.change_password": [("GET", lambda w: "/auth/password", None, only(LOGGED_IN))],
    "auth.account": [("GET", lambda w: "/auth/account", None, only(LOGGED_IN))],
    "auth.export_data": [("GET", lambda w: "/auth/account/export.json", None, only(LOGGED_IN))],
    "auth.delete_account": [
        (
            "POST",
            lambda w: "/auth/account/delete",
            {"password": "wrong password here"},
            only(
                {
                    "jobseeker": 422,
                    "jobseeker2": 422,
                    "entrepreneur": 422,
                    "entrepreneur2": 422,
                    "mentor": 422,
                    "mentor2": 422,
                    "caseworker": 403,
                    "caseworker2": 403,
                    "admin": 403,
                }
            ),
        )
    ],
    "tasks.browse": [("GET", lambda w: "/tasks", None, everyone(200))],
    "tasks.detail": [
        ("GET", lambda w: f"/tasks/{w.task.id}", None, everyone(200)),
        (
            "GET",
            lambda w: f"/tasks/{w.draft.id}",
            None,
            {**everyone(404), "entrepreneur": 200, "admin": 200},
        ),
        ("GET", lambda w: "/tasks/999999", None, everyone(404)),
    ],
    "tasks.apply": [
        (
            "POST",
            lambda w: f"/tasks/{w.task.id}/apply",
            {"motivation": "Jeg vil"},
            only({"jobseeker": 422, "jobseeker2": 302}),
        ),
        (
            "POST",
            lambda w: f"/tasks/{w.draft.id}/apply",
            {"motivation": "Jeg vil"},
            only({"jobseeker": 404, "jobseeker2": 404}),
        ),
    ],
    "jobseeker.dashboard": [
        ("GET", lambda w: "/jobseeker/", None, only({"jobseeker": 200, "jobseeker2": 200}))
    ],
    "jobseeker.edit_profile": [
        ("GET", lambda w: "/jobseeker/profile", None, only({"jobseeker": 200, "jobseeker2": 200}))
    ],
    "jobseeker.withdraw": [
        (
            "POST",
            lambda w: f"/jobseeker/applications/{w.application.id}/withdraw",
            {},
            only({"jobseeker": 302, "jobseeker2": 404}),
        ),
    ],
    "jobseeker.cv": [
        ("GET", lambda w: "/jobseeker/cv.pdf", None, only({"jobseeker": 200, "jobseeker2": 200}))
    ],
    "entrepreneur.dashboard": [
        ("GET", lambda w: "/entrepreneur/", None, only({"entrepreneur": 200, "entrepreneur2": 200}))
    ],
    "entrepreneur.company": [
        (
            "GET",
            lambda w: "/entrepreneur/company",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 200}),
        )
    ],
    "entrepreneur.new_task": [
        (
            "GET",
            lambda w: "/entrepreneur/tasks/new",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 200}),
        )
    ],
    "entrepreneur.edit_task": [
        (
            "GET",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/edit",
            None,
            only({"entrepreneur": 200}),
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/edit",
            {"title": "Kapret"},
            only({"entrepreneur": 422}),
        ),
        (
            "GET",
            lambda w: f"/entrepreneur/tasks/{w.draft.id}/edit",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.task_action": [
        (
            "POST",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/cancel",
            {},
            only({"entrepreneur": 302}),
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/tasks/{w.draft.id}/publish",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        ),
        (
            "POST",
            lambda w: "/entrepreneur/tasks/999999/publish",
            {},
            only({"entrepreneur": 404, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.invite": [
        (
            "POST",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/invite/{w.users['jobseeker2'].id}",
            {},
            only({"entrepreneur": 404}),  # not a graduate the ranking suggests
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/tasks/{w.draft.id}/invite/{w.users['jobseeker2'].id}",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.manage_task": [
        ("GET", lambda w: f"/entrepreneur/tasks/{w.task.id}", None, only({"entrepreneur": 200})),
    ],
    "entrepreneur.applicant": [
        (
            "GET",
            lambda w: f"/entrepreneur/applications/{w.application.id}",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.decide": [
        (
            "POST",
            lambda w: f"/entrepreneur/applications/{w.application.id}/accept",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/applications/{w.application.id}/reject",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.accept_praktik": [
        (
            "GET",
            lambda w: f"/entrepreneur/applications/{w.praktik_application.id}/accept-praktik",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/applications/{w.praktik_application.id}/accept-praktik",
            {"purpose": "", "start_on": ""},
            only({"entrepreneur": 422, "entrepreneur2": 404}),
        ),
    ],
    "admin.set_company_nonprofit": [
        (
            "POST",
            lambda w: f"/admin/companies/{w.task.company_id}/nonprofit/mark",
            {},
            only({"admin": 302}),
        ),
    ],
    "placements.index": [
        (
            "GET",
            lambda w: "/placements/",
            None,
            only(
                {
                    **GRADUATES(200),
                    "entrepreneur": 200,
                    "entrepreneur2": 200,
                    "caseworker": 200,
                    "caseworker2": 200,
                }
            ),
        )
    ],
    # The placement is the first graduate's praktik at the first company, waiting for the
    # first caseworker (who follows that graduate); anyone else's view of it is a 404.
    "placements.detail": [
        (
            "GET",
            lambda w: f"/placements/{w.placement.id}",
            None,
            only(
                {
                    "jobseeker": 200,
                    "jobseeker2": 404,
                    "entrepreneur": 200,
                    "entrepreneur2": 404,
                    "caseworker": 200,
                    "caseworker2": 404,
                }
            ),
        )
    ],
    "placements.approve": [
        (
            "POST",
            lambda w: f"/placements/{w.placement.id}/approve",
            {},
            only({"caseworker": 302, "caseworker2": 404}),
        )
    ],
    "placements.decline": [
        (
            "POST",
            lambda w: f"/placements/{w.placement.id}/decline",
            {"reason": ""},
            only({"caseworker": 422, "caseworker2": 404}),
        )
    ],
    "placements.log_hours": [
        (
            "POST",
            lambda w: f"/placements/{w.placement.id}/hours",
            {"work_date": "", "hours": ""},
            only({"jobseeker": 422, "jobseeker2": 404}),
        )
    ],
    "placements.confirm": [
        (
            "POST",
            lambda w: f"/placements/{w.placement.id}/confirm",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        )
    ],
    "placements.statement_pdf": [
        ("GET", lambda w: "/placements/statement.pdf", None, only(GRADUATES(200)))
    ],
    "placements.statement_csv": [
        ("GET", lambda w: "/placements/statement.csv", None, only(GRADUATES(200)))
    ],
    "placements.plan_csv": [
        (
            "GET",
            lambda w: f"/placements/{w.placement.id}/plan.csv",
            None,
            only(
                {
                    "jobseeker": 200,
                    "jobseeker2": 404,
                    "entrepreneur": 200,
                    "entrepreneur2": 404,
                    "caseworker": 200,
                    "caseworker2": 404,
                }
            ),
        )
    ],
    "placements.plan_pdf": [
        (
            "GET",
            lambda w: f"/placements/{w.placement.id}/plan.pdf",
            None,
            only(
                {
                    "jobseeker": 200,
                    "jobseeker2": 404,
                    "entrepreneur": 200,
                    "entrepreneur2": 404,
                    "caseworker": 200,
                    "caseworker2": 404,
                }
            ),
        )
    ],
    "entrepreneur.complete": [
        (
            "GET",
            lambda w: f"/entrepreneur/applications/{w.application.id}/complete",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        ),
        (
            "POST",
            lambda w: f"/entrepreneur/applications/{w.application.id}/complete",
            {"rating": "5", "reference": "Flot"},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        ),
    ],
    "jobseeker.privacy": [
        ("GET", lambda w: "/jobseeker/privacy", None, only({"jobseeker": 200, "jobseeker2": 200}))
    ],
    "jobseeker.set_consent": [
        (
            "POST",
            lambda w: "/jobseeker/consent",
            {"share": "yes"},
            only({"jobseeker": 302, "jobseeker2": 302}),
        )
    ],
    "caseworker.caseload_page": [
        ("GET", lambda w: "/caseworker/", None, only({"caseworker": 200, "caseworker2": 200}))
    ],
    "caseworker.person": [
        (
            "GET",
            lambda w: f"/caseworker/people/{w.users['jobseeker'].id}",
            None,
            only({"caseworker": 200, "caseworker2": 404}),
        ),
        (
            "GET",
            lambda w: f"/caseworker/people/{w.users['jobseeker2'].id}",
            None,
            only({"caseworker": 404, "caseworker2": 404}),
        ),
        (
            "GET",
            lambda w: f"/caseworker/people/{w.users['entrepreneur'].id}",
            None,
            only({"caseworker": 404, "caseworker2": 404}),
        ),
        (
            "GET",
            lambda w: "/caseworker/people/99999999999",
            None,
            only({"caseworker": 404, "caseworker2": 404}),
        ),
    ],
    "caseworker.add_note": [
        (
            "POST",
            lambda w: f"/caseworker/people/{w.users['jobseeker'].id}/notes",
            {"text": "Note"},
            only({"caseworker": 302, "caseworker2": 404}),
        ),
        (
            "POST",
            lambda w: f"/caseworker/people/{w.users['jobseeker2'].id}/notes",
            {"text": "Note"},
            only({"caseworker": 404, "caseworker2": 404}),
        ),
    ],
    "caseworker.record_outcome": [
        (
            "POST",
            lambda w: f"/caseworker/people/{w.users['jobseeker'].id}/outcome",
            {"status": "employed", "date": "2026-12-01"},
            only({"caseworker": 302, "caseworker2": 404}),
        ),
        (
            "POST",
            lambda w: f"/caseworker/people/{w.users['jobseeker2'].id}/outcome",
            {"status": "employed", "date": "2026-12-01"},
            only({"caseworker": 404, "caseworker2": 404}),
        ),
    ],
    "caseworker.statistics_page": [
        (
            "GET",
            lambda w: "/caseworker/statistics",
            None,
            only({"caseworker": 200, "caseworker2": 200, "admin": 200}),
        )
    ],
    "caseworker.export_caseload": [
        (
            "GET",
            lambda w: "/caseworker/export/caseload.csv",
            None,
            only({"caseworker": 200, "caseworker2": 200}),
        )
    ],
    "caseworker.export_placements": [
        (
            "GET",
            lambda w: "/caseworker/export/placements.csv",
            None,
            only({"caseworker": 200, "caseworker2": 200}),
        )
    ],
    "caseworker.summary": [
        (
            "GET",
            lambda w: "/caseworker/summary",
            None,
            only({"caseworker": 200, "caseworker2": 200}),
        )
    ],
    "admin.caseload_page": [
        ("GET", lambda w: "/admin/caseload", None, only({"admin": 200})),
        (
            "POST",
            lambda w: "/admin/caseload",
            lambda w: {
                "caseworker": w.users["caseworker2"].email,
                "jobseeker": w.users["jobseeker"].email,
            },
            only({"admin": 302}),
        ),
    ],
    "admin.unassign": [
        (
            "POST",
            lambda w: f"/admin/caseload/{w.users['jobseeker'].id}/unassign",
            {},
            only({"admin": 302}),
        ),
        ("POST", lambda w: "/admin/caseload/999999/unassign", {}, only({"admin": 404})),
    ],
    "admin.access_log": [("GET", lambda w: "/admin/access-log", None, only({"admin": 200}))],
    "admin.users": [("GET", lambda w: "/admin/users", None, only({"admin": 200}))],
    "admin.new_user": [("GET", lambda w: "/admin/users/new", None, only({"admin": 200}))],
    "admin.set_disabled": [
        (
            "POST",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/disable",
            {},
            only({"admin": 302}),
        ),
        ("POST", lambda w: "/admin/users/999999/disable", {}, only({"admin": 404})),
    ],
    "admin.edit_user": [
        (
            "GET",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/edit",
            None,
            only({"admin": 200}),
        ),
        (
            "POST",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/edit",
            lambda w: {
                "name": "Nyt Navn",
                "email": w.users["jobseeker"].email,
                "role": "jobseeker",
            },
            only({"admin": 302}),
        ),
        (
            "POST",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/edit",
            lambda w: {"name": "Nyt Navn", "email": w.users["jobseeker"].email, "role": "admin"},
            only({"admin": 422}),  # the graduate has a profile and an application
        ),
        ("GET", lambda w: "/admin/users/999999/edit", None, only({"admin": 404})),
    ],
    "admin.confirm_reset": [
        (
            "GET",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/reset-password",
            None,
            only({"admin": 200}),
        ),
        ("GET", lambda w: "/admin/users/999999/reset-password", None, only({"admin": 404})),
    ],
    "admin.send_reset": [
        (
            "POST",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/reset-password",
            {},
            only({"admin": 302}),
        ),
        ("POST", lambda w: "/admin/users/999999/reset-password", {}, only({"admin": 404})),
    ],
    "admin.suggest_graduates": [
        ("GET", lambda w: "/admin/graduates/suggest?q=Test", None, only({"admin": 200})),
        ("GET", lambda w: "/admin/graduates/suggest?q=T", None, only({"admin": 200})),
    ],
    "auth.reset_request": [
        ("GET", lambda w: "/auth/reset", None, everyone(200)),
        ("POST", lambda w: "/auth/reset", {"email": "nobody@example.com"}, everyone(302)),
    ],
    "auth.reset_password": [
        ("GET", lambda w: "/auth/reset/not-a-link", None, everyone(400)),
        (
            "POST",
            lambda w: "/auth/reset/not-a-link",
            {"password": "a long new password", "confirm": "a long new password"},
            everyone(400),
        ),
    ],
    "admin.confirm_disable": [
        (
            "GET",
            lambda w: f"/admin/users/{w.users['jobseeker'].id}/disable",
            None,
            only({"admin": 200}),
        ),
        ("GET", lambda w: "/admin/users/999999/disable", None, only({"admin": 404})),
    ],
    "jobseeker.confirm_withdraw": [
        (
            "GET",
            lambda w: f"/jobseeker/applications/{w.application.id}/withdraw",
            None,
            only({"jobseeker": 200, "jobseeker2": 404}),
        ),
    ],
    "entrepreneur.confirm_cancel": [
        (
            "GET",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/cancel",
            None,
            only({"entrepreneur": 200}),
        ),
    ],
    "entrepreneur.confirm_reject": [
        (
            "GET",
            lambda w: f"/entrepreneur/applications/{w.application.id}/reject",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        ),
    ],
    "entrepreneur.candidate": [
        # Only a graduate the ranking suggests for the owner's task can be opened.
        (
            "GET",
            lambda w: f"/entrepreneur/tasks/{w.task.id}/candidates/{w.users['admin'].id}",
            None,
            only({"entrepreneur": 404}),
        ),
    ],
    "messages.inbox": [
        (
            "GET",
            lambda w: "/messages",
            None,
            only(the("jobseeker", "jobseeker2", *ENTREPRENEURS, *MENTORS)),
        )
    ],
    "messages.thread": [
        (
            "GET",
            lambda w: f"/messages/{w.task.id}/{w.users['jobseeker'].id}",
            None,
            only({"jobseeker": 200, "entrepreneur": 200, "jobseeker2": 404, "entrepreneur2": 404}),
        ),
        (
            "POST",
            lambda w: f"/messages/{w.task.id}/{w.users['jobseeker'].id}",
            {"body": "Hej, hvornår kan vi starte?"},
            only({"jobseeker": 302, "entrepreneur": 302, "jobseeker2": 404, "entrepreneur2": 404}),
        ),
        (
            "GET",
            lambda w: f"/messages/{w.task.id}/{w.users['jobseeker2'].id}",
            None,
            only({"jobseeker": 404, "entrepreneur": 404, "jobseeker2": 404, "entrepreneur2": 404}),
        ),
    ],
    "main.open_notification": [
        ("GET", lambda w: "/notifications/999999", None, only(dict.fromkeys(ROLES[1:], 404))),
    ],
    "admin.companies_page": [("GET", lambda w: "/admin/companies", None, only(verifiers(200)))],
    "admin.set_company_verified": [
        (
            "POST",
            lambda w: f"/admin/companies/{w.task.company_id}/verify",
            {},
            only(verifiers(302)),
        ),
        ("POST", lambda w: "/admin/companies/999999/verify", {}, only(verifiers(404))),
        (
            "POST",
            lambda w: f"/admin/companies/{w.task.company_id}/bless",
            {},
            only(verifiers(404)),
        ),
    ],
    # Issue 16: background work, saved searches, notification settings, calendar.
    "auth.notification_settings": [
        ("GET", lambda w: "/auth/account/notifications", None, only(LOGGED_IN))
    ],
    "admin.worker_page": [("GET", lambda w: "/admin/worker", None, only({"admin": 200}))],
    "admin.resend_message": [
        ("POST", lambda w: "/admin/worker/messages/999999/resend", {}, only({"admin": 404}))
    ],
    "alerts.saved_searches": [("GET", lambda w: "/saved-searches", None, only(GRADUATES(200)))],
    "alerts.create": [
        (
            "POST",
            lambda w: "/saved-searches",
            {"name": "Alt", "frequency": "daily"},
            only(GRADUATES(302)),
        )
    ],
    "alerts.set_frequency": [
        (
            "POST",
            lambda w: "/saved-searches/999999/frequency",
            {"frequency": "daily"},
            only(GRADUATES(404)),
        )
    ],
    "alerts.rename": [
        ("POST", lambda w: "/saved-searches/999999/rename", {"name": "X"}, only(GRADUATES(404)))
    ],
    "alerts.confirm_delete": [
        ("GET", lambda w: "/saved-searches/999999/delete", None, only(GRADUATES(404)))
    ],
    "alerts.delete": [
        ("POST", lambda w: "/saved-searches/999999/delete", {}, only(GRADUATES(404)))
    ],
    "alerts.set_recommended": [
        (
            "POST",
            lambda w: "/saved-searches/recommended",
            {"frequency": "weekly"},
            only(GRADUATES(302)),
        )
    ],
    "alerts.unsubscribe": [
        # A broken link: a clear error page, nothing changes.
        ("GET", lambda w: "/alerts/unsubscribe/not-a-token", None, everyone(422)),
        ("POST", lambda w: "/alerts/unsubscribe/not-a-token", {}, everyone(422)),
    ],
    "calendar.application_ics": [
        (
            "GET",
            lambda w: f"/applications/{w.application.id}/calendar.ics",
            None,
            only(dict.fromkeys(ROLES[1:], 404)),
        )
    ],
    "calendar.feed": [("GET", lambda w: "/calendar/" + "A" * 43 + ".ics", None, everyone(404))],
    "calendar.feed_settings": [
        (
            "GET",
            lambda w: "/account/calendar",
            None,
            only({r: 200 for r in ("jobseeker", "jobseeker2", "entrepreneur", "entrepreneur2")}),
        )
    ],
    "calendar.create_feed": [
        (
            "POST",
            lambda w: "/account/calendar/new",
            {},
            only({r: 200 for r in ("jobseeker", "jobseeker2", "entrepreneur", "entrepreneur2")}),
        )
    ],
    "calendar.revoke_feed": [
        (
            "POST",
            lambda w: "/account/calendar/revoke",
            {},
            only({r: 302 for r in ("jobseeker", "jobseeker2", "entrepreneur", "entrepreneur2")}),
        )
    ],
    "calendar.set_start_date": [
        (
            "POST",
            lambda w: f"/applications/{w.application.id}/start-date",
            {"start_on": ""},
            only({"jobseeker": 302, "entrepreneur": 302, "jobseeker2": 404, "entrepreneur2": 404}),
        )
    ],
}

# --- mentoring ---------------------------------------------------------------------------------

MENTORING_CASES = {
    "mentors.profile": [("GET", lambda w: "/mentors/profile", None, only(the(*MENTORS)))],
    "mentors.home": [("GET", lambda w: "/mentors/home", None, only(the(*MENTORS)))],
    "mentors.pause": [("POST", lambda w: "/mentors/pause", {}, only(the(*MENTORS, code=302)))],
    "mentors.resume": [("POST", lambda w: "/mentors/resume", {}, only(the(*MENTORS, code=302)))],
    "mentors.public": [
        (
            "GET",
            lambda w: f"/mentors/{w.users['mentor'].id}",
            None,
            only(the(*ENTREPRENEURS, *MENTORS, *STAFF)),
        )
    ],
    "mentors.reject": [
        (
            "POST",
            lambda w: f"/mentors/{w.waiting_mentor.id}/reject",
            {"reason": "Ikke et match for programmet."},
            only(the(*STAFF, code=302)),
        )
    ],
    "mentors.approvals": [("GET", lambda w: "/mentors/approvals", None, only(the(*STAFF)))],
    "mentors.approve": [
        (
            "POST",
            lambda w: f"/mentors/{w.users['mentor2'].id}/approve",
            {},
            only(the(*STAFF, code=302)),
        )
    ],
    "needs.index": [("GET", lambda w: "/mentor-needs/", None, only(the(*ENTREPRENEURS)))],
    "needs.new": [("GET", lambda w: "/mentor-needs/new", None, only(the(*ENTREPRENEURS)))],
    "needs.detail": [
        (
            "GET",
            lambda w: f"/mentor-needs/{w.need.id}",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        )
    ],
    "needs.edit": [
        (
            "GET",
            lambda w: f"/mentor-needs/{w.need.id}/edit",
            None,
            only({"entrepreneur": 200, "entrepreneur2": 404}),
        )
    ],
    "needs.close": [
        (
            "POST",
            lambda w: f"/mentor-needs/{w.need.id}/close",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        )
    ],
    "needs.request_mentor": [
        (
            "POST",
            lambda w: f"/mentor-needs/{w.need.id}/mentors/{w.users['mentor2'].id}/request",
            {"message": "Vil du hjælpe os?"},
            # The need has a request pending: the owner is told so (a flash), nothing changes.
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        )
    ],
    "needs.withdraw": [
        (
            "POST",
            lambda w: f"/mentor-needs/requests/{w.mentor_request.id}/withdraw",
            {},
            only({"entrepreneur": 302, "entrepreneur2": 404}),
        )
    ],
    "needs.requests": [("GET", lambda w: "/mentor-needs/requests", None, only(the(*MENTORS)))],
    "needs.for_me": [("GET", lambda w: "/mentor-needs/for-me", None, only(the(*MENTORS)))],
    "needs.accept": [
        (
            "POST",
            lambda w: f"/mentor-needs/requests/{w.mentor_request.id}/accept",
            lambda w: {"start_on": date.today().isoformat(), "weeks": "12"},
            only({"mentor": 302, "mentor2": 404}),
        )
    ],
    "needs.decline": [
        (
            "POST",
            lambda w: f"/mentor-needs/requests/{w.mentor_request.id}/decline",
            {"reason": "Jeg har ikke tid lige nu."},
            only({"mentor": 302, "mentor2": 404}),
        )
    ],
    "questions.index": [
        ("GET", lambda w: "/questions/", None, only(the(*ENTREPRENEURS, *MENTORS, *STAFF)))
    ],
    "questions.new": [("GET", lambda w: "/questions/new", None, only(the(*ENTREPRENEURS)))],
    "questions.detail": [
        (
            "GET",
            lambda w: f"/questions/{w.question.id}",
            None,
            only(the(*ENTREPRENEURS, *MENTORS, *STAFF)),
        )
    ],
    "questions.answer": [
        (
            "POST",
            lambda w: f"/questions/{w.question.id}/answers",
            {"body": "Tal med din revisor om det."},
            # The first mentor has answered already: one answer per mentor.
            only({"mentor": 409, "mentor2": 302}),
        )
    ],
    "questions.helpful": [
        (
            "POST",
            lambda w: f"/questions/answers/{w.answer.id}/helpful",
            {},
            only({"entrepreneur": 302}),
        )
    ],
    "questions.hide": [
        (
            "POST",
            lambda w: f"/questions/{w.question.id}/hide",
            {"question-reason": "Navngiver en medarbejder."},
            only(the(*STAFF, code=302)),
        )
    ],
    "questions.unhide": [
        (
            "POST",
            lambda w: f"/questions/{w.question.id}/unhide",
            {},
            only(the(*STAFF, code=302)),
        )
    ],
    "questions.hide_answer": [
        (
            "POST",
            lambda w: f"/questions/answers/{w.answer.id}/hide",
            lambda w: {f"a{w.answer.id}-reason": "Reklame."},
            only(the(*STAFF, code=302)),
        )
    ],
    "questions.unhide_answer": [
        (
            "POST",
            lambda w: f"/questions/answers/{w.answer.id}/unhide",
            {},
            only(the(*STAFF, code=302)),
        )
    ],
    "programme.index": [("GET", lambda w: "/programme/", None, only(the(*STAFF)))],
    "programme.need": [("GET", lambda w: f"/programme/needs/{w.need.id}", None, only(the(*STAFF)))],
    "programme.mentorship": [
        (
            "GET",
            lambda w: f"/programme/mentorships/{w.mentorship.id}",
            None,
            only(the(*STAFF)),
        )
    ],
    "programme.export": [
        ("GET", lambda w: "/programme/export/outcomes.csv", None, only(the(*STAFF)))
    ],
    "programme.export_waiting": [
        ("GET", lambda w: "/programme/export/waiting-needs.csv", None, only(the(*STAFF)))
    ],
}
PARTIES = {"entrepreneur": 302, "mentor": 302, "entrepreneur2": 404, "mentor2": 404}


def _ship(w: World, tail: str = "") -> str:
    return f"/mentorships/{w.mentorship.id}{tail}"


def _meeting(w: World, tail: str) -> str:
    return f"/mentorships/meetings/{w.meeting.id}{tail}"


MENTORING_CASES.update(
    {
        "mentorships.index": [
            ("GET", lambda w: "/mentorships/", None, only(the(*ENTREPRENEURS, *MENTORS)))
        ],
        "mentorships.detail": [
            (
                "GET",
                _ship,
                None,
                only({"entrepreneur": 200, "mentor": 200, "entrepreneur2": 404, "mentor2": 404}),
            )
        ],
        "mentorships.add_meeting": [
            (
                "POST",
                lambda w: _ship(w, "/meetings"),
                lambda w: {
                    "meeting-held_on": date.today().isoformat(),
                    "meeting-agenda": "Budget",
                },
                only(PARTIES),
            )
        ],
        "mentorships.agenda": [
            (
                "POST",
                lambda w: _meeting(w, "/agenda"),
                lambda w: {f"agenda{w.meeting.id}-agenda": "Ny dagsorden"},
                only(PARTIES),
            )
        ],
        "mentorships.note": [
            (
                "POST",
                lambda w: _meeting(w, "/note"),
                lambda w: {f"note{w.meeting.id}-body": "Min egen note"},
                only(PARTIES),
            )
        ],
        "mentorships.message": [
            ("POST", lambda w: _ship(w, "/messages"), {"body": "Hej!"}, only(PARTIES))
        ],
        "mentorships.confirm_end": [
            (
                "GET",
                lambda w: _ship(w, "/end"),
                None,
                only({"entrepreneur": 200, "mentor": 200, "entrepreneur2": 404, "mentor2": 404}),
            )
        ],
        "mentorships.end": [("POST", lambda w: _ship(w, "/end"), {}, only(PARTIES))],
        "mentorships.feedback": [
            (
                "POST",
                lambda w: _ship(w, "/feedback"),
                {"feedback-rating": "5", "feedback-comment": "Godt"},
                # Before the agreed end the parties are told it is too early (a flash).
                only(PARTIES),
            )
        ],
        "mentorships.outcome": [
            (
                "POST",
                lambda w: _ship(w, "/outcome"),
                {"outcome-outcome": "funding", "outcome-note": ""},
                # Only the entrepreneur says what came of it; a mentor is refused outright.
                only({"entrepreneur": 302, "mentor": 403, "entrepreneur2": 404, "mentor2": 403}),
            )
        ],
    }
)
CASES.update(MENTORING_CASES)


def fingerprint() -> tuple:
    """Everything a refused request must leave alone."""
    db.session.expire_all()
    tasks = tuple(db.session.execute(select(Task.id, Task.status, Task.title)).all())
    apps = tuple(db.session.execute(select(Application.id, Application.status)).all())
    users = tuple(db.session.execute(select(User.id, User.is_disabled, User.role)).all())
    followup = (
        tuple(
            db.session.execute(
                select(CaseAssignment.jobseeker_id, CaseAssignment.caseworker_id)
            ).all()
        ),
        tuple(db.session.execute(select(Consent.jobseeker_id, Consent.shared)).all()),
        tuple(db.session.execute(select(CaseNote.id)).all()),
        tuple(db.session.execute(select(CaseOutcome.jobseeker_id, CaseOutcome.status)).all()),
    )
    companies = tuple(
        db.session.execute(select(Company.id, Company.verified_at, Company.nonprofit_at)).all()
    )
    placements = tuple(
        db.session.execute(
            select(Placement.id, Placement.status, PlacementHours.id).outerjoin(
                PlacementHours, PlacementHours.placement_id == Placement.id
            )
        ).all()
    )
    mentoring = tuple(
        tuple(db.session.execute(stmt).all())
        for stmt in (
            select(MentorProfile.id, MentorProfile.approved_at, MentorProfile.paused_at),
            select(MentorNeed.id, MentorNeed.status, MentorNeed.description),
            select(MentorRequest.id, MentorRequest.status),
            select(Mentorship.id, Mentorship.status, Mentorship.outcome),
            select(MentorshipMeeting.id, MentorshipMeeting.agenda),
            select(MeetingNote.id, MeetingNote.body),
            select(MentorshipFeedback.id),
            select(Question.id, Question.hidden_at),
            select(Answer.id, Answer.hidden_at, Answer.helpful_at),
            select(Message.id),
        )
    )
    return tasks, apps, users, followup, companies, placements, mentoring


def test_every_route_is_covered(app) -> None:
    # The JSON API authenticates with tokens; test_api.py and test_api_fuzz.py walk it.
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if not r.endpoint.startswith("api.")}
    assert endpoints == set(CASES), "add the new route to CASES"


PARAMS = [
    pytest.param(endpoint, i, role, id=f"{endpoint}[{i}]-{role}")
    for endpoint, cases in CASES.items()
    for i in range(len(cases))
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "index", "role"), PARAMS)
def test_route_access(app, world, login_as, endpoint, index, role) -> None:
    method, make_url, data, expected = CASES[endpoint][index]
    client = app.test_client() if role == "anonymous" else login_as(world.users[role])
    before = fingerprint()
    url = make_url(world)
    data = data(world) if callable(data) else data
    response = client.open(url, method=method, data=data)
    response.close()  # static files are streamed from an open file
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == want, (url, role, response.get_data(as_text=True)[-800:])
    refused = want == LOGIN or want in (403, 404, 405)
    if refused:
        assert fingerprint() == before, "a refused request changed something"
        assert "Traceback" not in response.get_data(as_text=True)
