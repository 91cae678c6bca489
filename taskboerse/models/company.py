"""An entrepreneur's company."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db


class Company(db.Model):
    """A company with a validated CVR number; owns the tasks its entrepreneur posts."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    cvr: Mapped[str] = mapped_column(String(8), unique=True)

    owner = relationship("User", back_populates="company")
