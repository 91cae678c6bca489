"""The graduate's CV as a PDF, listing verified task experience (fpdf2)."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from taskboerse.models import Role, User
from taskboerse.services.errors import Forbidden
from taskboerse.services.profiles import load_profile, verified_experience
from taskboerse.services.skills import skill_label

# The core PDF fonts cover Latin-1 (æ, ø, å included); map the usual typographic characters
# outside it so user text never breaks the PDF.
_REPLACEMENTS = str.maketrans(
    {"–": "-", "—": "-", "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "...", "•": "-"}
)


def _latin1(text: str) -> str:
    return text.translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def degree_label(level: str | None) -> str:
    """The degree level in the reader's language."""
    labels = {
        "professional_bachelor": _("Professional bachelor"),
        "bachelor": _("Bachelor"),
        "master": _("Master (cand.)"),
        "phd": _("PhD"),
    }
    return labels.get(level or "", "")


def build_cv_pdf(user: User, locale: str) -> bytes:
    """Render the graduate's CV: profile, skills, and references with endorsed skills."""
    if user.role != Role.JOBSEEKER:
        raise Forbidden(_("Only graduates have a CV."))
    profile = load_profile(user.id)
    experience = verified_experience(user.id)

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"CV - {user.name}"))
    pdf.set_author("Taskbørs")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 10, _latin1(user.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1(user.email), new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def para(text: str) -> None:
        pdf.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    if profile is not None:
        heading(_("Education"))
        parts = [degree_label(profile.degree_level), profile.field, profile.institution]
        if profile.graduation_year:
            parts.append(str(profile.graduation_year))
        para(", ".join(p for p in parts if p) or "-")
        if profile.about:
            heading(_("About me"))
            para(profile.about)
        if profile.skills:
            heading(_("Skills"))
            para(", ".join(skill_label(s.skill, s.label, locale) for s in profile.skills))
        if profile.languages:
            heading(_("Languages"))
            para(", ".join(profile.languages))

    heading(_("Verified task experience"))
    if not experience:
        para(_("No completed tasks yet."))
    for application in experience:
        task = application.task
        pdf.set_font("Helvetica", "B", 11)
        when = format_date(application.completed_at, "medium") if application.completed_at else ""
        para(f"{task.title} - {task.company.name} ({when})")
        pdf.set_font("Helvetica", "", 10)
        para(_("%(hours)d hours", hours=task.hours))
        reference = application.reference
        if reference is not None:
            para(_("Rating: %(r)d of 5", r=reference.rating))
            para(f'"{reference.text}"')
            if reference.endorsed_skills:
                skills = ", ".join(
                    skill_label(s.skill, s.label, locale) for s in reference.endorsed_skills
                )
                para(_("Endorsed skills: %(skills)s", skills=skills))
        pdf.ln(2)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    para(_("Task experience and skills above were confirmed by the companies through Taskbørs."))
    return bytes(pdf.output())
