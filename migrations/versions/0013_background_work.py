"""Background work: saved searches and the alerts sent from them, notification preferences
and the daily digest, reminders sent, jobs that failed for good, the outbox lease, an agreed
start date, invitation expiry and the private calendar feed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_searches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('search', 'recommended', name='savedsearchkind',
                                  native_enum=False, length=12), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('q', sa.String(length=200), nullable=False),
        sa.Column('skill_id', sa.Integer(), nullable=True),
        sa.Column('within_km', sa.Integer(), nullable=True),
        sa.Column('max_hours', sa.Integer(), nullable=True),
        sa.Column('remote', sa.Boolean(), nullable=True),
        sa.Column('frequency', sa.Enum('none', 'instant', 'daily', 'weekly',
                                       name='alertfrequency', native_enum=False, length=10),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index('ix_saved_searches_user_id', ['user_id'], unique=False)
        batch_op.create_index('ix_saved_searches_frequency', ['frequency'], unique=False)

    op.create_table(
        'task_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('saved_search_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'task_id', name='uq_task_alerts_user_task'),
    )
    with op.batch_alter_table('task_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_task_alerts_user_id', ['user_id'], unique=False)
        batch_op.create_index('ix_task_alerts_task_id', ['task_id'], unique=False)

    op.create_table(
        'notification_preferences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.Enum('applications', 'messages', 'invitations', 'alerts',
                                      'reminders', name='notificationcategory',
                                      native_enum=False, length=20), nullable=False),
        sa.Column('channel', sa.Enum('in_app', 'email', 'digest', name='channel',
                                     native_enum=False, length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'category', name='uq_notification_preferences_user_cat'),
    )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.create_index('ix_notification_preferences_user_id', ['user_id'], unique=False)

    op.create_table(
        'sent_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=160), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )

    op.create_table(
        'job_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=120), nullable=False),
        sa.Column('args', sa.Text(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('job_failures', schema=None) as batch_op:
        batch_op.create_index('ix_job_failures_job', ['job'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('in_digest', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_notifications_in_digest', ['in_digest'], unique=False)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_on', sa.Date(), nullable=True))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint('uq_users_calendar_token_hash', ['calendar_token_hash'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_calendar_token_hash', type_='unique')
        batch_op.drop_column('digest_sent_at')
        batch_op.drop_column('calendar_token_hash')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('expired_at')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('start_on')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_in_digest')
        batch_op.drop_column('digested_at')
        batch_op.drop_column('in_digest')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
    op.drop_table('job_failures')
    op.drop_table('sent_reminders')
    op.drop_table('notification_preferences')
    op.drop_table('task_alerts')
    op.drop_table('saved_searches')
