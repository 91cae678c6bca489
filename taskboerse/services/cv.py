"""The graduate's CV as a PDF (fpdf2): profile, skills and task experience.

Each reference says whether its company is verified by the job centre; only those count as
confirmed, and the footer claims no more than that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from taskboerse.labels import degree_label
from taskboerse.models import Application, ProfileSkill, Role, User
from taskboerse.services.errors import Forbidden
from taskboerse.services.pdf_text import latin1
from taskboerse.services.placements import form_label
from taskboerse.services.profiles import load_profile, verified_experience
from taskboerse.services.skills import language_names, skill_label


def reference_status(application: Application) -> str:
    """Says plainly whether a reference comes from a company the job centre has verified."""
    if application.reference_confirmed:
        return _("Confirmed by a company that the job centre has verified.")
    return _(
        "The company is not verified by the job centre, so this reference has not been confirmed."
    )


def cv_footer() -> str:
    """The CV's closing claim, which covers only what verified companies confirmed."""
    return _(
        "Skills and references marked as confirmed come from companies the job centre has "
        "verified, on completed tasks. Skills the company named are a company's own statement "
        "that the job centre has not checked; self-declared skills are the graduate's own."
    )


@dataclass(frozen=True)
class CvLine:
    """One line of the CV and how it is set: name, contact, heading, title, text, confirmed,
    unconfirmed, gap (space after an entry) or footer."""

    kind: str
    text: str = ""


def _skill_key(skill_id: int | None, label: str) -> object:
    return skill_id if skill_id is not None else label.casefold().strip()


def skill_lines(
    declared: Sequence[ProfileSkill], experience: Sequence[Application], locale: str
) -> list[CvLine]:
    """The skills, split by who vouches for them: confirmed on completed work for a verified
    company, named by a company not yet verified, or declared by the graduate alone."""
    confirmed: dict[object, str] = {}
    named: dict[object, str] = {}
    for application in experience:
        reference = application.reference
        if reference is None:
            continue
        target = confirmed if application.reference_confirmed else named
        for s in reference.endorsed_skills:
            key = _skill_key(s.skill_id, s.label)
            target.setdefault(key, skill_label(s.skill, s.label, locale))
    named = {k: v for k, v in named.items() if k not in confirmed}
    own = {
        key: skill_label(s.skill, s.label, locale)
        for s in declared
        if (key := _skill_key(s.skill_id, s.label)) not in confirmed and key not in named
    }
    lines = []
    if confirmed:
        text = ", ".join(confirmed.values())
        lines.append(
            CvLine(
                "confirmed", _("Confirmed by companies on completed tasks: %(skills)s", skills=text)
            )
        )
    if named:
        text = ", ".join(named.values())
        lines.append(
            CvLine(
                "text",
                _("Named by companies the job centre has not verified: %(skills)s", skills=text),
            )
        )
    if own:
        lines.append(CvLine("text", _("Self-declared: %(skills)s", skills=", ".join(own.values()))))
    return [CvLine("heading", _("Skills")), *lines] if lines else []


def cv_lines(user: User, locale: str) -> list[CvLine]:
    """The CV's content, in order: profile, skills, and task experience with references."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_("Only graduates have a CV."))
    profile = load_profile(user.id)
    experience = verified_experience(user.id)
    show_ratings = profile is not None and profile.show_ratings
    lines = [CvLine("name", user.name), CvLine("contact", user.email)]
    if profile is not None:
        lines.append(CvLine("heading", _("Education")))
        parts = [degree_label(profile.degree_level), profile.field, profile.institution]
        if profile.graduation_year:
            parts.append(str(profile.graduation_year))
        lines.append(CvLine("text", ", ".join(p for p in parts if p) or "-"))
        if profile.about:
            lines += [CvLine("heading", _("About me")), CvLine("text", profile.about)]
        lines += skill_lines(profile.skills, experience, locale)
        if profile.languages:
            lines += [
                CvLine("heading", _("Languages")),
                CvLine("text", ", ".join(language_names(profile.languages, locale))),
            ]

    lines.append(CvLine("heading", _("Task experience")))
    if not experience:
        lines.append(CvLine("text", _("No completed tasks yet.")))
    for application in experience:
        task = application.task
        when = format_date(application.completed_at, "medium") if application.completed_at else ""
        lines.append(CvLine("title", f"{task.title} - {task.company.name} ({when})"))
        lines.append(CvLine("text", experience_line(application)))
        reference = application.reference
        if reference is not None:
            confirmed = application.reference_confirmed
            lines.append(
                CvLine("confirmed" if confirmed else "unconfirmed", reference_status(application))
            )
            if show_ratings:
                lines.append(CvLine("text", _("Rating: %(r)d of 5", r=reference.rating)))
            lines.append(CvLine("text", f'"{reference.text}"'))
            if reference.endorsed_skills:
                skills = ", ".join(
                    skill_label(s.skill, s.label, locale) for s in reference.endorsed_skills
                )
                if confirmed:
                    text = _("Endorsed skills: %(skills)s", skills=skills)
                else:
                    text = _("Skills the company named: %(skills)s", skills=skills)
                lines.append(CvLine("text", text))
        lines.append(CvLine("gap"))
    lines.append(CvLine("footer", cv_footer()))
    return lines


def experience_line(application: Application) -> str:
    """The form of the work and its period (from the placement's start to completion), and
    its hours: "Virksomhedspraktik, 2. nov. 2026 - 27. nov. 2026, 30 hours"."""
    hours = _("%(hours)d hours", hours=application.task.hours)
    placement = application.placement
    if placement is None:
        return hours
    end = application.completed_at.date() if application.completed_at else placement.end_on
    start = min(placement.start_on, end)
    period = f"{format_date(start, 'medium')} - {format_date(end, 'medium')}"
    return f"{form_label(placement.form)}, {period}, {hours}"


_STYLES = {
    "title": ("B", 11),
    "text": ("", 10),
    "confirmed": ("B", 9),
    "unconfirmed": ("I", 9),
}


def build_cv_pdf(user: User, locale: str) -> bytes:
    """Render the graduate's CV (``cv_lines``) as a PDF."""
    lines = cv_lines(user, locale)
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"CV - {user.name}"))
    pdf.set_author("Taskbørs")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    for line in lines:
        text = latin1(line.text)
        if line.kind == "name":
            pdf.set_font("Helvetica", "B", 20)
            pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
        elif line.kind == "contact":
            pdf.set_font("Helvetica", "", 10)
            pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        elif line.kind == "heading":
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 13)
            pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        elif line.kind == "gap":
            pdf.ln(2)
        elif line.kind == "footer":
            pdf.ln(4)
            pdf.set_font("Helvetica", "I", 8)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        else:
            style, size = _STYLES[line.kind]
            pdf.set_font("Helvetica", style, size)
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())
