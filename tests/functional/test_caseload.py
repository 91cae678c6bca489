"""Caseworker follow-up: consent, caseload, flags, person page, notes, outcomes, access log."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from taskboerse.extensions import db
from taskboerse.matching.educations import link_education
from taskboerse.models import (
    AccessAction,
    AccessLogEntry,
    AccessPurpose,
    Application,
    ApplicationStatus,
    CaseAssignment,
    CaseNote,
    CaseOutcome,
    Consent,
    Role,
    User,
)
from taskboerse.services import assignments, caseload, consent, follow_up
from taskboerse.services.errors import Forbidden
from taskboerse.services.follow_up import (
    ActivityFacts,
    ApplicationFact,
    FlagCode,
    FlagRules,
    compute_flags,
)
from tests.factories import (
    ApplicationFactory,
    CaseworkerFactory,
    JobseekerFactory,
    TaskFactory,
    UserFactory,
    follow,
)
from tests.helpers import backdate_acceptance, count_queries

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def fact(status, created, answered=None, completed=None, deadline=None, title="Opgave"):
    accepted = (
        answered if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED) else None
    )
    return ApplicationFact(
        jobseeker_id=1,
        task_title=title,
        deadline=deadline or (NOW + timedelta(days=10)).date(),
        status=status,
        created_at=created,
        decided_at=answered,
        accepted_at=accepted,
        completed_at=completed,
    )


RULES = FlagRules(inactive_days=30, rejections_in_row=3, no_application_days=14)


def codes(facts: ActivityFacts, rules: FlagRules = RULES) -> list[str]:
    return [f.code.value for f in compute_flags(facts, NOW, rules)]


# --- the flag rules ---------------------------------------------------------------------------


def test_no_flags_for_an_active_graduate(app) -> None:
    facts = ActivityFacts(days_ago(40), days_ago(2), [fact(ApplicationStatus.PENDING, days_ago(5))])
    assert codes(facts) == []


def test_inactive_after_the_threshold_and_not_before(app) -> None:
    assert codes(ActivityFacts(days_ago(100), days_ago(29), [fact("pending", days_ago(50))])) == []
    flags = compute_flags(
        ActivityFacts(days_ago(100), days_ago(31), [fact(ApplicationStatus.PENDING, days_ago(50))]),
        NOW,
        RULES,
    )
    assert [f.code for f in flags] == [FlagCode.INACTIVE]
    assert flags[0].params["days"] == 31
    assert "31" in str(flags[0].reason)


def test_an_application_counts_as_activity(app) -> None:
    facts = ActivityFacts(
        days_ago(100), days_ago(60), [fact(ApplicationStatus.PENDING, days_ago(3))]
    )
    assert codes(facts) == []


def test_three_rejections_in_a_row(app) -> None:
    rejected = [
        fact(ApplicationStatus.REJECTED, days_ago(20 - i), answered=days_ago(10 - i))
        for i in range(3)
    ]
    facts = ActivityFacts(days_ago(40), days_ago(1), rejected)
    assert codes(facts) == ["rejections"]
    # An acceptance after them breaks the run.
    accepted = fact(ApplicationStatus.ACCEPTED, days_ago(6), answered=days_ago(1))
    assert codes(ActivityFacts(days_ago(40), days_ago(1), [*rejected, accepted])) == []
    # Two rejections are not three; a pending application is not an answer.
    pending = fact(ApplicationStatus.PENDING, days_ago(1))
    assert codes(ActivityFacts(days_ago(40), days_ago(1), [*rejected[:2], pending])) == []


def test_registered_without_applying(app) -> None:
    assert codes(ActivityFacts(days_ago(13), days_ago(1), [])) == []
    assert codes(ActivityFacts(days_ago(15), days_ago(1), [])) == ["no_application"]


def test_accepted_but_not_completed_after_the_deadline(app) -> None:
    late = fact(
        ApplicationStatus.ACCEPTED,
        days_ago(20),
        answered=days_ago(18),
        deadline=(NOW - timedelta(days=2)).date(),
        title="Logo til café",
    )
    flags = compute_flags(ActivityFacts(days_ago(40), days_ago(1), [late]), NOW, RULES)
    assert [f.code for f in flags] == [FlagCode.OVERDUE]
    assert flags[0].params["task"] == "Logo til café"
    assert "Logo til café" in str(flags[0].reason)
    done = fact(
        ApplicationStatus.COMPLETED,
        days_ago(20),
        answered=days_ago(18),
        completed=days_ago(1),
        deadline=(NOW - timedelta(days=2)).date(),
    )
    assert codes(ActivityFacts(days_ago(40), days_ago(1), [done])) == []


def test_thresholds_come_from_the_config(app, monkeypatch) -> None:
    facts = ActivityFacts(
        days_ago(100), days_ago(10), [fact(ApplicationStatus.PENDING, days_ago(20))]
    )
    app.config["FLAG_INACTIVE_DAYS"] = 7
    assert codes(facts, follow_up.flag_rules()) == ["inactive"]
    app.config["FLAG_INACTIVE_DAYS"] = 30
    assert codes(facts, follow_up.flag_rules()) == []


# --- consent ------------------------------------------------------------------------------------


@pytest.fixture
def pair():
    caseworker = CaseworkerFactory(name="Karen Sagsbehandler", email="karen@jobcenter.example")
    graduate = JobseekerFactory(name="Freja Dimittend")
    return caseworker, graduate


def test_consent_is_off_until_the_graduate_gives_it(app, pair, login_as) -> None:
    caseworker, graduate = pair
    db.session.add(CaseAssignment(jobseeker_id=graduate.id, caseworker_id=caseworker.id))
    db.session.commit()
    page = login_as(graduate).get("/jobseeker/privacy").get_data(as_text=True)
    assert "Du deler ikke din aktivitet med jobcentret" in page
    cw = login_as(caseworker)
    assert "Freja Dimittend" not in cw.get("/caseworker/").get_data(as_text=True)
    assert cw.get(f"/caseworker/people/{graduate.id}").status_code == 404


def test_give_and_withdraw_consent(app, pair, login_as) -> None:
    caseworker, graduate = pair
    db.session.add(CaseAssignment(jobseeker_id=graduate.id, caseworker_id=caseworker.id))
    db.session.commit()
    grad = login_as(graduate)
    cw = login_as(caseworker)
    response = grad.post("/jobseeker/consent", data={"share": "yes"}, follow_redirects=True)
    assert "Du deler nu din aktivitet med jobcentret" in response.get_data(as_text=True)
    assert "Freja Dimittend" in cw.get("/caseworker/").get_data(as_text=True)
    assert cw.get(f"/caseworker/people/{graduate.id}").status_code == 200

    grad.post("/jobseeker/consent", data={"share": "no"})
    assert "Freja Dimittend" not in cw.get("/caseworker/").get_data(as_text=True)
    assert cw.get(f"/caseworker/people/{graduate.id}").status_code == 404
    assert "Freja" not in cw.get("/caseworker/export/caseload.csv").get_data(as_text=True)
    assert "Freja" not in cw.get("/caseworker/export/placements.csv").get_data(as_text=True)
    assert "Freja" not in cw.get("/caseworker/summary").get_data(as_text=True)
    note = cw.post(f"/caseworker/people/{graduate.id}/notes", data={"text": "Ny note"})
    assert note.status_code == 404
    assert db.session.execute(select(func.count(CaseNote.id))).scalar_one() == 0


def test_bad_consent_value_changes_nothing(app, pair, login_as) -> None:
    _caseworker, graduate = pair
    response = login_as(graduate).post(
        "/jobseeker/consent", data={"share": "maybe"}, follow_redirects=True
    )
    assert "Valget blev ikke gemt" in response.get_data(as_text=True)
    assert db.session.get(Consent, graduate.id) is None


def test_only_graduates_can_consent(app, pair) -> None:
    caseworker, _graduate = pair
    with pytest.raises(Forbidden):
        consent.set_consent(caseworker, True)


# --- assignment ---------------------------------------------------------------------------------


def test_admin_assigns_in_the_ui(app, pair, login_as) -> None:
    caseworker, graduate = pair
    admin = login_as(UserFactory(role=Role.ADMIN))
    page = admin.get("/admin/caseload").get_data(as_text=True)
    assert "karen@jobcenter.example" in page
    response = admin.post(
        "/admin/caseload",
        data={"caseworker": caseworker.email, "jobseeker": graduate.email.upper()},
    )
    assert response.status_code == 302
    assignment = db.session.get(CaseAssignment, graduate.id)
    assert assignment.caseworker_id == caseworker.id
    page = admin.get("/admin/caseload").get_data(as_text=True)
    assert "Freja Dimittend" in page

    bad = admin.post(
        "/admin/caseload", data={"caseworker": caseworker.email, "jobseeker": "nobody@x.dk"}
    )
    assert bad.status_code == 422
    assert "Ingen dimittend har denne e-mail" in bad.get_data(as_text=True)
    wrong_role = admin.post(
        "/admin/caseload", data={"caseworker": graduate.email, "jobseeker": graduate.email}
    )
    assert wrong_role.status_code == 422

    assert admin.post(f"/admin/caseload/{graduate.id}/unassign").status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseAssignment, graduate.id) is None
    assert admin.post(f"/admin/caseload/{graduate.id}/unassign").status_code == 404


def test_cli_assigns_and_refuses_unknown_emails(app, pair, runner) -> None:
    caseworker, graduate = pair
    args = ["caseload", "assign", "--caseworker", caseworker.email, "--jobseeker", graduate.email]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "does not share" in result.output
    assert db.session.get(CaseAssignment, graduate.id).caseworker_id == caseworker.id
    result = runner.invoke(
        args=["caseload", "assign", "--caseworker", "x@y.dk", "--jobseeker", graduate.email]
    )
    assert result.exit_code == 1
    assert "Ingen sagsbehandler har denne e-mail" in result.output
    result = runner.invoke(args=["caseload", "assign", "--caseworker", caseworker.email])
    assert result.exit_code == 2


def test_reassigning_moves_the_graduate(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    other = CaseworkerFactory()
    admin = UserFactory(role=Role.ADMIN)
    assignments.assign_caseworker(admin, other.email, graduate.email)
    with pytest.raises(Forbidden):  # only an administrator assigns
        assignments.assign_caseworker(caseworker, caseworker.email, graduate.email)
    assert login_as(caseworker).get(f"/caseworker/people/{graduate.id}").status_code == 404
    assert login_as(other).get(f"/caseworker/people/{graduate.id}").status_code == 200


# --- the caseload page --------------------------------------------------------------------------


def make_caseload(caseworker):
    """Three consenting graduates in different states, one not consenting, one of another."""
    active = JobseekerFactory(name="Anna Aktiv")
    quiet = JobseekerFactory(name="Bo Stille")
    newbie = JobseekerFactory(name="Carl Ny")
    hidden = JobseekerFactory(name="Dorte Skjult")
    elsewhere = JobseekerFactory(name="Emil Andetsteds")
    for g in (active, quiet, newbie):
        follow(caseworker, g)
    follow(caseworker, hidden, consent=False)
    follow(CaseworkerFactory(), elsewhere)
    now = datetime.now(UTC)
    quiet.created_at = now - timedelta(days=90)
    quiet.last_active_at = now - timedelta(days=60)
    newbie.created_at = now - timedelta(days=20)
    newbie.last_active_at = now - timedelta(days=1)
    active.created_at = now - timedelta(days=50)
    active.last_active_at = now
    db.session.commit()
    t1, t2 = TaskFactory(), TaskFactory()
    ApplicationFactory(
        task=t1,
        jobseeker=active,
        status=ApplicationStatus.COMPLETED,
        accepted_at=now - timedelta(days=20),
        completed_at=now - timedelta(days=5),
    )
    ApplicationFactory(task=t2, jobseeker=active, status=ApplicationStatus.PENDING)
    ApplicationFactory(
        task=t1,
        jobseeker=quiet,
        status=ApplicationStatus.REJECTED,
        created_at=now - timedelta(days=80),
        decided_at=now - timedelta(days=70),
    )
    return active, quiet, newbie, hidden, elsewhere


def test_caseload_shows_only_my_consenting_graduates_with_counts_and_flags(
    app, pair, login_as
) -> None:
    caseworker, _ = pair
    make_caseload(caseworker)
    cw = login_as(caseworker)
    response = cw.get("/caseworker/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name in ("Anna Aktiv", "Bo Stille", "Carl Ny"):
        assert name in page
    assert "Dorte Skjult" not in page and "Emil Andetsteds" not in page
    assert "1 dimittend mere er tilknyttet dig" in page
    assert "Ingen aktivitet i 60 dage" in page
    assert "Registreret for 20 dage siden" in page

    rows = caseload.caseload_rows(caseworker)
    anna = next(r for r in rows if r.name == "Anna Aktiv")
    assert (anna.applications, anna.accepted, anna.completed) == (2, 1, 1)
    assert anna.flags == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("", ["Anna Aktiv", "Bo Stille", "Carl Ny"]),
        ("?sort=name&dir=desc", ["Carl Ny", "Bo Stille", "Anna Aktiv"]),
        ("?sort=applications&dir=desc", ["Anna Aktiv", "Bo Stille", "Carl Ny"]),
        ("?sort=registered", ["Bo Stille", "Anna Aktiv", "Carl Ny"]),
        ("?sort=last_activity&dir=desc", ["Anna Aktiv", "Carl Ny", "Bo Stille"]),
        ("?flag=any", ["Bo Stille", "Carl Ny"]),
        ("?flag=none", ["Anna Aktiv"]),
        ("?flag=inactive", ["Bo Stille"]),
        ("?flag=no_application", ["Carl Ny"]),
        ("?q=bo", ["Bo Stille"]),
        ("?q=zzz", []),
    ],
)
def test_caseload_sorts_and_filters(app, pair, login_as, params, expected) -> None:
    caseworker, _ = pair
    make_caseload(caseworker)
    page = login_as(caseworker).get("/caseworker/" + params).get_data(as_text=True)
    names = ["Anna Aktiv", "Bo Stille", "Carl Ny"]
    shown = sorted((page.index(n), n) for n in names if n in page)
    assert [n for _i, n in shown] == expected


@pytest.mark.parametrize(
    "params", ["?sort=password", "?flag=evil", "?dir=sideways", "?q=" + "x" * 300]
)
def test_bad_caseload_filters_give_a_message_and_the_default_view(
    app, pair, login_as, params
) -> None:
    caseworker, _ = pair
    make_caseload(caseworker)
    response = login_as(caseworker).get("/caseworker/" + params)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page
    assert "Anna Aktiv" in page


# --- the person page ----------------------------------------------------------------------------


def test_person_page_shows_timeline_references_flags_notes_and_outcome(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    task = TaskFactory(title="Markedsanalyse for café")
    app_ = ApplicationFactory(task=task, jobseeker=graduate, status=ApplicationStatus.ACCEPTED)
    owner = task.company.owner
    entrepreneur = login_as(owner)
    backdate_acceptance(app_)
    entrepreneur.post(
        f"/entrepreneur/applications/{app_.id}/complete",
        data={"rating": "5", "reference": "Grundigt arbejde", "skills_used": [task.skills[0].id]},
    )
    cw = login_as(caseworker)
    response = cw.post(
        f"/caseworker/people/{graduate.id}/notes", data={"text": "Første møde holdt."}
    )
    assert response.status_code == 302
    response = cw.post(
        f"/caseworker/people/{graduate.id}/outcome",
        data={"status": "employed", "date": "2026-12-01"},
    )
    assert response.status_code == 302
    page = cw.get(f"/caseworker/people/{graduate.id}").get_data(as_text=True)
    for text in (
        "Markedsanalyse for café",
        "Grundigt arbejde",
        "Excel",
        "Første møde holdt.",
        "Karen Sagsbehandler",
        "I job",
        "1. dec. 2026",
        "Ansøgt",
        "Optaget",
        "Afsluttet",
    ):
        assert text in page, text
    outcome = db.session.get(CaseOutcome, graduate.id)
    assert (outcome.status.value, outcome.outcome_date) == ("employed", date(2026, 12, 1))

    # The graduate does not see the note anywhere.
    grad = login_as(graduate)
    for url in ("/jobseeker/", "/jobseeker/privacy", "/jobseeker/profile"):
        assert "Første møde holdt." not in grad.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "rich", "date": "2026-12-01"}, "Ikke et gyldigt valg"),
        ({"status": "employed", "date": ""}, "Feltet skal udfyldes"),
        ({"status": "employed", "date": "1.12"}, "Skriv en gyldig dato"),
        ({"status": "employed", "date": "1999-12-01"}, "Datoen skal være fra år 2000"),
        ({"status": "employed", "date": "2099-12-01"}, "Datoen skal være fra år 2000"),
    ],
)
def test_bad_outcome_is_refused_with_a_message(app, pair, login_as, data, message) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    response = login_as(caseworker).post(f"/caseworker/people/{graduate.id}/outcome", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.get(CaseOutcome, graduate.id) is None


@pytest.mark.parametrize(
    ("text", "message"), [("   ", "Feltet skal udfyldes"), ("x" * 5001, "Højst 5000 tegn")]
)
def test_bad_note_is_refused(app, pair, login_as, text, message) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    response = login_as(caseworker).post(
        f"/caseworker/people/{graduate.id}/notes", data={"text": text}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.execute(select(func.count(CaseNote.id))).scalar_one() == 0


def test_graduate_sees_the_same_flags_on_their_own_page(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    graduate.created_at = datetime.now(UTC) - timedelta(days=20)
    db.session.commit()
    caseworker_view = login_as(caseworker).get(f"/caseworker/people/{graduate.id}")
    own = login_as(graduate).get("/jobseeker/").get_data(as_text=True)
    reason = "Registreret for 20 dage siden og har endnu ikke søgt en opgave."
    assert reason in caseworker_view.get_data(as_text=True)
    assert reason in own


# --- the access log -----------------------------------------------------------------------------


def log_rows(jobseeker_id: int) -> list[tuple]:
    return [
        (e.action, e.purpose, e.actor_id, e.via)
        for e in db.session.execute(
            select(AccessLogEntry)
            .where(AccessLogEntry.jobseeker_id == jobseeker_id)
            .order_by(AccessLogEntry.id)
        ).scalars()
    ]


def test_every_view_and_export_is_logged(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    other = JobseekerFactory()
    follow(caseworker, other, consent=False)
    cw = login_as(caseworker)
    cw.get("/caseworker/")
    cw.get(f"/caseworker/people/{graduate.id}")
    cw.get("/caseworker/export/caseload.csv")
    ApplicationFactory(
        jobseeker=graduate, status=ApplicationStatus.ACCEPTED, accepted_at=datetime.now(UTC)
    )
    cw.get("/caseworker/export/placements.csv")
    cw.get("/caseworker/summary")
    assert log_rows(graduate.id) == [
        (AccessAction.VIEW_CASELOAD, AccessPurpose.FOLLOW_UP, caseworker.id, "web"),
        (AccessAction.VIEW_PERSON, AccessPurpose.FOLLOW_UP, caseworker.id, "web"),
        (AccessAction.EXPORT_CASELOAD, AccessPurpose.CASE_FILE, caseworker.id, "web"),
        (AccessAction.EXPORT_PLACEMENTS, AccessPurpose.CASE_FILE, caseworker.id, "web"),
        (AccessAction.VIEW_SUMMARY, AccessPurpose.MEETING, caseworker.id, "web"),
    ]
    assert log_rows(other.id) == []  # not consenting: nothing was shown, nothing logged
    # Statistics are counts, not a person's data: not logged per graduate.
    cw.get("/caseworker/statistics")
    assert len(log_rows(graduate.id)) == 5


def test_graduate_sees_when_and_why_but_not_who(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    login_as(caseworker).get(f"/caseworker/people/{graduate.id}")
    page = login_as(graduate).get("/jobseeker/privacy").get_data(as_text=True)
    assert "Din side (ansøgninger, referencer, opfølgningspunkter og noter) blev åbnet" in page
    assert "Opfølgning på din jobsøgning" in page
    assert "Karen" not in page and "karen@jobcenter.example" not in page


def test_admin_searches_the_access_log(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    other = JobseekerFactory(name="Gustav Anden")
    follow(caseworker, other)
    cw = login_as(caseworker)
    cw.get(f"/caseworker/people/{graduate.id}")
    cw.get("/caseworker/export/caseload.csv")
    admin = login_as(UserFactory(role=Role.ADMIN))

    def found(query: str) -> str:
        response = admin.get("/admin/access-log" + query)
        assert response.status_code == 200, response.get_data(as_text=True)[-500:]
        return response.get_data(as_text=True)

    page = found("?jobseeker=Freja&action=view_person")
    assert "1 registrering" in page and "Karen Sagsbehandler" in page
    assert "3 registreringer" in found("?actor=karen@jobcenter")
    assert "0 registreringer" in found("?actor=someone-else")
    # The log's days are Copenhagen days (at 23:30 UTC it is already tomorrow there).
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Copenhagen")).date().isoformat()
    assert "3 registreringer" in found(f"?date_from={today}&date_to={today}")
    assert "0 registreringer" in found("?date_to=2020-01-01")
    bad = admin.get("/admin/access-log?date_from=2026-12-01&date_to=2026-11-01")
    assert bad.status_code == 422
    assert "Perioden slutter før den begynder" in bad.get_data(as_text=True)
    assert admin.get("/admin/access-log?action=drop").status_code == 422
    assert admin.get("/admin/access-log?date_from=yesterday").status_code == 422


# --- exports and summary ------------------------------------------------------------------------


def test_caseload_csv_opens_in_danish_excel(app, pair, login_as) -> None:
    caseworker, graduate = pair
    graduate.name = '=HYPERLINK("http://evil")'
    graduate.created_at = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)  # 6 March in Copenhagen
    db.session.commit()
    follow(caseworker, graduate)
    response = login_as(caseworker).get("/caseworker/export/caseload.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Navn", "E-mail", "Uddannelse", "Registreret"]
    assert rows[1][0].startswith("'=")  # a formula is neutralised
    assert rows[1][3] == "06-03-2026"
    assert len(rows) == 2


def test_placements_csv_lists_accepted_applications(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    accepted = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    ApplicationFactory(
        jobseeker=graduate,
        task=TaskFactory(title="Hjemmeside; ny"),
        status=ApplicationStatus.ACCEPTED,
        accepted_at=accepted,
    )
    ApplicationFactory(jobseeker=graduate, status=ApplicationStatus.PENDING)
    raw = login_as(caseworker).get("/caseworker/export/placements.csv").data
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][2] == "Hjemmeside; ny"  # quoted, so the semicolon stays in the cell
    assert rows[1][6] == "01-10-2026"
    assert rows[1][4] == "accepteret"


def test_summary_is_printable(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    page = login_as(caseworker).get("/caseworker/summary").get_data(as_text=True)
    assert "Freja Dimittend" in page
    assert "data-print" in page
    css = app.test_client().get("/static/css/app.css")
    assert "@media print" in css.get_data(as_text=True)
    css.close()


# --- statistics ---------------------------------------------------------------------------------


def test_statistics_funnel_rates_and_small_groups(app, pair, login_as) -> None:
    caseworker, _ = pair
    now = datetime.now(UTC)
    people = []
    for i in range(6):
        g = JobseekerFactory(name=f"Dimittend {i}")
        g.created_at = now - timedelta(days=30)
        g.profile.field = "Cand.merc." if i < 5 else "Cand.mag."
        g.profile.education_code = link_education(g.profile.field)
        people.append(g)
        follow(caseworker, g)
    db.session.commit()
    task = TaskFactory()
    # 0: completed after being accepted 10 days in; 1: accepted 20 days in, then withdrew;
    # 2: pending only; 3: still accepted. 4, 5: nothing.
    ApplicationFactory(
        task=task,
        jobseeker=people[0],
        status=ApplicationStatus.COMPLETED,
        accepted_at=now - timedelta(days=20),
        completed_at=now,
    )
    ApplicationFactory(
        task=task,
        jobseeker=people[1],
        status=ApplicationStatus.WITHDRAWN,
        accepted_at=now - timedelta(days=10),
    )
    ApplicationFactory(task=task, jobseeker=people[2])
    ApplicationFactory(
        task=TaskFactory(),
        jobseeker=people[3],
        status=ApplicationStatus.ACCEPTED,
        accepted_at=now - timedelta(days=15),
    )
    db.session.add(
        CaseOutcome(jobseeker_id=people[0].id, status="employed", outcome_date=date.today())
    )
    db.session.commit()
    app.config["STATS_MIN_GROUP"] = 2
    from taskboerse.services.statistics import job_centre_statistics

    stats = job_centre_statistics(caseworker, "mine")
    t = stats.total
    assert (t.registered, t.applied, t.accepted, t.completed, t.employed) == (6, 4, 3, 1, 1)
    assert t.median_days_to_accept == 15.0  # 10, 15 and 20 days
    assert t.completion_rate == 0.5  # 1 completed of 2 ended (the ongoing one is not counted)
    assert sum(n for _m, n in stats.per_month) == 3
    labels = [g.label for g in stats.by_education]
    # 5 and 1: any breakdown would give the one away (all minus the five), so none is shown.
    assert labels == []

    page = login_as(caseworker).get("/caseworker/statistics").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page
    assert "Gennemførelsesrate" in page and "50 %" in page
    assert "cdn" not in page.lower()


def test_statistics_refuse_an_unknown_scope(app, pair, login_as) -> None:
    caseworker, _ = pair
    response = login_as(caseworker).get("/caseworker/statistics?scope=everyone")
    assert response.status_code == 422


def test_statistics_for_the_whole_job_centre_count_only_consenting(app, pair) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    follow(CaseworkerFactory(), JobseekerFactory())
    follow(caseworker, JobseekerFactory(), consent=False)
    JobseekerFactory()  # not assigned, not consenting
    from taskboerse.services.statistics import job_centre_statistics

    assert job_centre_statistics(caseworker, "mine").total.registered == 1
    assert job_centre_statistics(caseworker, "all").total.registered == 2


# --- speed: a fixed number of queries ---------------------------------------------------------


def seed_bulk(caseworker, n_graduates: int, per_graduate: int = 20) -> None:
    """Graduates with applications, inserted in bulk (the factories would take minutes)."""
    tasks = [TaskFactory() for _ in range(per_graduate)]
    now = datetime.now(UTC)
    start = db.session.execute(select(func.coalesce(func.max(User.id), 0))).scalar_one()
    users = [
        {
            "id": start + 1 + i,
            "email": f"bulk{start + i}@example.com",
            "name": f"Bulk {i}",
            "password_hash": "x",
            "role": Role.JOBSEEKER,
            "locale": "da",
            "is_disabled": False,
            "created_at": now - timedelta(days=i % 90),
        }
        for i in range(n_graduates)
    ]
    db.session.execute(insert(User), users)
    ids = [u["id"] for u in users]
    db.session.execute(
        insert(CaseAssignment),
        [{"jobseeker_id": j, "caseworker_id": caseworker.id, "assigned_at": now} for j in ids],
    )
    db.session.execute(
        insert(Consent), [{"jobseeker_id": j, "shared": True, "changed_at": now} for j in ids]
    )
    statuses = list(ApplicationStatus)
    db.session.execute(
        insert(Application),
        [
            {
                "task_id": t.id,
                "jobseeker_id": j,
                "motivation": "m",
                "status": statuses[(j + k) % len(statuses)],
                "created_at": now - timedelta(days=k),
                "decided_at": now - timedelta(days=k / 2),
                "accepted_at": now - timedelta(days=k / 2) if (j + k) % 2 else None,
            }
            for j in ids
            for k, t in enumerate(tasks)
        ],
    )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
        db.session.commit()


def test_caseload_page_runs_a_fixed_number_of_queries(app, login_as) -> None:
    small_cw, big_cw = CaseworkerFactory(), CaseworkerFactory()
    seed_bulk(small_cw, 3)
    seed_bulk(big_cw, 300)
    small, big = login_as(small_cw), login_as(big_cw)
    assert db.session.execute(select(func.count(Application.id))).scalar_one() == 303 * 20
    for url in ("/caseworker/", "/caseworker/summary", "/caseworker/export/caseload.csv"):
        assert count_queries(small, url) == count_queries(big, url), url
    page = big.get("/caseworker/").get_data(as_text=True)
    assert page.count("/caseworker/people/") == 300
    logged = db.session.execute(
        select(func.count(AccessLogEntry.id)).where(AccessLogEntry.actor_id == big_cw.id)
    ).scalar_one()
    assert logged >= 300


def test_consent_form_works_as_the_browser_sends_it(app, pair, login_as) -> None:
    # Post every input the rendered form holds, CSRF token included (a browser does).
    import re

    _caseworker, graduate = pair
    client = login_as(graduate)
    app.config["WTF_CSRF_ENABLED"] = True
    for expected in (True, False):
        page = client.get("/jobseeker/privacy").get_data(as_text=True)
        form = re.search(
            r'<form method="post" action="/jobseeker/consent">(.*?)</form>', page, re.S
        )
        inputs = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(1))
        assert [name for name, _v in inputs].count("share") == 1
        response = client.post("/jobseeker/consent", data=dict(inputs))
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Consent, graduate.id).shared is expected


def test_long_access_logs_are_paged_for_the_graduate_and_the_admin(app, pair, login_as) -> None:
    caseworker, graduate = pair
    follow(caseworker, graduate)
    cw = login_as(caseworker)
    for _ in range(51):  # each person page is a row of its own (overviews are one a day)
        cw.get(f"/caseworker/people/{graduate.id}")
    page = login_as(graduate).get("/jobseeker/privacy").get_data(as_text=True)
    assert "Side 1 af 2" in page and 'href="/jobseeker/privacy?page=2" rel="next"' in page
    assert (
        login_as(graduate).get("/jobseeker/privacy?page=2").get_data(as_text=True).count("<tr><td>")
        == 1
    )
    admin = login_as(UserFactory(role=Role.ADMIN))
    page = admin.get("/admin/access-log?jobseeker=Freja").get_data(as_text=True)
    assert 'href="/admin/access-log?page=2&amp;jobseeker=Freja" rel="next"' in page
