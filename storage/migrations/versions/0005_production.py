"""Production: the sweep's index of pending reminders by when they are due, the worker's of pending
events; heartbeats.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 04:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('heartbeat',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_pending_due', ['planned_at', 'id'], unique=False,
                              sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'"))
    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.create_index('ix_inboundevent_pending', ['id'], unique=False,
                              sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.drop_index('ix_inboundevent_pending')
    op.drop_table('heartbeat')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_pending_due')
