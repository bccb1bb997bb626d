"""Office nodes: the version and the values of the office's settings a node last took from the centre (down-sync),
and at the centre the newest change number each node has reported (how far behind its office's figures are).

Revision ID: 0009_nodes2_down_settings
Revises: 0008_floor_alerts
Create Date: 2026-12-06 18:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_nodes2_down_settings'
down_revision = '0008_floor_alerts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('node') as batch_op:
        batch_op.add_column(sa.Column('head_seq', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('centre_link') as batch_op:
        batch_op.add_column(sa.Column('down_version', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('down_settings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('centre_link') as batch_op:
        batch_op.drop_column('down_settings')
        batch_op.drop_column('down_version')
    with op.batch_alter_table('node') as batch_op:
        batch_op.drop_column('head_seq')
