"""An entrepreneur's company."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime


class Company(db.Model):
    """A company with a validated CVR number; owns the tasks its entrepreneur posts.

    A valid check digit proves nothing about the company, so its references count as
    confirmed only once an admin or caseworker has verified it (``verified_at``).
    """

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    cvr: Mapped[str] = mapped_column(String(8), unique=True)
    # Optional; shown to a graduate only once the company has accepted them.
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # The public profile shown on task pages; all optional.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sector: Mapped[str] = mapped_column(String(40), default="", server_default="")
    address: Mapped[str] = mapped_column(String(160), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(4), default="", server_default="")
    # A re-encoded PNG (never the uploaded bytes); loaded only when served.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    logo_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Ordinary employees (not in praktik or løntilskud): the praktik ratio rule counts them.
    employees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # An admin has marked the company a registered non-profit association: only then may it
    # post voluntary work.
    nonprofit_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    owner = relationship("User", back_populates="company", foreign_keys=[owner_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    @property
    def is_nonprofit(self) -> bool:
        """An admin has marked it a non-profit association (voluntary work allowed)."""
        return self.nonprofit_at is not None

    @hybrid_property
    def is_verified(self) -> bool:
        """True when the job centre has verified the company (also usable in a query)."""
        return self.verified_at is not None

    @is_verified.inplace.expression
    @classmethod
    def _is_verified_expression(cls):
        return cls.verified_at.is_not(None)
