import datetime as dt

from services import i18n


def test_every_marked_string_has_a_vietnamese_translation():
    missing = i18n.missing_messages()
    assert missing == {}, "untranslated: " + "; ".join(f"{v[0]} {k!r}" for k, v in missing.items())


def test_compiled_catalogs_are_up_to_date():
    assert i18n.stale_mo_files() == []


def test_dates_and_numbers_read_the_vietnamese_way():
    assert i18n.format_date(dt.date(2020, 12, 22)) == "22/12/2020"
    assert i18n.long_date(dt.date(2020, 12, 22)) == "ngày 22 tháng 12 năm 2020"
    assert i18n.format_number(1234.5) == "1.234,5"
    assert i18n.format_pct(67.5) == "67,5%"
    assert i18n.parse_date("22/12/2020") == dt.date(2020, 12, 22)
    assert i18n.parse_date("1/2/2020") == dt.date(2020, 2, 1)
    assert i18n.parse_date("31/02/2020") is None
    assert i18n.parse_date("2020-12-22") == dt.date(2020, 12, 22)


def test_messages_are_shown_in_vietnamese():
    assert i18n._("Members") == "Đảng viên"


def test_a_message_reads_the_same_in_every_area():
    """Catalogs are merged; the same English message must not have two Vietnamese wordings."""
    assert i18n.conflicting_translations() == {}
