"""Vietnamese text helpers: folding, name parts, the Vietnamese order."""

import pytest

from vanphong.lib.vntext import collation_key, fold, name_sort_key, nfc, split_name


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nghị quyết", "nghi quyet"),
        ("Đảng ủy", "dang uy"),  # đ has no Unicode decomposition: folded by hand
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
        ("Quyết định 12/QĐ-UBND", "quyet dinh 12/qd-ubnd"),
        ("  Hồ   Chí  Minh ", "ho chi minh"),
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed input
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_nfc_joins_decomposed_letters_and_collapses_spaces() -> None:
    assert nfc("  Nguye\u0302\u0303n   Văn  An ") == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("full", "family", "middle", "given"),
    [
        ("Nguyễn Thị Minh Khai", "Nguyễn", "Thị Minh", "Khai"),
        ("Lê Lợi", "Lê", "", "Lợi"),
        ("Bình", "", "", "Bình"),
        ("  trần   văn   an ", "trần", "văn", "an"),
    ],
)
def test_split_name(full: str, family: str, middle: str, given: str) -> None:
    parts = split_name(full)
    assert (parts.family, parts.middle, parts.given) == (family, middle, given)


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: name_sort_key(split_name(name)))


def test_names_sort_by_given_name_then_family_then_middle() -> None:
    names = ["Trần Văn Cường", "Nguyễn Thị Bình", "Lê Văn An", "Bùi Văn An", "Bùi Thị An"]
    assert _sorted(names) == ["Bùi Thị An", "Bùi Văn An", "Lê Văn An", "Nguyễn Thị Bình", "Trần Văn Cường"]


def test_vietnamese_alphabet_order_not_unicode_order() -> None:
    # a < ă < â < b ... d < đ < e < ê ... o < ô < ơ ... u < ư ; Unicode code points disagree.
    words = ["Ơn", "Ân", "Đào", "Út", "Ăn", "Ưng", "Dũng", "Ôn", "An", "Em", "Ê"]
    ordered = sorted(words, key=collation_key)
    assert ordered == ["An", "Ăn", "Ân", "Dũng", "Đào", "Em", "Ê", "Ôn", "Ơn", "Út", "Ưng"]


def test_tones_decide_only_between_otherwise_equal_words() -> None:
    # ngang < huyền < hỏi < ngã < sắc < nặng, but letters come first: "Ba" < "Bà" < "Bả" < "Bã" < "Bá" < "Bạ" < "Bac".
    words = ["Bạ", "Bac", "Bá", "Ba", "Bã", "Bả", "Bà"]
    assert sorted(words, key=collation_key) == ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ", "Bac"]


def test_shorter_word_sorts_first() -> None:
    assert sorted(["Anh", "An"], key=collation_key) == ["An", "Anh"]


def test_key_is_plain_ascii_so_every_database_orders_it_alike() -> None:
    key = collation_key("Nguyễn Thị Ánh Đào")
    assert key.isascii() and key.isalnum()
