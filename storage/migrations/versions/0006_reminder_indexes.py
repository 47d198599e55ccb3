"""Reminders: two indexes fewer, which every sweep paid for and nothing read.

`state` alone: nothing reads by it (the sweep reads pending reminders by `ix_reminder_pending_due`,
the summary's missed ones by `planned_at`), and every sweep moved thousands of its entries from
"pending" to "queued": half the pages the busiest minute wrote on SQLite. `task_id` alone: the
unique (task_id, officer_id, planned_at) index answers by task already; on PostgreSQL every
reminder the sweep settles wrote a new entry into it too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:50:00
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_state')
        batch_op.drop_index('ix_reminder_task_id')


def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_task_id', ['task_id'], unique=False)
        batch_op.create_index('ix_reminder_state', ['state'], unique=False)
