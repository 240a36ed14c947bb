"""Old TCVN3 (.VnTime) and VNI-Times text in imported spreadsheets is recognised and converted."""
from __future__ import annotations

import unicodedata

import pytest

from services.legacy_text import (
    TCVN3,
    VIETNAMESE_LOWER,
    VIETNAMESE_UPPER,
    VNI,
    detect_legacy,
    detect_legacy_column,
    fix_legacy,
    fix_legacy_column,
    from_legacy,
    to_tcvn3,
    to_vni,
)

# The 67 lower-case letters of Vietnamese that are not plain ASCII, typed out by hand, by vowel.
LOWER_GROUPS = [
    "àảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "đ", "èẻẽéẹ", "êềểễếệ", "ìỉĩíị", "òỏõóọ",
    "ôồổỗốộ", "ơờởỡớợ", "ùủũúụ", "ưừửữứự", "ỳỷỹýỵ",
]
LOWER = [unicodedata.normalize("NFC", ch) for ch in "".join(LOWER_GROUPS)]
UPPER = [ch.upper() for ch in LOWER]
ALL_LETTERS = LOWER + UPPER

# TCVN3 codes of the groups above (TCVN 5712:1993 VN3 / "ABC"), as bytes.
TCVN3_GROUP_BYTES = [
    "b5 b6 b7 b8 b9", "a8 bb bc bd be c6", "a9 c7 c8 c9 ca cb", "ae", "cc ce cf d0 d1",
    "aa d2 d3 d4 d5 d6", "d7 d8 dc dd de", "df e1 e2 e3 e4", "ab e5 e6 e7 e8 e9",
    "ac ea eb ec ed ee", "ef f1 f2 f3 f4", "ad f5 f6 f7 f8 f9", "fa fb fc fd fe",
]

# VNI Windows spelling of each letter, tones in the order huyền, hỏi, ngã, sắc, nặng as above.
VNI_GROUPS = [
    "aø aû aõ aù aï", "aê aè aú aü aé aë", "aâ aà aå aã aá aä", "ñ", "eø eû eõ eù eï",
    "eâ eà eå eã eá eä", "ì æ ó í ò", "oø oû oõ où oï", "oâ oà oå oã oá oä",
    "ô ôø ôû ôõ ôù ôï", "uø uû uõ uù uï", "ö öø öû öõ öù öï", "yø yû yõ yù î",
]

# (Unicode, TCVN3 as read from the file) written out by hand.
TCVN3_SAMPLES = [
    ("Nguyễn Văn A", "NguyÔn V¨n A"),
    ("Hà Nội", "Hµ Néi"),
    ("Ninh Bình", "Ninh B×nh"),
    ("Đảng bộ", "§¶ng bé"),
    ("Trường", "Tr\u00adêng"),
    ("Việt Nam", "ViÖt Nam"),
    ("Lê Hữu Đức", "Lª H÷u §øc"),
]
# (Unicode, VNI as read from the file) written out by hand.
VNI_SAMPLES = [
    ("Nguyễn Văn A", "Nguyeãn Vaên A"),
    ("Xin chào các bạn", "Xin chaøo caùc baïn"),
    ("Hà Nội", "Haø Noäi"),
    ("Đảng bộ", "Ñaûng boä"),
    ("Trường", "Tröôøng"),
    ("Việt Nam", "Vieät Nam"),
    ("Lê Hữu Đức", "Leâ Höõu Ñöùc"),
]

NAMES = [
    "Nguyễn Văn A",
    "Trà Vinh",
    "Đảng bộ Sở Lao động - Thương binh và Xã hội",
    "Hoàn thành xuất sắc nhiệm vụ",
    "Chi bộ Văn phòng",
    "Đặng Thị Ánh",
    "Lê Hữu Đức",
    "Trần Ngọc Ánh",
    "Phạm Thị Ư",
    "Thành phố Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên Huế",
    "Quảng Ninh",
    "Đắk Lắk",
    "Phó Bí thư Đảng ủy",
    "Nghị quyết Đại hội Đảng bộ lần thứ XIII",
    "Huỳnh Thị Thanh Thủy",
    "Trường Trung học phổ thông Nguyễn Trãi",
    "Quỳnh Lưu, Nghệ An",
    "Ngô Thị Ánh Tuyết",
    "Hoàn thành tốt nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
    "CHI BỘ VĂN PHÒNG",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
]

UNICODE_VIETNAMESE = [
    "Nguyễn Văn A", "Đặng Thị Ánh", "Lê Hữu Đức", "Trần Ngọc Ánh", "Phạm Thị Ư",
    # Only Latin-1 letters, so they could be mistaken for legacy bytes:
    "Tô Lâm", "Lê Hà", "Bí thư", "Hoà", "Phú Yên", "Cà Mau", "Lê Thị Mai", "Chi bé",
]
WESTERN = [
    "Café", "José", "Müller", "Ñandú", "São Paulo", "Zürich", "Crème brûlée", "naïve", "Søren",
    "El Niño", "Gödel", "Hôtel", "Françoise", "Ångström", "Noël", "Señor Núñez", "Jürgen Schäfer",
    "25°C", "3×4", "«Bonjour»", "Dvořák",
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- the letter tables ---------------------------------------------------------------------


def test_the_module_knows_all_134_letters():
    assert len(LOWER) == len(set(LOWER)) == 67
    assert sorted(VIETNAMESE_LOWER) == sorted(LOWER)
    assert sorted(VIETNAMESE_UPPER) == sorted(UPPER)


def test_tcvn3_codes_of_every_lower_case_letter():
    for letters, codes in zip(LOWER_GROUPS, TCVN3_GROUP_BYTES, strict=True):
        expected = bytes.fromhex(codes).decode("latin-1")
        assert to_tcvn3(letters) == expected, letters
        assert from_legacy(expected, TCVN3) == letters


def test_tcvn3_capitals_with_their_own_codes():
    assert to_tcvn3("ĂÂÊÔƠƯĐ") == "\xa1\xa2\xa3\xa4\xa5\xa6\xa7"
    assert from_legacy("\xa1\xa2\xa3\xa4\xa5\xa6\xa7", TCVN3) == "ĂÂÊÔƠƯĐ"


@pytest.mark.parametrize("letter", LOWER)
def test_tcvn3_round_trip_of_each_lower_case_letter(letter):
    encoded = to_tcvn3(letter)
    assert len(encoded) == 1 and 0xA0 < ord(encoded) < 0x100
    assert from_legacy(encoded, TCVN3) == letter


def test_tcvn3_gives_every_letter_its_own_code():
    codes = [to_tcvn3(ch) for ch in LOWER + ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]]
    assert len(set(codes)) == 74


@pytest.mark.parametrize("capital", UPPER)
def test_tcvn3_round_trip_of_each_capital_in_an_all_caps_word(capital):
    # .VnTimeH headings: toned capitals are stored as the lower-case code.
    word = f"TH{capital}NH"
    assert from_legacy(to_tcvn3(word), TCVN3) == word


def test_tcvn3_toned_capital_alone_cannot_be_told_from_lower_case():
    assert to_tcvn3("Ấ") == to_tcvn3("ấ")
    assert from_legacy(to_tcvn3("Ấ"), TCVN3) == "ấ"


def test_vni_spelling_of_every_letter():
    for letters, spelled in zip(LOWER_GROUPS, VNI_GROUPS, strict=True):
        pieces = spelled.split()
        assert [to_vni(ch) for ch in letters] == pieces, letters
        # Capitals take the capital marks: Ễ is "EÃ", Ữ is "ÖÕ", Ỵ is "Î".
        assert [to_vni(ch.upper()) for ch in letters] == [p.upper() for p in pieces], letters


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trip_of_each_of_the_134_letters(letter):
    assert from_legacy(to_vni(letter), VNI) == letter
    assert from_legacy(to_vni(f"x{letter}n"), VNI) == f"x{letter}n"


def test_vni_gives_every_letter_its_own_spelling():
    assert len({to_vni(ch) for ch in ALL_LETTERS}) == 134


@pytest.mark.parametrize(("unicode", "legacy"), TCVN3_SAMPLES)
def test_tcvn3_samples_written_by_hand(unicode, legacy):
    assert to_tcvn3(unicode) == legacy
    assert fix_legacy(legacy) == (unicode, TCVN3)


@pytest.mark.parametrize(("unicode", "legacy"), VNI_SAMPLES)
def test_vni_samples_written_by_hand(unicode, legacy):
    assert to_vni(unicode) == legacy
    assert fix_legacy(legacy) == (unicode, VNI)


# --- detection and conversion of whole cells -----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_tcvn3_names_and_phrases_are_detected_and_converted(name):
    legacy = to_tcvn3(name)
    assert legacy != name
    assert detect_legacy(legacy) == TCVN3
    assert fix_legacy(legacy) == (name, TCVN3)


@pytest.mark.parametrize("name", NAMES + ["Ủy ban nhân dân phường Bến Nghé"])
def test_vni_names_and_phrases_are_detected_and_converted(name):
    legacy = to_vni(name)
    assert detect_legacy(legacy) == VNI
    assert fix_legacy(legacy) == (name, VNI)


def test_tcvn3_all_caps_heading_gets_its_capitals_back():
    assert fix_legacy("NGUYÔN V¡N A") == ("NGUYỄN VĂN A", TCVN3)
    assert fix_legacy("§¶NG Bé X· HéI") == ("ĐẢNG BỘ XÃ HỘI", TCVN3)
    # A capitalised word inside ordinary text keeps the rest of the cell as it is.
    assert fix_legacy("Danh s¸ch §¶NG VI£N") == ("Danh sách ĐẢNG VIÊN", TCVN3)


def test_tcvn3_title_case_name_gets_its_initial_capital_back():
    assert fix_legacy("§Æng ThÞ ¸nh") == ("Đặng Thị Ánh", TCVN3)
    assert fix_legacy("Êp B¾c") == ("Ấp Bắc", TCVN3)
    # Title case only: "Sè Hå" stays "Số Hồ", not "SỐ HỒ".
    assert fix_legacy("Sè Hå ChÝ Minh") == ("Số Hồ Chí Minh", TCVN3)


def test_tcvn3_sentence_starting_with_a_toned_capital_comes_out_lower_case():
    # Known limitation: nothing in the bytes says the first letter was a capital.
    assert fix_legacy(to_tcvn3("Ủy ban nhân dân tỉnh")) == ("ủy ban nhân dân tỉnh", TCVN3)


def test_legacy_text_with_typographic_punctuation_is_still_recognised():
    assert fix_legacy("\u201cChi bé V¨n phßng\u201d \u2013 Trµ Vinh") == (
        "\u201cChi bộ Văn phòng\u201d \u2013 Trà Vinh", TCVN3)
    assert fix_legacy("Chi boä\u00a0Vaên phoøng (2024)") == ("Chi bộ\u00a0Văn phòng (2024)", VNI)


@pytest.mark.parametrize("text", UNICODE_VIETNAMESE)
def test_unicode_vietnamese_is_left_alone(text):
    assert detect_legacy(text) is None
    assert fix_legacy(text) == (text, None)


@pytest.mark.parametrize("word", WESTERN)
def test_western_words_are_not_taken_for_legacy_text(word):
    assert detect_legacy(word) is None
    assert fix_legacy(word) == (word, None)


def test_plain_ascii_is_left_alone():
    for text in ("Nguyen Van A", "UBND tinh Tra Vinh", "", "12/05/1980", "0912 345 678"):
        assert detect_legacy(text) is None
        assert fix_legacy(text) == (text, None)


@pytest.mark.parametrize("text", ["Nguyễn Văn A", "Lê Hà", "Đảng bộ Sở Lao động - Thương binh và Xã hội"])
def test_nfd_input_comes_back_nfc(text):
    decomposed = nfd(text)
    assert decomposed != text
    assert detect_legacy(decomposed) is None
    assert fix_legacy(decomposed) == (text, None)


def test_output_is_always_nfc():
    for name in NAMES:
        for legacy in (to_tcvn3(name), to_vni(name)):
            converted, _ = fix_legacy(legacy)
            assert unicodedata.is_normalized("NFC", converted)


def test_vni_is_not_read_as_tcvn3_and_tcvn3_not_as_vni():
    for name in NAMES:
        assert detect_legacy(to_vni(name)) != TCVN3, name
        assert detect_legacy(to_tcvn3(name)) != VNI, name


def test_short_ambiguous_cell_is_left_alone_on_its_own():
    # "Sè" is TCVN3 for "Số", but also a well-formed Unicode syllable: alone, do not guess.
    assert detect_legacy("Sè") is None
    assert fix_legacy("Sè") == ("Sè", None)
    # "Chi bé" reads both as Unicode "Chi bé" and as TCVN3 "Chi bộ".
    assert fix_legacy("Chi bé") == ("Chi bé", None)


# --- columns -------------------------------------------------------------------------------

TCVN3_COLUMN = ["Hä vµ tªn", "NguyÔn V¨n A", "Sè 5", "Chi bé", "Vò", "Lª H÷u §øc", "Phóc", "STT", "12", ""]


def test_tcvn3_column_is_detected_and_decides_its_ambiguous_cells():
    assert detect_legacy_column(TCVN3_COLUMN) == TCVN3
    fixed, encoding = fix_legacy_column(TCVN3_COLUMN)
    assert encoding == TCVN3
    assert fixed == ["Họ và tên", "Nguyễn Văn A", "Số 5", "Chi bộ", "Vũ", "Lê Hữu Đức", "Phúc", "STT", "12", ""]
    assert fix_legacy("Sè 5", hint=TCVN3) == ("Số 5", TCVN3)


def test_vni_column_is_detected_and_decides_its_ambiguous_cells():
    names = ["Hồ", "Tốt", "Nguyễn Văn A", "Sơn", "Hưng", "Phố Hàng Bông"]
    column = [to_vni(n) for n in names]
    assert detect_legacy_column(column) == VNI
    assert fix_legacy_column(column) == (names, VNI)


def test_unicode_column_is_not_converted():
    column = ["Tô Lâm", "Lê Hà", "Vò", "Sè", "Nguyễn Văn A", "Phạm Thị Ư", "Café"]
    assert detect_legacy_column(column) is None
    assert fix_legacy_column(column) == (column, None)


def test_unicode_column_still_fixes_a_cell_that_is_clearly_legacy():
    column = ["Nguyễn Văn A", "Trần Ngọc Ánh", "Lª H÷u §øc", "Đặng Thị Ánh"]
    assert detect_legacy_column(column) is None
    fixed, encoding = fix_legacy_column(column)
    assert encoding is None
    assert fixed == ["Nguyễn Văn A", "Trần Ngọc Ánh", "Lê Hữu Đức", "Đặng Thị Ánh"]


def test_column_hint_never_breaks_a_cell_that_reads_badly_in_it():
    column = TCVN3_COLUMN + ["Nguyeãn Vaên B", "Müller", "Nguyễn Thị C"]
    fixed, encoding = fix_legacy_column(column)
    assert encoding == TCVN3
    assert fixed[-3:] == ["Nguyễn Văn B", "Müller", "Nguyễn Thị C"]


def test_column_of_ascii_or_empty_cells_has_no_encoding():
    assert detect_legacy_column([]) is None
    assert detect_legacy_column(["STT", "1", "2", "Nguyen Van A"]) is None


def test_column_skips_values_that_are_not_text():
    column = [None, 3, to_tcvn3("Trà Vinh"), to_tcvn3("Hà Nội")]
    assert detect_legacy_column(column) == TCVN3
    assert fix_legacy_column(column) == ([None, 3, "Trà Vinh", "Hà Nội"], TCVN3)


def test_unknown_encoding_name_is_refused():
    with pytest.raises(ValueError):
        fix_legacy("Hµ Néi", hint="VISCII")
    with pytest.raises(ValueError):
        from_legacy("Hµ Néi", "tcvn")
