"""Cabinets: when their state (open, paused, closed) last changed, for the manager's live floor.

Revision ID: 0007_floor_cabinet_since
Revises: 0007_nodes_uid_outbox
Create Date: 2026-12-06 18:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from kezek.models.base import UTCDateTime


revision = '0007_floor_cabinet_since'
down_revision = '0007_nodes_uid_outbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cabinet') as batch_op:
        batch_op.add_column(sa.Column('state_since', UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cabinet') as batch_op:
        batch_op.drop_column('state_since')
