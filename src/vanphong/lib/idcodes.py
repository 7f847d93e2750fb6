"""Electronic identifier codes of bodies (mã định danh), QCVN 102:2016 amendment 1:2022 / QĐ 20/2020.

A code has at most 35 characters from 0-9, A-Z and '.', in dot-separated groups, one group per
level, level 1 being the rightmost group (e.g. ``000.00.00.H49`` for the People's Committee of
Quảng Ninh, ``000.00.00.G22`` for the Government Office). Before 2022 codes had exactly 13
characters (``V1V2V3.Z1Z2.Y1Y2.MX1X2``); both forms are valid.
"""

from __future__ import annotations

import re

MAX_LENGTH = 35
_GROUP = re.compile(r"^[0-9A-Z]+$")
_CLASSIC = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


class IdentifierCodeError(ValueError):
    """The text is not a valid identifier code; ``reason`` is a stable machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def validate(code: str) -> str:
    """Return the code if valid, else raise IdentifierCodeError naming what is wrong."""
    if not code:
        raise IdentifierCodeError("empty", "The identifier code is empty.")
    if len(code) > MAX_LENGTH:
        raise IdentifierCodeError("too_long", f"The identifier code has {len(code)} characters; at most 35.")
    if code != code.strip() or any(ch.isspace() for ch in code):
        raise IdentifierCodeError("whitespace", "The identifier code must not contain spaces.")
    groups = code.split(".")
    if any(group == "" for group in groups):
        raise IdentifierCodeError(
            "empty_group", "The identifier code has an empty group (two dots, or a dot at an end)."
        )
    for group in groups:
        if not _GROUP.match(group):
            raise IdentifierCodeError(
                "bad_character",
                "The identifier code may contain only digits 0-9, capital letters A-Z and dots.",
            )
    return code


def is_classic(code: str) -> bool:
    """True for the 13-character pre-2022 shape V1V2V3.Z1Z2.Y1Y2.MX1X2."""
    return bool(_CLASSIC.match(code))


def level_one(code: str) -> str:
    """The level-1 group (the rightmost one): the ministry or province-level body."""
    return validate(code).split(".")[-1]
