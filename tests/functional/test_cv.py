"""The CV claims no more than it can: skills split by who vouches for them, ratings only when
the graduate chooses to show them, and left-aligned text (no justified gaps).

Texts are checked in English (the msgids), so the tests hold before and after translation.
"""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from taskboerse.extensions import db
from taskboerse.models import ApplicationStatus, ProfileSkill, Role
from taskboerse.services import applications, companies
from taskboerse.services.cv import cv_lines
from tests.factories import ApplicationFactory, JobseekerFactory, TaskFactory, UserFactory
from tests.helpers import backdate_acceptance


def complete(task, graduate, rating: int) -> None:
    application = ApplicationFactory(
        task=task, jobseeker=graduate, status=ApplicationStatus.ACCEPTED
    )
    backdate_acceptance(application)
    applications.complete_application(
        task.company.owner,
        application.id,
        applications.ReferenceInfo(
            rating=rating, text=f"Good work on {task.title}", skill_ids=(task.skills[0].id,)
        ),
    )


@pytest.fixture
def graduate(app):
    """Declares Excel and Python; Budgeting endorsed by a verified company, Pricing named by
    an unverified one."""
    graduate = JobseekerFactory(locale="en")
    graduate.profile.skills.append(ProfileSkill(label="Python"))
    db.session.commit()
    verified = TaskFactory(title="Budget", skills=["Budgeting"])
    unverified = TaskFactory(title="Prices", skills=["Pricing"])
    companies.verify_company(UserFactory(role=Role.ADMIN), verified.company_id)
    complete(verified, graduate, rating=2)
    complete(unverified, graduate, rating=4)
    return graduate


def texts(graduate) -> list[str]:
    with force_locale("en"):
        return [line.text for line in cv_lines(graduate, "en")]


def test_only_endorsed_skills_from_verified_companies_are_marked_confirmed(graduate) -> None:
    with force_locale("en"):
        lines = cv_lines(graduate, "en")
    by_text = {line.text: line.kind for line in lines}
    confirmed = "Confirmed by companies on completed tasks: Budgeting"
    assert by_text[confirmed] == "confirmed"
    assert "Named by companies the job centre has not verified: Pricing" in by_text
    assert "Self-declared: Excel, Python" in by_text
    # No line claims a self-declared skill was confirmed.
    assert not any("Excel" in t and "Confirmed" in t for t in by_text)


def test_a_declared_skill_that_a_verified_company_endorsed_is_listed_once(app, graduate) -> None:
    graduate.profile.skills.append(ProfileSkill(label="budgeting"))
    db.session.commit()
    prefixes = ("Confirmed by companies", "Named by companies", "Self-declared")
    skills = [t for t in texts(graduate) if t.startswith(prefixes)]
    assert sum(t.casefold().count("budgeting") for t in skills) == 1


def test_ratings_are_printed_only_when_the_graduate_chooses(app, graduate) -> None:
    assert not any(t.startswith("Rating:") for t in texts(graduate))
    graduate.profile.show_ratings = True
    db.session.commit()
    ratings = [t for t in texts(graduate) if t.startswith("Rating:")]
    assert sorted(ratings) == ["Rating: 2 of 5", "Rating: 4 of 5"]


def test_the_pdf_is_left_aligned_and_says_what_is_confirmed(app, graduate, login_as) -> None:
    response = login_as(graduate).get("/jobseeker/cv.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Confirmed by companies on completed tasks: Budgeting" in text
    assert "Self-declared: Excel, Python" in text
    assert "Rating:" not in text
    # fpdf2 justifies by setting a word spacing (Tw); left-aligned text never does.
    streams = b"".join(page.get_contents().get_data() for page in reader.pages)
    spacings = [float(v) for v in re.findall(rb"([-\d.]+) Tw", streams)]
    assert all(v == 0 for v in spacings), spacings


def test_the_english_cv_names_languages_in_english(app, graduate) -> None:
    graduate.profile.languages = ["Dansk", "engelsk"]
    db.session.commit()
    lines = texts(graduate)
    assert "Danish, English" in lines and "Dansk, engelsk" not in lines
