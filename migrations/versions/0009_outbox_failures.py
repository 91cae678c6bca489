"""Outbox failures and references: outbox_messages.failed_at and .notification_id,
notifications.actor_id (erasure finds what names a person by id, never by substring).

Existing rows are linked too: a notification about an application names its applicant
(new application, withdrawn); each email is linked to the notification it was written with
(same recipient, made in the same second); emails that ran out of attempts are failed.

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


    _link_existing_rows()


def _link_existing_rows():
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE notifications SET actor_id = ("
            " SELECT applications.jobseeker_id FROM applications"
            " WHERE applications.id = notifications.application_id)"
            " WHERE kind IN ('new_application', 'withdrawn') AND application_id IS NOT NULL"
        )
    )
    moment = sa.column("created_at", sa.DateTime())
    notes = bind.execute(
        sa.text(
            "SELECT notifications.id, users.email, notifications.created_at FROM notifications"
            " JOIN users ON users.id = notifications.user_id"
        ).columns(sa.column("id", sa.Integer()), sa.column("email", sa.String()), moment)
    ).all()
    by_recipient = {}
    for note_id, email, created_at in notes:
        by_recipient.setdefault(email, []).append((created_at, note_id))
    messages = bind.execute(
        sa.text("SELECT id, to_email, created_at FROM outbox_messages").columns(
            sa.column("id", sa.Integer()), sa.column("to_email", sa.String()), moment
        )
    ).all()
    for message_id, email, created_at in messages:
        candidates = [
            (abs((made - created_at).total_seconds()), note_id)
            for made, note_id in by_recipient.get(email, [])
            if made is not None and created_at is not None
        ]
        close = [c for c in candidates if c[0] <= 1.0]
        if close:
            bind.execute(
                sa.text("UPDATE outbox_messages SET notification_id = :n WHERE id = :m"),
                {"n": min(close)[1], "m": message_id},
            )
    bind.execute(
        sa.text(
            "UPDATE outbox_messages SET failed_at = created_at"
            " WHERE sent_at IS NULL AND attempts >= 5"
        )
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
