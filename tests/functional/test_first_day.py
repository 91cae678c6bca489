"""First-day polish that every actor meets: the grouped menu, the favicon and description,
dates in the locale's medium form, the graduate's page in the order they need it, and
rating choices that say what they mean."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from taskboerse.extensions import db
from taskboerse.models import ApplicationStatus, NotificationKind, Role
from taskboerse.services.notifications import notify
from tests.factories import ApplicationFactory, JobseekerFactory, TaskFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_has_a_favicon_and_a_description(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<meta name="description" content="[^"]{50,}">', page)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    svg = client.get(icon)
    svg.close()
    assert svg.status_code == 200
    response = client.get("/favicon.ico")
    response.close()
    assert response.status_code == 200 and response.mimetype in (
        "image/vnd.microsoft.icon",
        "image/x-icon",
    )


def test_the_menu_puts_account_links_in_an_account_menu(login_as) -> None:
    page = login_as(JobseekerFactory(name="Sofie Menu")).get("/jobseeker/").get_data(as_text=True)
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    primary = header.split('class="primary"', 1)[1].split("</ul>", 1)[0]
    account = header.split('class="account"', 1)[1].split("</details>", 1)[0]
    assert "Sofie Menu" in account
    for path in ("/auth/account", "/auth/password", "/auth/logout", "/jobseeker/privacy"):
        assert path in account and path not in primary
    for path in ("/jobseeker/", "/tasks", "/messages", "/notifications"):
        assert path in primary
    # The phone menu's button is shown by the script file; no inline script or handler.
    assert 'class="menu-toggle"' in header and "hidden" in header.split("menu-toggle", 1)[1][:80]
    assert "<script>" not in page and "onclick" not in page


def test_times_use_the_locale_medium_form(app, login_as) -> None:
    user = JobseekerFactory(locale="en")
    notify(user, NotificationKind.ACCEPTED, task=TaskFactory())
    db.session.commit()
    page = login_as(user).get("/notifications").get_data(as_text=True)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", page), "a US short date"
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M", page)
    user.locale = "da"
    db.session.commit()
    page = login_as(user).get("/notifications").get_data(as_text=True)
    assert re.search(r"\d{1,2}\. [a-zæøå]{3}\. \d{4} \d{2}\.\d{2}", page)


def test_the_graduate_sees_deadlines_and_applications_before_recommendations(app, login_as) -> None:
    graduate = JobseekerFactory()
    soon = TaskFactory(title="Snart færdig", deadline=date.today() + timedelta(days=2))
    later = TaskFactory(title="Senere", deadline=date.today() + timedelta(days=20))
    for task in (later, soon):
        ApplicationFactory(task=task, jobseeker=graduate, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(task=TaskFactory(title="Venter"), jobseeker=graduate)
    page = login_as(graduate).get("/jobseeker/").get_data(as_text=True)
    order = [page.index(f'id="{s}-heading"') for s in ("deadlines", "applications", "recommended")]
    assert order == sorted(order)
    deadlines = page.split('id="deadlines-heading"', 1)[1].split("</section>", 1)[0]
    assert deadlines.index("Snart færdig") < deadlines.index("Senere")
    assert "Venter" not in deadlines and "om 2 dage" in deadlines


def test_rating_choices_say_what_each_number_means(app, login_as) -> None:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    owner = application.task.company.owner
    page = login_as(owner).get(f"/entrepreneur/applications/{application.id}/complete")
    text = page.get_data(as_text=True)
    for label in ("1 – under det aftalte", "3 – som aftalt", "5 – fremragende"):
        assert label in text


def test_make_run_takes_a_port_and_the_readme_tells_the_install_size() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PORT ?= 5000" in makefile and "--port $(PORT)" in makefile
    assert "about 2 GB" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_nobody_but_an_admin_sees_admin_links(login_as) -> None:
    page = login_as(UserFactory(role=Role.CASEWORKER)).get("/caseworker/").get_data(as_text=True)
    assert "/admin/users" not in page and "/admin/access-log" not in page


def test_the_caseworker_reads_skill_names_in_english(app, login_as) -> None:
    from taskboerse.models import ProfileSkill, Skill
    from tests.factories import CaseworkerFactory, follow

    skill = Skill(slug="graphic-design-t", label_da="Grafisk design", label_en="Graphic design")
    db.session.add(skill)
    graduate = JobseekerFactory()
    graduate.profile.skills.append(ProfileSkill(label="grafisk design", skill=skill))
    caseworker = CaseworkerFactory(locale="en")
    follow(caseworker, graduate)
    db.session.commit()
    page = login_as(caseworker).get(f"/caseworker/people/{graduate.id}").get_data(as_text=True)
    assert "Graphic design" in page and "Grafisk design" not in page


def test_the_folded_menu_button_shows_what_waits(app, login_as) -> None:
    user = JobseekerFactory()
    for _ in range(3):
        notify(user, NotificationKind.ACCEPTED, task=TaskFactory())
    db.session.commit()
    page = login_as(user).get("/jobseeker/").get_data(as_text=True)
    button = page.split('class="menu-toggle"', 1)[1].split("</button>", 1)[0]
    assert '<span class="count"' in button and ">3</span>" in button
