"""Optional two-factor sign-in: one authenticator (TOTP) secret per staff account.

Revision ID: 0006_secb_two_factor
Revises: 0006_sec_a_sessions_health
Create Date: 2026-12-06 14:55:00.000000
"""
from alembic import op
import sqlalchemy as sa
import kezek.models.base


revision = '0006_secb_two_factor'
down_revision = '0006_sec_a_sessions_health'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('two_factor',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=True),
    sa.Column('pending', sa.String(length=64), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=False),
    sa.Column('enabled_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_two_factor_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_two_factor'))
    )


def downgrade() -> None:
    op.drop_table('two_factor')
