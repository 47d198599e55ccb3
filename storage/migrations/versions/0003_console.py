"""The console: server-side sessions, sign-in failures, notice history, pending corrections,
cancelled tasks, deadline phrases the reader did not understand, a folded search key, replaced
link codes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 02:04:04.512678
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consolesession',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('password_tag', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('consolesession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consolesession_expires_at'), ['expires_at'], unique=False)

    op.create_table('signinfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signinfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signinfailure_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_signinfailure_at'), ['at'], unique=False)

    op.create_table('pendingimport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('source_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('target_notice_id', sa.Integer(), nullable=False),
    sa.Column('parsed', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['target_notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pendingimport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pendingimport_created_at'), ['created_at'], unique=False)

    op.create_table('noticeevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('noticeevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticeevent_notice_id'), ['notice_id'], unique=False)

    with op.batch_alter_table('linkcode', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', storage.models.AwareDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discarded_at', storage.models.AwareDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unread_deadlines', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.alter_column('status',
               existing_type=sa.VARCHAR(length=8),
               type_=sqlmodel.sql.sqltypes.AutoString(length=10),
               existing_nullable=False)
        batch_op.create_index('ix_task_status_facts', ['published', 'status', 'deadline_kind', 'deadline_date',
                                                       'deadline_time', 'closed_at', 'unit_id', 'notice_id', 'due_at'],
                              unique=False)
    _fold_existing_texts()


def _fold_existing_texts() -> None:
    """Tasks stored before this revision get their search key."""
    from tasks.text import fold  # imported when migrating: the one folding rule

    connection = op.get_bind()
    task = sa.table('task', sa.column('id', sa.Integer), sa.column('text', sa.String),
                    sa.column('search_key', sa.String))
    for task_id, text in connection.execute(sa.select(task.c.id, task.c.text)).all():
        connection.execute(task.update().where(task.c.id == task_id).values(search_key=fold(text or '')))


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_status_facts')
        batch_op.alter_column('status',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=10),
               type_=sa.VARCHAR(length=8),
               existing_nullable=False)
        batch_op.drop_column('search_key')
        batch_op.drop_column('unread_deadlines')

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_column('active')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('discarded_at')

    with op.batch_alter_table('linkcode', schema=None) as batch_op:
        batch_op.drop_column('voided_at')

    with op.batch_alter_table('noticeevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noticeevent_notice_id'))

    op.drop_table('noticeevent')
    with op.batch_alter_table('pendingimport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pendingimport_created_at'))

    op.drop_table('pendingimport')
    with op.batch_alter_table('signinfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signinfailure_at'))
        batch_op.drop_index(batch_op.f('ix_signinfailure_address'))

    op.drop_table('signinfailure')
    with op.batch_alter_table('consolesession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consolesession_expires_at'))

    op.drop_table('consolesession')
