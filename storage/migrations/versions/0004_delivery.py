"""Delivery: the outbox claim's owner and lease, reconciliation of uncertain sends, the channel
a message went by, and Zalo's request budget shared by every process.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 04:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ratebudget',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('next_slot', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('lease_until', storage.models.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempt_at', storage.models.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('uncertain_since', storage.models.AwareDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checks', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        for column in ('channel', 'checks', 'uncertain_since', 'attempt_at', 'lease_until', 'owner'):
            batch_op.drop_column(column)
    op.drop_table('ratebudget')
