"""Document number and symbol (số, ký hiệu) of State and Party documents: formatting, parsing, checks.

State documents (Decree 30/2020/NĐ-CP, Art. 7, 15 and Appendices I and III)
    ``Số: 12/QĐ-UBND``: the number, "/", the type abbreviation, "-", the issuer's abbreviation, no
    spaces. A Công văn has no type abbreviation; the issuer is followed by the drafting unit or
    field: ``Số: 12/UBND-VX``. Legal-normative documents carry the year: ``Số: 15/2025/NQ-HĐND``.
    Numbers below 10 take a leading zero. Outgoing numbers run from 01 on 1 January to 31 December.

Party documents (Hướng dẫn 36-HD/VPTW, 03/04/2018, under Quy định 66-QĐ/TW)
    ``Số 57-NQ/TW``: the number, "-", the type abbreviation, "/", the issuer; no colon after "Số".
    A Công văn has the abbreviation CV (``64-CV/TW``). Each type is numbered from 01 within each
    committee term, not each year.

Case: symbols are written in capitals except a few abbreviations whose lower-case letters are part of
the official spelling: QyĐ (Quy định), QĐi (Party Quy định), TTr (Tờ trình), CTr (Chương trình),
TrS (trích sao), and the issuer TTg (Thủ tướng Chính phủ). Those are matched case-insensitively
and written as in the tables. Đ and D are different letters: HĐ (Hợp đồng) is not HD (Hướng dẫn).

Lengths follow the edXML input standard (QCVN 102, Decree 30 Appendix VI): CodeNumber (the number)
at most 11 characters, CodeNotation (everything after the number's separator) at most 30.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------

SYMBOL_ERROR_CODES: Final[tuple[str, ...]] = (
    "empty",  # nothing but blanks or a bare "Số:"
    "too_long",  # input far longer than any symbol; refused before parsing
    "no_number",  # does not start with a number
    "bad_number",  # number 0
    "number_too_large",  # more than 11 characters (edXML CodeNumber)
    "notation_too_long",  # more than 30 characters after the number (edXML CodeNotation)
    "bad_shape",  # separators in the wrong places, missing type or issuer
    "bad_characters",  # characters other than letters, digits and the separators
    "bad_year",  # the year of a legal-normative symbol is not a plausible 4-digit year
    "year_not_allowed",  # a year given to a Party document
    "missing_issuer",  # no issuer abbreviation
    "drafting_unit_not_allowed",  # a drafting unit given to a Party or legal-normative document
    "type_mismatch",  # the type the caller expected is not the one in the symbol
    "missing_term_start",  # per-term numbering without the term's start date
    "term_starts_after_issue",  # the term begins after the document's date
    "scheme_not_allowed",  # per-term numbering asked for State documents
)

FORMAT_PROBLEM_CODES: Final[tuple[str, ...]] = (
    "system_mismatch",
    "missing_issuer",
    "missing_abbreviation",
    "missing_drafting_unit",
    "drafting_unit_not_allowed",
    "bad_characters",
    "bad_shape",
    "old_abbreviation",
    "dropped_type",
    "notation_too_long",
)


class SymbolError(ValueError):
    """A number/symbol cannot be formatted or parsed; ``code`` is one of ``SYMBOL_ERROR_CODES``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class FormatProblem:
    """One reason a symbol would be issued in the wrong format; ``code`` is in ``FORMAT_PROBLEM_CODES``."""

    code: str
    detail: str


# --------------------------------------------------------------------------------------------------
# Document types
# --------------------------------------------------------------------------------------------------


class System(enum.StrEnum):
    """Which rulebook a register follows: State (Decree 30/2020) or Party (36-HD/VPTW)."""

    STATE = "state"
    PARTY = "party"


class NumberingScheme(enum.StrEnum):
    """How a number series restarts: every calendar year, or every Party committee term."""

    YEARLY = "yearly"
    TERM = "term"


# QCVN 102 amendment 1:2022 DocumentType/Type. The list gives the legal-normative group first; that
# group 1 is legal-normative and 2 administrative is inferred from that order, not read [U].
EDXML_TYPE_NORMATIVE: Final = 1
EDXML_TYPE_ADMINISTRATIVE: Final = 2

CODE_NUMBER_MAX: Final = 11
CODE_NOTATION_MAX: Final = 30
_INPUT_MAX: Final = 120


@dataclass(frozen=True)
class DocumentTypeSpec:
    """A document type as seed data: its name, symbol abbreviation and edXML classification.

    ``normative``: a State legal-normative document, whose symbol carries the year.
    ``edxml_type`` / ``edxml_type_detail``: QCVN 102 amendment 1:2022 ``DocumentType`` values where the
    list was seen, else None. ``verified`` is False for what the reference tags unconfirmed [U] or
    seen only in implementations [I]; ``note`` says why. ``is_copy`` marks the kinds of copy (sao y,
    trích sao, sao lục), which share one yearly series of their own (Decree 30 Appendix I).
    """

    key: str
    name: str
    abbreviation: str
    system: System
    normative: bool
    edxml_type: int | None
    edxml_type_detail: int | None
    verified: bool
    is_copy: bool = False
    note: str = ""


def _state(
    key: str,
    name: str,
    abbreviation: str,
    detail: int | None = None,
    *,
    normative: bool = False,
    verified: bool = True,
    is_copy: bool = False,
    note: str = "",
) -> DocumentTypeSpec:
    return DocumentTypeSpec(
        key=key,
        name=name,
        abbreviation=abbreviation,
        system=System.STATE,
        normative=normative,
        edxml_type=None if detail is None else EDXML_TYPE_NORMATIVE if normative else EDXML_TYPE_ADMINISTRATIVE,
        edxml_type_detail=detail,
        verified=verified,
        is_copy=is_copy,
        note=note,
    )


def _party(key: str, name: str, abbreviation: str, *, verified: bool, note: str = "") -> DocumentTypeSpec:
    # The Party's own exchange network is not QCVN 102; no edXML code is assumed.
    return DocumentTypeSpec(
        key=key,
        name=name,
        abbreviation=abbreviation,
        system=System.PARTY,
        normative=False,
        edxml_type=None,
        edxml_type_detail=None,
        verified=verified,
        note=note,
    )


_SEEN_IN_SOFTWARE = "Abbreviation seen in implementations only [I]; check with the Party office."

# Decree 30/2020 Appendix III (administrative documents) in its order, then the legal-normative
# documents a People's Council or Committee issues, then the kinds of copy.
STATE_DOCUMENT_TYPES: Final[tuple[DocumentTypeSpec, ...]] = (
    _state("nghi_quyet", "Nghị quyết", "NQ", 1),
    _state("quyet_dinh", "Quyết định", "QĐ", 2),
    _state("chi_thi", "Chỉ thị", "CT", 3),
    _state("quy_che", "Quy chế", "QC", 4),
    _state("quy_dinh", "Quy định", "QyĐ", 5),
    _state("thong_cao", "Thông cáo", "TC", 6),
    _state("thong_bao", "Thông báo", "TB", 7),
    _state("huong_dan", "Hướng dẫn", "HD", 8),
    _state("chuong_trinh", "Chương trình", "CTr", 9),
    # Items 10-17 of the QCVN list were not seen; Decree 30's order suggests these eight [U].
    _state("ke_hoach", "Kế hoạch", "KH"),
    _state("phuong_an", "Phương án", "PA"),
    _state("de_an", "Đề án", "ĐA"),
    _state("du_an", "Dự án", "DA"),
    _state("bao_cao", "Báo cáo", "BC"),
    _state("bien_ban", "Biên bản", "BB"),
    _state("to_trinh", "Tờ trình", "TTr"),
    _state("hop_dong", "Hợp đồng", "HĐ"),
    _state("cong_van", "Công văn", "", 18),
    _state("cong_dien", "Công điện", "CĐ", 19),
    _state("ban_ghi_nho", "Bản ghi nhớ", "BGN", 20),
    _state("ban_thoa_thuan", "Bản thỏa thuận", "BTT", 22),
    _state("giay_uy_quyen", "Giấy ủy quyền", "GUQ", 24),
    _state("giay_moi", "Giấy mời", "GM", 25),
    _state("giay_gioi_thieu", "Giấy giới thiệu", "GGT", 26),
    _state("giay_nghi_phep", "Giấy nghỉ phép", "GNP"),
    _state("phieu_gui", "Phiếu gửi", "PG"),
    _state("phieu_chuyen", "Phiếu chuyển", "PC"),
    _state("phieu_bao", "Phiếu báo", "PB"),
    _state("thu_cong", "Thư công", "", note="No abbreviation; a numbered one takes the Công văn form."),
    _state("nghi_quyet_qppl", "Nghị quyết (quy phạm pháp luật)", "NQ", 5, normative=True),
    _state("quyet_dinh_qppl", "Quyết định (quy phạm pháp luật)", "QĐ", 8, normative=True),
    _state(
        "chi_thi_qppl",
        "Chỉ thị (quy phạm pháp luật)",
        "CT",
        11,
        normative=True,
        verified=False,
        note="QCVN 102 lists a People's Committee Chỉ thị as legal-normative, but the Law on Promulgation "
        "of Legal Documents no longer does [U].",
    ),
    _state("sao_y", "Bản sao y", "SY", is_copy=True),
    _state("trich_sao", "Bản trích sao", "TrS", is_copy=True),
    _state("sao_luc", "Bản sao lục", "SL", is_copy=True),
)

# Hướng dẫn 36-HD/VPTW and originals (reference §3).
PARTY_DOCUMENT_TYPES: Final[tuple[DocumentTypeSpec, ...]] = (
    _party("nghi_quyet", "Nghị quyết", "NQ", verified=True),
    _party("quyet_dinh", "Quyết định", "QĐ", verified=True),
    _party("chi_thi", "Chỉ thị", "CT", verified=True),
    _party("ket_luan", "Kết luận", "KL", verified=True),
    _party(
        "quy_dinh",
        "Quy định",
        "QĐi",
        verified=True,
        note="Some Politburo and Secretariat regulations are numbered with QĐ (66-QĐ/TW).",
    ),
    _party("huong_dan", "Hướng dẫn", "HD", verified=True),
    _party("quy_che", "Quy chế", "QC", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("thong_tri", "Thông tri", "TT", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("bao_cao", "Báo cáo", "BC", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("ke_hoach", "Kế hoạch", "KH", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("chuong_trinh", "Chương trình", "CTr", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("thong_bao", "Thông báo", "TB", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("to_trinh", "Tờ trình", "TTr", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("bien_ban", "Biên bản", "BB", verified=False, note=_SEEN_IN_SOFTWARE),
    _party("cong_van", "Công văn", "CV", verified=True),
    _party("de_an", "Đề án", "ĐA", verified=False, note="Unconfirmed [U]."),
    _party("quy_hoach", "Quy hoạch", "QH", verified=False, note="Unconfirmed [U]."),
    _party(
        "giay_moi",
        "Giấy mời",
        "GM",
        verified=False,
        note="Unconfirmed [U]: Party offices invite to meetings by Giấy mời; the abbreviation follows the State table.",
    ),
)

DOCUMENT_TYPES: Final[dict[System, tuple[DocumentTypeSpec, ...]]] = {
    System.STATE: STATE_DOCUMENT_TYPES,
    System.PARTY: PARTY_DOCUMENT_TYPES,
}

# Circular 01/2011/TT-BNV codes that Decree 30 replaced; some software still issues them.
OLD_STATE_ABBREVIATIONS: Final[dict[str, str]] = {"GN": "BGN", "TTh": "BTT", "UQ": "GUQ", "NP": "GNP"}
# Types Decree 30 no longer lists as administrative documents (Circular 01/2011 abbreviations).
DROPPED_STATE_ABBREVIATIONS: Final[dict[str, str]] = {
    "GCN": "Giấy chứng nhận",
    "BCK": "Bản cam kết",
    "GĐĐ": "Giấy đi đường",
}

# Issuer abbreviations whose lower-case letters are official; matched case-insensitively.
MIXED_CASE_ISSUERS: Final[tuple[str, ...]] = ("TTg",)


def _spelling_map(*spellings: str) -> dict[str, str]:
    return {spelling.casefold(): spelling for spelling in spellings if spelling}


_TYPE_SPELLINGS: Final[dict[System, dict[str, str]]] = {
    system: _spelling_map(*(spec.abbreviation for spec in specs)) for system, specs in DOCUMENT_TYPES.items()
}
# State abbreviations outside the seed types that arrive on incoming documents: central legal-normative
# documents and inspection conclusions (12/KL-TTr). Used only to tell a typed symbol from a Công văn.
OTHER_STATE_ABBREVIATIONS: Final[tuple[str, ...]] = ("NĐ", "TT", "TTLT", "NQLT", "KL")
_PARSE_STATE_TYPES: Final = frozenset(_TYPE_SPELLINGS[System.STATE]) | frozenset(
    _spelling_map(*OTHER_STATE_ABBREVIATIONS)
)
_ISSUER_SPELLINGS: Final = _spelling_map(*MIXED_CASE_ISSUERS)


def type_by_abbreviation(system: System, abbreviation: str, *, normative: bool = False) -> DocumentTypeSpec | None:
    """The default type of ``system`` with this abbreviation (case-insensitive, Đ ≠ D), or None.

    State NQ, QĐ and CT exist both as individual and as legal-normative types; ``normative`` picks.
    The Party's QĐ is Quyết định (a Quy định numbered QĐ cannot be told apart by its symbol).
    """
    wanted = _clean(abbreviation).casefold()
    for spec in DOCUMENT_TYPES[System(system)]:
        if spec.abbreviation.casefold() == wanted and spec.normative == normative:
            return spec
    return None


# --------------------------------------------------------------------------------------------------
# Text clean-up
# --------------------------------------------------------------------------------------------------

_DASHES = str.maketrans(
    {
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (Word's autocorrect)
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\ufe63": "-",
        "\uff0d": "-",
        "\u2044": "/",  # fraction slash
        "\u2215": "/",  # division slash
        "\uff0f": "/",
        # OCR reads Đ as the Icelandic eth (stack notes, gotcha 7).
        "\u00d0": "\u0110",
        "\u00f0": "\u0111",
        # Invisible characters pasted from web pages and PDFs.
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_PREFIX = re.compile(r"^(?:số|so)(?![^\W\d_])\s*[:.]?\s*", re.IGNORECASE)


def _clean(text: str) -> str:
    """NFC, look-alike dashes and slashes unified, invisible characters dropped, ends trimmed."""
    return unicodedata.normalize("NFC", text).translate(_DASHES).strip()


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _is_word(text: str) -> bool:
    """Latin letters (Vietnamese ones included, precomposed) and ASCII digits only: one part of a symbol.

    Other scripts are refused so that a Cyrillic "В" cannot pass for a Latin "B" in "UBND".
    """
    return bool(text) and all(
        (ch.isascii() and ch.isalnum()) or (ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN "))
        for ch in text
    )


def _spell(part: str, spellings: dict[str, str]) -> str:
    """The canonical spelling of one part: as in the tables when known, else in capitals.

    An unknown part that starts with two capitals and has lower case keeps it (a body spelling its own
    name, as a provincial Inspectorate's "TTr"); anything else ("ubnd", "Tw") becomes capitals.
    """
    known = spellings.get(part.casefold())
    if known is not None:
        return known
    # Two leading capitals then lower case is a deliberate spelling ("TTr"); "Tw" or "ubnd" is typing.
    if part[:2].isupper() and not part.isupper():
        return part
    return part.upper()


def _spell_segments(parts: str, spellings: dict[str, str]) -> str:
    return "-".join(_spell(part, spellings) for part in parts.split("-"))


def _check_segments(value: str, what: str) -> None:
    """``value`` is one or more words joined by "-" (joint issuers such as BTP-BTC)."""
    for part in value.split("-"):
        if not part:
            raise SymbolError("bad_shape", f"The {what} {value!r} has an empty part.")
        if not _is_word(part):
            raise SymbolError("bad_characters", f"The {what} {value!r} may contain only letters and digits.")


# --------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------


def _format_number(number: object) -> str:
    if isinstance(number, bool) or not isinstance(number, int):
        raise SymbolError("no_number", f"The number must be a whole number, got {number!r}.")
    if number < 1:
        raise SymbolError("bad_number", f"Numbers start at 01, got {number}.")
    text = f"{number:02d}"
    if len(text) > CODE_NUMBER_MAX:
        raise SymbolError("number_too_large", f"The number has {len(text)} digits; edXML allows {CODE_NUMBER_MAX}.")
    return text


def _check_notation(notation: str) -> None:
    if len(notation) > CODE_NOTATION_MAX:
        raise SymbolError(
            "notation_too_long",
            f"{notation!r} has {len(notation)} characters after the number; edXML allows {CODE_NOTATION_MAX}.",
        )


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1945 <= year <= 2999:
        raise SymbolError("bad_year", f"The year must be a 4-digit year from 1945, got {year!r}.")
    return year


def _notation(system: System, type_abbreviation: str, issuer: str, year: int | None, drafting_unit: str | None) -> str:
    """Everything after the number and its separator, canonically spelled and checked."""
    abbreviation = _clean(type_abbreviation)
    issuer = _clean(issuer)
    unit = _clean(drafting_unit) if drafting_unit is not None else ""
    if not issuer:
        raise SymbolError("missing_issuer", "The symbol needs the issuer's abbreviation.")
    _check_segments(issuer, "issuer")
    if abbreviation and not _is_word(abbreviation):
        raise SymbolError("bad_characters", f"The type abbreviation {abbreviation!r} may contain only letters.")
    if unit:
        _check_segments(unit, "drafting unit")
    issuer = _spell_segments(issuer, _ISSUER_SPELLINGS)
    unit = _spell_segments(unit, _ISSUER_SPELLINGS) if unit else ""
    abbreviation = _spell(abbreviation, _TYPE_SPELLINGS[system]) if abbreviation else ""

    if system is System.PARTY:
        if not abbreviation:
            raise SymbolError("bad_shape", "A Party symbol needs a type abbreviation (CV for a Công văn).")
        if year is not None:
            raise SymbolError("year_not_allowed", "Party symbols carry no year.")
        if unit:
            raise SymbolError("drafting_unit_not_allowed", "Party symbols carry no drafting unit.")
        notation = f"{abbreviation}/{issuer}"
    elif year is not None:
        if unit:
            raise SymbolError("drafting_unit_not_allowed", "A legal-normative symbol carries no drafting unit.")
        # Laws and ordinances have no type abbreviation: 80/2015/QH13, 01/2022/UBTVQH15.
        notation = f"{_check_year(year)}/" + (f"{abbreviation}-{issuer}" if abbreviation else issuer)
    elif abbreviation:
        # A drafting unit after a typed document is not Decree 30's form but arrives from some bodies.
        notation = f"{abbreviation}-{issuer}" + (f"-{unit}" if unit else "")
    else:
        notation = issuer + (f"-{unit}" if unit else "")
    _check_notation(notation)
    return notation


def format_symbol(
    system: System,
    number: int,
    type_abbreviation: str,
    issuer: str,
    *,
    year: int | None = None,
    drafting_unit: str | None = None,
) -> str:
    """The number and symbol of a document, e.g. "12/QĐ-UBND", "15/2025/NQ-HĐND", "57-NQ/TW".

    State (Decree 30 Appendix I): ``NN/TYPE-ISSUER``; with ``year`` (legal-normative documents)
    ``NN/YYYY/TYPE-ISSUER`` (``NN/YYYY/ISSUER`` for a law: 80/2015/QH13); a Công văn (empty
    abbreviation) ``NN/ISSUER-UNIT``. Party (36-HD/VPTW):
    ``NN-TYPE/ISSUER``. Numbers below 10 get a leading zero. Known abbreviations take the tables'
    spelling whatever case is given ("qyđ" -> "QyĐ"). Joint issuers are joined by "-" ("BTP-BTC").
    """
    system = System(system)
    code_number = _format_number(number)
    notation = _notation(system, type_abbreviation, issuer, year, drafting_unit)
    separator = "-" if system is System.PARTY else "/"
    return f"{code_number}{separator}{notation}"


def number_line(system: System, symbol: str) -> str:
    """The "Số" line of the header: State "Số: 12/QĐ-UBND" (Decree 30), Party "Số 57-NQ/TW" (36-HD/VPTW)."""
    symbol = _clean(symbol)
    if not symbol:
        raise SymbolError("empty", "There is no symbol to print.")
    return f"Số: {symbol}" if System(system) is System.STATE else f"Số {symbol}"


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSymbol:
    """A number and symbol read from text; ``canonical`` is it written as ``format_symbol`` would."""

    system: System
    number: int
    year: int | None
    type_abbreviation: str
    issuer: str
    drafting_unit: str | None
    canonical: str

    @property
    def code_number(self) -> str:
        """edXML CodeNumber: the number as written ("05")."""
        return f"{self.number:02d}"

    @property
    def code_notation(self) -> str:
        """edXML CodeNotation: everything after the number's separator ("QĐ-UBND", "NQ/TW")."""
        return self.canonical[len(self.code_number) + 1 :]


def _strip_prefix(text: str) -> str:
    return _PREFIX.sub("", text, count=1)


def _body(text: str) -> str:
    """The symbol without "Số:", whitespace, or a trailing full stop or comma."""
    if not isinstance(text, str):
        raise SymbolError("empty", f"A symbol must be text, got {type(text).__name__}.")
    if len(text) > _INPUT_MAX:
        raise SymbolError("too_long", f"The text has {len(text)} characters; no symbol is that long.")
    body = _strip_prefix(_clean(text))
    body = "".join(body.split()).rstrip(".,;")
    if not body:
        raise SymbolError("empty", "The symbol is empty.")
    return body


def _leading_number(body: str) -> tuple[int, str, str]:
    """(number, separator, rest) for a body that starts with digits."""
    digits = len(body) - len(body.lstrip("0123456789"))
    if digits == 0:
        raise SymbolError("no_number", f"{body!r} does not start with the document's number.")
    number_text, rest = body[:digits], body[digits:]
    number = int(number_text)
    if number == 0:
        raise SymbolError("bad_number", "Numbers start at 01; 0 is not a document number.")
    if len(f"{number:02d}") > CODE_NUMBER_MAX:
        raise SymbolError("number_too_large", f"The number has {digits} digits; edXML allows {CODE_NUMBER_MAX}.")
    if not rest or rest[0] not in "/-":
        raise SymbolError("bad_shape", f"{body!r}: the number must be followed by '/' (State) or '-' (Party).")
    return number, rest[0], rest[1:]


def _check_characters(rest: str) -> None:
    bad = sorted({ch for ch in rest if ch not in "/-" and not _is_word(ch)})
    if bad:
        raise SymbolError("bad_characters", f"The symbol contains characters it cannot have: {' '.join(bad)!r}.")


def _match_hint(found: str, hint: str | None) -> None:
    if hint is not None and found.casefold() != _clean(hint).casefold():
        raise SymbolError("type_mismatch", f"The symbol's type is {found or 'none'!r}, expected {hint or 'none'!r}.")


def parse_symbol(text: str, *, type_abbreviation: str | None = None) -> ParsedSymbol:
    """Read a number/symbol as clerks type it and as it arrives from other bodies.

    Accepts an optional "Số:", "Số" or "So:" prefix, spaces anywhere, any case, NFD text, Word's
    dashes and OCR's eth for Đ. The shape tells the system: Party "N-TYPE/ISSUER", State "N/...".

    Parts of a State symbol: with a year, the type then the issuer, joint issuers joined by "-"
    ("01/2015/TTLT-BTP-BTC"), or the issuer alone for a law ("80/2015/QH13"). Without a year the
    shape is ambiguous: "12/CT-TTHT" may be a Chỉ thị of TTHT or a Công văn of a Tax Department (CT)
    drafted by TTHT. The first part is taken as the type when it is a known State abbreviation
    (the seed types and ``OTHER_STATE_ABBREVIATIONS``), then the issuer, then any drafting unit;
    otherwise the symbol is a Công văn (issuer, then drafting unit). When the document's type is
    known, pass its abbreviation as ``type_abbreviation`` ("" for a Công văn): it decides, and a
    different abbreviation in the symbol raises ``type_mismatch``.
    """
    body = _body(text)
    number, separator, rest = _leading_number(body)
    _check_characters(rest)

    if separator == "-":
        system = System.PARTY
        parts = rest.split("/")
        if len(parts) != 2 or not parts[0] or not parts[1] or "-" in parts[0]:
            raise SymbolError("bad_shape", f"{body!r} is not a Party symbol of the form NN-TYPE/ISSUER.")
        _match_hint(parts[0], type_abbreviation)
        year, abbreviation, issuer, unit = None, parts[0], parts[1], None
    else:
        system = System.STATE
        year = None
        if "/" in rest:
            year_text, _, rest = rest.partition("/")
            if not _is_digits(year_text):
                raise SymbolError("bad_shape", f"{body!r}: only a year may stand between two slashes.")
            if len(year_text) != 4:
                raise SymbolError("bad_year", f"{body!r}: expected a 4-digit year between the slashes.")
            year = _check_year(int(year_text))
            if "/" in rest:
                raise SymbolError("bad_shape", f"{body!r} has too many '/' for a State symbol.")
        parts = rest.split("-")
        if any(not part for part in parts):
            raise SymbolError("bad_shape", f"{body!r} has an empty part between separators.")
        if type_abbreviation is not None:
            typed = bool(_clean(type_abbreviation))
        elif year is not None:
            # A law has no type abbreviation (80/2015/QH13), but a lone type is a missing issuer.
            typed = len(parts) > 1 or parts[0].casefold() in _PARSE_STATE_TYPES
        else:
            typed = parts[0].casefold() in _PARSE_STATE_TYPES
        if typed:
            if len(parts) < 2:
                raise SymbolError("missing_issuer", f"{body!r} has a type but no issuer.")
            _match_hint(parts[0], type_abbreviation)
            abbreviation = parts[0]
            if year is not None:
                issuer, unit = "-".join(parts[1:]), None  # joint issuers: 01/2015/TTLT-BTP-BTC
            else:
                issuer, unit = parts[1], "-".join(parts[2:]) or None
        elif year is not None:
            abbreviation, issuer, unit = "", "-".join(parts), None
        else:
            abbreviation, issuer, unit = "", parts[0], "-".join(parts[1:]) or None

    # format_symbol checks every part; the fields take the same canonical spellings it writes.
    canonical = format_symbol(system, number, abbreviation, issuer, year=year, drafting_unit=unit)
    return ParsedSymbol(
        system=system,
        number=number,
        year=year,
        type_abbreviation=_spell(abbreviation, _TYPE_SPELLINGS[system]) if abbreviation else "",
        issuer=_spell_segments(issuer, _ISSUER_SPELLINGS),
        drafting_unit=_spell_segments(unit, _ISSUER_SPELLINGS) if unit else None,
        canonical=canonical,
    )


def symbol_key(text: str) -> str:
    """A comparison key for the duplicate warning (Decree 30 Appendix VI: same sender, number/symbol, date).

    NFC, case-folded, without "Số:" and spaces, numbers without leading zeros' difference
    ("5/QĐ-UBND" = "05/qđ-ubnd"). Đ stays distinct from D: HĐ (Hợp đồng) is not HD (Hướng dẫn).
    Text that does not parse still gets a key from the same clean-up.
    """
    try:
        return parse_symbol(text).canonical.casefold()
    except SymbolError:
        if not isinstance(text, str):
            return ""
        cleaned = _strip_prefix(_clean(text[: _INPUT_MAX * 4]))
        return "".join(cleaned.split()).casefold()


# --------------------------------------------------------------------------------------------------
# Checks before issuing
# --------------------------------------------------------------------------------------------------

_ISSUE_LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789Đđ")


def _bad_issue_characters(value: str) -> list[str]:
    return sorted({ch for ch in value if ch not in _ISSUE_LETTERS and ch != "-"})


def check_symbol_for_issue(
    system: System, type_spec: DocumentTypeSpec, issuer: str, drafting_unit: str | None
) -> list[FormatProblem]:
    """What is wrong with issuing a ``type_spec`` document under this issuer and drafting unit.

    Checks Decree 30 Appendix I / III (State) and 36-HD/VPTW (Party): the issuer abbreviation is
    present; a State Công văn names its drafting unit and nothing else does; symbols use only
    Latin letters, digits and Đ; the abbreviation is not one of Circular 01/2011's (GN, TTh, UQ, NP)
    or a type Decree 30 dropped; the edXML CodeNotation stays within 30 characters. An empty list
    means the symbol can be issued.
    """
    system = System(system)
    problems: list[FormatProblem] = []
    abbreviation = _clean(type_spec.abbreviation)
    issuer = _clean(issuer)
    unit = _clean(drafting_unit) if drafting_unit is not None else ""

    if type_spec.system is not system:
        problems.append(
            FormatProblem("system_mismatch", f"{type_spec.name} is a {type_spec.system} type, not a {system} one.")
        )
    if not issuer:
        problems.append(FormatProblem("missing_issuer", "The issuer's abbreviation is missing."))
    if system is System.PARTY and not abbreviation:
        problems.append(FormatProblem("missing_abbreviation", f"Party {type_spec.name} needs an abbreviation."))
    if system is System.STATE and not abbreviation and not type_spec.is_copy and not unit:
        problems.append(
            FormatProblem(
                "missing_drafting_unit",
                "A Công văn symbol names the drafting unit or field after the issuer (12/UBND-VX).",
            )
        )
    if unit and (system is System.PARTY or abbreviation):
        problems.append(
            FormatProblem(
                "drafting_unit_not_allowed",
                f"Only a State Công văn names a drafting unit; {type_spec.name} does not.",
            )
        )
    for what, value in (("type abbreviation", abbreviation), ("issuer", issuer), ("drafting unit", unit)):
        bad = _bad_issue_characters(value)
        if bad:
            problems.append(
                FormatProblem(
                    "bad_characters",
                    f"The {what} {value!r} contains {' '.join(bad)!r}; use only letters A-Z, Đ and digits.",
                )
            )
        elif value and any(not part for part in value.split("-")):
            problems.append(FormatProblem("bad_shape", f"The {what} {value!r} has an empty part."))
    if system is System.STATE:
        folded = abbreviation.casefold()
        for old, new in OLD_STATE_ABBREVIATIONS.items():
            if folded == old.casefold():
                problems.append(
                    FormatProblem(
                        "old_abbreviation",
                        f"{abbreviation} is the Circular 01/2011 code; Decree 30 uses {new}.",
                    )
                )
        for dropped, name in DROPPED_STATE_ABBREVIATIONS.items():
            if folded == dropped.casefold():
                problems.append(
                    FormatProblem("dropped_type", f"{name} ({dropped}) is no longer a Decree 30 document type.")
                )
    if issuer and not problems:
        year = 2000 if type_spec.normative else None  # any 4-digit year: only the length matters here
        try:
            _notation(system, abbreviation, issuer, year, unit or None)
        except SymbolError as error:
            problems.append(
                FormatProblem(error.code if error.code in FORMAT_PROBLEM_CODES else "bad_shape", error.detail)
            )
    return problems


# --------------------------------------------------------------------------------------------------
# Number series
# --------------------------------------------------------------------------------------------------


def series_period(system: System, scheme: NumberingScheme, issued_on: date, term_started_on: date | None) -> str:
    """The period a number belongs to: numbers restart at 01 in each period.

    * State (Decree 30 Art. 15): ``yearly``, from 01 on 1 January to 31 December -> "2026".
    * Party (36-HD/VPTW): ``term``, each type from 01 within each committee term, which starts the
      day after one congress closes -> "term-2025-10-15" (the start date). Party registers that do
      run by year, such as incoming numbers, may use ``yearly``. State registers never run by term.
    """
    system = System(system)
    scheme = NumberingScheme(scheme)
    if scheme is NumberingScheme.YEARLY:
        return f"{issued_on.year:04d}"
    if system is System.STATE:
        raise SymbolError("scheme_not_allowed", "State numbers run by calendar year (Decree 30 Art. 15), not by term.")
    if term_started_on is None:
        raise SymbolError("missing_term_start", "Per-term numbering needs the date the committee's term started.")
    if term_started_on > issued_on:
        raise SymbolError(
            "term_starts_after_issue",
            f"The term starting {term_started_on.isoformat()} cannot hold a document of {issued_on.isoformat()}.",
        )
    return f"term-{term_started_on.isoformat()}"
