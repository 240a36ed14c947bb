"""Bad input everywhere ends in a clear Vietnamese message and nothing half-written (hypothesis).

The numbers of examples are recorded in docs/reliability.md; SOCHIBO_FUZZ_EXAMPLES multiplies them for a
longer local run.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from services import members as svc
from services.db import open_database
from services.errors import UserError, ValidationError
from services.i18n import format_date, parse_date
from tests.engines import counts

SCALE = int(os.environ.get("SOCHIBO_FUZZ_EXAMPLES", "1"))
TODAY = dt.date(2025, 12, 15)
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
text = st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " -'.0123456789\t\n"), max_size=320) | \
    st.text(max_size=320)
mixed_forms = text.map(lambda t: unicodedata.normalize("NFD", t))
dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def fuzz(examples: int):
    """Settings of every fuzz test here: no deadline (shared CI machines), no example database on disk."""
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def has_vietnamese_letters(message: str) -> bool:
    return any(ch in message for ch in "ăâđêôơưàảãáạềểễếệìỉíịòỏõóọùủúụừửữứựýỳ")


# --- dates ---------------------------------------------------------------------------------

@fuzz(1000)
@given(st.text(max_size=40) | st.from_regex(r"\s*\d{1,4}[/.\-]\d{1,4}[/.\-]\d{1,5}\s*", fullmatch=True))
@example("31/02/2024")
@example("29/02/2023")
@example("00/01/2020")
@example("1/13/2020")
@example("٣١/١٢/٢٠٢٠")  # Arabic-Indic digits: str.isdigit() says yes, int() agrees, dates must still be sane
@example("²/²/²⁰²⁰")     # superscript digits: isdigit() but not int()
def test_parse_date_never_fails_and_returns_a_real_date_or_none(value):
    result = parse_date(value)
    assert result is None or isinstance(result, dt.date)
    if result is not None:
        assert 100 <= result.year <= 9999


@fuzz(300)
@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_parse_date_reads_back_what_format_date_writes(day):
    assert parse_date(format_date(day)) == day


def test_impossible_days_are_refused():
    for value in ("31/02/2024", "30/02/2024", "29/02/2023", "31/04/2024", "32/01/2024", "00/00/2000"):
        assert parse_date(value) is None
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)


# --- members -------------------------------------------------------------------------------

member_inputs = st.builds(
    svc.MemberInput, full_name=text | mixed_forms, admitted=dates, made_full=dates, birth_date=dates,
    gender=st.sampled_from(["", "Nam", "nữ", "NỮ", "Khác", unicodedata.normalize("NFD", "Nữ")]) | text,
    ethnicity=text, card_number=text, position=text, note=text,
)


@fuzz(400)
@given(member_inputs)
@example(svc.MemberInput("A" * 300, dt.date(2010, 1, 1)))
@example(svc.MemberInput(unicodedata.normalize("NFD", "nguyễn thị ánh"), dt.date(2010, 1, 1)))
def test_checking_a_member_never_fails_and_speaks_vietnamese(data):
    check = svc.check_member(data, TODAY)
    for problem in check.errors + check.warnings:
        assert problem.message and has_vietnamese_letters(problem.message), problem.message


def _counts(db) -> tuple[int, ...]:
    return tuple(counts(db.engine, ("member", "member_event", "audit_entry")))


@fuzz(150)
@given(member_inputs)
@example(svc.MemberInput("X" * 300, dt.date(2010, 1, 1), None, dt.date(1980, 1, 1)))
@example(svc.MemberInput("Nguyễn Văn A", parse_date("31/02/2010")))  # what a form makes of 31/02
def test_adding_a_member_is_all_or_nothing(db, data):
    before = _counts(db)
    try:
        with db.begin() as s:
            member = svc.add_member(s, data, TODAY)
            stored = (member.full_name, member.note)
    except ValidationError as exc:
        assert exc.problems and all(has_vietnamese_letters(p) for p in exc.problems)
        assert _counts(db) == before  # nothing half-written, not even in the audit trail
        return
    assert stored[0] == unicodedata.normalize("NFC", stored[0]) and 0 < len(stored[0]) <= 120
    assert stored[1] == unicodedata.normalize("NFC", stored[1])
    after = _counts(db)
    assert after[0] == before[0] + 1 and after[1] > before[1] and after[2] > before[2]


def test_nfd_and_nfc_names_are_the_same_person(db):
    with db.begin() as s:
        svc.add_member(s, svc.MemberInput("Nguyễn Thị Ánh", dt.date(2010, 1, 1), None, dt.date(1980, 1, 1)), TODAY)
        others = svc.all_members(s)
    check = svc.check_member(svc.MemberInput(unicodedata.normalize("NFD", "nguyễn thị ánh"), dt.date(2010, 1, 1),
                                             None, dt.date(1980, 1, 1)), TODAY, others)
    assert check.ok and check.warnings  # the same name and birth date: the user is warned


# --- files that are not what they claim ---------------------------------------------------

def _try_open(path: Path) -> None:
    """Opening must either work or raise UserError; anything else is a bug."""
    try:
        database = open_database(path)
    except UserError as exc:
        assert has_vietnamese_letters(str(exc)), str(exc)
        return
    database.close()


@fuzz(200)
@given(st.binary(max_size=8192))
def test_random_bytes_are_refused_and_left_untouched(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so-chi-bo.db"
        path.write_bytes(content)
        if not content:  # an empty file is an empty database to SQLite, and becomes a new one
            _try_open(path)
            return
        with pytest.raises(UserError):
            open_database(path)
        assert path.read_bytes() == content


@fuzz(200)
@given(st.binary(min_size=1, max_size=16384))
def test_random_pages_behind_a_valid_sqlite_header_are_refused_untouched(rest):
    content = b"SQLite format 3\x00" + rest
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so-chi-bo.db"
        path.write_bytes(content)
        with pytest.raises(UserError):
            open_database(path)
        assert path.read_bytes() == content


def test_a_workbook_that_is_really_text_is_refused(tmp_path):
    fake = tmp_path / "danh-sach.xlsx"
    fake.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,01/01/1980\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        open_database(fake)
    assert "không phải là dữ liệu của Sổ chi bộ" in str(err.value)
    assert fake.read_text(encoding="utf-8").startswith("Họ và tên")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "mau.db"
    database = open_database(path, create=True)
    with database.begin() as s:
        from services.branch import BranchIdentity, set_identity
        set_identity(s, BranchIdentity(name="Chi bộ Thử", parents=["ĐU"], place="Huế"))
        for i in range(30):
            svc.add_member(s, svc.MemberInput(f"Nguyễn Văn Số {i}", dt.date(2010, 1, 1) + dt.timedelta(days=i)),
                           TODAY)
    database.close()
    return path.read_bytes()


@fuzz(150)
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1,
                max_size=40))
def test_a_database_with_bytes_flipped_opens_or_is_refused_never_crashes(sample_db, flips):
    content = bytearray(sample_db)
    for position, value in flips:
        content[100 + position % (len(content) - 100)] = value  # the 100-byte header stays as it was
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so-chi-bo.db"
        path.write_bytes(bytes(content))
        _try_open(path)
