"""Initial schema (placeholder while the models settle: regenerated before release).

Revision ID: 0001
Revises:
"""
from alembic import op
from sqlmodel import SQLModel

import storage.models  # noqa: F401

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    SQLModel.metadata.create_all(op.get_bind())


def downgrade() -> None:
    SQLModel.metadata.drop_all(op.get_bind())
