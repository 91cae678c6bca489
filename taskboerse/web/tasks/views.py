"""Public task browsing, task detail, and applying."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from taskboerse.models import Role, TaskForm, TaskStatus
from taskboerse.services import applications as application_service
from taskboerse.services import companies, recommendations
from taskboerse.services.errors import DomainError
from taskboerse.services.search import search_tasks
from taskboerse.services.skills import all_skills, collation_key
from taskboerse.services.tasks import TaskQuery, card_counts, get_visible_task
from taskboerse.web.access import role_required
from taskboerse.web.forms import is_whole_number, show_domain_error
from taskboerse.web.matching import matching_index
from taskboerse.web.tasks.forms import ApplyForm, TaskSearchForm

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

# The task list filters on these forms (models/placement.py).
TASK_FORMS = frozenset(f.value for f in TaskForm)


@bp.route("")
def browse():
    """Open tasks: text search, filters, sorting, distance, pages."""
    form = TaskSearchForm(request.args)
    locale = str(get_locale())
    skills = sorted(all_skills(), key=lambda s: collation_key(s.label(locale)))
    form.skill.choices = [SelectChoice("", _("All skills"))] + [
        SelectChoice(str(s.id), s.label(locale)) for s in skills
    ]
    valid = form.validate()

    def ok(name: str):
        """The field's value, or None when it is invalid (its error is shown next to it)."""
        field = form[name]
        return None if field.errors else field.data

    page = request.args.get("page", 1, type=int) or 1
    raw_skill = ok("skill") or ""
    raw_km = ok("within_km") or ""
    query = TaskQuery(
        q=ok("q") or "",
        skill_id=int(raw_skill) if is_whole_number(raw_skill) else None,
        remote={"yes": True, "no": False}.get(ok("remote") or ""),
        max_hours=ok("max_hours"),
        deadline_before=ok("deadline_before"),
        sort=ok("sort") or "relevance",
        within_km=int(raw_km) if is_whole_number(raw_km) else None,
        form=TaskForm(ok("form")) if ok("form") in TASK_FORMS else None,
        page=max(1, min(page, 10_000)),
    )
    viewer = current_user if current_user.is_authenticated else None
    result = search_tasks(matching_index(), query, viewer)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "tasks/browse.html",
        form=form,
        pagination=result.pagination,
        counts=card_counts(result.pagination.items),
        distances=result.distances,
        notices=result.notices,
        args=args,
    ), (200 if valid else 422)


def _render_detail(task, form: ApplyForm, status: int = 200):
    user = current_user if current_user.is_authenticated else None
    own_application = application_service.application_for_task_page(user, task)
    is_owner = bool(
        user is not None
        and user.role == Role.ENTREPRENEUR
        and user.company is not None
        and user.company.id == task.company_id
    )
    can_apply = (
        user is not None
        and user.role == Role.JOBSEEKER
        and (own_application is None or own_application.can_reapply)
        and task.status == TaskStatus.OPEN
    )
    return render_template(
        "tasks/detail.html",
        task=task,
        form=form,
        own_application=own_application,
        invitation=application_service.invitation_for_task_page(user, task),
        can_apply=can_apply,
        is_owner=is_owner,
        sector=companies.sector_label(task.company.sector),
        fit=recommendations.explain_task_for(matching_index(), user, task, str(get_locale())),
    ), status


@bp.route("/<id:task_id>")
def detail(task_id: int):
    """A task's page; graduates apply here, owners find their controls."""
    user = current_user if current_user.is_authenticated else None
    return _render_detail(get_visible_task(user, task_id), ApplyForm())


@bp.route("/<id:task_id>/apply", methods=["POST"])
@role_required(Role.JOBSEEKER)
def apply(task_id: int):
    """Apply with a motivation and the declaration whether one has worked for the company
    (a virksomhedspraktik is refused there)."""
    task = get_visible_task(current_user, task_id)
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            application_service.apply_to_task(
                current_user,
                task.id,
                form.motivation.data,
                worked_for_company=bool(form.worked_for_company.data),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(_("Your application has been sent."), "success")
            return redirect(url_for("tasks.detail", task_id=task.id))
    return _render_detail(task, form, 422)
