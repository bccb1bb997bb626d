"""Reports: wait records per ticket, visitor feedback, decision dates, annex 2 values; the log's ticket index.

Tickets from before this revision get their wait records with `kezek reports rebuild`.

Revision ID: 0004_reports
Revises: 0003_kiosk_agent_token
Create Date: 2026-11-25 09:35:15.266740
"""
from alembic import op
import sqlalchemy as sa
import kezek.models.base


revision = '0004_reports'
down_revision = '0003_kiosk_agent_token'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annex2_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=8), nullable=False),
    sa.Column('normative', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('entered_by', sa.String(length=80), nullable=False),
    sa.Column('entered_at', kezek.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_annex2_value_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annex2_value')),
    sa.UniqueConstraint('service_id', 'year', 'scope', 'indicator', name=op.f('uq_annex2_value_service_id_year_scope_indicator'))
    )
    op.create_table('feedback_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('process', sa.Boolean(), nullable=True),
    sa.Column('information', sa.Boolean(), nullable=True),
    sa.Column('politeness', sa.Boolean(), nullable=True),
    sa.Column('answered_at', kezek.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_feedback_answer_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_answer')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_feedback_answer_ticket_id'))
    )
    with op.batch_alter_table('feedback_answer', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_answer_day', ['service_day', 'office_id'], unique=False)

    op.create_table('service_decision',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=80), nullable=False),
    sa.Column('recorded_at', kezek.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_service_decision_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_service_decision_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_service_decision'))
    )
    op.create_table('wait_record',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('visit_kind_id', sa.Integer(), nullable=False),
    sa.Column('hand_in', sa.Boolean(), nullable=False),
    sa.Column('clerk_id', sa.Integer(), nullable=True),
    sa.Column('cabinet_id', sa.Integer(), nullable=True),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('first_called_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.Column('wait_seconds', sa.Integer(), nullable=True),
    sa.Column('service_seconds', sa.Integer(), nullable=True),
    sa.Column('wait_limit_minutes', sa.Integer(), nullable=False),
    sa.Column('within_limit', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('transferred', sa.Boolean(), nullable=False),
    sa.Column('documents_correct', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_wait_record_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_wait_record'))
    )
    with op.batch_alter_table('wait_record', schema=None) as batch_op:
        batch_op.create_index('ix_wait_record_day', ['service_day', 'office_id'], unique=False)
        batch_op.create_index('ix_wait_record_office_day', ['office_id', 'service_day'], unique=False)

    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_office_issued', ['office_id', 'issued_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_office_issued')

    with op.batch_alter_table('wait_record', schema=None) as batch_op:
        batch_op.drop_index('ix_wait_record_office_day')
        batch_op.drop_index('ix_wait_record_day')

    op.drop_table('wait_record')
    op.drop_table('service_decision')
    with op.batch_alter_table('feedback_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_answer_day')

    op.drop_table('feedback_answer')
    op.drop_table('annex2_value')
