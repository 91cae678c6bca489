"""Outbox failures and references: outbox_messages.failed_at and .notification_id,
notifications.actor_id (erasure finds what names a person by id, never by substring).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 13:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_notifications_actor_id', ['actor_id'])
        batch_op.create_foreign_key(
            'fk_notifications_actor_id_users', 'users', ['actor_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notification_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_messages_notification_id', ['notification_id'])
        batch_op.create_foreign_key(
            'fk_outbox_messages_notification_id_notifications',
            'notifications',
            ['notification_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_outbox_messages_notification_id_notifications', type_='foreignkey'
        )
        batch_op.drop_index('ix_outbox_messages_notification_id')
        batch_op.drop_column('notification_id')
        batch_op.drop_column('failed_at')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notifications_actor_id_users', type_='foreignkey')
        batch_op.drop_index('ix_notifications_actor_id')
        batch_op.drop_column('actor_id')
