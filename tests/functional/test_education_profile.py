"""The graduate's education: the field is linked to the vocabulary on save (web and API),
bad input changes nothing, the CV ratings choice, and existing rows are linked by the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import JobseekerProfile
from tests.factories import PASSWORD, CaseworkerFactory, JobseekerFactory, UserFactory, follow


def profile_form(**overrides) -> dict:
    data = {
        "degree_level": "master",
        "field": "Cand.merc. i finansiering fra CBS",
        "institution": "CBS",
        "graduation_year": "2025",
        "skills": "Excel",
        "languages": "Dansk",
        "hours_per_week": "20",
        "postcode": "2200",
        "remote_ok": "y",
        "about": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def token_for(client, user) -> dict:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def stored() -> JobseekerProfile | None:
    db.session.expire_all()
    return db.session.execute(select(JobseekerProfile)).scalar_one_or_none()


def test_the_form_suggests_educations_and_saving_links_the_field(login_as) -> None:
    client = login_as(UserFactory())
    page = client.get("/jobseeker/profile").get_data(as_text=True)
    assert 'list="education-suggestions"' in page
    assert '<datalist id="education-suggestions">' in page
    assert '<option value="Jura (cand.jur.)">' in page  # the labels in the reader's language
    english = login_as(UserFactory(locale="en")).get("/jobseeker/profile").get_data(as_text=True)
    assert '<option value="Law">' in english
    assert "Show ratings from companies on my CV" in english

    response = client.post("/jobseeker/profile", data=profile_form())
    assert response.status_code == 302
    profile = stored()
    assert profile.field == "Cand.merc. i finansiering fra CBS"  # kept as typed
    assert profile.education_code == "cand-merc-fir"
    assert profile.show_ratings is False  # off unless ticked


def test_an_unknown_field_is_kept_unlinked_and_the_ratings_choice_saved(login_as) -> None:
    client = login_as(UserFactory())
    response = client.post(
        "/jobseeker/profile", data=profile_form(field="Tømrer", show_ratings="y")
    )
    assert response.status_code == 302
    profile = stored()
    assert (profile.field, profile.education_code, profile.show_ratings) == ("Tømrer", None, True)
    page = client.get("/jobseeker/profile").get_data(as_text=True)
    assert 'name="show_ratings" type="checkbox" value="y" checked' in page or (
        'id="show_ratings"' in page and "checked" in page
    )
    # Changing the field relinks; clearing it clears the code.
    client.post("/jobseeker/profile", data=profile_form(field="Kandidat i statskundskab"))
    assert stored().education_code == "political-science"
    client.post("/jobseeker/profile", data=profile_form(field=""))
    assert (stored().field, stored().education_code) == ("", None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"degree_level": "professor"}, "Ikke et gyldigt valg"),
        ({"field": "x" * 121}, "Højst 120 tegn"),
    ],
)
def test_bad_level_or_long_field_is_refused_and_changes_nothing(
    login_as, overrides, message
) -> None:
    client = login_as(UserFactory())
    response = client.post("/jobseeker/profile", data=profile_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored() is None


def test_the_service_refuses_an_over_long_field(app) -> None:
    from taskboerse.services import profiles
    from taskboerse.services.errors import ValidationFailed

    user = UserFactory()
    with pytest.raises(ValidationFailed) as caught:
        profiles.update_profile(user, {"education": {"field": "x" * 121}})
    assert caught.value.field == "field"
    assert stored() is None


def test_api_patch_links_the_field_and_reports_code_label_and_show_ratings(client) -> None:
    user = UserFactory()
    headers = token_for(client, user)
    response = client.patch(
        "/api/v1/me/profile",
        json={"education": {"level": "master", "field": "MSc Economics"}, "show_ratings": True},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["education"]["field"] == "MSc Economics"
    assert body["education"]["code"] == "economics"
    assert (
        body["education"]["label"] == "Økonomi (cand.polit./cand.oecon.)"
    )  # the API speaks Danish
    assert body["show_ratings"] is True
    assert stored().education_code == "economics"

    # The old shape still works: a PATCH without the new fields keeps them.
    response = client.patch("/api/v1/me/profile", json={"postcode": "8000"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["show_ratings"] is True
    assert response.get_json()["education"]["code"] == "economics"
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["profile"]["education"]["code"] == "economics"


@pytest.mark.parametrize(
    "body",
    [
        {"education": {"level": "professor"}},
        {"education": {"field": "x" * 121}},
        {"education": {"code": "law"}},  # the code is derived, never sent
        {"show_ratings": "yes"},
    ],
)
def test_api_refuses_bad_education_and_changes_nothing(client, body) -> None:
    user = JobseekerFactory()
    headers = token_for(client, user)
    before = (stored().field, stored().education_code, stored().degree_level)
    response = client.patch("/api/v1/me/profile", json=body, headers=headers)
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["message"]
    assert (stored().field, stored().education_code, stored().degree_level) == before


def test_link_educations_links_existing_rows_and_is_idempotent(app, runner) -> None:
    linked, unknown = JobseekerFactory(), JobseekerFactory()
    unknown.profile.field = "Tømrer"
    db.session.commit()
    assert linked.profile.education_code is None  # made before linking existed
    result = runner.invoke(args=["link-educations"])
    assert result.exit_code == 0, result.output
    assert "linked or changed 1" in result.output
    db.session.expire_all()
    assert linked.profile.education_code == "cand-merc"
    assert unknown.profile.education_code is None
    again = runner.invoke(args=["link-educations"])
    assert "linked or changed 0" in again.output


def test_link_educations_all_relinks_codes_an_older_vocabulary_set(app, runner) -> None:
    # Linked by the old linker, which read the subject of any degree: a psychologist.
    stale, kept = JobseekerFactory(), JobseekerFactory()
    stale.profile.field = "Cand.merc. i psykologi"
    stale.profile.education_code = "psychology"
    kept.profile.field = "Cand.jur."
    kept.profile.education_code = "law"
    db.session.commit()

    result = runner.invoke(args=["link-educations"])  # only profiles without a code
    assert result.exit_code == 0, result.output
    assert "Checked 0 profile(s); linked or changed 0" in result.output
    db.session.expire_all()
    assert stale.profile.education_code == "psychology"

    result = runner.invoke(args=["link-educations", "--all"])
    assert result.exit_code == 0, result.output
    assert "Checked 2 profile(s); linked or changed 1" in result.output
    db.session.expire_all()
    assert (stale.profile.education_code, kept.profile.education_code) == ("cand-merc", "law")
    assert stale.profile.field == "Cand.merc. i psykologi"  # the typed text is kept


def test_caseworker_pages_show_the_vocabulary_label(app, login_as) -> None:
    caseworker, graduate = CaseworkerFactory(locale="en"), JobseekerFactory()
    graduate.profile.field = "cand.merc. i finansiering"
    graduate.profile.education_code = "cand-merc-fir"
    db.session.commit()
    follow(caseworker, graduate)
    cw = login_as(caseworker)
    page = cw.get("/caseworker/").get_data(as_text=True)
    assert "MSc in Finance and Investments" in page
    person = cw.get(f"/caseworker/people/{graduate.id}").get_data(as_text=True)
    assert "MSc in Finance and Investments" in person
    assert "written as “cand.merc. i finansiering”" in person
    # The filter finds the graduate by the label too.
    found = cw.get("/caseworker/?education=investments").get_data(as_text=True)
    assert graduate.name in found
