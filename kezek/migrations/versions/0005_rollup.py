"""Reports: the monthly rollup of the wait records, which office-months are rolled up, breaches by how far over.

Existing installations need nothing more: reports roll up each closed month on first use, and
`kezek reports rollup` does it ahead of time.

Revision ID: 0005_rollup
Revises: 0004_reports
Create Date: 2026-11-25 11:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import kezek.models.base


revision = '0005_rollup'
down_revision = '0004_reports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rollup_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('built_generation', sa.Integer(), nullable=True),
    sa.Column('built_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('month', 'office_id', name=op.f('pk_rollup_month'))
    )
    op.create_table('wait_rollup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('family', sa.String(length=8), nullable=False),
    sa.Column('visit_kind_id', sa.Integer(), nullable=True),
    sa.Column('clerk_id', sa.Integer(), nullable=True),
    sa.Column('wait_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('hand_in', sa.Boolean(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('hour', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('lag_days', sa.Integer(), nullable=True),
    sa.Column('minute', sa.Integer(), nullable=True),
    sa.Column('tickets', sa.Integer(), nullable=False),
    sa.Column('called', sa.Integer(), nullable=False),
    sa.Column('within', sa.Integer(), nullable=False),
    sa.Column('at_40', sa.Integer(), nullable=False),
    sa.Column('served', sa.Integer(), nullable=False),
    sa.Column('no_show', sa.Integer(), nullable=False),
    sa.Column('wait_seconds', sa.Integer(), nullable=False),
    sa.Column('longest_seconds', sa.Integer(), nullable=True),
    sa.Column('docs_ok', sa.Integer(), nullable=False),
    sa.Column('docs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wait_rollup'))
    )
    with op.batch_alter_table('wait_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_wait_rollup_family_month', ['family', 'month', 'office_id'], unique=False)
    op.create_index('ix_wait_record_over', 'wait_record', [sa.text('(wait_seconds - wait_limit_minutes * 60)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_wait_record_over', table_name='wait_record')
    with op.batch_alter_table('wait_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_wait_rollup_family_month')

    op.drop_table('wait_rollup')
    op.drop_table('rollup_month')
