"""Identifier codes (mã định danh), QCVN 102:2016 amendment 1:2022."""

import pytest

from vanphong.lib import idcodes


@pytest.mark.parametrize(
    "code",
    ["000.00.00.H49", "000.00.00.G22", "000.00.00.K54", "H70", "000.01.12.H70", "A" * 35, "G01.1.2"],
)
def test_valid_codes(code: str) -> None:
    assert idcodes.validate(code) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "empty"),
        ("A" * 36, "too_long"),
        ("000.00.00.h49", "bad_character"),
        ("000.00.00.H-49", "bad_character"),
        ("000..00.H49", "empty_group"),
        (".000.00.H49", "empty_group"),
        ("000.00.00.H49.", "empty_group"),
        ("000.00 .H49", "whitespace"),
        ("000.00.00.Đ49", "bad_character"),
    ],
)
def test_invalid_codes_name_the_reason(code: str, reason: str) -> None:
    with pytest.raises(idcodes.IdentifierCodeError) as caught:
        idcodes.validate(code)
    assert caught.value.reason == reason


def test_classic_shape_and_level_one() -> None:
    assert idcodes.is_classic("000.00.00.H49")
    assert not idcodes.is_classic("000.00.H49")
    assert idcodes.level_one("000.00.00.H49") == "H49"
