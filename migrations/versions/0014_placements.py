"""Placements under the Danish rules on work while on dagpenge: the form of a task (praktik,
paid small job, voluntary work), the company's employees and non-profit mark, the graduate's
former-employer declaration, placements with the job centre's approval, and hours worked.

Existing tasks become virksomhedspraktik: unpaid work at a company is lawful for a graduate
on dagpenge only as one. Applications accepted before this revision have no placement.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

FORM = sa.Enum('praktik', 'paid', 'voluntary', name='taskform', native_enum=False, length=20)
STATUS = sa.Enum('awaiting_approval', 'approved', 'declined', 'ended', 'completed',
                 name='placementstatus', native_enum=False, length=20)


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', FORM, nullable=False, server_default='praktik'))
        batch_op.add_column(sa.Column('hourly_wage', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hours_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('uses_degree', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employees', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('nonprofit_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worked_for_company', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.String(length=20), nullable=True))

    op.create_table(
        'placements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('jobseeker_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('form', FORM, nullable=False),
        sa.Column('status', STATUS, nullable=False),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('start_on', sa.Date(), nullable=False),
        sa.Column('end_on', sa.Date(), nullable=False),
        sa.Column('hours_per_week', sa.Integer(), nullable=True),
        sa.Column('hourly_wage', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['jobseeker_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id'),
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_jobseeker_id', ['jobseeker_id'], unique=False)
        batch_op.create_index('ix_placements_company_id', ['company_id'], unique=False)
        batch_op.create_index('ix_placements_status', ['status'], unique=False)

    op.create_table(
        'placement_hours',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('work_date', sa.Date(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('logged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('placement_id', 'work_date', name='uq_placement_hours_day'),
    )
    with op.batch_alter_table('placement_hours', schema=None) as batch_op:
        batch_op.create_index('ix_placement_hours_placement_id', ['placement_id'], unique=False)


def downgrade():
    with op.batch_alter_table('placement_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_placement_hours_placement_id')
    op.drop_table('placement_hours')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_status')
        batch_op.drop_index('ix_placements_company_id')
        batch_op.drop_index('ix_placements_jobseeker_id')
    op.drop_table('placements')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_column('form')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('worked_for_company')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('nonprofit_at')
        batch_op.drop_column('employees')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('uses_degree')
        batch_op.drop_column('weeks')
        batch_op.drop_column('hours_per_week')
        batch_op.drop_column('hourly_wage')
        batch_op.drop_column('form')
