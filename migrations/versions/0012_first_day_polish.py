"""First-day polish: a company's public profile (description, website, sector, address,
postcode, logo), a graduate's education field from the vocabulary and their choice to show
ratings on the CV.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('description', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('website', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('sector', sa.String(length=40), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('address', sa.String(length=160), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('postcode', sa.String(length=4), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column('logo_updated_at', sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('education_code', sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column('show_ratings', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index('ix_jobseeker_profiles_education_code', ['education_code'])


def downgrade():
    with op.batch_alter_table('jobseeker_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_jobseeker_profiles_education_code')
        batch_op.drop_column('show_ratings')
        batch_op.drop_column('education_code')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        for column in (
            'logo_updated_at', 'logo', 'postcode', 'address', 'sector', 'website', 'description'
        ):
            batch_op.drop_column(column)
