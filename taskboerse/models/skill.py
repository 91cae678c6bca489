"""The skill vocabulary: Danish and English labels with synonyms, linked to ESCO where one fits."""

from __future__ import annotations

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from taskboerse.extensions import db


class Skill(db.Model):
    """One skill in the vocabulary."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    label_da: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    esco_label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    category: Mapped[str] = mapped_column(String(40), default="general")

    def label(self, locale: str) -> str:
        """The label in ``locale`` (Danish unless English is asked for)."""
        return self.label_en if locale == "en" else self.label_da
