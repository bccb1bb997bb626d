"""Alerts of the live floor, their append-only record and each office's thresholds; the address a manager gets them at by e-mail.

Revision ID: 0008_floor_alerts
Revises: 0007_floor_cabinet_since
Create Date: 2026-12-06 18:05:00.000000
"""
from alembic import op
import sqlalchemy as sa

from kezek.models.base import UTCDateTime


revision = '0008_floor_alerts'
down_revision = '0007_floor_cabinet_since'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('raised_at', UTCDateTime(), nullable=False),
        sa.Column('shown_at', UTCDateTime(), nullable=False),
        sa.Column('times_shown', sa.Integer(), nullable=False),
        sa.Column('acknowledged_at', UTCDateTime(), nullable=True),
        sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_alert_office_open', 'alert', ['office_id', 'ended_at'])
    op.create_table(
        'alert_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_alert_event_alert', 'alert_event', ['alert_id', 'id'])
    op.create_table(
        'alert_setting',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('near_share', sa.Integer(), nullable=False),
        sa.Column('queue_length', sa.Integer(), nullable=False),
        sa.Column('pause_grace_minutes', sa.Integer(), nullable=False),
        sa.Column('repeat_minutes', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('office_id'),
    )
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('alert_email', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('alert_email')
    op.drop_table('alert_setting')
    op.drop_index('ix_alert_event_alert', table_name='alert_event')
    op.drop_table('alert_event')
    op.drop_index('ix_alert_office_open', table_name='alert')
    op.drop_table('alert')
