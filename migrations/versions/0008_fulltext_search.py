"""Full-text search with Danish stemming: task_search documents, and their index.

PostgreSQL: a stored generated tsvector (``danish`` configuration; title A, skills B, body C)
with a GIN index. SQLite: an FTS5 table task_search_fts (rowid = task id) holding the texts
stemmed in Python with the Snowball Danish stemmer. Existing tasks are indexed here.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 12:30:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

WORD = re.compile(r"[^\W_]+")
PG_VECTOR = (
    "setweight(to_tsvector('danish', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('danish', coalesce(skills, '')), 'B') || "
    "setweight(to_tsvector('danish', coalesce(body, '')), 'C')"
)


def _stem(text):
    # The same rule as taskboerse.services.search.stem_text, frozen here with the revision.
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("danish")
    return " ".join(stemmer.stemWords(WORD.findall((text or "").casefold())))


def _documents(conn):
    """(task_id, title, skills, body, updated_at) of every task, built as the app builds them."""
    skills = {
        row.id: row
        for row in conn.execute(
            sa.text("SELECT id, label_da, label_en, synonyms, category FROM skills")
        )
    }
    labels = {}
    for row in conn.execute(
        sa.text("SELECT task_id, skill_id, label FROM task_skills ORDER BY id")
    ):
        parts = labels.setdefault(row.task_id, [])
        parts.append(row.label)
        skill = skills.get(row.skill_id)
        if skill is not None:
            synonyms = skill.synonyms
            if isinstance(synonyms, str):
                import json

                synonyms = json.loads(synonyms or "[]")
            parts += [skill.label_da, skill.label_en, *(synonyms or [])]
            if skill.category and skill.category != "general":
                parts.append(skill.category)
    for task in conn.execute(
        sa.text("SELECT id, title, description, learning, updated_at FROM tasks")
    ):
        unique = {
            p.strip().casefold(): p.strip() for p in labels.get(task.id, []) if p and p.strip()
        }
        body = "\n".join(p for p in (task.description, task.learning) if p)
        yield task.id, task.title or "", "\n".join(unique.values()), body, task.updated_at


def upgrade():
    conn = op.get_bind()
    postgresql = conn.dialect.name == "postgresql"
    op.create_table(
        'task_search',
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('skills', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['task_id'], ['tasks.id'], name=op.f('fk_task_search_task_id_tasks'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('task_id', name=op.f('pk_task_search')),
    )
    if postgresql:
        op.execute(
            f"ALTER TABLE task_search ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
        )
        op.create_index(
            'ix_task_search_search_vector', 'task_search', ['search_vector'],
            postgresql_using='gin',
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE task_search_fts USING fts5("
            "title, skills, body, tokenize = 'unicode61 remove_diacritics 0')"
        )

    documents = sa.table(
        'task_search',
        sa.column('task_id', sa.Integer()),
        sa.column('title', sa.Text()),
        sa.column('skills', sa.Text()),
        sa.column('body', sa.Text()),
        # Untyped: the tasks' updated_at is copied exactly as the database holds it.
        sa.column('source_updated_at'),
    )
    rows = list(_documents(conn))
    if rows:
        # updated_at goes over as stored, so the app sees the documents as current.
        op.bulk_insert(
            documents,
            [
                {"task_id": i, "title": t, "skills": s, "body": b, "source_updated_at": u}
                for i, t, s, b, u in rows
            ],
        )
        if not postgresql:
            conn.execute(
                sa.text(
                    "INSERT INTO task_search_fts (rowid, title, skills, body) "
                    "VALUES (:id, :title, :skills, :body)"
                ),
                [
                    {"id": i, "title": _stem(t), "skills": _stem(s), "body": _stem(b)}
                    for i, t, s, b, _u in rows
                ],
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_task_search_search_vector', table_name='task_search')
    else:
        op.execute("DROP TABLE IF EXISTS task_search_fts")
    op.drop_table('task_search')
