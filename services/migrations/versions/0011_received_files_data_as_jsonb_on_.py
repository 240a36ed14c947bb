"""received files' data as JSONB on PostgreSQL

On a PostgreSQL server, received_file.data becomes JSONB (binary JSON): the committee's tally reads the
tally and the proposed level of every active file without parsing each file's member list again
(1,000 files: 0.51 s -> 0.16 s, docs/PERFORMANCE.md). SQLite keeps its JSON text: nothing changes there.
The file itself, byte for byte, stays in received_file.content.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 23:43:08.562542
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("received_file", "data", type_=postgresql.JSONB(), existing_type=sa.JSON(),
                        existing_nullable=False, postgresql_using="data::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("received_file", "data", type_=sa.JSON(), existing_type=postgresql.JSONB(),
                        existing_nullable=False, postgresql_using="data::json")
