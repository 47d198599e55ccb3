"""The conversation: tasks handed to officers, progress reports, what a chat is waiting for.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 02:04:30.397840
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chatstate',
    sa.Column('zalo_user_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('misunderstood', sa.Integer(), nullable=False),
    sa.Column('awaiting', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('awaiting_task_id', sa.Integer(), nullable=True),
    sa.Column('awaiting_until', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('zalo_user_id')
    )
    op.create_table('progressreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('part_done', sa.Boolean(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('progressreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progressreport_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index('ix_progressreport_task_at', ['task_id', 'at'], unique=False)

    op.create_table('taskdelegate',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('delegated_by_id', sa.Integer(), nullable=True),
    sa.Column('delegated_at', storage.models.AwareDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', storage.models.AwareDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delegated_by_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('task_id', 'officer_id')
    )
    with op.batch_alter_table('taskdelegate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskdelegate_officer_id'), ['officer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('taskdelegate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taskdelegate_officer_id'))

    op.drop_table('taskdelegate')
    with op.batch_alter_table('progressreport', schema=None) as batch_op:
        batch_op.drop_index('ix_progressreport_task_at')
        batch_op.drop_index(batch_op.f('ix_progressreport_officer_id'))

    op.drop_table('progressreport')
    op.drop_table('chatstate')
