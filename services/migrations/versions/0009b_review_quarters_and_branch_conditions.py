"""review: quarterly assessments, the branch's confirmed conditions and the superior's decision number

member_review.quarters: the quarterly assessments of members holding a leadership post (QĐ 366 allows
"hằng quý"; KL 198-KL/TW). review_year.flags: the conditions of the branch's own level it confirms
(QĐ 366 Điều 11, QĐ 124 Điều 12). review_year.decision_ref: the document of the superior's decision when
it set the branch's level otherwise.

Revision ID: 0009b
Revises: 0009
Create Date: 2026-12-03 22:42:51.592156
"""
from alembic import op
import sqlalchemy as sa


revision = '0009b'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quarters', sa.JSON(), nullable=True))

    with op.batch_alter_table('review_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_ref', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('review_year', schema=None) as batch_op:
        batch_op.drop_column('flags')
        batch_op.drop_column('decision_ref')

    with op.batch_alter_table('member_review', schema=None) as batch_op:
        batch_op.drop_column('quarters')
