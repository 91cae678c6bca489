"""The full-text search document of each task: its words, kept next to the task.

``task_search`` holds the plain text of a task's title, skills (the task's own labels plus the
vocabulary's Danish and English labels and synonyms) and body (description and learning), and
the task's ``updated_at`` it was built from, so a stale or missing document is one query away.

The database does the matching (migration 0008):

- PostgreSQL: a stored generated column ``search_vector`` (``to_tsvector('danish', ...)``,
  weighted title A, skills B, body C) with a GIN index. It is not mapped here, so the ORM never
  writes it and the schema test ignores it.
- SQLite: an FTS5 table ``task_search_fts`` (rowid = task id) holding the same three texts
  stemmed in Python with the Snowball Danish stemmer, since SQLite cannot stem Danish itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from taskboerse.extensions import db
from taskboerse.models.types import UTCDateTime

# Database objects that live outside the mapped schema (see the module docstring).
FTS_TABLE = "task_search_fts"
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_task_search_search_vector"


class TaskSearch(db.Model):
    """The searchable text of one task, and the task version it was built from."""

    __tablename__ = "task_search"

    task_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The task's updated_at when the document was built: stale when the two differ.
    source_updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out the full-text objects no model can describe (migration 0008): SQLite's FTS5
    table with its shadow tables, and PostgreSQL's generated tsvector column and its index."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == PG_VECTOR_COLUMN and obj.table.name == "task_search":
        return False
    return not (type_ == "index" and name == PG_VECTOR_INDEX)
