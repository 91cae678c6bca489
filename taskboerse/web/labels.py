"""Template helpers: status and degree labels in the reader's language, dates, skill names."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from taskboerse.labels import (
    action_label,
    admin_action_label,
    admin_purpose_label,
    application_status_label,
    degree_label,
    education_label,
    flag_label,
    moment_label,
    outcome_label,
    purpose_label,
    role_label,
    status_label,
)
from taskboerse.matching.geo import postcodes
from taskboerse.models import TaskForm
from taskboerse.services.placements import form_explanation, form_label, hours_text
from taskboerse.services.placements import status_label as placement_status_label
from taskboerse.services.recommendations import similarity_phrase
from taskboerse.services.skills import language_names, skill_label


def skill_name(item) -> str:
    """A task, profile or endorsed skill's label in the reader's language."""
    return skill_label(item.skill, item.label, str(get_locale()))


def date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date in the reader's language ("3. dec. 2026" / "Dec 3, 2026")."""
    if value is None:
        return ""
    return format_date(value, fmt)  # a datetime is first moved to the user's time zone


def datetime_filter(value: datetime | None) -> str:
    """A date and time in the reader's language and time zone: the medium date with the
    minute ("23. nov. 2026 09.54" / "Nov 23, 2026, 9:54 AM"), never "11/23/26"."""
    return "" if value is None else moment_label(value)


def percent(value: float | None) -> str:
    """A share as a percentage in the reader's language; a dash when there is none."""
    return "–" if value is None else format_percent(value, "#,##0 %")


def task_form_label(task) -> str:
    """The task's form as a short label; a paid job with its wage ("Paid small job · DKK
    160/hour")."""
    label = form_label(task.form)
    if task.form == TaskForm.PAID and task.hourly_wage:
        wage = _("DKK %(wage)s/hour", wage=format_decimal(task.hourly_wage))
        return f"{label} · {wage}"
    return label


def register(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.globals.update(
        task_status_label=status_label,
        application_status_label=application_status_label,
        degree_label=degree_label,
        education_label=education_label,
        role_label=role_label,
        skill_name=skill_name,
        flag_label=flag_label,
        outcome_label=outcome_label,
        access_action_label=action_label,
        access_purpose_label=purpose_label,
        admin_access_action_label=admin_action_label,
        admin_access_purpose_label=admin_purpose_label,
        percent=percent,
        similarity_phrase=similarity_phrase,
        language_names=language_names,
        task_form_label=task_form_label,
        form_label=form_label,
        form_explanation=form_explanation,
        placement_status_label=placement_status_label,
        hours_text=hours_text,
    )
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["place"] = postcodes().display
