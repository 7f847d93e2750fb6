"""Vietnamese text: normalisation, accent folding, name parts and the Vietnamese sort order.

Vietnamese sorts by its own alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with
the tone mark deciding only between words that are otherwise equal (ngang, huyền, hỏi, ngã, sắc,
nặng, the order of TCVN 5712 / common dictionaries). Personal names sort by the given name (the last
word) first, then the family name, then the middle names: "Trần Thị Bình" before "Nguyễn Văn Cường".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Base letters in Vietnamese alphabetical order. Letters outside Vietnamese (f, j, w, z) go where the
# Latin alphabet puts them so that foreign names still sort sensibly.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {
    "": 0,  # ngang
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
# Marks that make a distinct letter rather than a tone: breve (ă), circumflex (â ê ô), horn (ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_FOLD_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space and the ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Lower-case ASCII-ish form for matching: 'Đảng ủy' -> 'dang uy', 'Nghị quyết' -> 'nghi quyet'.

    đ has no Unicode decomposition, so it is mapped by hand; every other diacritic is removed by
    decomposing (NFD) and dropping the combining marks.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_FOLD_D))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _split_letter(char: str) -> tuple[str, int]:
    """A lower-case character -> (base letter with its letter-making mark, tone number)."""
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    letter_marks = "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
    tone = 0
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
    return unicodedata.normalize("NFC", base + letter_marks), tone


def _code(index: int) -> str:
    return _DIGITS36[index // 36] + _DIGITS36[index % 36]


def collation_key(text: str) -> str:
    """A string whose plain byte order is the Vietnamese order of ``text``.

    The key uses only the characters 0-9 and a-z, in fixed two-character units, so that every
    database collation (SQLite BINARY, PostgreSQL "C" or a locale) orders it the same way. Primary
    level: letters of the alphabet above; secondary level: tones, compared only when the letters tie.
    """
    primary: list[str] = []
    secondary: list[str] = []
    for word in nfc(text).lower().split(" "):
        for char in word:
            base, tone = _split_letter(char)
            position = _ALPHABET.find(base)
            if position >= 0:
                primary.append(_code(position + 20))
            elif base.isdigit():
                primary.append(_code(int(base) + 2))
            else:
                primary.append(_code(min(ord(base), 1200) + 60))
            secondary.append(_code(tone + 1))
        primary.append("01")  # word separator sorts before any letter: "An" < "Anh"
    return "".join(primary) + "00" + "".join(secondary)


@dataclass(frozen=True)
class NameParts:
    """A Vietnamese full name cut into family name (họ), middle names (tên đệm) and given name (tên)."""

    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


def split_name(full_name: str) -> NameParts:
    """'Nguyễn Thị Minh Khai' -> family 'Nguyễn', middle 'Thị Minh', given 'Khai'.

    A one-word name is a given name only. The split is a default: people whose family name has two
    words (Tôn Nữ, Âu Dương) are corrected on their record.
    """
    words = nfc(full_name).split(" ")
    if words == [""]:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", "", words[0])
    return NameParts(words[0], " ".join(words[1:-1]), words[-1])


def name_sort_key(parts: NameParts) -> str:
    """Sort key for a person: given name, then family name, then middle names."""
    return collation_key(" ".join(part for part in (parts.given, parts.family, parts.middle) if part))
