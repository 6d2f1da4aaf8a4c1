"""add users table

Revision ID: 3f2a1b4c5d6e
Revises: 1a2b3c4d5e6f
Create Date: 2024-03-01 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '3f2a1b4c5d6e'
down_revision: Union[str, None] = '1a2b3c4d5e6f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = ("0aa1", 'ff02')


def upgrade() -> None:
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
    revision = "not module level"


def downgrade() -> None:
    op.drop_table("users")
