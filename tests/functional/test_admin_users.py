"""The admin's user list (search, filters, paging), editing a user, sending a password link,
and assigning a graduate by a search with suggestions (issue 15)."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from taskboerse.extensions import db
from taskboerse.models import CaseAssignment, OutboxMessage, Role, User
from taskboerse.services import accounts, assignments
from taskboerse.services.errors import Conflict, Forbidden, ValidationFailed
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    CompanyFactory,
    EntrepreneurFactory,
    JobseekerFactory,
    UserFactory,
    follow,
)


@pytest.fixture
def admin(app) -> User:
    """An administrator who reads the pages in English (the words these tests look for)."""
    return UserFactory(role=Role.ADMIN, name="Ada Admin", email="ada@kommune.example", locale="en")


@pytest.fixture
def admin_client(admin, login_as):
    return login_as(admin)


def outbox(to_email: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to_email is not None:
        stmt = stmt.where(OutboxMessage.to_email == to_email)
    db.session.expire_all()
    return list(db.session.execute(stmt).scalars())


def row_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="user-(\d+)"', page)]


# --- the list: search, filters, paging ----------------------------------------------------------


def test_search_by_name_or_email_any_case(admin, admin_client) -> None:
    anna = JobseekerFactory(name="Anna Jensen", email="anna.j@example.com")
    bo = EntrepreneurFactory(name="Bo Hansen", email="bo@firma.example")
    JobseekerFactory(name="Carl Holm", email="carl@example.com")

    page = admin_client.get("/admin/users?q=JENSEN").get_data(as_text=True)
    assert row_ids(page) == [anna.id]
    assert "1 user matches" in page
    page = admin_client.get("/admin/users?q=firma.EXAMPLE").get_data(as_text=True)
    assert row_ids(page) == [bo.id]
    # "%" and "_" are letters here, not wildcards.
    assert row_ids(admin_client.get("/admin/users?q=%25").get_data(as_text=True)) == []
    page = admin_client.get("/admin/users?q=nobody-has-this").get_data(as_text=True)
    assert "0 users match" in page and "No users match" in page


def test_filters_by_role_and_status(admin, admin_client) -> None:
    graduate = JobseekerFactory(name="Gitte Grad")
    disabled = JobseekerFactory(name="Dorte Deaktiv", is_disabled=True)
    caseworker = CaseworkerFactory(name="Karen Sag")

    page = admin_client.get("/admin/users?role=jobseeker").get_data(as_text=True)
    assert set(row_ids(page)) == {graduate.id, disabled.id}
    page = admin_client.get("/admin/users?role=jobseeker&status=disabled").get_data(as_text=True)
    assert row_ids(page) == [disabled.id]
    page = admin_client.get("/admin/users?status=active&role=caseworker").get_data(as_text=True)
    assert row_ids(page) == [caseworker.id]
    page = admin_client.get("/admin/users?status=active").get_data(as_text=True)
    assert disabled.id not in row_ids(page) and admin.id in row_ids(page)


def test_pages_of_25_keep_the_query_in_their_links(admin, admin_client) -> None:
    for n in range(30):
        JobseekerFactory(name=f"Søren Side {n:02d}")
    first = admin_client.get("/admin/users?q=side&role=jobseeker")
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert len(row_ids(page)) == 25
    assert "30 users match" in page and "Page 1 of 2" in page
    assert 'href="/admin/users?page=2&amp;q=side&amp;role=jobseeker" rel="next"' in page
    second = admin_client.get("/admin/users?page=2&q=side&role=jobseeker").get_data(as_text=True)
    assert len(row_ids(second)) == 5
    assert 'href="/admin/users?page=1&amp;q=side&amp;role=jobseeker" rel="prev"' in second
    assert not set(row_ids(page)) & set(row_ids(second))
    # The unfiltered list pages too: 31 users in all.
    assert "31 users" in admin_client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status", "page_no"),
    [
        ("page=abc", 200, 1),
        ("page=-1", 200, 1),
        ("page=0", 200, 1),
        ("page=99", 200, 2),  # past the end: the last page
        ("page=99999999999999999999", 200, 1),
        ("page=%C2%B2", 200, 1),  # a superscript two is not a page number
    ],
)
def test_bad_page_numbers_are_clamped(admin, admin_client, query, status, page_no) -> None:
    for n in range(27):
        JobseekerFactory(name=f"Pia Page {n}")
    response = admin_client.get(f"/admin/users?{query}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert f"Page {page_no} of 2" in page
    assert row_ids(page)


@pytest.mark.parametrize(
    "query", ["role=wizard", "status=maybe", "role=ADMIN", "q=" + "x" * 201, "role=&status=x"]
)
def test_bad_filters_are_ignored_and_said(admin, admin_client, query) -> None:
    graduate = JobseekerFactory()
    response = admin_client.get(f"/admin/users?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page  # the refused field says why
    if "role=" in query and "role=&" not in query:
        assert "Unknown role, so every role is shown." in page
    assert {graduate.id, admin.id} <= set(row_ids(page))  # the filter is ignored
    assert "Traceback" not in page


def test_shared_signup_links_find_a_user_on_another_page(admin, admin_client) -> None:
    from taskboerse.services import signups

    graduate = JobseekerFactory(name="Gustav Dobbelt")
    entrepreneur = EntrepreneurFactory(name="Gustav Firma")
    signups.record_signup(graduate, "192.0.2.10", "marker-1")
    signups.record_signup(entrepreneur, "192.0.2.99", "marker-1")
    for n in range(30):  # pushes both accounts off the first page
        JobseekerFactory(name=f"Ny {n}")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Possibly one person on both sides" in page
    assert f'href="/admin/users?q={graduate.email}#user-{graduate.id}"' in page
    # Searching or paging hides the warning; the unfiltered first page has it.
    assert "Possibly one person" not in admin_client.get("/admin/users?q=Ny").get_data(as_text=True)


def test_the_list_has_labelled_cells_and_per_user_actions(admin, admin_client) -> None:
    user = JobseekerFactory(name="Lis Label")
    disabled = JobseekerFactory(name="Dan Disabled", is_disabled=True)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    body = page.split("<tbody>")[-1]
    assert body.count("<td") == body.count("<td data-label=")
    assert f"/admin/users/{user.id}/edit" in page
    assert f"/admin/users/{user.id}/reset-password" in page
    assert f"/admin/users/{disabled.id}/reset-password" not in page  # no link would work
    assert f"/admin/users/{admin.id}/disable" not in page  # not oneself


# --- editing ------------------------------------------------------------------------------------


def test_edit_name_and_email_names_the_user_and_emails_both_addresses(
    admin, admin_client, caplog
) -> None:
    caplog.set_level(logging.INFO, "taskboerse.security")
    user = JobseekerFactory(name="Anna Jensen", email="anna@old.example", locale="da")
    form = admin_client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert 'value="Anna Jensen"' in form and 'value="anna@old.example"' in form
    response = admin_client.post(
        f"/admin/users/{user.id}/edit?next=/admin/users%3Fq%3Danna",
        data={"name": "  Anna   Holm ", "email": "Anna@New.Example", "role": "jobseeker"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert response.request.path == "/admin/users" and response.request.args["q"] == "anna"
    assert "The user Anna Holm (anna@new.example) is updated." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.name, user.email, user.role) == ("Anna Holm", "anna@new.example", Role.JOBSEEKER)
    old, new = outbox("anna@old.example"), outbox("anna@new.example")
    assert len(old) == 1 and len(new) == 1
    assert "anna@old.example → anna@new.example" in new[0].body
    assert "Hej Anna Holm" in new[0].body  # in the user's language
    assert "event=account_updated" in caplog.text and "changed=name,email" in caplog.text
    # The user logs in with the new address.
    login = admin_client.application.test_client().post(
        "/auth/login", data={"email": "anna@new.example", "password": "correct horse battery"}
    )
    assert login.status_code == 302


def test_a_name_change_alone_sends_no_email(admin, admin_client) -> None:
    user = JobseekerFactory(name="Per Navn")
    response = admin_client.post(
        f"/admin/users/{user.id}/edit",
        data={"name": "Per Nyt Navn", "email": user.email, "role": "jobseeker"},
    )
    assert response.status_code == 302
    assert outbox() == []


def test_an_email_in_use_is_refused_whatever_its_case(admin, admin_client) -> None:
    JobseekerFactory(email="taken@example.com")
    user = JobseekerFactory(name="Ole Optaget", email="ole@example.com")
    for email in ("TAKEN@example.com", "taken@EXAMPLE.com "):
        response = admin_client.post(
            f"/admin/users/{user.id}/edit",
            data={"name": "Ole Optaget", "email": email, "role": "jobseeker"},
        )
        assert response.status_code == 422
        assert "Another account already uses taken@example.com." in response.get_data(as_text=True)
    bad = admin_client.post(
        f"/admin/users/{user.id}/edit",
        data={"name": "Ole Optaget", "email": "not-an-email", "role": "jobseeker"},
    )
    assert bad.status_code == 422
    db.session.refresh(user)
    assert user.email == "ole@example.com" and outbox() == []


def test_an_admin_cannot_change_their_own_role(admin, admin_client) -> None:
    page = admin_client.get(f"/admin/users/{admin.id}/edit").get_data(as_text=True)
    assert "You cannot change your own role" in page and 'name="role"' not in page
    response = admin_client.post(
        f"/admin/users/{admin.id}/edit",
        data={"name": "Ada Admin", "email": admin.email, "role": "jobseeker"},
    )
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN
    with pytest.raises(ValidationFailed) as refused:
        accounts.update_user(
            admin, admin.id, accounts.UserChanges("Ada Admin", admin.email, Role.CASEWORKER)
        )
    assert refused.value.field == "role"
    with pytest.raises(ValidationFailed):
        accounts.set_user_disabled(admin, admin.id, True)


def _post_role(client, user: User, role: str):
    return client.post(
        f"/admin/users/{user.id}/edit", data={"name": user.name, "email": user.email, "role": role}
    )


def test_a_role_change_that_would_orphan_data_is_refused(admin, admin_client) -> None:
    graduate = JobseekerFactory(name="Gry Grad")  # the factory gives a profile
    ApplicationFactory(jobseeker=graduate)
    company = CompanyFactory(name="Ejers ApS")
    caseworker = CaseworkerFactory(name="Kim Sag")
    follow(caseworker, JobseekerFactory())

    response = _post_role(admin_client, graduate, "admin")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "The role cannot be changed: Gry Grad has a graduate profile, 1 application" in text
    response = _post_role(admin_client, company.owner, "jobseeker")
    assert response.status_code == 422
    assert "the company Ejers ApS" in response.get_data(as_text=True)
    response = _post_role(admin_client, caseworker, "entrepreneur")
    assert response.status_code == 422
    assert "1 assigned graduate" in response.get_data(as_text=True)
    # The edit page says so before the admin tries.
    page = admin_client.get(f"/admin/users/{caseworker.id}/edit").get_data(as_text=True)
    assert "The role cannot change while Kim Sag has 1 assigned graduate." in page
    db.session.expire_all()
    roles = {u.id: u.role for u in db.session.execute(select(User)).scalars()}
    assert roles[graduate.id] == Role.JOBSEEKER
    assert roles[company.owner.id] == Role.ENTREPRENEUR
    assert roles[caseworker.id] == Role.CASEWORKER
    assert outbox() == []


def test_a_role_change_with_nothing_tied_is_told_to_the_user(admin, admin_client, caplog) -> None:
    caplog.set_level(logging.INFO, "taskboerse.security")
    fresh = EntrepreneurFactory(name="Frede Frisk", locale="en")  # no company yet
    other_admin = UserFactory(role=Role.ADMIN, name="Bent Admin")
    response = _post_role(admin_client, fresh, "caseworker")
    assert response.status_code == 302
    db.session.refresh(fresh)
    assert fresh.role == Role.CASEWORKER
    [mail] = outbox(fresh.email)
    assert "Role: Entrepreneur → Caseworker" in mail.body
    assert "event=role_change" in caplog.text and "role=caseworker" in caplog.text
    # From admin to another role is allowed for someone else, as nothing is orphaned.
    assert _post_role(admin_client, other_admin, "caseworker").status_code == 302
    db.session.refresh(other_admin)
    assert other_admin.role == Role.CASEWORKER


def test_editing_is_for_admins_only(app, login_as) -> None:
    user = JobseekerFactory()
    caseworker = CaseworkerFactory()
    client = login_as(caseworker)
    assert client.get(f"/admin/users/{user.id}/edit").status_code == 403
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data={"name": "Hacked", "email": user.email, "role": "admin"},
    )
    assert response.status_code == 403
    anonymous = app.test_client().get(f"/admin/users/{user.id}/edit")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    with pytest.raises(Forbidden):
        accounts.update_user(caseworker, user.id, accounts.UserChanges("X", user.email, user.role))
    db.session.refresh(user)
    assert user.name != "Hacked" and user.role == Role.JOBSEEKER


def test_an_erased_account_cannot_be_edited(admin) -> None:
    from taskboerse.models.types import utcnow

    erased = JobseekerFactory(anonymised_at=utcnow(), is_disabled=True)
    with pytest.raises(Conflict):
        accounts.update_user(
            admin, erased.id, accounts.UserChanges("Ny", "ny@example.com", Role.JOBSEEKER)
        )


def test_disable_and_enable_flashes_name_the_user(admin, admin_client) -> None:
    user = JobseekerFactory(name="Bo Bruger", email="bo@example.com")
    response = admin_client.post(f"/admin/users/{user.id}/disable", follow_redirects=True)
    assert "The user Bo Bruger (bo@example.com) is disabled." in response.get_data(as_text=True)
    # Without a "next", the list opens on the user's row.
    assert response.request.args["q"] == "bo@example.com"
    response = admin_client.post(f"/admin/users/{user.id}/enable", follow_redirects=True)
    assert "The user Bo Bruger (bo@example.com) is enabled again." in response.get_data(
        as_text=True
    )
    # An unsafe "next" is not followed.
    response = admin_client.post(f"/admin/users/{user.id}/enable?next=//evil.example/")
    assert response.headers["Location"].startswith("/admin/users?q=")


# --- sending a password link --------------------------------------------------------------------


def test_admin_sends_a_working_single_use_reset_link(admin, admin_client, app) -> None:
    user = JobseekerFactory(name="Rita Reset", email="rita@example.com")
    confirm = admin_client.get(f"/admin/users/{user.id}/reset-password").get_data(as_text=True)
    assert "Send Rita Reset a password link?" in confirm and "rita@example.com" in confirm
    response = admin_client.post(f"/admin/users/{user.id}/reset-password", follow_redirects=True)
    assert "A link to choose a new password is emailed to Rita Reset (rita@example.com)" in (
        response.get_data(as_text=True)
    )
    [mail] = outbox()
    assert mail.to_email == "rita@example.com"
    assert "administrator" in mail.body and "We received a request" not in mail.body
    link = re.search(r"https?://\S+/auth/reset/(\S+)", mail.body)
    assert link is not None
    path = f"/auth/reset/{link.group(1)}"
    browser = app.test_client()
    assert browser.get(path).status_code == 200
    new_password = "a fresh long sentence"
    done = browser.post(path, data={"password": new_password, "confirm": new_password})
    assert done.status_code == 302
    assert browser.get(path).status_code == 400  # used once
    login = app.test_client().post(
        "/auth/login", data={"email": "rita@example.com", "password": new_password}
    )
    assert login.status_code == 302


def test_a_newer_link_replaces_the_older(admin, admin_client, app) -> None:
    user = JobseekerFactory()
    admin_client.post(f"/admin/users/{user.id}/reset-password")
    admin_client.post(f"/admin/users/{user.id}/reset-password")
    first, second = outbox(user.email)
    paths = [re.search(r"(/auth/reset/\S+)", m.body).group(1) for m in (first, second)]
    assert app.test_client().get(paths[0]).status_code == 400
    assert app.test_client().get(paths[1]).status_code == 200


def test_no_link_for_a_disabled_user(admin, admin_client) -> None:
    user = JobseekerFactory(name="Dina Deaktiv", is_disabled=True)
    response = admin_client.post(f"/admin/users/{user.id}/reset-password", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Dina Deaktiv&#39;s account is disabled, so a link would not work." in page
    assert outbox() == []
    db.session.refresh(user)
    assert user.reset_nonce is None


def test_an_email_change_kills_a_link_sent_to_the_old_address(admin, admin_client, app) -> None:
    user = JobseekerFactory(email="gammel@example.com")
    admin_client.post(f"/admin/users/{user.id}/reset-password")
    [mail] = outbox("gammel@example.com")
    path = re.search(r"(/auth/reset/\S+)", mail.body).group(1)
    admin_client.post(
        f"/admin/users/{user.id}/edit",
        data={"name": user.name, "email": "ny@example.com", "role": "jobseeker"},
    )
    assert app.test_client().get(path).status_code == 400


# --- assigning a graduate: suggestions and the form without JavaScript --------------------------


def test_suggestions_are_for_admins_with_name_email_and_caseworker(
    admin, admin_client, login_as
) -> None:
    karen = CaseworkerFactory(name="Karen Sag")
    freja = JobseekerFactory(name="Freja Dimittend", email="freja@example.com")
    follow(karen, freja)
    JobseekerFactory(name="Frederik Fri", email="fred@example.com")
    EntrepreneurFactory(name="Frede Firma")  # not a graduate
    response = admin_client.get("/admin/graduates/suggest?q=fre")
    assert response.status_code == 200 and response.is_json
    fred = db.session.execute(select(User).where(User.name == "Frederik Fri")).scalar_one()
    assert response.get_json() == [  # by name: "Frederik" before "Freja"
        {"id": fred.id, "name": "Frederik Fri", "email": "fred@example.com", "caseworker": None},
        {
            "id": freja.id,
            "name": "Freja Dimittend",
            "email": "freja@example.com",
            "caseworker": "Karen Sag",
        },
    ]
    assert admin_client.get("/admin/graduates/suggest?q=f").get_json() == []
    assert admin_client.get("/admin/graduates/suggest?q=%20%20").get_json() == []
    assert admin_client.get("/admin/graduates/suggest").get_json() == []
    assert login_as(karen).get("/admin/graduates/suggest?q=fre").status_code == 403
    with pytest.raises(Forbidden):
        assignments.suggest_graduates(karen, "fre")


def test_suggestions_stop_at_ten(admin, admin_client) -> None:
    for n in range(12):
        JobseekerFactory(name=f"Mange Navne {n:02d}")
    found = admin_client.get("/admin/graduates/suggest?q=mange").get_json()
    assert len(found) == 10
    assert [f["name"] for f in found] == [f"Mange Navne {n:02d}" for n in range(10)]


def test_the_caseload_page_loads_the_script_and_marks_the_field(admin, admin_client) -> None:
    CaseworkerFactory()
    page = admin_client.get("/admin/caseload").get_data(as_text=True)
    assert '<script src="/static/js/admin.js" defer></script>' in page
    assert 'data-graduate-suggest="/admin/graduates/suggest"' in page
    assert "onclick" not in page and "<script>" not in page
    script = admin_client.get("/static/js/admin.js")
    script.close()
    assert script.status_code == 200


def _assign(client, caseworker: User, typed: str):
    return client.post("/admin/caseload", data={"caseworker": caseworker.email, "jobseeker": typed})


def test_without_javascript_a_unique_name_assigns(admin, admin_client) -> None:
    karen = CaseworkerFactory(name="Karen Sag")
    freja = JobseekerFactory(name="Freja Dimittend")
    JobseekerFactory(name="Gustav Anden")
    response = _assign(admin_client, karen, "  freja   DIMITTEND ")
    assert response.status_code == 302
    assert db.session.get(CaseAssignment, freja.id).caseworker_id == karen.id
    page = admin_client.get("/admin/caseload").get_data(as_text=True)
    assert "Freja Dimittend" in page and "is assigned to Karen Sag" in page


def test_an_ambiguous_or_unknown_name_changes_nothing(admin, admin_client) -> None:
    karen = CaseworkerFactory(name="Karen Sag")
    one = JobseekerFactory(name="Anna Jensen", email="anna.j@example.com")
    JobseekerFactory(name="Anna Hansen", email="anna.h@example.com")
    CaseworkerFactory(name="Anna Sagsbehandler")  # not a graduate: never a match
    response = _assign(admin_client, karen, "anna")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Several graduates match “anna”" in page
    assert "Anna Hansen (anna.h@example.com)" in page and "Anna Jensen (anna.j@example.com)" in page
    assert "Anna Sagsbehandler" not in page.split("Several graduates match", 1)[1][:300]
    unknown = _assign(admin_client, karen, "Zacharias")
    assert unknown.status_code == 422
    assert "No graduate matches “Zacharias”" in unknown.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(CaseAssignment)).scalar_one() == 0
    # The exact email always wins, even though "anna" matched two.
    assert _assign(admin_client, karen, "ANNA.J@example.com").status_code == 302
    assert db.session.get(CaseAssignment, one.id).caseworker_id == karen.id
