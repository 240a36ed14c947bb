"""Party dues: amounts with history, payments of several months, totals, unpaid months, the reminder, the book."""
import datetime as dt
import shutil
import subprocess

import pytest

from models import DuesPayment, EventKind
from services import dues as svc
from services import members as msvc
from services import reminders, settings
from services.dues import PaymentInput
from services.errors import UserError, ValidationError

TODAY = dt.date(2025, 12, 15)


def add(s, name, admitted=dt.date(2010, 1, 1), made_full=dt.date(2011, 1, 5)):
    return msvc.add_member(s, msvc.MemberInput(name, admitted, made_full, dt.date(1980, 1, 1)), TODAY).id


@pytest.fixture
def branch(db):
    with db.begin() as s:
        ids = {"an": add(s, "Nguyễn Văn An"), "binh": add(s, "Trần Thị Bình"), "cuong": add(s, "Lê Văn Cường")}
        svc.set_rate(s, ids["an"], 2025, 1, 50_000, TODAY)
        svc.set_rate(s, ids["an"], 2025, 7, 60_000, TODAY, basis=6_000_000, note="lương mới")
        svc.set_rate(s, ids["binh"], 2024, 6, 80_000, TODAY)
        svc.set_rate(s, ids["cuong"], 2025, 1, 30_000, TODAY)
    return db, ids


def pay(s, member_id, months, on=dt.date(2025, 3, 5), amount=None, today=TODAY):
    return svc.record_payment(s, PaymentInput(member_id, on, months, amount), today)


def test_amounts_keep_their_history(branch):
    db, ids = branch
    with db.begin() as s:
        rates = svc.rates_of(s, ids["an"])
        assert [(r.year, r.month, r.amount) for r in rates] == [(2025, 1, 50_000), (2025, 7, 60_000)]
        assert svc.amount_for(rates, 2024, 12) is None
        assert [svc.amount_for(rates, 2025, m) for m in (1, 6, 7, 12)] == [50_000, 50_000, 60_000, 60_000]
        # Binh's amount from June 2024 still applies in 2025.
        assert svc.amount_for(svc.rates_of(s, ids["binh"]), 2025, 3) == 80_000
        # Setting the same month again replaces it; other months keep theirs.
        svc.set_rate(s, ids["an"], 2025, 7, 65_000, TODAY)
        rates = svc.rates_of(s, ids["an"])
        assert [r.amount for r in rates] == [50_000, 65_000]
        svc.delete_rate(s, rates[1].id)
        assert svc.amount_for(svc.rates_of(s, ids["an"]), 2025, 9) == 50_000
        with pytest.raises(ValidationError):
            svc.set_rate(s, ids["an"], 2025, 8, -1, TODAY)
        with pytest.raises(ValidationError):
            svc.set_rate(s, ids["an"], 2025, 13, 10_000, TODAY)


def test_one_percent_of_the_insurance_salary_rounded_by_the_setting(db):
    with db.begin() as s:
        assert svc.amount_from_salary(s, 5_850_000) == 59_000     # 58.500 rounded half up to 1.000
        assert svc.amount_from_salary(s, 5_849_000) == 58_000     # 58.490
        settings.put(s, svc.ROUNDING.key, 1)
        assert svc.amount_from_salary(s, 5_850_000) == 58_500
        settings.put(s, svc.ROUNDING.key, 500)
        assert svc.amount_from_salary(s, 5_870_000) == 58_500     # 58.700 -> 58.500
        with pytest.raises(ValidationError):
            settings.put(s, svc.ROUNDING.key, 300)


def test_money_is_written_the_vietnamese_way():
    assert svc.format_money(50_000) == "50.000 đ"
    assert svc.format_money(1_234_567, unit=False) == "1.234.567"
    assert [svc.parse_money(t) for t in ("50.000", "50000", "50.000 đ", "50,000 đồng", "abc", "")] == \
        [50_000, 50_000, 50_000, 50_000, None, None]
    assert svc.months_text([(2025, 11), (2025, 9), (2025, 10)]) == "9, 10, 11/2025"
    assert svc.months_text([(2026, 1), (2025, 12)]) == "12/2025, 1/2026"


def test_a_payment_covers_several_months_with_each_month_its_amount(branch):
    db, ids = branch
    with db.begin() as s:
        p = pay(s, ids["an"], [(2025, 6), (2025, 5), (2025, 7)], on=dt.date(2025, 7, 8))
        assert p.amount == 50_000 + 50_000 + 60_000
        assert [(m.month, m.amount) for m in p.months] == [(5, 50_000), (6, 50_000), (7, 60_000)]
        d = svc.member_dues(s, ids["an"])
        assert {ym for ym in d.paid} == {(2025, 5), (2025, 6), (2025, 7)}
        assert d.paid[(2025, 6)].months_in_payment == 3
        # A different total (a voluntary extra) is spread evenly over the months.
        p2 = pay(s, ids["cuong"], [(2025, 1), (2025, 2)], amount=70_001)
        assert [m.amount for m in p2.months] == [35_001, 35_000]


def test_payment_validation_in_vietnamese(branch):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, 2)])
        bad = [
            (PaymentInput(ids["an"], dt.date(2025, 3, 5), [(2025, 2), (2025, 3)]), "đã nộp"),
            (PaymentInput(ids["an"], dt.date(2025, 12, 16), [(2025, 3)]), "tương lai"),
            (PaymentInput(ids["an"], dt.date(2025, 3, 5), []), "ít nhất một tháng"),
            (PaymentInput(ids["an"], dt.date(2025, 3, 5), [(2024, 5)]), "Chưa đặt mức"),
            (PaymentInput(ids["an"], TODAY, [(2027, 1)]), "trước tối đa"),
            (PaymentInput(ids["an"], TODAY, [(2025, 4)], amount=0), "số tiền"),
        ]
        for data, words in bad:
            with pytest.raises(ValidationError) as err:
                svc.record_payment(s, data, TODAY)
            assert words in str(err.value), str(err.value)
        # Without an amount set, the amount paid can be entered by hand.
        pay(s, ids["an"], [(2024, 5)], amount=40_000)
        # Paying in advance for the coming months is fine.
        pay(s, ids["an"], [(2026, 1), (2026, 2), (2026, 3)], on=TODAY)


def test_no_payment_for_months_when_the_member_was_not_in_the_branch(branch):
    db, ids = branch
    with db.begin() as s:
        msvc.add_event(s, ids["cuong"], msvc.EventInput(EventKind.TRANSFER_OUT, dt.date(2025, 9, 1),
                                                        other_org="Chi bộ khác"), TODAY)
        # He belonged to the branch on 31 August: August is owed here, September is not.
        pay(s, ids["cuong"], [(2025, 8)])
        with pytest.raises(ValidationError) as err:
            pay(s, ids["cuong"], [(2025, 9)])
        assert "Lê Văn Cường" in str(err.value) and "9/2025" in str(err.value)


def test_month_totals_and_the_share_remitted_upward(branch):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, 3)])
        pay(s, ids["binh"], [(2025, 3), (2025, 4)])
        sheet = svc.month_sheet(s, 2025, 3, TODAY)
        t = sheet.totals
        assert [line.full_name for line in sheet.lines] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
        assert (t.members, t.paid_members, t.due, t.paid, t.unpaid) == (3, 2, 160_000, 130_000, 30_000)
        assert (t.kept, t.remitted) == (0, 130_000)  # default: everything is remitted
        settings.put(s, svc.BRANCH_SHARE.key, 30.0)
        t = svc.month_sheet(s, 2025, 3, TODAY).totals
        assert (t.kept, t.remitted) == (39_000, 91_000)
        line = next(x for x in sheet.lines if x.full_name == "Lê Văn Cường")
        # The branch's first payment recorded covers March: January and February were kept on paper.
        assert not line.is_paid and line.unpaid_in_year == list(range(3, 12))


def test_unpaid_months_and_marking_a_month_unpaid_again(branch):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, m) for m in range(1, 12)], on=dt.date(2025, 11, 20))
        svc.mark_paid(s, ids["binh"], 2025, 11, TODAY)
        unpaid = {u.full_name: u.months for u in svc.unpaid_members(s, TODAY)}
        assert "Nguyễn Văn An" not in unpaid  # December is the current month: not yet overdue
        assert unpaid["Trần Thị Bình"] == list(range(1, 11))
        svc.unpay_month(s, ids["an"], 2025, 5)
        payment = s.query(DuesPayment).filter_by(member_id=ids["an"]).one()
        assert payment.amount == 50_000 * 5 + 60_000 * 5  # January–November without May
        assert {u.full_name: u.months for u in svc.unpaid_members(s, TODAY)}["Nguyễn Văn An"] == [5]
        svc.unpay_month(s, ids["binh"], 2025, 11)
        assert s.query(DuesPayment).filter_by(member_id=ids["binh"]).count() == 0
        # A member whose amount is 0 owes nothing.
        svc.set_rate(s, ids["cuong"], 2025, 1, 0, TODAY, note="Miễn đóng")
        assert "Lê Văn Cường" not in {u.full_name for u in svc.unpaid_members(s, TODAY)}


def _dues_reminders(db, today):
    with db.begin() as s:
        return [r for r in reminders.reminders(s, today) if r.rule == "dues_unpaid"]


def test_reminder_appears_after_three_unpaid_months_and_disappears_when_paid(branch):
    db, ids = branch
    with db.begin() as s:
        for key in ("an", "binh", "cuong"):
            pay(s, ids[key], [(2025, m) for m in range(1, 9)], on=dt.date(2025, 8, 10))
        pay(s, ids["binh"], [(2025, 9), (2025, 10)], on=dt.date(2025, 10, 10))
        pay(s, ids["cuong"], [(2025, 9), (2025, 10), (2025, 11)], on=dt.date(2025, 11, 10))
    # An: September, October, November unpaid; Bình: only November.
    found = _dues_reminders(db, TODAY)
    assert [r.ref for r in found] == [ids["an"]]
    assert "Nguyễn Văn An" in found[0].text and "9, 10, 11/2025" in found[0].text
    assert found[0].severity == "warning" and found[0].area == "dues"
    # On 15 November only two months had ended unpaid.
    assert _dues_reminders(db, dt.date(2025, 11, 15)) == []
    with db.begin() as s:
        svc.mark_paid(s, ids["an"], 2025, 9, TODAY)
    assert _dues_reminders(db, TODAY) == []
    with db.begin() as s:
        settings.put(s, svc.UNPAID_LIMIT.key, 1)
    assert {r.ref for r in _dues_reminders(db, TODAY)} == {ids["an"], ids["binh"]}


def test_reminder_in_january_counts_the_year_just_ended(branch):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, m) for m in range(1, 13)], on=dt.date(2025, 12, 10))
        pay(s, ids["binh"], [(2025, m) for m in range(1, 13)], on=dt.date(2025, 12, 10))
        pay(s, ids["cuong"], [(2025, m) for m in range(1, 10)], on=dt.date(2025, 12, 10))
    found = _dues_reminders(db, dt.date(2026, 1, 12))
    assert [r.ref for r in found] == [ids["cuong"]] and "10, 11, 12/2025" in found[0].text


def test_reminders_start_from_the_first_month_the_branch_records_dues(branch, tmp_path):
    """A branch that starts recording dues in September: January to August were kept on paper and are
    never reminded; before any payment is recorded, nothing is."""
    db, ids = branch
    assert _dues_reminders(db, TODAY) == []
    with db.begin() as s:
        assert svc.dues_start(s) is None and svc.unpaid_members(s, TODAY) == []
        assert svc.month_sheet(s, 2025, 11, TODAY).lines[0].unpaid_in_year == []
        pay(s, ids["an"], [(2025, 9), (2025, 10), (2025, 11)], on=dt.date(2025, 11, 10))
        pay(s, ids["binh"], [(2025, 9)], on=dt.date(2025, 9, 10))
        assert svc.dues_start(s) == (2025, 9)
        assert {u.full_name: u.months for u in svc.unpaid_members(s, TODAY)} == {
            "Trần Thị Bình": [10, 11], "Lê Văn Cường": [9, 10, 11]}
        book = svc.dues_book(s, 2025, TODAY)
    assert {r.full_name: r.unpaid_months for r in book.rows} == {
        "Nguyễn Văn An": [], "Trần Thị Bình": [10, 11], "Lê Văn Cường": [9, 10, 11]}
    found = _dues_reminders(db, TODAY)
    assert [r.ref for r in found] == [ids["cuong"]] and "9, 10, 11/2025" in found[0].text
    with db.begin() as s:
        sheet = svc.month_sheet(s, 2025, 12, TODAY)
        svc.export_book(s, 2025, tmp_path / "so.xlsx", TODAY)
    assert next(x for x in sheet.lines if x.full_name == "Lê Văn Cường").unpaid_in_year == [9, 10, 11]
    # The book written for the year does not call January to August "unpaid".
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "so.xlsx").worksheets[0]
    cuong = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Lê Văn Cường")
    assert cuong[2:14] == (None,) * 8 + ("chưa nộp",) * 3 + (None,)


def test_reminder_leaves_out_members_no_longer_in_the_branch(branch):
    db, ids = branch
    with db.begin() as s:
        msvc.add_event(s, ids["an"], msvc.EventInput(EventKind.TRANSFER_OUT, dt.date(2025, 12, 1),
                                                     other_org="Chi bộ khác"), TODAY)
    assert ids["an"] not in {r.ref for r in _dues_reminders(db, TODAY)}


def test_year_book_rows_and_branch_totals(branch):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, m) for m in range(1, 7)], on=dt.date(2025, 6, 5))
        pay(s, ids["binh"], [(2025, 1)], on=dt.date(2025, 1, 5))
        book = svc.dues_book(s, 2025, TODAY)
    assert [r.full_name for r in book.rows] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    an = book.rows[0]
    assert an.paid_total == 300_000 and an.unpaid_months == [7, 8, 9, 10, 11]
    assert an.due_total == 6 * 50_000 + 6 * 60_000
    assert book.paid[0] == 50_000 + 80_000 and book.paid[6] == 0
    assert book.due[0] == 50_000 + 80_000 + 30_000
    assert book.paid_total == 380_000 and sum(book.remitted) == 380_000


def _pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_dues_book_pdf_reads_like_the_book(branch, tmp_path):
    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, m) for m in range(1, 7)], on=dt.date(2025, 6, 5))
        pay(s, ids["binh"], [(2025, 1)], on=dt.date(2025, 1, 5))
        svc.export_book(s, 2025, tmp_path / "so.pdf", TODAY)
        svc.export_book(s, 2025, tmp_path / "an.pdf", TODAY, member_ids=[ids["an"]])
    text = _pdf_text(tmp_path / "so.pdf")
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "CHI BỘ VĂN PHÒNG SỞ", "SỔ THEO DÕI ĐẢNG PHÍ", "Năm 2025",
                  "Nguyễn Văn An", "Trần Thị Bình", "Đảng phí đã nộp từng tháng năm 2025", "50.000", "300.000", "chưa nộp", "Nộp cấp trên",
                  "380.000", "T/M CHI BỘ", "Từ Minh Điền"):
        assert words in text, words
    member = _pdf_text(tmp_path / "an.pdf")
    for words in ("Đồng chí Nguyễn Văn An", "6.000.000", "60.000", "05/06/2025", "1, 2, 3, 4, 5, 6/2025", "lương mới"):
        assert words in member, words
    assert "Trần Thị Bình" not in member


def test_dues_book_xlsx(branch, tmp_path):
    import openpyxl

    db, ids = branch
    with db.begin() as s:
        pay(s, ids["an"], [(2025, 1), (2025, 2)], on=dt.date(2025, 2, 5))
        svc.export_book(s, 2025, tmp_path / "so.xlsx", TODAY)
        with pytest.raises(UserError):
            svc.export_book(s, 2025, tmp_path / "so.doc", TODAY)
    wb = openpyxl.load_workbook(tmp_path / "so.xlsx")
    ws = wb.worksheets[0]
    rows = list(ws.values)
    assert rows[0][:3] == ("STT", "Họ và tên", "Tháng 1")
    an = next(r for r in rows if r[1] == "Nguyễn Văn An")
    assert an[2:5] == (50_000, 50_000, "chưa nộp") and an[14] == 100_000
    assert ws.cell(2, 3).number_format == "#,##0"
    payments = list(wb.worksheets[1].values)
    assert payments[1][1] == "Nguyễn Văn An" and payments[1][3] == "1, 2/2025" and payments[1][4] == 100_000


def test_demo_has_amounts_for_everyone_and_one_member_three_months_behind(tmp_path):
    from services.db import open_database
    from services.demo import write_demo

    path = tmp_path / "demo.db"
    today = dt.date(2025, 12, 20)
    write_demo(path, seed=5, year=2025, today=today)
    database = open_database(path)
    with database.begin() as s:
        book = svc.dues_book(s, 2025, today)
        behind = svc.unpaid_members(s, today)
        found = [r for r in reminders.reminders(s, today) if r.rule == "dues_unpaid"]
        multi = [len(p.months) for p in s.query(DuesPayment).all()]
    database.close()
    amounts = [c.due for r in book.rows for c in r.cells if c.owes]
    assert all(a is not None and 30_000 <= a <= 150_000 for a in amounts)
    assert [len(u.months) for u in behind] == [3] and len(found) == 1
    assert any(n > 1 for n in multi)  # some paid several months at once
