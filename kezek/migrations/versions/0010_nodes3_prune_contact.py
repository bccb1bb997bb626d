"""Office nodes: when each change entered a node's outbox (acknowledged old entries are pruned), and at the
centre when each node last made contact.

Revision ID: 0010_nodes3_prune_contact
Revises: 0009_nodes2_down_settings
Create Date: 2026-12-06 20:30:00.000000
"""
from alembic import op
import sqlalchemy as sa

from kezek.models.base import UTCDateTime


revision = '0010_nodes3_prune_contact'
down_revision = '0009_nodes2_down_settings'
branch_labels = None
depends_on = None

OUTBOX_TRIGGERS = ('ticket_insert', 'ticket_update', 'ticket_event_insert', 'audit_entry_insert',
                   'wait_record_insert', 'wait_record_update', 'feedback_answer_insert', 'feedback_answer_update')


def upgrade() -> None:
    with op.batch_alter_table('node') as batch_op:
        batch_op.add_column(sa.Column('last_contact_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('outbox_entry') as batch_op:
        batch_op.add_column(sa.Column('created_at', UTCDateTime(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # The node's triggers write the new column: `kezek init-db` installs them again on an enrolled node.
        for name in OUTBOX_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS kezek_outbox_{name}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in OUTBOX_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS kezek_outbox_{name}')
    with op.batch_alter_table('outbox_entry') as batch_op:
        batch_op.drop_column('created_at')
    with op.batch_alter_table('node') as batch_op:
        batch_op.drop_column('last_contact_at')
