"""Caseworker follow-up: consent, assignments, notes, outcomes, access log; applications.accepted_at.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 01:24:06.563048

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.Enum('view_caseload', 'view_person', 'view_summary', 'export_caseload', 'export_placements', name='accessaction', native_enum=False, length=30), nullable=False),
    sa.Column('purpose', sa.Enum('follow_up', 'case_file', 'meeting', name='accesspurpose', native_enum=False, length=30), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_access_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], name=op.f('fk_access_log_jobseeker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('case_assignments',
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['caseworker_id'], ['users.id'], name=op.f('fk_case_assignments_caseworker_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], name=op.f('fk_case_assignments_jobseeker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('jobseeker_id', name=op.f('pk_case_assignments'))
    )
    with op.batch_alter_table('case_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_assignments_caseworker_id'), ['caseworker_id'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], name=op.f('fk_case_notes_jobseeker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notes_jobseeker_id'), ['jobseeker_id'], unique=False)

    op.create_table('case_outcomes',
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('employed', 'in_education', 'other', name='outcomestatus', native_enum=False, length=20), nullable=False),
    sa.Column('outcome_date', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], name=op.f('fk_case_outcomes_jobseeker_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_case_outcomes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('jobseeker_id', name=op.f('pk_case_outcomes'))
    )
    op.create_table('jobcentre_consents',
    sa.Column('jobseeker_id', sa.Integer(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], name=op.f('fk_jobcentre_consents_jobseeker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('jobseeker_id', name=op.f('pk_jobcentre_consents'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))

    # Applications accepted before this revision: their decision time is their acceptance.
    op.execute(
        "UPDATE applications SET accepted_at = decided_at "
        "WHERE status IN ('accepted', 'completed')"
    )



def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')

    op.drop_table('jobcentre_consents')
    op.drop_table('case_outcomes')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notes_jobseeker_id'))

    op.drop_table('case_notes')
    with op.batch_alter_table('case_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_assignments_caseworker_id'))

    op.drop_table('case_assignments')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_jobseeker_id'))
        batch_op.drop_index(batch_op.f('ix_access_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_access_log_actor_id'))

    op.drop_table('access_log')
