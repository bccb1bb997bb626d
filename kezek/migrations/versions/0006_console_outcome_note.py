"""Tickets: the clerk's optional note on how the visit ended, or why the ticket was cancelled.

Revision ID: 0006_console_outcome_note
Revises: 0006_devices
Create Date: 2026-12-06 14:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_console_outcome_note'
down_revision = '0006_devices'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.add_column(sa.Column('outcome_note', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.drop_column('outcome_note')
