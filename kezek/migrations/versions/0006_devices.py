"""Devices: enrolled kiosks, boards and feedback tablets; the office's open web kiosk setting; a ticket's device.

Existing installations: every office starts with the open web kiosk setting off, so its kiosks must be
enrolled (docs/devices.md) before they issue tickets again; an administrator may turn the setting on
meanwhile.

Revision ID: 0006_devices
Revises: 0006_policy_pause_away
Create Date: 2026-12-06 14:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import kezek.models.base


revision = '0006_devices'
down_revision = '0006_policy_pause_away'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('cabinet_id', sa.Integer(), nullable=True),
    sa.Column('credential_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolment_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolment_expires_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.Column('created_at', kezek.models.base.UTCDateTime(), nullable=False),
    sa.Column('enrolled_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_seen_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_page', sa.String(length=200), nullable=False),
    sa.Column('last_version', sa.String(length=40), nullable=False),
    sa.Column('last_address', sa.String(length=64), nullable=False),
    sa.Column('printer_state', sa.String(length=20), nullable=False),
    sa.Column('printer_detail', sa.String(length=200), nullable=False),
    sa.Column('printer_checked_at', kezek.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cabinet_id'], ['cabinet.id'], name=op.f('fk_device_cabinet_id_cabinet'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_device_kiosk_id_kiosk'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_device_office_id_office'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
    sa.UniqueConstraint('credential_hash', name=op.f('uq_device_credential_hash')),
    sa.UniqueConstraint('enrolment_hash', name=op.f('uq_device_enrolment_hash'))
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index('ix_device_office', ['office_id', 'kind'], unique=False)
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_web_kiosk', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ticket_device_id_device'), 'device', ['device_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ticket_device_id_device'), type_='foreignkey')
        batch_op.drop_column('device_id')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('open_web_kiosk')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index('ix_device_office')
    op.drop_table('device')
