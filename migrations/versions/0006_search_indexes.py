"""Trigram indexes for the task search (GIN with pg_trgm on PostgreSQL, plain elsewhere).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 02:40:00

"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_tasks_title_trgm", "tasks", "title"),
    ("ix_tasks_description_trgm", "tasks", "description"),
    ("ix_task_skills_label_trgm", "task_skills", "label"),
)


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        if postgresql:
            op.create_index(
                name, table, [column], postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
        else:
            op.create_index(name, table, [column])


def downgrade():
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
