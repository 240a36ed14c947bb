"""trust: held files, one active file per period, member row version, audit hash chain

Revision ID: 0010
Revises: 0009b
Create Date: 2026-12-03 22:19:15.487161

- known_branch.accepted / accepted_at: a branch learned from a file is held until the office accepts it;
  branches already known are accepted.
- received_file.public_key / key_fingerprint: the key that signed each file (read from the files kept).
- received_file.held, and a unique partial index: one active file per branch and period. Where two
  concurrent receives left two active files, the newer one (by the time the branch made it) stays
  active and the other is marked superseded by it.
- member.version: the row version that refuses a save over a change made elsewhere.
- audit_entry.chain_prev / chain_hash: the hash chain, computed here for the entries already there.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009b'
branch_labels = None
depends_on = None


def _one_active_file_per_period(bind) -> None:
    files = sa.table("received_file", sa.column("id", sa.Integer), sa.column("branch_id", sa.Integer),
                     sa.column("period_kind", sa.String), sa.column("period_year", sa.Integer),
                     sa.column("period_number", sa.Integer), sa.column("created_at", sa.DateTime),
                     sa.column("active", sa.Boolean), sa.column("superseded_by_id", sa.Integer))
    rows = bind.execute(sa.select(files.c.id, files.c.branch_id, files.c.period_kind, files.c.period_year,
                                  files.c.period_number, files.c.created_at)
                        .where(files.c.active == sa.true())
                        .order_by(files.c.created_at.desc(), files.c.id.desc())).all()
    kept: dict[tuple, int] = {}
    for row in rows:
        key = (row.branch_id, row.period_kind, row.period_year, row.period_number)
        if key not in kept:
            kept[key] = row.id
            continue
        bind.execute(sa.update(files).where(files.c.id == row.id)
                     .values(active=False, superseded_by_id=kept[key]))


def _keys_of_received_files(bind) -> None:
    import base64
    import hashlib
    import io
    import zipfile

    files = sa.table("received_file", sa.column("id", sa.Integer), sa.column("content", sa.LargeBinary),
                     sa.column("public_key", sa.String), sa.column("key_fingerprint", sa.String))
    for row in bind.execute(sa.select(files.c.id, files.c.content)).all():
        try:
            with zipfile.ZipFile(io.BytesIO(row.content)) as zf:
                text = zf.read("public_key").decode("ascii").strip()
            raw = base64.b64decode(text, validate=True)
        except Exception:  # a file kept by an older version is always readable; never stop the upgrade
            continue
        bind.execute(sa.update(files).where(files.c.id == row.id).values(
            public_key=text, key_fingerprint=hashlib.sha256(raw).hexdigest()))


def _chain_existing_entries(bind) -> None:
    from services.audit import CHAIN_FIELDS, chain_digest

    entries = sa.table("audit_entry", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                       sa.column("user", sa.String), sa.column("action", sa.String),
                       sa.column("table_name", sa.String), sa.column("row_id", sa.String),
                       sa.column("row_label", sa.String), sa.column("member_id", sa.Integer),
                       sa.column("meeting_id", sa.Integer), sa.column("field", sa.String),
                       sa.column("old", sa.Text), sa.column("new", sa.Text),
                       sa.column("chain_prev", sa.String), sa.column("chain_hash", sa.String))
    prev = ""
    columns = [entries.c[name] for name in CHAIN_FIELDS]
    for row in bind.execute(sa.select(*columns).order_by(entries.c.id)).all():
        digest = chain_digest(prev, row._mapping)
        bind.execute(sa.update(entries).where(entries.c.id == row.id).values(chain_prev=prev, chain_hash=digest))
        prev = digest


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_prev', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), server_default='', nullable=False))

    with op.batch_alter_table('known_branch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    bind = op.get_bind()
    _one_active_file_per_period(bind)
    with op.batch_alter_table('received_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('public_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('key_fingerprint', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_received_file_active_period',
                              ['branch_id', 'period_kind', 'period_year', 'period_number'], unique=True,
                              sqlite_where=sa.text('active'), postgresql_where=sa.text('active'))
    _keys_of_received_files(bind)
    _chain_existing_entries(bind)


def downgrade() -> None:
    with op.batch_alter_table('received_file', schema=None) as batch_op:
        batch_op.drop_index('uq_received_file_active_period', sqlite_where=sa.text('active'),
                            postgresql_where=sa.text('active'))
        batch_op.drop_column('key_fingerprint')
        batch_op.drop_column('public_key')
        batch_op.drop_column('held')

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('known_branch', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('accepted')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_prev')
