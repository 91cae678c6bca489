"""Working together after the match: one conversation per task and graduate, contact details
from acceptance on (never before), links in every email, and steps that ask before they act."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import (
    Application,
    ApplicationStatus,
    Message,
    Notification,
    NotificationKind,
    OutboxMessage,
    Role,
    TaskStatus,
    ThreadRead,
)
from taskboerse.services import clock, conversations
from taskboerse.services.applications import invite_jobseeker
from taskboerse.web.matching import matching_index
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
    follow,
    nearby_graduate,
)
from tests.functional.test_api import token_for

PHONE = "+45 20 30 40 50"
COMPANY_PHONE = "33 44 55 66"


@pytest.fixture
def pair(app):
    """A task whose owner has a phone, and a graduate with a phone who applied."""
    company = CompanyFactory(name="Café Solsikke ApS", phone=COMPANY_PHONE)
    task = TaskFactory(company=company, title="Markedsanalyse for caféen", capacity=1)
    graduate = JobseekerFactory(name="Asta Dimittend")
    graduate.profile.phone = PHONE
    application = ApplicationFactory(task=task, jobseeker=graduate)
    db.session.commit()
    return task, graduate, application


def thread_url(task, graduate) -> str:
    return f"/messages/{task.id}/{graduate.id}"


def count(model, *where) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


# --- the thread --------------------------------------------------------------------------------


def test_both_sides_write_and_read_and_the_menu_counts_unread(pair, login_as) -> None:
    task, graduate, application = pair
    owner = task.company.owner
    grad, boss = login_as(graduate), login_as(owner)

    sent = grad.post(thread_url(task, graduate), data={"body": "Hej! Hvornår kan jeg starte?"})
    assert sent.status_code == 302
    page = boss.get("/entrepreneur/").get_data(as_text=True)
    assert 'aria-label="1 ulæste"' in page  # the menu's Messages count
    assert "1 ulæst besked" in page  # the dashboard, per task
    thread = boss.get(thread_url(task, graduate)).get_data(as_text=True)
    assert "Hej! Hvornår kan jeg starte?" in thread and "Asta Dimittend" in thread
    assert "Kun du og Asta Dimittend kan læse denne samtale" in thread
    assert "Sagsbehandlere i jobcentret kan ikke." in thread
    assert 'aria-label="1 ulæste"' not in boss.get("/entrepreneur/").get_data(as_text=True)

    boss.post(thread_url(task, graduate), data={"body": "Mandag kl. 9 passer fint."})
    assert 'aria-label="1 ulæste"' in grad.get("/jobseeker/").get_data(as_text=True)
    listed = grad.get("/messages").get_data(as_text=True)
    assert "Café Solsikke ApS" in listed and "Mandag kl. 9 passer fint." in listed
    bodies = [
        m.body
        for m in conversations.messages(conversations.get_thread(owner, task.id, graduate.id))
    ]
    assert bodies == ["Hej! Hvornår kan jeg starte?", "Mandag kl. 9 passer fint."]


def test_only_the_two_sides_see_a_thread(pair, login_as) -> None:
    task, graduate, application = pair
    ApplicationFactory(task=task)  # another applicant's thread is not this one
    caseworker = CaseworkerFactory()
    follow(caseworker, graduate)
    login_as(graduate).post(thread_url(task, graduate), data={"body": "Hej"})
    for outsider, code in (
        (JobseekerFactory(), 404),
        (CompanyFactory().owner, 404),
        (caseworker, 403),
        (UserFactory(role=Role.ADMIN), 403),
    ):
        client = login_as(outsider)
        assert client.get(thread_url(task, graduate)).status_code == code
        assert client.post(thread_url(task, graduate), data={"body": "ind"}).status_code == code
    assert count(Message) == 1
    # No thread without an application or an invitation.
    stranger = JobseekerFactory()
    assert login_as(task.company.owner).get(thread_url(task, stranger)).status_code == 404


def test_messages_are_plain_text_with_clickable_links(pair, login_as) -> None:
    task, graduate, _ = pair
    body = "Se <script>alert(1)</script> og https://example.org/plan.pdf."
    login_as(graduate).post(thread_url(task, graduate), data={"body": body})
    page = login_as(task.company.owner).get(thread_url(task, graduate)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (
        '<a href="https://example.org/plan.pdf" rel="nofollow noopener noreferrer" '
        'target="_blank">https://example.org/plan.pdf</a>.' in page
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 2001, "højst 2000 tegn"),
        ("   ", "Feltet skal udfyldes."),
        ("Mit CPR er 010190-1234", "CPR"),
    ],
)
def test_bad_messages_are_refused_and_change_nothing(pair, login_as, body, message) -> None:
    task, graduate, _ = pair
    response = login_as(graduate).post(thread_url(task, graduate), data={"body": body})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Message) == 0


def test_a_closed_task_makes_the_thread_read_only_but_visible(pair, login_as) -> None:
    task, graduate, _ = pair
    grad = login_as(graduate)
    grad.post(thread_url(task, graduate), data={"body": "Første besked"})
    task.status = TaskStatus.CANCELLED
    db.session.commit()
    page = grad.get(thread_url(task, graduate))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Første besked" in text and "samtalen kan kun læses" in text and "<textarea" not in text
    refused = grad.post(thread_url(task, graduate), data={"body": "Efter lukning"})
    assert refused.status_code == 409
    assert count(Message) == 1


# --- notifications and email -------------------------------------------------------------------


def test_a_message_notifies_in_app_and_emails_at_most_hourly_while_unread(
    pair, login_as, monkeypatch
) -> None:
    task, graduate, _ = pair
    owner = task.company.owner
    owner.locale = "en"
    db.session.commit()
    grad = login_as(graduate)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)

    def emails() -> list[OutboxMessage]:
        return list(
            db.session.execute(
                select(OutboxMessage).where(OutboxMessage.to_email == owner.email)
            ).scalars()
        )

    grad.post(thread_url(task, graduate), data={"body": "En"})
    grad.post(thread_url(task, graduate), data={"body": "To"})
    assert len(emails()) == 1  # the second, within the hour and unread, only in the app
    notes = count(Notification, Notification.user_id == owner.id, Notification.kind == "message")
    assert notes == 2
    mail = emails()[0]
    assert "Asta Dimittend sent you a message about “Markedsanalyse for caféen”." in mail.body
    note_id = db.session.execute(
        select(func.min(Notification.id)).where(Notification.kind == NotificationKind.MESSAGE)
    ).scalar_one()
    assert f"https://taskboerse.test/notifications/{note_id}" in mail.body

    login_as(owner).get(thread_url(task, graduate))  # read at once: a lively exchange
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=5))
    grad.post(thread_url(task, graduate), data={"body": "Tre"})
    assert len(emails()) == 1  # within the hour: no second email, however it is read
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=61))
    grad.post(thread_url(task, graduate), data={"body": "Fire"})
    assert len(emails()) == 2  # an hour after the last email: one more


def test_following_a_notification_marks_it_read_and_lands_on_its_page(pair, login_as) -> None:
    task, graduate, application = pair
    login_as(graduate).post(thread_url(task, graduate), data={"body": "Hej"})
    note = db.session.execute(
        select(Notification).where(Notification.kind == NotificationKind.MESSAGE)
    ).scalar_one()
    boss = login_as(task.company.owner)
    assert f'/notifications/{note.id}"' in boss.get("/notifications").get_data(as_text=True)
    response = boss.get(f"/notifications/{note.id}")
    assert response.status_code == 302 and response.location.endswith(thread_url(task, graduate))
    db.session.refresh(note)
    assert note.read_at is not None
    assert login_as(graduate).get(f"/notifications/{note.id}").status_code == 404


def test_every_notification_email_links_to_its_page_in_the_readers_language(pair) -> None:
    task, graduate, application = pair
    from taskboerse.services.applications import accept_application

    graduate.locale = "da"
    db.session.commit()
    accept_application(task.company.owner, application.id)
    mail = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_email == graduate.email)
    ).scalar_one()
    note = db.session.execute(
        select(Notification).where(Notification.user_id == graduate.id)
    ).scalar_one()
    assert "Du er blevet accepteret til “Markedsanalyse for caféen”." in mail.body
    assert f"Se det på Taskbørs: https://taskboerse.test/notifications/{note.id}" in mail.body


def test_production_refuses_to_start_without_a_base_url(monkeypatch) -> None:
    from taskboerse.app import create_app
    from taskboerse.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv("TASKBOERSE_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="TASKBOERSE_BASE_URL"):
        create_app(ProductionConfig)


# --- contact and next steps --------------------------------------------------------------------


def test_contact_details_only_after_acceptance(pair, login_as, client) -> None:
    task, graduate, application = pair
    owner = task.company.owner
    grad, boss = login_as(graduate), login_as(owner)
    pages = {
        "graduate thread": lambda: grad.get(thread_url(task, graduate)),
        "owner thread": lambda: boss.get(thread_url(task, graduate)),
        "applicant page": lambda: boss.get(f"/entrepreneur/applications/{application.id}"),
        "manage page": lambda: boss.get(f"/entrepreneur/tasks/{task.id}"),
        "task page": lambda: grad.get(f"/tasks/{task.id}"),
    }
    secrets = (graduate.email, PHONE, owner.email, COMPANY_PHONE)
    for name, page in pages.items():
        text = page().get_data(as_text=True)
        leaked = [
            s for s in secrets if s in text and not (s == graduate.email and "graduate" in name)
        ]
        assert leaked == [], name
    grad_api, boss_api = token_for(client, graduate), token_for(client, owner)
    for headers in (grad_api, boss_api):
        body = client.get(f"/api/v1/applications/{application.id}", headers=headers).get_json()
        assert "contact" not in body

    assert boss.post(f"/entrepreneur/applications/{application.id}/accept").status_code == 302
    seen_by_graduate = grad.get(thread_url(task, graduate)).get_data(as_text=True)
    assert "Næste skridt" in seen_by_graduate
    assert owner.email in seen_by_graduate and COMPANY_PHONE in seen_by_graduate
    assert (
        "Café Solsikke ApS" in seen_by_graduate and "Markedsanalyse for caféen" in seen_by_graduate
    )
    seen_by_owner = boss.get(f"/entrepreneur/applications/{application.id}").get_data(as_text=True)
    assert (
        graduate.email in seen_by_owner
        and PHONE in seen_by_owner
        and "Næste skridt" in seen_by_owner
    )
    contact = client.get(f"/api/v1/applications/{application.id}", headers=grad_api).get_json()
    assert contact["contact"] == {
        "name": owner.name,
        "email": owner.email,
        "phone": COMPANY_PHONE,
        "company": "Café Solsikke ApS",
    }
    contact = client.get(f"/api/v1/applications/{application.id}", headers=boss_api).get_json()
    assert contact["contact"] == {"name": "Asta Dimittend", "email": graduate.email, "phone": PHONE}
    outsider = token_for(client, CompanyFactory().owner)
    assert client.get(f"/api/v1/applications/{application.id}", headers=outsider).status_code == 404


def test_phone_numbers_are_checked(login_as) -> None:
    graduate = JobseekerFactory()
    client = login_as(graduate)
    data = {"remote_ok": "y", "max_distance_km": "25", "phone": "ring mig"}
    response = client.post("/jobseeker/profile", data=data)
    assert response.status_code == 422 and "8 til 15 cifre" in response.get_data(as_text=True)
    response = client.post("/jobseeker/profile", data={**data, "phone": "+45 12 34 56 78"})
    assert response.status_code == 302
    db.session.refresh(graduate.profile)
    assert graduate.profile.phone == "+45 12 34 56 78"


# --- invitations with a message ----------------------------------------------------------------


def test_an_invitation_message_opens_a_thread_the_graduate_can_answer(app, login_as) -> None:
    task = TaskFactory(title="Logo til bageriet")
    graduate = nearby_graduate(task)
    invite_jobseeker(
        matching_index(),
        task.company.owner,
        task.id,
        graduate.id,
        "Vi så dit portfolio: www.example.org/asta",
    )
    grad = login_as(graduate)
    page = grad.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Du er inviteret" in page
    assert 'href="https://www.example.org/asta"' in page
    inbox = grad.get("/messages").get_data(as_text=True)
    assert "Logo til bageriet" in inbox and 'aria-label="1 ulæste"' in inbox
    answer = grad.post(thread_url(task, graduate), data={"body": "Tak! Hvor mange timer er det?"})
    assert answer.status_code == 302
    owner_view = login_as(task.company.owner)
    manage = owner_view.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert "Inviteret, har ikke søgt endnu" in manage and 'aria-label="1 ulæste"' in manage
    thread = owner_view.get(thread_url(task, graduate)).get_data(as_text=True)
    assert "Vi så dit portfolio" in thread and "Tak! Hvor mange timer er det?" in thread


def test_an_invitation_message_is_checked(app) -> None:
    from taskboerse.services.errors import ValidationFailed

    task = TaskFactory()
    graduate = nearby_graduate(task)
    index = matching_index()
    with pytest.raises(ValidationFailed):
        invite_jobseeker(index, task.company.owner, task.id, graduate.id, "x" * 2001)
    with pytest.raises(ValidationFailed):
        invite_jobseeker(index, task.company.owner, task.id, graduate.id, "CPR 010190-1234")
    assert count(Notification) == 0


# --- the API -----------------------------------------------------------------------------------


def test_messages_through_the_api(pair, client) -> None:
    task, graduate, application = pair
    grad, boss = token_for(client, graduate), token_for(client, task.company.owner)
    url = f"/api/v1/applications/{application.id}/messages"
    first = client.post(url, json={"body": "Hej fra API"}, headers=grad)
    assert first.status_code == 201 and first.get_json()["mine"] is True
    client.post(url, json={"body": "Svar"}, headers=boss)
    listed = client.get(url, headers=grad).get_json()
    assert [m["body"] for m in listed] == ["Hej fra API", "Svar"]
    assert [m["mine"] for m in listed] == [True, False]
    for bad in ({}, {"body": ""}, {"body": "x" * 2001}, {"body": 5}, {"text": "hej"}):
        response = client.post(url, json=bad, headers=grad)
        assert response.status_code in (400, 422), bad
    assert client.post(url, json={"body": "CPR 010190-1234"}, headers=grad).status_code == 422
    for outsider in (JobseekerFactory(), CompanyFactory().owner, CaseworkerFactory()):
        headers = token_for(client, outsider)
        assert client.get(url, headers=headers).status_code == 404
        assert client.post(url, json={"body": "ind"}, headers=headers).status_code == 404
    assert count(Message) == 2
    task.status = TaskStatus.COMPLETED
    db.session.commit()
    assert client.post(url, json={"body": "for sent"}, headers=grad).status_code == 409


# --- no dead ends ------------------------------------------------------------------------------


def test_withdrawing_asks_first_tells_the_company_why_and_allows_one_more_try(
    pair, login_as
) -> None:
    task, graduate, application = pair
    grad = login_as(graduate)
    confirm = grad.get(f"/jobseeker/applications/{application.id}/withdraw")
    assert confirm.status_code == 200 and "Træk din ansøgning" in confirm.get_data(as_text=True)
    assert db.session.get(Application, application.id).status == ApplicationStatus.PENDING
    done = grad.post(
        f"/jobseeker/applications/{application.id}/withdraw", data={"reason": "Jeg fik et job."}
    )
    assert done.status_code == 302
    note = db.session.execute(
        select(Notification).where(Notification.kind == NotificationKind.WITHDRAWN)
    ).scalar_one()
    assert note.params["reason"] == "Jeg fik et job."
    shown = login_as(task.company.owner).get("/notifications").get_data(as_text=True)
    assert "Begrundelse: Jeg fik et job." in shown

    again = grad.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Søg igen" in again
    assert (
        grad.post(
            f"/tasks/{task.id}/apply", data={"motivation": "Nu kan jeg alligevel"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == ApplicationStatus.PENDING and application.reapplied_at is not None
    assert application.created_at == application.reapplied_at  # it counts as a new one
    grad.post(f"/jobseeker/applications/{application.id}/withdraw", data={})
    refused = grad.post(f"/tasks/{task.id}/apply", data={"motivation": "En gang til"})
    assert refused.status_code == 422
    assert "allerede søgt igen én gang" in refused.get_data(as_text=True)


def test_rejecting_and_cancelling_ask_first_and_carry_the_reason(pair, login_as) -> None:
    task, graduate, application = pair
    other = ApplicationFactory(task=task)
    boss = login_as(task.company.owner)
    manage = boss.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert f'href="/entrepreneur/applications/{application.id}/reject"' in manage
    assert f'href="/entrepreneur/tasks/{task.id}/cancel"' in manage
    confirm = boss.get(f"/entrepreneur/applications/{application.id}/reject")
    assert confirm.status_code == 200 and "Afvis Asta Dimittend?" in confirm.get_data(as_text=True)
    boss.post(
        f"/entrepreneur/applications/{application.id}/reject",
        data={"reason": "Vi valgte en med erfaring i Excel."},
    )
    rejected = db.session.execute(
        select(Notification).where(Notification.user_id == graduate.id)
    ).scalar_one()
    assert rejected.params["reason"] == "Vi valgte en med erfaring i Excel."
    assert (
        "Begrundelse: Vi valgte en med erfaring i Excel."
        in db.session.execute(
            select(OutboxMessage.body).where(OutboxMessage.to_email == graduate.email)
        ).scalar_one()
    )
    too_long = boss.post(f"/entrepreneur/tasks/{task.id}/cancel", data={"reason": "x" * 501})
    assert too_long.status_code == 302
    assert db.session.get(type(task), task.id).status == TaskStatus.OPEN
    assert boss.get(f"/entrepreneur/tasks/{task.id}/cancel").status_code == 200
    boss.post(f"/entrepreneur/tasks/{task.id}/cancel", data={"reason": "Behovet forsvandt."})
    db.session.expire_all()
    assert db.session.get(type(task), task.id).status == TaskStatus.CANCELLED
    cancelled = db.session.execute(
        select(Notification).where(
            Notification.user_id == other.jobseeker_id,
            Notification.kind == NotificationKind.TASK_CANCELLED,
        )
    ).scalar_one()
    assert cancelled.params["reason"] == "Behovet forsvandt."


def test_disabling_asks_first_and_emails_the_reason(app, login_as) -> None:
    admin = UserFactory(role=Role.ADMIN)
    user = JobseekerFactory(name="Bo Bruger")
    client = login_as(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{user.id}/disable"' in page
    confirm = client.get(f"/admin/users/{user.id}/disable").get_data(as_text=True)
    assert "Deaktivér Bo Bruger?" in confirm
    client.post(f"/admin/users/{user.id}/disable", data={"reason": "Dobbeltkonto."})
    db.session.refresh(user)
    assert user.is_disabled
    body = db.session.execute(
        select(OutboxMessage.body).where(OutboxMessage.to_email == user.email)
    ).scalar_one()
    assert "Din konto på Taskbørs er deaktiveret" in body and "Dobbeltkonto." in body


def test_the_dashboard_counts_new_applicants_until_the_task_page_is_seen(pair, login_as) -> None:
    task, graduate, _ = pair
    second = JobseekerFactory()
    task.capacity = 3
    db.session.commit()
    login_as(second).post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg kan Excel."})
    boss = login_as(task.company.owner)
    assert "1 ny ansøger" in boss.get("/entrepreneur/").get_data(as_text=True)
    boss.get(f"/entrepreneur/tasks/{task.id}")
    assert "1 ny ansøger" not in boss.get("/entrepreneur/").get_data(as_text=True)


def test_erasure_removes_the_persons_messages(pair, login_as) -> None:
    task, graduate, _ = pair
    login_as(graduate).post(thread_url(task, graduate), data={"body": "Min hemmelige plan"})
    login_as(task.company.owner).post(thread_url(task, graduate), data={"body": "Fint nok"})
    from taskboerse.services.privacy import anonymise_user

    anonymise_user(graduate)
    bodies = dict(db.session.execute(select(Message.body, Message.erased_at)).all())
    assert "Min hemmelige plan" not in bodies and "Fint nok" in bodies
    assert count(ThreadRead, ThreadRead.user_id == graduate.id) == 0


def test_erasing_an_invited_graduate_leaves_the_company_no_dead_thread(app, login_as) -> None:
    from taskboerse.services.privacy import anonymise_user

    task = TaskFactory()
    graduate = nearby_graduate(task)
    invite_jobseeker(matching_index(), task.company.owner, task.id, graduate.id, "Hej!")
    login_as(graduate).post(thread_url(task, graduate), data={"body": "Tak, jeg tænker over det"})
    owner = login_as(task.company.owner)
    assert conversations.unread_total(task.company.owner) == 1
    anonymise_user(graduate)
    assert conversations.unread_total(task.company.owner) == 0
    assert task.title not in owner.get("/messages").get_data(as_text=True)
    assert count(Message) == 0
