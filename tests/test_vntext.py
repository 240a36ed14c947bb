import random
import re
import unicodedata

from services.vntext import clean_name, fold, matches, name_key, nfc, split_name


def sort_names(names):
    return sorted(names, key=name_key)


def test_sorts_by_given_name_first():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Cường"]
    assert sort_names(names) == ["Trần Thị An", "Nguyễn Văn Bình", "Lê Văn Cường"]


def test_vietnamese_letter_order_d_before_dj_u_before_uw_o_o_hat_o_horn():
    names = ["Lê Đức", "Lê Dũng", "Lê Ư", "Lê Uyên", "Lê Ơn", "Lê Ôn", "Lê On", "Lê Ăn", "Lê Âu", "Lê Anh"]
    assert sort_names(names) == ["Lê Anh", "Lê Ăn", "Lê Âu", "Lê Dũng", "Lê Đức", "Lê On", "Lê Ôn", "Lê Ơn",
                                 "Lê Uyên", "Lê Ư"]


def test_same_given_name_then_family_then_middle():
    names = ["Trần Văn Minh", "Nguyễn Văn Minh", "Nguyễn Thị Minh"]
    assert sort_names(names) == ["Nguyễn Thị Minh", "Nguyễn Văn Minh", "Trần Văn Minh"]


def test_tones_only_break_ties_in_order_ngang_huyen_hoi_nga_sac_nang():
    names = ["Lê Ạnh", "Lê Ánh", "Lê Ãnh", "Lê Ảnh", "Lê Ành", "Lê Anh"]
    assert sort_names(names) == ["Lê Anh", "Lê Ành", "Lê Ảnh", "Lê Ãnh", "Lê Ánh", "Lê Ạnh"]
    # letters decide before tones: "Anh" (any tone) comes before "Ăn".
    assert sort_names(["Lê Ăn", "Lê Ạnh"]) == ["Lê Ạnh", "Lê Ăn"]


def test_decomposed_input_sorts_like_composed():
    import unicodedata
    nfd = unicodedata.normalize("NFD", "Lê Đức")
    assert name_key(nfd) == name_key("Lê Đức")


def test_fold_ignores_marks_case_and_d_stroke():
    assert fold("Đặng Thị Ánh") == "dang thi anh"
    assert fold("NGUYỄN VĂN A") == "nguyen van a"


def test_search_without_diacritics_finds_names():
    assert matches("nguyen van a", "Nguyễn Văn A")
    assert matches("duc", "Lê Văn Đức")
    assert matches("Đức", "Le Van Duc")
    assert not matches("dung", "Lê Văn Đức")


def test_names_are_cleaned_and_split():
    assert clean_name("  nguyễn   văn  a ") == "Nguyễn Văn A"
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert nfc("Nguye\u0302\u0303n") == "Nguyễn"


def _fold_by_definition(text):
    """What `fold` means: decompose, drop every combining mark, đ as d, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.replace("đ", "d").replace("Đ", "D").lower()).strip()


def test_fold_is_its_definition_for_every_letter_and_mixed_text():
    """`fold` folds character by character from a table; the result is the definition's, in NFC and NFD,
    for every character of the first planes used in names and for words mixing letters and loose marks."""
    for code in range(0x3000):
        for text in (chr(code) + "x", "Ab " + chr(code) + chr(code)):
            assert fold(text) == _fold_by_definition(text), hex(code)
    rng = random.Random(5)
    letters = "aăâbdđeêioôơuưyAĂÂĐÊÔƠƯ ΣΑ\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b" + "àảãạằắẳẵặầấẩẫậềếểễệờớởỡợừứửữựỳýỷỹỵ"
    for _ in range(5000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        for form in ("NFC", "NFD"):
            t = unicodedata.normalize(form, text)
            assert fold(t) == _fold_by_definition(t), t
