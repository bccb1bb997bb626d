"""Offices: the share of visitors the staffing plan keeps within their wait limit (95 % unless the office sets it).

Revision ID: 0011_plan_target
Revises: 0010_nodes3_prune_contact
Create Date: 2026-12-06 20:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_plan_target'
down_revision = '0010_nodes3_prune_contact'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('office') as batch_op:
        batch_op.add_column(sa.Column('plan_target', sa.Integer(), nullable=False, server_default='95'))


def downgrade() -> None:
    with op.batch_alter_table('office') as batch_op:
        batch_op.drop_column('plan_target')
