"""The business service's follow-up on the mentor programme: needs waiting, mentorships in
progress and overdue, outcomes and feedback with CSV. Every rule and every access-log row is
in services/mentor_programme.py; these views only render."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from taskboerse.models import Role
from taskboerse.services import mentor_programme as programme
from taskboerse.services.mentoring import (
    NEED_WAITING_FLAG_DAYS,
    frequency_label,
    mentorship_status_label,
    need_status_label,
    stage_label,
    topic_label,
)
from taskboerse.services.security import security_event
from taskboerse.web.access import role_required
from taskboerse.web.csv_export import csv_response

bp = Blueprint("programme", __name__, url_prefix="/programme")

STAFF = (Role.ADMIN, Role.BUSINESS_STAFF)


def side_label(side: str) -> str:
    """Which side gave a feedback, in the reader's language."""
    return _("Mentor") if side == "mentor" else _("Entrepreneur")


@bp.context_processor
def inject_helpers() -> dict:
    """Labels the programme's pages use."""
    return {
        "side_label": side_label,
        "stage_label": stage_label,
        "frequency_label": frequency_label,
        "topic_label": topic_label,
        "need_status_label": need_status_label,
        "mentorship_status_label": mentorship_status_label,
        "flag_days": NEED_WAITING_FLAG_DAYS,
    }


@bp.route("/")
@role_required(*STAFF)
def index():
    """Headline figures, the needs waiting, the mentorships in progress and the outcomes
    (the names listed are logged once a day per person)."""
    overview = programme.programme_overview(current_user)
    return render_template("programme/index.html", o=overview, out=overview.outcomes)


@bp.route("/needs/<id:need_id>")
@role_required(*STAFF)
def need(need_id: int):
    """One need, its requests and what came of them (logged)."""
    return render_template("programme/need.html", f=programme.need_file(current_user, need_id))


@bp.route("/mentorships/<id:mentorship_id>")
@role_required(*STAFF)
def mentorship(mentorship_id: int):
    """One mentorship: parties, period, meetings and agendas, feedback and outcome (logged;
    never the private notes or the messages)."""
    f = programme.mentorship_file(current_user, mentorship_id)
    return render_template("programme/mentorship.html", f=f)


def _breakdown_lines(b: programme.Breakdown, threshold: int) -> list[list[object]]:
    """A breakdown's lines for the CSV, and its total; a note when it is too small."""
    if not b.lines:
        note = _(
            "Too few to show this breakdown: every line must have at least %(n)d.", n=threshold
        )
        return [[b.title, note, ""]]
    lines: list[list[object]] = [[b.title, line.label, line.count] for line in b.lines]
    return lines + [[b.title, _("All"), b.total]]


@bp.route("/export/outcomes.csv")
@role_required(*STAFF)
def export():
    """The outcome tables as CSV: aggregated, small groups folded, no names."""
    out = programme.programme_figures(current_user)
    rows: list[list[object]] = []
    for b in (out.by_outcome, out.by_end, out.by_topic, out.needs_by_topic):
        rows += _breakdown_lines(b, out.min_group)
    for r in out.ratings:
        rows.append(
            [
                _("Average rating (1-5)"),
                side_label(r.side),
                r.average if r.average is not None else _("Too few answers to show"),
            ]
        )
    rows.append(
        [
            _("Median days from need to mentorship"),
            _("All"),
            out.median_days_to_mentorship
            if out.median_days_to_mentorship is not None
            else _("Too few to show"),
        ]
    )
    for month, needs, _started in out.per_month:
        rows.append([_("Needs posted per month"), month.strftime("%Y-%m"), needs])
    for month, _needs, started in out.per_month:
        rows.append([_("Mentorships started per month"), month.strftime("%Y-%m"), started])
    security_event("export", actor=current_user.id, what="programme_outcomes", rows=len(rows))
    return csv_response("mentorprogram.csv", [_("Table"), _("Group"), _("Value")], rows)


@bp.route("/export/waiting-needs.csv")
@role_required(*STAFF)
def export_waiting():
    """The needs waiting for a mentor, with names, as CSV (logged per entrepreneur)."""
    rows = programme.export_waiting_needs(current_user)
    header = [
        _("Entrepreneur"),
        _("Company"),
        _("Topic"),
        _("Posted"),
        _("Days waiting"),
        _("Latest request"),
        _("Requests"),
        _("Flagged"),
    ]
    lines = [
        [
            r.entrepreneur_name,
            r.company_name,
            r.topic_label,
            r.created_at,
            r.days_waiting,
            r.request_state_label,
            r.requests,
            r.flagged,
        ]
        for r in rows
    ]
    security_event("export", actor=current_user.id, what="programme_waiting", rows=len(lines))
    return csv_response("ventende-behov.csv", header, lines)
