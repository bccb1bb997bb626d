"""Office nodes: region-unique uids on tickets, ticket events and audit entries (existing rows given one), the
centre's register of nodes, and a node's link to the centre and its outbox.

Revision ID: 0007_nodes_uid_outbox
Revises: 0006_console_outcome_note
Create Date: 2026-12-06 18:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_nodes_uid_outbox'
down_revision = '0006_console_outcome_note'
branch_labels = None
depends_on = None

UID_TABLES = ('ticket', 'ticket_event', 'audit_entry')


def _backfill(table: str) -> None:
    """Give every existing row a random uid in one statement (a regional database has millions of rows)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"UPDATE {table} SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL")
    else:
        op.execute(f"UPDATE {table} SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")


def upgrade() -> None:
    for table in UID_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('uid', sa.String(length=32), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('uid', existing_type=sa.String(length=32), nullable=False)
            batch_op.create_unique_constraint(f'uq_{table}_uid', ['uid'])

    op.create_table(
        'node',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('credential_hash', sa.String(length=64), nullable=True),
        sa.Column('enrolment_hash', sa.String(length=64), nullable=True),
        sa.Column('enrolment_expires_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('enrolled_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('acked_seq', sa.BigInteger(), nullable=False),
        sa.Column('last_sync_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name='fk_node_office_id_office', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_node'),
        sa.UniqueConstraint('name', name='uq_node_name'),
        sa.UniqueConstraint('credential_hash', name='uq_node_credential_hash'),
        sa.UniqueConstraint('enrolment_hash', name='uq_node_enrolment_hash'),
    )
    op.create_table(
        'centre_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('centre_url', sa.String(length=300), nullable=False),
        sa.Column('node_id', sa.Integer(), nullable=False),
        sa.Column('office_slug', sa.String(length=40), nullable=False),
        sa.Column('credential', sa.String(length=100), nullable=False),
        sa.Column('enrolled_at', sa.DateTime(), nullable=False),
        sa.Column('acked_seq', sa.BigInteger(), nullable=False),
        sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_success_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_centre_link'),
    )
    op.create_table(
        'outbox_entry',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=20), nullable=False),
        sa.Column('row_key', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('seq', name='pk_outbox_entry'),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('outbox_entry')
    op.drop_table('centre_link')
    op.drop_table('node')
    for table in reversed(UID_TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_uid', type_='unique')
            batch_op.drop_column('uid')
