"""Initial schema: directory, notices and tasks, reminders, Zalo traffic, tokens and leases.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 16:27:36.022084
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inboundevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('event_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('zalo_user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('handled_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inboundevent_event_key'), ['event_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_inboundevent_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_inboundevent_zalo_user_id'), ['zalo_user_id'], unique=False)

    op.create_table('lease',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('expires_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('linkattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zalo_user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('linkattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkattempt_zalo_user_id'), ['zalo_user_id'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('source_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('symbol', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('week', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('chair', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('signer', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('imported_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('published_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_content_hash'), ['content_hash'], unique=True)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('director_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_code'), ['code'], unique=True)

    op.create_table('zalotoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('access_token', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('refresh_token', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('officer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('zalo_user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('last_interaction_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('unreachable_since', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_full_name'), ['full_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_zalo_user_id'), ['zalo_user_id'], unique=True)

    op.create_table('linkcode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('used_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('linkcode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkcode_code'), ['code'], unique=True)
        batch_op.create_index(batch_op.f('ix_linkcode_officer_id'), ['officer_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_raw', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('assignees_raw', sa.JSON(), nullable=False),
    sa.Column('coordinating_raw', sa.JSON(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('deadline_raw', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('deadline_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('deadline_date', sa.Date(), nullable=True),
    sa.Column('deadline_time', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('deadline_start', sa.Date(), nullable=True),
    sa.Column('due_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('close_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id', 'ref', 'unit_id', name='uq_task_notice_ref_unit')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index('ix_task_open_by_unit', ['status', 'published', 'unit_id', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_unit_id'), ['unit_id'], unique=False)

    op.create_table('extensionrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_date', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('extensionrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extensionrequest_task_id'), ['task_id'], unique=False)

    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('zalo_user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('image_path', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('quote_message_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('not_before', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.Column('zalo_message_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('folded_into_id', sa.Integer(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['folded_into_id'], ['outboxmessage.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outboxmessage_idempotency_key'), ['idempotency_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_outboxmessage_not_before'), ['not_before'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_zalo_message_id'), ['zalo_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_zalo_user_id'), ['zalo_user_id'], unique=False)

    op.create_table('taskassignee',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('task_id', 'officer_id')
    )
    with op.batch_alter_table('taskassignee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskassignee_officer_id'), ['officer_id'], unique=False)

    op.create_table('taskcoordinator',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('task_id', 'unit_id')
    )
    with op.batch_alter_table('taskcoordinator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskcoordinator_unit_id'), ['unit_id'], unique=False)

    op.create_table('taskevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taskevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskevent_task_id'), ['task_id'], unique=False)

    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('planned_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['outbox_id'], ['outboxmessage.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task_id', 'officer_id', 'planned_at', name='uq_reminder')
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_planned_at'), ['planned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_task_id'), ['task_id'], unique=False)

    op.create_table('sentpart',
    sa.Column('zalo_message_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outboxmessage.id'], ),
    sa.PrimaryKeyConstraint('zalo_message_id')
    )
    with op.batch_alter_table('sentpart', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentpart_outbox_id'), ['outbox_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sentpart', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sentpart_outbox_id'))

    op.drop_table('sentpart')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_task_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_state'))
        batch_op.drop_index(batch_op.f('ix_reminder_planned_at'))
        batch_op.drop_index(batch_op.f('ix_reminder_officer_id'))

    op.drop_table('reminder')
    with op.batch_alter_table('taskevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taskevent_task_id'))

    op.drop_table('taskevent')
    with op.batch_alter_table('taskcoordinator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taskcoordinator_unit_id'))

    op.drop_table('taskcoordinator')
    with op.batch_alter_table('taskassignee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taskassignee_officer_id'))

    op.drop_table('taskassignee')
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outboxmessage_zalo_user_id'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_zalo_message_id'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_status'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_officer_id'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_not_before'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_idempotency_key'))

    op.drop_table('outboxmessage')
    with op.batch_alter_table('extensionrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extensionrequest_task_id'))

    op.drop_table('extensionrequest')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_status'))
        batch_op.drop_index(batch_op.f('ix_task_published'))
        batch_op.drop_index('ix_task_open_by_unit')
        batch_op.drop_index(batch_op.f('ix_task_notice_id'))
        batch_op.drop_index(batch_op.f('ix_task_due_at'))

    op.drop_table('task')
    with op.batch_alter_table('linkcode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkcode_officer_id'))
        batch_op.drop_index(batch_op.f('ix_linkcode_code'))

    op.drop_table('linkcode')
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_zalo_user_id'))
        batch_op.drop_index(batch_op.f('ix_officer_unit_id'))
        batch_op.drop_index(batch_op.f('ix_officer_full_name'))

    op.drop_table('officer')
    op.drop_table('zalotoken')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_code'))

    op.drop_table('unit')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_content_hash'))

    op.drop_table('notice')
    with op.batch_alter_table('linkattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkattempt_zalo_user_id'))

    op.drop_table('linkattempt')
    op.drop_table('lease')
    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inboundevent_zalo_user_id'))
        batch_op.drop_index(batch_op.f('ix_inboundevent_status'))
        batch_op.drop_index(batch_op.f('ix_inboundevent_event_key'))

    op.drop_table('inboundevent')
