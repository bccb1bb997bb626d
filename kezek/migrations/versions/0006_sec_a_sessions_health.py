"""Sessions that can be ended (a per-account session token) and the row /readyz writes.

Revision ID: 0006_sec_a_sessions_health
Revises: 0005_rollup
Create Date: 2026-12-06 14:40:00
"""
import secrets

from alembic import op
import sqlalchemy as sa

from kezek.models.base import UTCDateTime


revision = '0006_sec_a_sessions_health'
down_revision = '0005_rollup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    bind = op.get_bind()
    # Every account gets a token of its own; sessions made before (holding the id alone) end.
    for (user_id,) in bind.execute(sa.select(user.c.id)).all():
        bind.execute(user.update().where(user.c.id == user_id).values(session_token=secrets.token_hex(16)))
    op.create_table(
        'health_probe',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('checked_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_health_probe')),
    )


def downgrade() -> None:
    op.drop_table('health_probe')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_token')
