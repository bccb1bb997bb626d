"""Kiosk agent token: the hash of the token a print agent on the kiosk PC signs in with.

Revision ID: 0003_kiosk_agent_token
Revises: 0002_directory
Create Date: 2026-11-25 09:16:16.148311
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_kiosk_agent_token'
down_revision = '0002_directory'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_token_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('agent_token_hash')

