"""Pause length and turned-away visitors: a paused cabinet says why and until when; refusals are counted.

Revision ID: 0006_policy_pause_away
Revises: 0006_secb_two_factor
Create Date: 2026-12-06 15:25:00
"""
from alembic import op
import sqlalchemy as sa
import kezek.models.base


revision = '0006_policy_pause_away'
down_revision = '0006_secb_two_factor'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cabinet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pause_kind', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('paused_until', kezek.models.base.UTCDateTime(), nullable=True))
    op.create_table(
        'turned_away',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('visit_kind_id', sa.Integer(), nullable=True),
        sa.Column('service_day', sa.Date(), nullable=False),
        sa.Column('at', kezek.models.base.UTCDateTime(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['visit_kind_id'], ['visit_kind.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_turned_away_office_day', 'turned_away', ['office_id', 'service_day'])


def downgrade() -> None:
    op.drop_index('ix_turned_away_office_day', table_name='turned_away')
    op.drop_table('turned_away')
    with op.batch_alter_table('cabinet', schema=None) as batch_op:
        batch_op.drop_column('paused_until')
        batch_op.drop_column('pause_kind')
