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
