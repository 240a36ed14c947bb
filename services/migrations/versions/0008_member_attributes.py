"""member attributes: leadership post, political system, party post

What chooses a member's review framework and personal self-review form (QĐ 366 / HD 43: 2A, 2B, 2C;
HD 25: 02A, 02B): whether the member holds a leadership or management post and whether they work in
the political system, stated by the secretary (NULL: not stated yet, never guessed), and the member's
Party post (bí thư, chi ủy viên…), printed on the self-review apart from the post at work.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03 22:22:19.539907
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holds_leadership_post', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('in_political_system', sa.Boolean(), nullable=True))
        # Existing members have no Party post recorded: an empty text, as for a new member.
        batch_op.add_column(sa.Column('party_post', sa.String(length=100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('party_post')
        batch_op.drop_column('in_political_system')
        batch_op.drop_column('holds_leadership_post')
