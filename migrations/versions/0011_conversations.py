"""Working together after the match: message threads (messages, thread_reads), an
invitation's personal message, optional phone numbers, password-reset links
(users.reset_nonce) and one re-application (applications.reapplied_at).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('jobseeker_id', sa.Integer(), nullable=False),
        sa.Column('sender_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name='fk_messages_task_id_tasks'),
        sa.ForeignKeyConstraint(
            ['jobseeker_id'], ['users.id'], name='fk_messages_jobseeker_id_users'
        ),
        sa.ForeignKeyConstraint(
            ['sender_id'], ['users.id'], name='fk_messages_sender_id_users', ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_messages'),
    )
    op.create_index(
        'ix_messages_thread', 'messages', ['task_id', 'jobseeker_id', 'created_at']
    )
    op.create_index('ix_messages_sender_id', 'messages', ['sender_id'])
    op.create_index('ix_messages_jobseeker', 'messages', ['jobseeker_id', 'task_id'])
    op.create_table(
        'thread_reads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('jobseeker_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name='fk_thread_reads_task_id_tasks'),
        sa.ForeignKeyConstraint(
            ['jobseeker_id'], ['users.id'], name='fk_thread_reads_jobseeker_id_users'
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name='fk_thread_reads_user_id_users', ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name='pk_thread_reads'),
        sa.UniqueConstraint('task_id', 'jobseeker_id', 'user_id', name='uq_thread_reads_reader'),
    )
    op.create_index('ix_thread_reads_user_id', 'thread_reads', ['user_id'])
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=True))
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('phone', sa.String(length=30), nullable=False, server_default='')
        )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('phone', sa.String(length=30), nullable=False, server_default='')
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reset_nonce', sa.String(length=32), nullable=True))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reapplied_at', sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('reapplied_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reset_nonce')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('message')
    op.drop_index('ix_thread_reads_user_id', table_name='thread_reads')
    op.drop_table('thread_reads')
    op.drop_index('ix_messages_jobseeker', table_name='messages')
    op.drop_index('ix_messages_sender_id', table_name='messages')
    op.drop_index('ix_messages_thread', table_name='messages')
    op.drop_table('messages')
