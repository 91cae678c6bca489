"""A jobseeker's (graduate's) profile and declared skills."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, enum_column, utcnow


class DegreeLevel(enum.StrEnum):
    """Danish degree levels a graduate can hold."""

    PROFESSIONAL_BACHELOR = "professional_bachelor"
    BACHELOR = "bachelor"
    MASTER = "master"
    PHD = "phd"


class JobseekerProfile(db.Model):
    """What a graduate tells about themselves; the basis for applying and matching."""

    __tablename__ = "jobseeker_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    degree_level: Mapped[DegreeLevel | None] = mapped_column(
        enum_column(DegreeLevel, 30),
        nullable=True,
    )
    # The field as typed, and the education it names in the vocabulary (None when unknown).
    field: Mapped[str] = mapped_column(String(120), default="")
    education_code: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    institution: Mapped[str] = mapped_column(String(160), default="")
    graduation_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    postcode: Mapped[str] = mapped_column(String(4), default="")
    remote_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    # How far the graduate will travel to on-site work (km, from the postcode's position).
    max_distance_km: Mapped[int] = mapped_column(Integer, default=25, server_default="25")
    about: Mapped[str] = mapped_column(Text, default="")
    # Ratings from companies appear on the CV only when the graduate chooses so.
    show_ratings: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Optional; shown to a company only once it has accepted the graduate.
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user = relationship("User", back_populates="profile")
    skills: Mapped[list[ProfileSkill]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileSkill.id"
    )


class ProfileSkill(db.Model):
    """A skill the graduate declares: a vocabulary skill, or free text kept as typed."""

    __tablename__ = "profile_skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("jobseeker_profiles.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(120))

    profile: Mapped[JobseekerProfile] = relationship(back_populates="skills")
    skill = relationship("Skill")
