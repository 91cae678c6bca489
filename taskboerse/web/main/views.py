"""Front page, dashboard redirect, notifications, language switch, skill type-ahead, and
companies' logos."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required

from taskboerse.extensions import db, limiter
from taskboerse.models import Application, NotificationKind, Role
from taskboerse.services import accounts, companies, mentors, notifications
from taskboerse.services.search import search_tasks
from taskboerse.services.skills import suggest_skills, suggest_skills_from_text
from taskboerse.services.tasks import TaskQuery, card_counts
from taskboerse.web.forms import EmptyForm, safe_next
from taskboerse.web.matching import matching_index

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """The front page: what Taskbørs is, and the newest open tasks."""
    newest = search_tasks(matching_index(), TaskQuery(per_page=6)).pagination.items
    return render_template("main/index.html", tasks=newest, counts=card_counts(newest))


# A logo's address carries its upload time (?v=...), so a new logo is a new address and
# an old one may be kept a day.
LOGO_MAX_AGE = 24 * 60 * 60


@bp.route("/companies/<id:company_id>/logo.png")
def company_logo(company_id: int):
    """A company's logo, public like its tasks: always the PNG we encoded, never an upload."""
    logo = companies.company_logo(company_id)
    if logo is None:
        abort(404)
    response = Response(logo.png, mimetype="image/png")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = 'inline; filename="logo.png"'
    response.cache_control.public = True
    response.cache_control.max_age = LOGO_MAX_AGE
    response.last_modified = logo.updated_at
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/healthz")
def healthz():
    """Liveness for the load balancer (and the ceiling in the load benchmark): no database."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/dashboard")
@login_required
def dashboard():
    """Send each role to its own start page."""
    targets = {
        Role.JOBSEEKER: "jobseeker.dashboard",
        Role.ENTREPRENEUR: "entrepreneur.dashboard",
        Role.ADMIN: "admin.users",
        Role.CASEWORKER: "caseworker.caseload_page",
        Role.MENTOR: "mentors.home",
        Role.BUSINESS_STAFF: "programme.index",
    }
    return redirect(url_for(targets[current_user.role]))


@bp.app_context_processor
def inject_mentor_requests() -> dict[str, int]:
    """A mentor's menu shows how many requests wait for an answer (once a request)."""
    if g.get("database_down") or not current_user.is_authenticated:
        return {}
    if current_user.role != Role.MENTOR:
        return {}
    if "mentor_requests_waiting" not in g:
        g.mentor_requests_waiting = mentors.waiting_requests(current_user.id)
    return {"mentor_requests_waiting": g.mentor_requests_waiting}


@bp.route("/notifications")
@login_required
def notifications_page():
    """The user's notifications, newest first, with the text in their language."""
    items = notifications.list_notifications(current_user.id)
    rows = [(n, notifications.notification_text(n.kind, n.params)) for n in items]
    return render_template("main/notifications.html", rows=rows, form=EmptyForm())


def _target(note) -> str:
    """The page a notification is about, for the reader it was written to."""
    kind, task_id = note.kind, note.task_id
    if kind == NotificationKind.MESSAGE and task_id:
        if current_user.role == Role.JOBSEEKER:
            return url_for("messages.thread", task_id=task_id, jobseeker_id=current_user.id)
        jobseeker_id = note.actor_id
        if note.application_id:
            application = db.session.get(Application, note.application_id)
            jobseeker_id = application.jobseeker_id if application else jobseeker_id
        if jobseeker_id:
            return url_for("messages.thread", task_id=task_id, jobseeker_id=jobseeker_id)
        return url_for("messages.inbox")
    if kind in (NotificationKind.NEW_APPLICATION, NotificationKind.WITHDRAWN):
        if note.application_id:
            return url_for("entrepreneur.applicant", application_id=note.application_id)
        return url_for("entrepreneur.dashboard")
    if kind == NotificationKind.ACCEPTED and task_id:
        return url_for("messages.thread", task_id=task_id, jobseeker_id=current_user.id)
    if kind in (NotificationKind.INVITATION, NotificationKind.INVITATION_EXPIRED) and task_id:
        if current_user.role == Role.ENTREPRENEUR:
            return url_for("entrepreneur.manage_task", task_id=task_id)
        return url_for("tasks.detail", task_id=task_id)
    if kind in (NotificationKind.DEADLINE_SOON, NotificationKind.DEADLINE_TODAY) and task_id:
        if current_user.role == Role.JOBSEEKER:
            return url_for("messages.thread", task_id=task_id, jobseeker_id=current_user.id)
        return url_for("entrepreneur.manage_task", task_id=task_id)
    if kind == NotificationKind.APPLICANTS_WAITING and task_id:
        return url_for("entrepreneur.manage_task", task_id=task_id)
    if kind == NotificationKind.TASK_ALERT:
        if task_id:  # an alert about one task opens it
            return url_for("tasks.detail", task_id=task_id)
        return url_for("alerts.saved_searches")
    if kind in PLACEMENT_KINDS:
        placement_id = (note.params or {}).get("placement_id")
        if placement_id is None and note.application_id:
            application = db.session.get(Application, note.application_id)
            placement = application.placement if application else None
            placement_id = placement.id if placement else None
        if placement_id is not None:
            return url_for("placements.detail", placement_id=placement_id)
        return url_for("placements.index")
    mentoring = _mentoring_target(note)
    return mentoring or url_for("main.dashboard")


def _mentoring_target(note) -> str | None:
    """The page a mentoring notification is about (its ids are in ``params``)."""
    kind, params = note.kind, note.params or {}
    if kind == NotificationKind.MENTOR_AWAITING_APPROVAL:
        return url_for("mentors.approvals")
    if kind == NotificationKind.MENTOR_APPROVED:
        return url_for("mentors.profile")
    if kind == NotificationKind.MENTOR_REQUEST:
        return url_for("needs.requests")
    if kind in (
        NotificationKind.MENTOR_REQUEST_DECLINED,
        NotificationKind.MENTOR_REQUEST_EXPIRED,
    ):
        if params.get("need_id"):
            return url_for("needs.detail", need_id=params["need_id"])
        return url_for("needs.index")
    if kind in (
        NotificationKind.MENTOR_REQUEST_ACCEPTED,
        NotificationKind.MENTORSHIP_MESSAGE,
        NotificationKind.MENTORSHIP_ENDED,
        NotificationKind.MENTORSHIP_COMPLETED,
    ):
        if params.get("mentorship_id"):
            return url_for("mentorships.detail", mentorship_id=params["mentorship_id"])
        return url_for("mentorships.index")
    if kind in (NotificationKind.QUESTION_ANSWERED, NotificationKind.QUESTION_HIDDEN):
        if params.get("question_id"):
            return url_for("questions.detail", question_id=params["question_id"])
        return url_for("questions.index")
    return None


# Notifications about a placement open the placement's page (web/placements).
PLACEMENT_KINDS = frozenset(
    {
        NotificationKind.PLACEMENT_AWAITING,
        NotificationKind.PLACEMENT_APPROVED,
        NotificationKind.PLACEMENT_DECLINED,
        NotificationKind.HOURS_LOGGED,
    }
)


@bp.route("/notifications/<id:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Follow a notification (from the list or an email): it is marked read, and the reader
    lands on the page it is about."""
    note = notifications.open_notification(current_user, notification_id)
    return redirect(_target(note))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_notifications_read():
    """Mark all notifications read."""
    if EmptyForm().validate_on_submit():
        notifications.mark_all_read(current_user.id)
    return redirect(url_for("main.notifications_page"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch between Danish and English; remembered for the session and the account."""
    lang = request.form.get("lang", "")
    if EmptyForm().validate_on_submit() and lang in ("da", "en"):
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


# The task form sends at most this much of its description; more is not read.
MAX_SUGGESTION_TEXT = 2000


def _text_suggestion_limit() -> str:
    return current_app.config["TEXT_SUGGESTION_RATE_LIMIT"]


@bp.route("/skills/from-text")
@limiter.limit(_text_suggestion_limit)
def skills_from_text():
    """Skills a task description mentions, for the task form's suggestions."""
    text = request.args.get("text", "")[:MAX_SUGGESTION_TEXT]
    return jsonify(suggest_skills_from_text(matching_index(), text, str(get_locale())))


@bp.route("/skills/suggest")
def skills_suggest():
    """Type-ahead for skill fields: vocabulary skills matching ``q``."""
    q = request.args.get("q", "")[:120]
    return jsonify(suggest_skills(q, str(get_locale())))
