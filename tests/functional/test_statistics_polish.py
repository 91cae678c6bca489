"""The caseworker's statistics and tables: grouping by the education vocabulary and by level,
the completion rate says what it divides by, withdrawn applications apart, an outcome is
chosen on purpose, months carry their year, and every table cell has a label for phones."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date
from flask_babel import lazy_gettext as _l

from taskboerse.extensions import db
from taskboerse.models import ApplicationStatus, CaseOutcome, DegreeLevel
from taskboerse.services import caseload
from taskboerse.services.statistics import (
    NOT_LINKED,
    education_group_name,
    job_centre_statistics,
)
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    JobseekerFactory,
    TaskFactory,
    follow,
)


@pytest.fixture
def caseworker():
    return CaseworkerFactory(name="Karen Sagsbehandler", locale="en")


def graduate(caseworker, field: str, level: DegreeLevel | None = None, name: str = ""):
    """A consenting graduate in the caseload whose field is linked as the profile form does."""
    from taskboerse.matching.educations import link_education

    g = JobseekerFactory(**({"name": name} if name else {}))
    g.profile.field = field
    g.profile.education_code = link_education(field) if field else None
    g.profile.degree_level = level
    db.session.commit()
    follow(caseworker, g)
    return g


def test_statistics_group_by_field_group_and_by_level(app, caseworker, login_as) -> None:
    master, bachelor = DegreeLevel.MASTER, DegreeLevel.BACHELOR
    graduate(caseworker, "Cand.merc. i finansiering", master)
    graduate(caseworker, "Cand.polit.", master)
    graduate(caseworker, "HA", bachelor)
    graduate(caseworker, "Cand.mag. i dansk", master)
    graduate(caseworker, "Cand.mag. i historie", master)
    graduate(caseworker, "Tømrer", None)
    graduate(caseworker, "Noget helt andet", None)
    graduate(caseworker, "", DegreeLevel.PHD)
    app.config["STATS_MIN_GROUP"] = 2

    stats = job_centre_statistics(caseworker, "mine")  # outside a request: Danish
    other = str(_l("Other groups (fewer than %(n)d each)", n=2))
    widened = str(_l("Other groups, put together so that no line has fewer than %(n)d", n=2))
    # The one without an education alone would be a line of 1 (and "All" minus the others
    # would give it away too), so the smallest shown group, the unlinked two, joins it.
    assert [(g.label, g.registered) for g in stats.by_education] == [
        ("Erhvervsøkonomi og økonomi", 3),
        ("Humaniora og sprog", 2),
        (widened, 3),
    ]
    assert education_group_name(NOT_LINKED) not in [g.label for g in stats.by_education]
    assert [(g.label, g.registered) for g in stats.by_level] == [
        ("Kandidat (cand.)", 4),
        (str(_l("Not given")), 2),
        (other, 2),  # the bachelor and the PhD, folded
    ]
    for breakdown in (stats.by_education, stats.by_level, stats.by_cohort):
        assert all(g.registered >= 2 for g in breakdown)
        assert sum(g.registered for g in breakdown) in (0, stats.total.registered)

    page = login_as(caseworker).get("/caseworker/statistics").get_data(as_text=True)
    assert "By field of education" in page and "By degree level" in page
    assert "Business and economics" in page and "Humanities and languages" in page
    assert "Not linked to the vocabulary" in page


def test_completion_rate_divides_by_finished_placements_and_says_so(
    app, caseworker, login_as
) -> None:
    now = datetime.now(UTC)
    people = [graduate(caseworker, "HA") for _ in range(4)]
    done = dict(status=ApplicationStatus.COMPLETED, completed_at=now)
    # 4 placements: 2 completed, 1 withdrawn after acceptance, 1 still under way.
    ApplicationFactory(jobseeker=people[0], accepted_at=now - timedelta(days=9), **done)
    ApplicationFactory(jobseeker=people[1], accepted_at=now - timedelta(days=8), **done)
    ApplicationFactory(
        jobseeker=people[2], status=ApplicationStatus.WITHDRAWN, accepted_at=now - timedelta(3)
    )
    ApplicationFactory(
        jobseeker=people[3], status=ApplicationStatus.ACCEPTED, accepted_at=now - timedelta(2)
    )
    t = job_centre_statistics(caseworker, "mine").total
    assert (t.placements, t.ended_placements, t.completed_placements) == (4, 3, 2)
    assert t.ongoing_placements == 1
    assert t.completion_rate == pytest.approx(2 / 3)

    app.config["STATS_MIN_GROUP"] = 1  # so the group tables show too
    page = login_as(caseworker).get("/caseworker/statistics").get_data(as_text=True)
    assert "Completion rate: 2 completed of 3 finished placements" in page
    assert "1 placement still under way is not counted." in page
    assert "Completed of finished placements" in page  # the group tables' header
    assert "67%" in page or "67 %" in page


def test_withdrawn_applications_are_shown_apart(app, caseworker, login_as) -> None:
    g = graduate(caseworker, "HA", name="Anna Aktiv")
    ApplicationFactory(jobseeker=g)
    ApplicationFactory(jobseeker=g, status=ApplicationStatus.REJECTED)
    ApplicationFactory(jobseeker=g, status=ApplicationStatus.WITHDRAWN)
    [row] = caseload.caseload_rows(caseworker)
    assert (row.applications, row.withdrawn, row.applications_kept) == (3, 1, 2)

    cw = login_as(caseworker)
    page = cw.get("/caseworker/").get_data(as_text=True)
    cell = re.search(r'<td data-label="Applications" class="num">(.*?)</td>', page).group(1)
    assert cell.startswith("2") and "+1 withdrawn" in cell
    person = cw.get(f"/caseworker/people/{g.id}").get_data(as_text=True)
    assert re.search(r"<dt>Applications</dt><dd>2</dd>", person)
    assert re.search(r"<dt>Withdrawn</dt><dd>1</dd>", person)
    stats = cw.get("/caseworker/statistics").get_data(as_text=True)
    assert re.search(r"<dt>Withdrawn applications</dt><dd>1</dd>", stats)
    summary = cw.get("/caseworker/summary").get_data(as_text=True)
    assert '<td data-label="Withdrawn" class="num">1</td>' in summary

    from tests.functional.test_education_profile import token_for

    client = app.test_client()
    body = client.get("/api/v1/caseload", headers=token_for(client, caseworker)).get_json()
    item = body[0] if isinstance(body, list) else body["items"][0]
    assert (item["applications"], item["withdrawn"]) == (3, 1)  # as before, plus the new count


def test_the_outcome_starts_empty_and_an_empty_choice_is_refused(app, login_as) -> None:
    caseworker = CaseworkerFactory()  # Danish
    g = graduate(caseworker, "HA")
    cw = login_as(caseworker)
    page = cw.get(f"/caseworker/people/{g.id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="status".*?</select>', page, re.S).group(0)
    first = re.search(r"<option[^>]*>", select).group(0)
    assert 'value=""' in first and "selected" in first
    assert '<option selected value="employed">' not in select

    response = cw.post(
        f"/caseworker/people/{g.id}/outcome", data={"status": "", "date": "2026-12-01"}
    )
    assert response.status_code == 422
    assert "Vælg et resultat." in response.get_data(as_text=True)
    assert db.session.get(CaseOutcome, g.id) is None

    # A recorded outcome is shown as chosen when the page is opened again.
    cw.post(f"/caseworker/people/{g.id}/outcome", data={"status": "other", "date": "2026-12-01"})
    page = cw.get(f"/caseworker/people/{g.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="other">', page)


def test_chart_months_carry_their_year(app, caseworker, login_as) -> None:
    graduate(caseworker, "HA")
    page = login_as(caseworker).get("/caseworker/statistics").get_data(as_text=True)
    this_month = date.today().replace(day=1)
    label = format_date(this_month, "MMM yyyy", locale="en")
    chart = re.search(r'<svg class="chart" id="month-chart".*?</svg>', page, re.S).group(0)
    assert f"<title>{label}: 0</title>" in chart
    month, year = label.rsplit(" ", 1)
    assert re.search(rf"<tspan[^>]*>{re.escape(month)}</tspan><tspan[^>]*>{year}</tspan>", chart)


def test_every_cell_of_the_caseworker_tables_has_a_label(app, caseworker, login_as) -> None:
    for i in range(3):
        g = graduate(caseworker, "HA", name=f"Dimittend {i}")
        ApplicationFactory(jobseeker=g, task=TaskFactory())
    app.config["STATS_MIN_GROUP"] = 1
    cw = login_as(caseworker)
    for url in ("/caseworker/", "/caseworker/statistics", "/caseworker/summary"):
        page = cw.get(url).get_data(as_text=True)
        bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
        assert bodies, url
        cells = [td for body in bodies for td in re.findall(r"<td\b[^>]*>", body)]
        assert cells, url
        unlabelled = [td for td in cells if "data-label=" not in td and "colspan" not in td]
        assert unlabelled == [], url
    caseload_page = cw.get("/caseworker/").get_data(as_text=True)
    headers = re.findall(r'<th scope="col"', caseload_page)
    assert len(headers) == 8


def _lines(breakdown) -> list[tuple[str, int]]:
    return [(g.label, g.registered) for g in breakdown]


@pytest.mark.parametrize(
    ("fields", "min_group", "expected"),
    [
        # 5 + 1: showing the 5 would give the 1 away as "All" minus 5, so no breakdown.
        (["HA"] * 5 + ["Cand.mag. i dansk"], 2, []),
        # 3 + 3 + 1: the lone one takes the smaller of the equal groups listed last.
        (["HA"] * 3 + ["Cand.mag. i dansk"] * 3 + ["Cand.jur."], 2, [3, 4]),
        # 4 + 3 + 1 with 3: the single joins the smallest shown group, the 3 (4 + 4).
        (["HA"] * 4 + ["Cand.jur."] * 3 + ["Cand.mag. i dansk"], 3, [4, 4]),
        # 4 + 2 + 1 with 3: the groups below 3 together make 3, enough on their own.
        (["HA"] * 4 + ["Cand.jur."] * 2 + ["Cand.mag. i dansk"], 3, [4, 3]),
        # Fewer than min_group in all: nothing to show.
        (["HA", "Cand.jur."], 3, []),
        # Every group large enough: nothing folded.
        (["HA"] * 2 + ["Cand.jur."] * 2, 2, [2, 2]),
    ],
)
def test_no_line_of_a_breakdown_is_smaller_than_min_group(
    app, caseworker, fields, min_group, expected
) -> None:
    for field in fields:
        graduate(caseworker, field, DegreeLevel.MASTER)
    app.config["STATS_MIN_GROUP"] = min_group
    stats = job_centre_statistics(caseworker, "mine")
    assert [n for _label, n in _lines(stats.by_education)] == expected
    for breakdown in (stats.by_education, stats.by_level, stats.by_cohort):
        assert all(n >= min_group for _label, n in _lines(breakdown)), _lines(breakdown)
        # The lines add up to "All", so "All" minus the lines shown is a line shown too.
        assert sum(n for _label, n in _lines(breakdown)) in (0, stats.total.registered)


def test_a_breakdown_too_small_to_show_says_so(app, caseworker, login_as) -> None:
    for field in ["HA"] * 5 + ["Cand.mag. i dansk"]:
        graduate(caseworker, field, DegreeLevel.MASTER)
    app.config["STATS_MIN_GROUP"] = 2
    page = login_as(caseworker).get("/caseworker/statistics").get_data(as_text=True)
    assert "Business and economics" not in page and "Humanities and languages" not in page
    assert "Too few graduates to show this breakdown: every line must have at least 2." in page


def test_the_summary_explains_the_completion_rate_as_the_statistics_do(
    app, caseworker, login_as
) -> None:
    now = datetime.now(UTC)
    g = graduate(caseworker, "HA")
    cw = login_as(caseworker)
    nothing = cw.get("/caseworker/summary").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="completion-rate">(.*?)</p>', nothing, re.S).group(1)
    assert "Completion rate: no placement has finished yet." in hint
    assert "0 completed of 0" not in nothing
    assert "0 placements still under way are not counted." in hint

    ApplicationFactory(jobseeker=g, status=ApplicationStatus.ACCEPTED, accepted_at=now)
    one = cw.get("/caseworker/summary").get_data(as_text=True)
    assert "1 placement still under way is not counted." in one  # singular
    assert "are not counted" not in one

    ApplicationFactory(
        jobseeker=g, status=ApplicationStatus.COMPLETED, accepted_at=now, completed_at=now
    )
    done = cw.get("/caseworker/summary").get_data(as_text=True)
    assert "Completion rate: 1 completed of 1 finished placements" in done
    stats = cw.get("/caseworker/statistics").get_data(as_text=True)
    hint = re.compile(r'<p class="hint" id="completion-rate">(.*?)</p>', re.S)
    assert hint.search(stats).group(1).startswith(hint.search(done).group(1).strip())
