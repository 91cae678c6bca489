"""How far a graduate will travel: jobseeker_profiles.max_distance_km (default 25).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 10:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('max_distance_km', sa.Integer(), nullable=False, server_default='25')
        )


def downgrade():
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.drop_column('max_distance_km')
