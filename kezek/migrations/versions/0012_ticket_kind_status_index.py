"""Tickets: an index by office, visit kind and status, for the count of one visit kind's waiting visitors that
every kiosk tap reads (by office and status alone it read every waiting ticket of the office).

Revision ID: 0012_ticket_kind_status_index
Revises: 0011_plan_target
Create Date: 2026-12-07 03:34:22.700535
"""
from alembic import op


revision = '0012_ticket_kind_status_index'
down_revision = '0011_plan_target'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.create_index('ix_ticket_kind_status', ['office_id', 'visit_kind_id', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket') as batch_op:
        batch_op.drop_index('ix_ticket_kind_status')
