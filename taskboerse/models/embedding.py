"""Stored embedding vectors, one per task or profile, with the model and text they came from."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime, utcnow


class Embedding(db.Model):
    """A vector for a task's, a profile's or a vocabulary skill's text. Stale when the text
    hash or model differs."""

    __tablename__ = "embeddings"
    __table_args__ = (UniqueConstraint("kind", "owner_id", name="uq_embeddings_kind_owner"),)

    KIND_TASK = "task"
    KIND_PROFILE = "profile"
    KIND_SKILL = "skill"  # a vocabulary skill's label, for related skills
    KIND_MENTOR = "mentor"  # a mentor profile
    KIND_NEED = "need"  # an entrepreneur's mentor need

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    owner_id: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    def as_array(self) -> np.ndarray:
        """The vector as float32."""
        return np.frombuffer(self.vector, dtype=np.float32, count=self.dim)
