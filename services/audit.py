"""Audit trail (lịch sử thay đổi): who changed which record, when, from what to what.

Every `Database` installs this on its session factory (services/db.py), so that every area's writes
are logged without their code knowing. It works from SQLAlchemy's session events:

* the unit of work of each flush lists every row inserted, updated (with each column's attribute
  history: old and new value) and deleted, including rows deleted as orphans by a cascade;
* the entries are written in `after_flush`, when the keys of new rows are known, with a plain INSERT on
  the flush's own connection: they are part of the same transaction, so a change that is rolled back
  leaves no entry, and an entry never exists without its change.

Not seen: bulk statements (`session.execute(update(...))`) and raw SQL, which bypass the unit of work.
Areas that change records that way, or that want a named entry ("amendment of the minutes"), call
`record()`.

Entries are linked to a member (`member_id`) when the row is a member or has a `member_id` column, and to
a meeting (`meeting_id`) when the row is a meeting or has a `meeting_id` column, so that the history of a
member or of a meeting is one query: `audit_entries(session, member_id=...)`.

The entries form a hash chain: each holds the SHA-256 of the previous entry's hash and of its own fields
(`chain_digest`), appended under the database's write lock. An entry changed, deleted or inserted with
another tool breaks the chain, and `chain_problems` (run by `check`) says where. Closing a year seals
it: an entry holds a digest of each of the year's review records (`seal_year`); `seal_problems` reports
every record changed since, and whether the change went through the program (an entry exists) or not.
What the chain cannot show: someone who recomputes every hash after the edit (there is no secret
key), and the newest entries removed from the end of the chain.
"""
from __future__ import annotations

import datetime as dt
import enum
import getpass
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Table, event, select
from sqlalchemy.orm import Session

from models import AuditEntry

from .i18n import N_, _, format_date

INSERT, UPDATE, DELETE = "insert", "update", "delete"
RESTORE = "restore"       # the database was replaced by a backup (written into the restored file)
AMEND = "amend"           # an area's named correction of a finalised record
SEAL = "seal"             # a year was closed: digests of its records (never shown as a change)
UNSEAL = "unseal"         # a closed year was reopened

ACTION_LABELS = {
    INSERT: N_("Added"),
    UPDATE: N_("Changed"),
    DELETE: N_("Deleted"),
    RESTORE: N_("Restored from a backup"),
    AMEND: N_("Amended"),
    SEAL: N_("Year closed"),
    UNSEAL: N_("Year reopened"),
}

# Columns that only the program sets; not worth a line in the history.
NOISE_FIELDS = {"uid", "created_at", "updated_at"}


@dataclass
class TableInfo:
    """How a table shows in the history. `label` and field labels are English msgids."""

    label: str
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, Callable[[str], str]] = field(default_factory=dict)
    member_table: bool = False    # its rows are members: member_id = the row's key
    meeting_table: bool = False   # its rows are meetings: meeting_id = the row's key
    redact: bool = False          # log that a row changed, never its values (password hashes)
    skip: bool = False            # never logged
    row_label: Callable[[Any], str] | None = None  # names the record for the user (stored with the entry)


TABLES: dict[str, TableInfo] = {}


def register_table(table: str, label: str, fields: dict[str, str] | None = None, *,
                   values: dict[str, Callable[[str], str]] | None = None, member_table: bool = False,
                   meeting_table: bool = False, redact: bool = False, skip: bool = False,
                   row_label: Callable[[Any], str] | None = None) -> None:
    """Name a table and its fields (English msgids, marked with N_) for the history shown to the user.

    Tables that are not registered are still logged; they show under their technical names.
    `values` formats a stored value of a field for display (e.g. an event kind as its Vietnamese label).
    `row_label(values)` names the record ("Sinh hoạt tháng 12/2025") from the row's loaded column values
    (attributes of a namespace; a missing one leaves the label empty).
    """
    TABLES[table] = TableInfo(label, dict(fields or {}), dict(values or {}), member_table, meeting_table,
                              redact, skip, row_label)


def _event_kind_label(value: str) -> str:
    from .members import EVENT_LABELS

    try:
        from models import EventKind

        return _(EVENT_LABELS[EventKind(value)])
    except (ValueError, KeyError):
        return value


def _yes_no_label(value: str) -> str:
    """A stored yes-or-no attribute ("True" / "False" / "1" / "0") as Có / Không."""
    if value in ("True", "1", "true"):
        return _("Yes")
    if value in ("False", "0", "false"):
        return _("No")
    return value


register_table("audit_entry", "", skip=True)
register_table("access_lock", N_("Password for opening the program"), redact=True)
register_table("member", N_("Member"), member_table=True, row_label=lambda m: m.full_name, fields={
    "full_name": N_("Full name"), "birth_date": N_("Date of birth"), "gender": N_("Gender"),
    "ethnicity": N_("Ethnicity"), "card_number": N_("Party card no."), "position": N_("Position"),
    "note": N_("Note"), "party_post": N_("Party post"),
    "holds_leadership_post": N_("Holds a leadership or management post"),
    "in_political_system": N_("Works in the political system"),
}, values={"holds_leadership_post": _yes_no_label, "in_political_system": _yes_no_label})
register_table("member_event", N_("Party life event"), fields={
    "kind": N_("Kind of event"), "date": N_("Date"), "end_date": N_("End date"),
    "other_org": N_("Other Party organisation"), "form": N_("Form of discipline"), "reason": N_("Reason"),
    "member_id": N_("Member"),
}, values={"kind": _event_kind_label}, row_label=lambda e: _event_kind_label(e.kind or ""))
register_table("branch", N_("Branch details"), fields={
    "name": N_("Name of the branch"), "parents": N_("Superior committees"), "place": N_("Place name in dates"),
    "secretary": N_("Secretary"), "deputy_secretary": N_("Deputy secretary"), "kind": N_("Kind of organisation"),
})
register_table("setting", N_("Setting"), fields={"key": N_("Setting"), "value": N_("Value")})
register_table("meeting", N_("Branch meeting"), meeting_table=True)
register_table("database", N_("Database"))  # named entries about the whole file (restore)


# --- who ----------------------------------------------------------------------------------------

def default_user() -> str:
    """The operating system's user name, the default author of changes."""
    try:
        name = getpass.getuser()
    except Exception:  # no user database entry (some containers), or no USERNAME on Windows
        name = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    return name.strip()[:100]


class AuditContext:
    """Per open database: the name written as the author of changes (set at login)."""

    def __init__(self, user: str = ""):
        self.user = user or default_user()


def install(db) -> None:
    """Log every change made through `db.Session` (called by services.db.Database)."""
    if getattr(db, "audit", None) is not None:
        return
    db.audit = AuditContext()
    db.Session.configure(info={"audit": db.audit})
    event.listen(db.Session, "after_flush", _after_flush)


def set_user(db, name: str) -> None:
    """The author of the following changes: the name typed at login, else the OS user name."""
    from .vntext import nfc

    db.audit.user = nfc(name)[:100] or default_user()


def _user_of(session: Session) -> str | None:
    ctx = session.info.get("audit")
    return None if ctx is None else ctx.user


# --- capture ------------------------------------------------------------------------------------

def _text(value) -> str | None:
    """A stored value as text: dates in ISO form, JSON for lists and dicts."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def _after_flush(session: Session, flush_context) -> None:
    user = _user_of(session)
    if user is None:
        return
    now = dt.datetime.now()
    rows: list[dict] = []
    for state, (is_delete, list_only) in list(flush_context.states.items()):
        if list_only:
            continue
        obj = state.obj()
        if obj is None:
            continue
        rows.extend(_entries_for(state, obj, is_delete, user, now))
    if rows:
        append_entries(session.connection(), rows)


def _entries_for(state, obj, is_delete: bool, user: str, now: dt.datetime) -> list[dict]:
    mapper = state.mapper
    table = mapper.local_table.name
    info = TABLES.get(table)
    if info is not None and info.skip:
        return []
    keys = [a.key for a in mapper.column_attrs]
    pk_keys = {mapper.get_property_by_column(c).key for c in mapper.primary_key}
    loaded = state.dict
    pk = [loaded.get(k) for k in (mapper.get_property_by_column(c).key for c in mapper.primary_key)]
    row_id = ",".join("" if v is None else str(v) for v in pk)

    def link(flag: bool, column: str) -> int | None:
        if flag:
            value = pk[0] if len(pk) == 1 else None
        elif column in keys:
            value = loaded.get(column)
            if value is None and not is_delete:
                hist = state.attrs[column].history
                value = (hist.deleted or [None])[0]
        else:
            return None
        return value if isinstance(value, int) else None

    base = _base_entry(info, table, row_id, loaded, user, now, link(bool(info and info.member_table), "member_id"),
                       link(bool(info and info.meeting_table), "meeting_id"))
    redact = bool(info and info.redact)
    shown = [k for k in keys if k not in pk_keys and k not in NOISE_FIELDS]
    if is_delete or state.key is None:
        text = _values_text(info, shown, loaded)
        if is_delete:
            return [{**base, "action": DELETE, "old": text}]
        return [{**base, "action": INSERT, "new": text}]
    out = []
    for key in shown:
        hist = state.attrs[key].history
        if not hist.added and not hist.deleted:
            continue
        old = _text(hist.deleted[0]) if hist.deleted else None
        new = _text(hist.added[0]) if hist.added else None
        if old == new:
            continue
        if redact:
            return [{**base, "action": UPDATE}]
        out.append({**base, "action": UPDATE, "field": key, "old": old, "new": new})
    return out


def _base_entry(info: TableInfo | None, table: str, row_id: str, loaded: dict, user: str, now: dt.datetime,
                member_id: int | None, meeting_id: int | None) -> dict:
    label = ""
    if info is not None and info.row_label is not None:
        try:
            # Only the values already loaded: no SQL in the middle of a flush.
            label = str(info.row_label(SimpleNamespace(**loaded)) or "")[:200]
        except Exception:  # a label is a nicety; never let it stop a change
            label = ""
    return {
        "at": now, "user": user, "table_name": table, "row_id": row_id, "row_label": label,
        "member_id": member_id, "meeting_id": meeting_id, "field": "", "old": None, "new": None,
    }


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _values_text(info: TableInfo | None, shown: list[str], loaded: dict) -> str | None:
    """The values of an inserted or deleted row, as JSON (None for a redacted table)."""
    if info is not None and info.redact:
        return None
    values = {k: _text(loaded[k]) for k in shown if k in loaded and loaded[k] not in (None, "")}
    return _JSON.encode(values)


def record_inserts(session: Session, table: str, rows: Sequence[dict]) -> None:
    """The entries of rows inserted in bulk (`db.insert_many`, which the flush does not see), the same as a
    flush writes for rows added one by one, at the end of the chain. Each row holds every column written,
    its key (`id`) included."""
    user = _user_of(session)
    if user is None or not rows:
        return
    info = TABLES.get(table)
    if info is not None and info.skip:
        return
    columns = [c.name for c in AuditEntry.metadata.tables[table].columns]
    shown = [c for c in columns if c != "id" and c not in NOISE_FIELDS]
    member_col = "id" if info and info.member_table else ("member_id" if "member_id" in columns else None)
    meeting_col = "id" if info and info.meeting_table else ("meeting_id" if "meeting_id" in columns else None)
    now = dt.datetime.now()
    entries = []
    for row in rows:
        entries.append({
            **_base_entry(info, table, str(row["id"]), row, user, now,
                          row.get(member_col) if member_col else None,
                          row.get(meeting_col) if meeting_col else None),
            "action": INSERT, "new": _values_text(info, shown, row)})
    append_entries(session.connection(), entries)


def record(session: Session, action: str, table: str, row_id: object = "", *, member_id: int | None = None,
           meeting_id: int | None = None, field: str = "", old: object = None, new: object = None) -> None:
    """A named entry (an amendment, a restore) written with the change in the same transaction."""
    user = _user_of(session) or default_user()
    session.flush()  # the pending changes and their entries first, so that the chain keeps their order
    append_entries(session.connection(), [{
        "at": dt.datetime.now(), "user": user, "action": action, "table_name": table,
        "row_id": "" if row_id is None else str(row_id), "row_label": "", "member_id": member_id,
        "meeting_id": meeting_id, "field": field, "old": _text(old), "new": _text(new)}])


# --- the hash chain -----------------------------------------------------------------------------

# The fields an entry's hash covers, in this order. Never change it: older chains are verified with it.
CHAIN_FIELDS = ("id", "at", "user", "action", "table_name", "row_id", "row_label", "member_id", "meeting_id",
                "field", "old", "new")


def _chain_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def chain_digest(prev: str, row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the previous entry's hash and this entry's fields."""
    payload = json.dumps([_chain_value(row[k]) for k in CHAIN_FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + "\n" + payload).encode("utf-8")).hexdigest()


AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment]


def append_entries(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert entries at the end of the chain, under the write lock (ids given here, in order)."""
    from .db import insert_many, take_write_lock

    take_write_lock(conn)
    table = AUDIT_TABLE
    last = conn.execute(select(table.c.id, table.c.chain_hash).order_by(table.c.id.desc()).limit(1)).first()
    next_id = (last.id if last else 0) + 1
    prev = last.chain_hash if last else ""
    for row in rows:
        row["id"] = next_id
        next_id += 1
        row["chain_prev"] = prev
        row["chain_hash"] = prev = chain_digest(prev, row)
    insert_many(conn, table, rows)   # one executemany, thousands of entries for an import


MAX_REPORTED = 50


def chain_problems(conn: Connection) -> list[str]:
    """Where the chain of the history is broken (empty when every entry follows the one before it)."""
    table = AUDIT_TABLE
    columns = [table.c[name] for name in CHAIN_FIELDS] + [table.c.chain_prev, table.c.chain_hash]
    problems: list[str] = []
    prev, prev_id = "", 0
    for row in conn.execute(select(*columns).order_by(table.c.id)):
        when = _when(row.at)
        if row.chain_hash != chain_digest(row.chain_prev, dict(row._mapping)):
            problems.append(_("history entry {id} ({when}) was changed after it was written").format(
                id=row.id, when=when))
        elif row.chain_prev != prev:
            problems.append(_("history entries were removed or inserted between entry {before} and entry {id} "
                              "({when})").format(before=prev_id or "-", id=row.id, when=when))
        prev, prev_id = row.chain_hash, row.id
        if len(problems) >= MAX_REPORTED:
            problems.append(_("… and maybe more"))
            break
    return problems


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    return str(value)


# --- sealing a closed year ------------------------------------------------------------------------

def _year_tables() -> list[tuple[Table, Any]]:
    """The tables that hold a year's review, each with its year column."""
    from models import MemberReview, MonthlyRating, ReviewYear

    tables: list[Table] = [t.__table__ for t in (ReviewYear, MemberReview, MonthlyRating)]  # type: ignore[misc]
    return [(t, t.c.year) for t in tables]


def _row_digest(row: Mapping[str, Any]) -> str:
    payload = json.dumps({k: _text(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _pk_text(table: Table, row: Mapping[str, Any]) -> str:
    return ",".join(str(row[c.name]) for c in table.primary_key.columns)


def year_digests(conn: Connection, year: int) -> dict[str, dict[str, str]]:
    """{table: {row key: digest of the row}} of the year's review records."""
    out: dict[str, dict[str, str]] = {}
    for table, year_col in _year_tables():
        rows = conn.execute(select(table).where(year_col == year)).mappings()
        out[table.name] = {_pk_text(table, r): _row_digest(r) for r in map(dict, rows)}
    return out


def seal_year(session: Session, year: int) -> None:
    """At the closing of a year: an entry holding the digests of the year's records (same transaction)."""
    session.flush()
    digests = year_digests(session.connection(), year)
    record(session, SEAL, "review_year", year, new=json.dumps(digests, sort_keys=True))


def unseal_year(session: Session, year: int) -> None:
    """At the reopening of a year: later changes to it are expected."""
    record(session, UNSEAL, "review_year", year)


def seal_problems(conn: Connection) -> list[str]:
    """Records of closed years changed since the year was closed: through the program (with its history
    entry) or outside it (no entry)."""
    table = AUDIT_TABLE
    latest: dict[str, Any] = {}
    for row in conn.execute(select(table.c.id, table.c.action, table.c.row_id, table.c.new, table.c.at)
                            .where(table.c.action.in_((SEAL, UNSEAL)), table.c.table_name == "review_year")
                            .order_by(table.c.id)):
        latest[row.row_id] = row
    problems: list[str] = []
    for year_text, seal in sorted(latest.items()):
        if seal.action != SEAL:
            continue
        try:
            sealed = json.loads(seal.new or "{}")
            year = int(year_text)
        except ValueError:
            problems.append(_("the seal of the year {year} is unreadable").format(year=year_text))
            continue
        now = year_digests(conn, year)
        for tname in sorted(set(sealed) | set(now)):
            before, after = sealed.get(tname, {}), now.get(tname, {})
            for key in sorted(set(before) | set(after)):
                if before.get(key) == after.get(key):
                    continue
                later = conn.execute(select(table.c.at, table.c.user).where(
                    table.c.id > seal.id, table.c.table_name == tname, table.c.row_id == key)
                    .order_by(table.c.id.desc()).limit(1)).first()
                what = (_("added") if key not in before else _("deleted") if key not in after else _("changed"))
                record_name = f"{table_label(tname)} #{key}"
                if later is None:
                    problems.append(_("year {year} (closed {when}): {record} was {what} outside the program").format(
                        year=year, when=_when(seal.at), record=record_name, what=what))
                else:
                    problems.append(_("year {year} (closed {when}): {record} was {what} in the program on {on} by "
                                      "{user}").format(year=year, when=_when(seal.at), record=record_name,
                                                       what=what, on=_when(later.at), user=later.user))
                if len(problems) >= MAX_REPORTED:
                    return problems
    return problems


def trail_problems(conn: Connection) -> list[str]:
    """`check`: a broken chain, and records of closed years changed since they were closed."""
    return chain_problems(conn) + seal_problems(conn)


# --- reading ------------------------------------------------------------------------------------

def audit_entries(session: Session, table: str | None = None, row_id: object = None,
                  member_id: int | None = None, meeting_id: int | None = None,
                  limit: int | None = 1000) -> list[AuditEntry]:
    """Entries newest first, filtered by table and row key, or by member, or by meeting."""
    query = select(AuditEntry).where(AuditEntry.action.not_in((SEAL,)))
    if table is not None:
        query = query.where(AuditEntry.table_name == table)
    if row_id is not None:
        query = query.where(AuditEntry.row_id == str(row_id))
    if member_id is not None:
        query = query.where(AuditEntry.member_id == member_id)
    if meeting_id is not None:
        query = query.where(AuditEntry.meeting_id == meeting_id)
    query = query.order_by(AuditEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True)
class AuditRow:
    """One entry as the user reads it (all text already in Vietnamese)."""

    id: int
    at: dt.datetime
    when: str
    user: str
    action: str
    record: str
    field: str
    old: str
    new: str


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def format_value(table: str, field_name: str, value: str | None) -> str:
    """A stored value as the user reads it: 1980-01-02 -> 02/01/1980, event kinds by name."""
    if value is None or value == "":
        return ""
    info = TABLES.get(table)
    if info is not None and field_name in info.values:
        return info.values[field_name](value)
    if _ISO_DATE.match(value):
        return format_date(dt.date.fromisoformat(value))
    if _ISO_DATETIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{format_date(moment.date())} {moment:%H:%M}"
    if value.startswith("[") and value.endswith("]"):
        try:
            items = json.loads(value)
        except ValueError:
            return value
        if isinstance(items, list):
            return "; ".join(str(i) for i in items)
    return value


def field_label(table: str, field_name: str) -> str:
    info = TABLES.get(table)
    if info is not None and field_name in info.fields:
        return _(info.fields[field_name])
    return field_name


def table_label(table: str) -> str:
    info = TABLES.get(table)
    return _(info.label) if info is not None and info.label else table


def _summary(table: str, text: str | None) -> str:
    """An inserted or deleted row's values: 'Họ và tên: Nguyễn Văn An; Ngày sinh: 01/01/1980'."""
    if not text:
        return ""
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return str(values)
    info = TABLES.get(table)
    order = list(info.fields) if info else []
    keys = sorted(values, key=lambda k: (order.index(k) if k in order else len(order), k))
    return "; ".join(f"{field_label(table, k)}: {format_value(table, k, values[k])}" for k in keys
                     if not (info and k == "member_id" and not info.member_table))


def describe(entry: AuditEntry) -> AuditRow:
    action = _(ACTION_LABELS[entry.action]) if entry.action in ACTION_LABELS else entry.action
    record_text = table_label(entry.table_name)
    if entry.row_label:
        record_text = f"{record_text}: {entry.row_label}"
    if entry.action in (INSERT, DELETE):
        old, new = _summary(entry.table_name, entry.old), _summary(entry.table_name, entry.new)
    else:
        old = format_value(entry.table_name, entry.field, entry.old)
        new = format_value(entry.table_name, entry.field, entry.new)
    when = f"{format_date(entry.at.date())} {entry.at:%H:%M:%S}"
    return AuditRow(entry.id, entry.at, when, entry.user, action, record_text,
                    field_label(entry.table_name, entry.field) if entry.field else "", old, new)


def audit_rows(session: Session, **filters) -> list[AuditRow]:
    """`audit_entries(...)` described for display, newest first."""
    return [describe(e) for e in audit_entries(session, **filters)]
