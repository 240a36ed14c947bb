"""Fuzz of the member importer (services/member_import.py).

Promises checked: any file ends in a preview or a UserError with a message, never in another
exception; reading never changes the file; a refused import writes nothing (member, event and audit
counts unchanged).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services import member_import
from services.errors import UserError, ValidationError
from tests.engines import counts

SCALE = int(os.environ.get("SOCHIBO_FUZZ_EXAMPLES", "1"))
TODAY = dt.date(2025, 12, 15)


def fuzz(examples: int):
    # derandomize: the same examples on every run, so that CI never turns red by chance; run with
    # SOCHIBO_FUZZ_RANDOM=1 to explore new ones.
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    derandomize=not os.environ.get("SOCHIBO_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức",
          "Số thẻ đảng viên", "Chức vụ"]
cell = st.one_of(
    st.text(max_size=320),
    st.sampled_from(["31/02/2020", "29/02/2023", "00/00/0000", "1/13/2020", "2020-02-30", "01/01/2010",
                     "", " ", "=1+1", "Nam", "Nữ", "Nguyễn Văn A" * 30,
                     unicodedata.normalize("NFD", "Nguyễn Thị Ánh")]),
    st.integers().map(str),
)
rows = st.lists(st.lists(cell, min_size=0, max_size=12), max_size=25)


def _csv(path: Path, table: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(table)
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return path


def _read(path: Path):
    before = path.read_bytes()
    try:
        return member_import.read_import(path, today=TODAY)
    except UserError as exc:
        assert str(exc).strip(), "an empty error message"
        return None
    finally:
        assert path.read_bytes() == before


@fuzz(150)
@given(st.binary(max_size=4096), st.sampled_from([".xlsx", ".csv", ".xls", ".txt", ""]))
def test_random_bytes_under_any_extension(content, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"danh-sach{suffix}"
        path.write_bytes(content)
        _read(path)


@fuzz(150)
@given(rows, st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1258"]))
def test_csv_with_bad_rows_and_encodings(table, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        _read(_csv(Path(tmp) / "danh-sach.csv", table, encoding))


def _counts(db) -> list[int]:
    return counts(db.engine, ("member", "member_event", "audit_entry"))


@fuzz(60)
@given(rows)
def test_an_import_is_all_or_nothing(db, table):
    with tempfile.TemporaryDirectory() as tmp:
        preview = _read(_csv(Path(tmp) / "danh-sach.csv", table))
    if preview is None:
        return
    before = _counts(db)
    try:
        with db.begin() as s:
            ids = member_import.apply_import(s, preview, TODAY)
    except ValidationError as exc:
        assert exc.problems
        assert _counts(db) == before
        return
    assert _counts(db)[0] == before[0] + len(ids)


def test_rows_without_names_under_a_header_give_a_preview_not_a_crash(tmp_path):
    _read(_csv(tmp_path / "danh-sach.csv", [["", "Nam"], ["", "", "0"]]))  # a preview or a UserError only


def test_text_file_named_xlsx(tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_text("Họ và tên\tNgày sinh\nNguyễn Văn An\t31/02/1980\n", encoding="utf-8")
    with pytest.raises(UserError):
        member_import.read_import(path)
