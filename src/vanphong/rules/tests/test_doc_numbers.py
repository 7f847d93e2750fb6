"""Số, ký hiệu: Decree 30/2020 (State) and 36-HD/VPTW (Party) symbols, formatted, parsed and checked."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanphong.rules.doc_numbers import (
    CODE_NOTATION_MAX,
    CODE_NUMBER_MAX,
    FORMAT_PROBLEM_CODES,
    PARTY_DOCUMENT_TYPES,
    STATE_DOCUMENT_TYPES,
    SYMBOL_ERROR_CODES,
    DocumentTypeSpec,
    NumberingScheme,
    ParsedSymbol,
    SymbolError,
    System,
    check_symbol_for_issue,
    format_symbol,
    number_line,
    parse_symbol,
    series_period,
    symbol_key,
    type_by_abbreviation,
)

STATE = System.STATE
PARTY = System.PARTY


def _state_type(key: str) -> DocumentTypeSpec:
    return next(spec for spec in STATE_DOCUMENT_TYPES if spec.key == key)


def _party_type(key: str) -> DocumentTypeSpec:
    return next(spec for spec in PARTY_DOCUMENT_TYPES if spec.key == key)


# --------------------------------------------------------------------------------------------------
# Seed tables
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("types", [STATE_DOCUMENT_TYPES, PARTY_DOCUMENT_TYPES])
def test_keys_are_unique_ascii_slugs(types: tuple[DocumentTypeSpec, ...]) -> None:
    keys = [spec.key for spec in types]
    assert len(keys) == len(set(keys))
    assert all(key.isascii() and key.replace("_", "").isalpha() and key.islower() for key in keys)
    assert all(unicodedata.is_normalized("NFC", spec.name) for spec in types)


@pytest.mark.parametrize(
    ("key", "name", "abbreviation", "edxml"),
    [
        ("quyet_dinh", "Quyết định", "QĐ", (2, 2)),
        ("quy_dinh", "Quy định", "QyĐ", (2, 5)),
        ("chuong_trinh", "Chương trình", "CTr", (2, 9)),
        ("to_trinh", "Tờ trình", "TTr", (None, None)),
        ("hop_dong", "Hợp đồng", "HĐ", (None, None)),
        ("huong_dan", "Hướng dẫn", "HD", (2, 8)),
        ("de_an", "Đề án", "ĐA", (None, None)),
        ("du_an", "Dự án", "DA", (None, None)),
        ("cong_van", "Công văn", "", (2, 18)),
        ("cong_dien", "Công điện", "CĐ", (2, 19)),
        ("ban_ghi_nho", "Bản ghi nhớ", "BGN", (2, 20)),
        ("ban_thoa_thuan", "Bản thỏa thuận", "BTT", (2, 22)),
        ("giay_uy_quyen", "Giấy ủy quyền", "GUQ", (2, 24)),
        ("giay_nghi_phep", "Giấy nghỉ phép", "GNP", (None, None)),
        ("phieu_gui", "Phiếu gửi", "PG", (None, None)),
        ("phieu_chuyen", "Phiếu chuyển", "PC", (None, None)),
        ("phieu_bao", "Phiếu báo", "PB", (None, None)),
        ("nghi_quyet_qppl", "Nghị quyết (quy phạm pháp luật)", "NQ", (1, 5)),
        ("quyet_dinh_qppl", "Quyết định (quy phạm pháp luật)", "QĐ", (1, 8)),
        ("trich_sao", "Bản trích sao", "TrS", (None, None)),
    ],
)
def test_state_types_follow_decree_30_appendix_iii(
    key: str, name: str, abbreviation: str, edxml: tuple[int | None, int | None]
) -> None:
    spec = _state_type(key)
    assert (spec.name, spec.abbreviation, spec.system) == (name, abbreviation, STATE)
    assert (spec.edxml_type, spec.edxml_type_detail) == edxml


def test_state_table_shape() -> None:
    abbreviations = {spec.abbreviation for spec in STATE_DOCUMENT_TYPES}
    # Decree 30 dropped these or replaced the Circular 01/2011 codes.
    assert not abbreviations & {"GCN", "GN", "TTh", "UQ", "NP"}
    assert {spec.abbreviation for spec in STATE_DOCUMENT_TYPES if spec.is_copy} == {"SY", "TrS", "SL"}
    assert {spec.key for spec in STATE_DOCUMENT_TYPES if spec.normative} == {
        "nghi_quyet_qppl",
        "quyet_dinh_qppl",
        "chi_thi_qppl",
    }
    assert not _state_type("chi_thi_qppl").verified  # not in the promulgation law's list
    assert _state_type("quy_dinh").verified


@pytest.mark.parametrize(
    ("key", "abbreviation", "verified"),
    [
        ("nghi_quyet", "NQ", True),
        ("ket_luan", "KL", True),
        ("quy_dinh", "QĐi", True),
        ("huong_dan", "HD", True),
        ("cong_van", "CV", True),
        ("thong_tri", "TT", False),  # [I]
        ("to_trinh", "TTr", False),  # [I]
        ("chuong_trinh", "CTr", False),  # [I]
        ("de_an", "ĐA", False),  # [U]
        ("quy_hoach", "QH", False),  # [U]
    ],
)
def test_party_types_follow_36_hd_vptw(key: str, abbreviation: str, verified: bool) -> None:
    spec = _party_type(key)
    assert (spec.abbreviation, spec.verified, spec.system) == (abbreviation, verified, PARTY)
    assert spec.edxml_type is None
    assert spec.verified or spec.note


@pytest.mark.parametrize(
    ("system", "abbreviation", "normative", "key"),
    [
        (STATE, "qyđ", False, "quy_dinh"),
        (STATE, "QĐ", False, "quyet_dinh"),
        (STATE, "QĐ", True, "quyet_dinh_qppl"),
        (STATE, "HD", False, "huong_dan"),
        (STATE, "HĐ", False, "hop_dong"),
        (STATE, "DA", False, "du_an"),
        (STATE, "ĐA", False, "de_an"),
        (PARTY, "qđi", False, "quy_dinh"),
        (PARTY, "CV", False, "cong_van"),
        (STATE, "GN", False, None),
        (STATE, "CV", False, None),
    ],
)
def test_type_by_abbreviation(system: System, abbreviation: str, normative: bool, key: str | None) -> None:
    spec = type_by_abbreviation(system, abbreviation, normative=normative)
    assert (spec.key if spec else None) == key


# --------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "number", "abbreviation", "issuer", "year", "unit", "expected"),
    [
        (STATE, 12, "QĐ", "UBND", None, None, "12/QĐ-UBND"),
        (STATE, 5, "QĐ", "UBND", None, None, "05/QĐ-UBND"),
        (STATE, 1, "TB", "VPUBND", None, None, "01/TB-VPUBND"),
        (STATE, 10, "KH", "UBND", None, None, "10/KH-UBND"),
        (STATE, 15, "NQ", "HĐND", 2025, None, "15/2025/NQ-HĐND"),
        (STATE, 3, "QĐ", "UBND", 2026, None, "03/2026/QĐ-UBND"),
        (STATE, 12, "", "UBND", None, "VX", "12/UBND-VX"),
        (STATE, 2450, "", "VPCP", None, "KGVX", "2450/VPCP-KGVX"),
        (STATE, 7816, "", "VPCP", None, "TTĐT", "7816/VPCP-TTĐT"),
        (STATE, 4, "qyđ", "ubnd", None, None, "04/QyĐ-UBND"),
        (STATE, 9, "TTR", "UBND", None, None, "09/TTr-UBND"),
        (STATE, 2, "ctr", "UBND", None, None, "02/CTr-UBND"),
        (STATE, 6, "trs", "VP", None, None, "06/TrS-VP"),
        (STATE, 12, "QĐ", "TTG", None, None, "12/QĐ-TTg"),
        (STATE, 9, "QĐ", "TTg", 2025, None, "09/2025/QĐ-TTg"),
        (STATE, 1, "TTLT", "BTP-BTC", 2015, None, "01/2015/TTLT-BTP-BTC"),
        (STATE, 80, "", "QH13", 2015, None, "80/2015/QH13"),
        (STATE, 5, "HĐ", "UBND", None, None, "05/HĐ-UBND"),
        (STATE, 5, "HD", "UBND", None, None, "05/HD-UBND"),
        (PARTY, 57, "NQ", "TW", None, None, "57-NQ/TW"),
        (PARTY, 64, "CV", "TW", None, None, "64-CV/TW"),
        (PARTY, 5, "CT", "TU", None, None, "05-CT/TU"),
        (PARTY, 8, "qđi", "tw", None, None, "08-QĐi/TW"),
        (PARTY, 36, "HD", "VPTW", None, None, "36-HD/VPTW"),
        (PARTY, 14514, "CV", "VPTW", None, None, "14514-CV/VPTW"),
        (PARTY, 3, "TB", "VPTU", None, None, "03-TB/VPTU"),
        (PARTY, 21, "HD", "BTCTU", None, None, "21-HD/BTCTU"),
        (PARTY, 2, "TTr", "ĐU", None, None, "02-TTr/ĐU"),
        (PARTY, 4, "ĐA", "TU", None, None, "04-ĐA/TU"),
    ],
)
def test_format_symbol(
    system: System, number: int, abbreviation: str, issuer: str, year: int | None, unit: str | None, expected: str
) -> None:
    assert format_symbol(system, number, abbreviation, issuer, year=year, drafting_unit=unit) == expected


@pytest.mark.parametrize(
    ("system", "symbol", "line"),
    [
        (STATE, "12/QĐ-UBND", "Số: 12/QĐ-UBND"),
        (STATE, "15/2025/NQ-HĐND", "Số: 15/2025/NQ-HĐND"),
        (PARTY, "57-NQ/TW", "Số 57-NQ/TW"),
        (PARTY, "36-HD/VPTW", "Số 36-HD/VPTW"),
    ],
)
def test_number_line(system: System, symbol: str, line: str) -> None:
    assert number_line(system, symbol) == line


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"system": STATE, "number": 0, "type_abbreviation": "QĐ", "issuer": "UBND"}, "bad_number"),
        ({"system": STATE, "number": -4, "type_abbreviation": "QĐ", "issuer": "UBND"}, "bad_number"),
        ({"system": STATE, "number": True, "type_abbreviation": "QĐ", "issuer": "UBND"}, "no_number"),
        ({"system": STATE, "number": "12", "type_abbreviation": "QĐ", "issuer": "UBND"}, "no_number"),
        ({"system": STATE, "number": 10**11, "type_abbreviation": "QĐ", "issuer": "UBND"}, "number_too_large"),
        ({"system": STATE, "number": 1, "type_abbreviation": "QĐ", "issuer": ""}, "missing_issuer"),
        ({"system": STATE, "number": 1, "type_abbreviation": "QĐ", "issuer": "  "}, "missing_issuer"),
        ({"system": STATE, "number": 1, "type_abbreviation": "QĐ", "issuer": "UB ND"}, "bad_characters"),
        ({"system": STATE, "number": 1, "type_abbreviation": "QĐ", "issuer": "UBND/VX"}, "bad_characters"),
        ({"system": STATE, "number": 1, "type_abbreviation": "Q-Đ", "issuer": "UBND"}, "bad_characters"),
        ({"system": STATE, "number": 1, "type_abbreviation": "QĐ", "issuer": "UBND-"}, "bad_shape"),
        ({"system": STATE, "number": 1, "type_abbreviation": "NQ", "issuer": "HĐND", "year": 25}, "bad_year"),
        (
            {
                "system": STATE,
                "number": 1,
                "type_abbreviation": "NQ",
                "issuer": "HĐND",
                "year": 2025,
                "drafting_unit": "VX",
            },
            "drafting_unit_not_allowed",
        ),
        ({"system": PARTY, "number": 1, "type_abbreviation": "NQ", "issuer": "TW", "year": 2025}, "year_not_allowed"),
        (
            {"system": PARTY, "number": 1, "type_abbreviation": "CV", "issuer": "TU", "drafting_unit": "VP"},
            "drafting_unit_not_allowed",
        ),
        ({"system": PARTY, "number": 1, "type_abbreviation": "", "issuer": "TU"}, "bad_shape"),
        (
            {"system": STATE, "number": 1, "type_abbreviation": "", "issuer": "SVHTTDL", "drafting_unit": "A" * 23},
            "notation_too_long",
        ),
    ],
)
def test_format_symbol_refuses(kwargs: dict[str, object], code: str) -> None:
    assert code in SYMBOL_ERROR_CODES
    with pytest.raises(SymbolError) as caught:
        format_symbol(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_edxml_length_limits_are_exact() -> None:
    eleven_digits = 10**10  # 11 characters: allowed
    assert len(format_symbol(STATE, eleven_digits, "QĐ", "UBND").split("/")[0]) == CODE_NUMBER_MAX
    with pytest.raises(SymbolError, match="11"):
        format_symbol(STATE, eleven_digits * 10, "QĐ", "UBND")
    # Notation "UBND-" + 25 letters = 30 characters: allowed; one more is not.
    unit = "X" * (CODE_NOTATION_MAX - len("UBND-"))
    parsed = parse_symbol(format_symbol(STATE, 1, "", "UBND", drafting_unit=unit))
    assert len(parsed.code_notation) == CODE_NOTATION_MAX
    with pytest.raises(SymbolError) as caught:
        parse_symbol(f"01/UBND-{unit}X")
    assert caught.value.code == "notation_too_long"


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------

_NFD = unicodedata.normalize("NFD", "Số: 15/2025/NQ-HĐND")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 12/QĐ-UBND", (STATE, 12, None, "QĐ", "UBND", None, "12/QĐ-UBND")),
        ("12/QĐ-UBND", (STATE, 12, None, "QĐ", "UBND", None, "12/QĐ-UBND")),
        ("số 12 / qđ - ubnd", (STATE, 12, None, "QĐ", "UBND", None, "12/QĐ-UBND")),
        ("So: 5/QD-UBND", (STATE, 5, None, "", "QD", "UBND", "05/QD-UBND")),  # QD is not QĐ
        ("SỐ:  005/TB-VPUBND.", (STATE, 5, None, "TB", "VPUBND", None, "05/TB-VPUBND")),
        (_NFD, (STATE, 15, 2025, "NQ", "HĐND", None, "15/2025/NQ-HĐND")),
        ("15/2025/nq-hđnd", (STATE, 15, 2025, "NQ", "HĐND", None, "15/2025/NQ-HĐND")),
        ("Số: 12/UBND-VX", (STATE, 12, None, "", "UBND", "VX", "12/UBND-VX")),
        ("2450/VPCP-KGVX", (STATE, 2450, None, "", "VPCP", "KGVX", "2450/VPCP-KGVX")),
        ("1234/ttg-kgvx", (STATE, 1234, None, "", "TTg", "KGVX", "1234/TTg-KGVX")),
        ("12/qđ-ttg", (STATE, 12, None, "QĐ", "TTg", None, "12/QĐ-TTg")),
        ("Số: 09/2025/QĐ-TTg", (STATE, 9, 2025, "QĐ", "TTg", None, "09/2025/QĐ-TTg")),
        ("30/2020/NĐ-CP", (STATE, 30, 2020, "NĐ", "CP", None, "30/2020/NĐ-CP")),
        ("01/2015/ttlt-btp-btc", (STATE, 1, 2015, "TTLT", "BTP-BTC", None, "01/2015/TTLT-BTP-BTC")),
        ("80/2015/QH13", (STATE, 80, 2015, "", "QH13", None, "80/2015/QH13")),
        ("4/qyđ-ubnd", (STATE, 4, None, "QyĐ", "UBND", None, "04/QyĐ-UBND")),
        ("4/QYĐ-UBND", (STATE, 4, None, "QyĐ", "UBND", None, "04/QyĐ-UBND")),
        ("9/TTR-UBND", (STATE, 9, None, "TTr", "UBND", None, "09/TTr-UBND")),
        ("2/ctr-ubnd", (STATE, 2, None, "CTr", "UBND", None, "02/CTr-UBND")),
        ("6/TRS-VP", (STATE, 6, None, "TrS", "VP", None, "06/TrS-VP")),
        ("06/SY-VP", (STATE, 6, None, "SY", "VP", None, "06/SY-VP")),
        ("5/hđ-ubnd", (STATE, 5, None, "HĐ", "UBND", None, "05/HĐ-UBND")),
        ("5/hd-ubnd", (STATE, 5, None, "HD", "UBND", None, "05/HD-UBND")),
        ("5/đa-ubnd", (STATE, 5, None, "ĐA", "UBND", None, "05/ĐA-UBND")),
        ("5/da-ubnd", (STATE, 5, None, "DA", "UBND", None, "05/DA-UBND")),
        ("05/KH-UBND-VX", (STATE, 5, None, "KH", "UBND", "VX", "05/KH-UBND-VX")),
        ("12/KL-TTr", (STATE, 12, None, "KL", "TTr", None, "12/KL-TTr")),
        ("Số 57-NQ/TW", (PARTY, 57, None, "NQ", "TW", None, "57-NQ/TW")),
        ("57-nq/tw", (PARTY, 57, None, "NQ", "TW", None, "57-NQ/TW")),
        ("Số 05 – CT/TU", (PARTY, 5, None, "CT", "TU", None, "05-CT/TU")),  # Word's en dash
        ("số 8-qđi/tw", (PARTY, 8, None, "QĐi", "TW", None, "08-QĐi/TW")),
        ("66-QĐ/TW", (PARTY, 66, None, "QĐ", "TW", None, "66-QĐ/TW")),
        ("Số 36-HD/VPTW", (PARTY, 36, None, "HD", "VPTW", None, "36-HD/VPTW")),
        ("14514-cv/vptw", (PARTY, 14514, None, "CV", "VPTW", None, "14514-CV/VPTW")),
        ("04-ttr/Tu", (PARTY, 4, None, "TTr", "TU", None, "04-TTr/TU")),
        ("Số 12-CV/BTCTU", (PARTY, 12, None, "CV", "BTCTU", None, "12-CV/BTCTU")),
        ("1-KL/ÐU", (PARTY, 1, None, "KL", "ĐU", None, "01-KL/ĐU")),  # OCR's eth read as Đ
        ("\u200b12/QĐ\u2011UBND\ufeff", (STATE, 12, None, "QĐ", "UBND", None, "12/QĐ-UBND")),
    ],
)
def test_parse_symbol(text: str, expected: tuple[object, ...]) -> None:
    parsed = parse_symbol(text)
    assert (
        parsed.system,
        parsed.number,
        parsed.year,
        parsed.type_abbreviation,
        parsed.issuer,
        parsed.drafting_unit,
        parsed.canonical,
    ) == expected
    assert unicodedata.is_normalized("NFC", parsed.canonical)
    # Canonical text parses to itself.
    assert parse_symbol(parsed.canonical) == parsed


@pytest.mark.parametrize(
    ("text", "hint", "abbreviation", "issuer", "unit"),
    [
        # A Tax Department (CT) Công văn drafted by TTHT, versus a Chỉ thị of TTHT.
        ("1234/CT-TTHT", "", "", "CT", "TTHT"),
        ("1234/CT-TTHT", "CT", "CT", "TTHT", None),
        ("1234/CT-TTHT", None, "CT", "TTHT", None),
        ("12/QĐ-UBND", "qđ", "QĐ", "UBND", None),
        ("12/2025/UBND-VX", "", "", "UBND-VX", None),  # nothing is dropped from an odd year shape
    ],
)
def test_type_hint_resolves_the_ambiguous_state_shape(
    text: str, hint: str | None, abbreviation: str, issuer: str, unit: str | None
) -> None:
    parsed = parse_symbol(text, type_abbreviation=hint)
    assert (parsed.type_abbreviation, parsed.issuer, parsed.drafting_unit) == (abbreviation, issuer, unit)
    assert parsed.canonical == text


@pytest.mark.parametrize(
    ("text", "hint"),
    [("12/QĐ-UBND", "QyĐ"), ("12/HD-UBND", "HĐ"), ("57-NQ/TW", "CV"), ("57-NQ/TW", "")],
)
def test_type_hint_mismatch(text: str, hint: str) -> None:
    with pytest.raises(SymbolError) as caught:
        parse_symbol(text, type_abbreviation=hint)
    assert caught.value.code == "type_mismatch"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Số:", "empty"),
        ("Số: .", "empty"),
        ("QĐ-UBND", "no_number"),
        ("Số: /QĐ-UBND", "no_number"),
        ("<script>alert(1)</script>", "no_number"),
        ("'; DROP TABLE documents; --", "no_number"),
        ("１２/QĐ-UBND", "no_number"),  # full-width digits are not a number here
        ("Luật số 80/2015/QH13", "no_number"),
        ("0/QĐ-UBND", "bad_number"),
        ("000-NQ/TW", "bad_number"),
        ("123456789012/QĐ-UBND", "number_too_large"),
        ("12", "bad_shape"),
        ("12/", "bad_shape"),
        ("12a/QĐ-UBND", "bad_shape"),
        ("12//QĐ-UBND", "bad_shape"),
        ("12/QĐ--UBND", "bad_shape"),
        ("12/2025/NQ/HĐND", "bad_shape"),
        ("Số: 12/QĐ-UBND ngày 01/3/2025", "bad_shape"),
        ("57-NQ/TW/VP", "bad_shape"),
        ("57-NQ-TW", "bad_shape"),
        ("57-/TW", "bad_shape"),
        ("57-NQ/", "bad_shape"),
        ("12/QĐ_UBND", "bad_characters"),
        ("12/QĐ-UBND#1", "bad_characters"),
        ("12/QĐ-UВND", "bad_characters"),  # Cyrillic В looks like B
        ("12/QĐ-UBN\x00D", "bad_characters"),
        ("12/QĐ-UBND\u0301", "bad_characters"),  # a stray combining accent
        ("12/25/NQ-HĐND", "bad_year"),
        ("12/1900/NQ-HĐND", "bad_year"),
        ("12/QĐ", "missing_issuer"),
        ("12/2025/NQ", "missing_issuer"),
        ("12/2025/NQ-", "bad_shape"),
        ("12/QĐ-" + "A" * 40, "notation_too_long"),
        ("12/QĐ-UBND" * 20, "too_long"),
    ],
)
def test_parse_symbol_refuses(text: str, code: str) -> None:
    assert code in SYMBOL_ERROR_CODES
    with pytest.raises(SymbolError) as caught:
        parse_symbol(text)
    assert caught.value.code == code
    assert caught.value.detail


def test_parse_symbol_refuses_non_text() -> None:
    with pytest.raises(SymbolError) as caught:
        parse_symbol(None)  # type: ignore[arg-type]
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    ("text", "number", "notation"),
    [
        ("Số: 7816/VPCP-TTĐT", "7816", "VPCP-TTĐT"),
        ("5/QĐ-UBND", "05", "QĐ-UBND"),
        ("15/2025/NQ-HĐND", "15", "2025/NQ-HĐND"),
        ("57-NQ/TW", "57", "NQ/TW"),
    ],
)
def test_edxml_code_number_and_notation(text: str, number: str, notation: str) -> None:
    parsed = parse_symbol(text)
    assert (parsed.code_number, parsed.code_notation) == (number, notation)


# --------------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------------

_state_issuers = st.sampled_from(["UBND", "HĐND", "VPUBND", "SNV", "STC", "TTg", "BTP-BTC", "VPCP"])
_units = st.sampled_from([None, "VX", "KT", "NC", "TTĐT", "KGVX"])
_numbers = st.integers(1, 10**10)


@settings(max_examples=300, deadline=None)
@given(
    spec=st.sampled_from([s for s in STATE_DOCUMENT_TYPES if s.abbreviation]),
    number=_numbers,
    issuer=_state_issuers,
    year=st.integers(1945, 2999),
)
def test_round_trip_typed_state_symbols(spec: DocumentTypeSpec, number: int, issuer: str, year: int) -> None:
    year_or_none = year if spec.normative else None
    if "-" in issuer and not spec.normative:
        issuer = issuer.split("-")[0]
    symbol = format_symbol(STATE, number, spec.abbreviation, issuer, year=year_or_none)
    parsed = parse_symbol(f"  số: {symbol.lower()} ")
    assert parsed == ParsedSymbol(STATE, number, year_or_none, spec.abbreviation, issuer, None, symbol)
    assert symbol_key(symbol) == symbol_key(symbol.upper()) == symbol_key(f"Số: {symbol}")


@settings(max_examples=200, deadline=None)
@given(number=_numbers, issuer=st.sampled_from(["UBND", "VPCP", "SNV", "TTg"]), unit=_units)
def test_round_trip_cong_van(number: int, issuer: str, unit: str | None) -> None:
    symbol = format_symbol(STATE, number, "", issuer, drafting_unit=unit)
    parsed = parse_symbol(symbol, type_abbreviation="")
    assert (parsed.issuer, parsed.drafting_unit, parsed.canonical) == (issuer, unit, symbol)


@settings(max_examples=200, deadline=None)
@given(
    spec=st.sampled_from(PARTY_DOCUMENT_TYPES),
    number=_numbers,
    issuer=st.sampled_from(["TW", "VPTW", "TU", "HU", "ĐU", "VPTU", "BTCTU", "BTGTU"]),
)
def test_round_trip_party_symbols(spec: DocumentTypeSpec, number: int, issuer: str) -> None:
    symbol = format_symbol(PARTY, number, spec.abbreviation, issuer)
    assert symbol == f"{number:02d}-{spec.abbreviation}/{issuer}"
    parsed = parse_symbol(unicodedata.normalize("NFD", f"Số {symbol.lower()}"))
    assert parsed == ParsedSymbol(PARTY, number, None, spec.abbreviation, issuer, None, symbol)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_parse_never_fails_with_anything_but_symbol_error(text: str) -> None:
    try:
        parsed = parse_symbol(text)
    except SymbolError as error:
        assert error.code in SYMBOL_ERROR_CODES
    else:
        assert parse_symbol(parsed.canonical) == parsed
    assert isinstance(symbol_key(text), str)


# --------------------------------------------------------------------------------------------------
# Duplicate key
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Số: 12/QĐ-UBND", "12/qđ-ubnd"),
        ("12 / QĐ - UBND", "12/QĐ-UBND"),
        ("5/QĐ-UBND", "05/QĐ-UBND"),
        (unicodedata.normalize("NFD", "15/2025/NQ-HĐND"), "15/2025/NQ-HĐND"),
        ("Số 57-NQ/TW", "57-nq/tw"),
        ("08-QĐI/TW", "08-QĐi/TW"),
        ("12/UBND–VX", "12/UBND-VX"),
    ],
)
def test_symbol_key_matches_the_same_symbol(a: str, b: str) -> None:
    assert symbol_key(a) == symbol_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("05/HĐ-UBND", "05/HD-UBND"),  # Hợp đồng vs Hướng dẫn
        ("05/ĐA-UBND", "05/DA-UBND"),  # Đề án vs Dự án
        ("12/QĐ-UBND", "12/QD-UBND"),
        ("08-QĐi/TW", "08-QĐ/TW"),
        ("12/QĐ-UBND", "13/QĐ-UBND"),
        ("57-NQ/TW", "57/NQ-TW"),
        ("15/2025/NQ-HĐND", "15/2024/NQ-HĐND"),
    ],
)
def test_symbol_key_keeps_different_symbols_apart(a: str, b: str) -> None:
    assert symbol_key(a) != symbol_key(b)


def test_symbol_key_of_unparseable_text_is_still_normalised() -> None:
    assert symbol_key("Số: abc / XYZ") == symbol_key("abc/xyz")
    assert symbol_key("HĐ-X") != symbol_key("HD-X")


# --------------------------------------------------------------------------------------------------
# Checks before issuing
# --------------------------------------------------------------------------------------------------


def _old_spec(abbreviation: str) -> DocumentTypeSpec:
    return DocumentTypeSpec("legacy", "Loại cũ", abbreviation, STATE, False, None, None, False)


@pytest.mark.parametrize(
    ("system", "spec", "issuer", "unit", "codes"),
    [
        (STATE, _state_type("quyet_dinh"), "UBND", None, []),
        (STATE, _state_type("quyet_dinh_qppl"), "UBND", None, []),
        (STATE, _state_type("cong_van"), "UBND", "VX", []),
        (STATE, _state_type("cong_van"), "UBND", None, ["missing_drafting_unit"]),
        (STATE, _state_type("cong_van"), "UBND", "  ", ["missing_drafting_unit"]),
        (STATE, _state_type("quyet_dinh"), "", None, ["missing_issuer"]),
        (STATE, _state_type("quyet_dinh"), "UBND", "VX", ["drafting_unit_not_allowed"]),
        (STATE, _state_type("sao_y"), "VP", None, []),
        (STATE, _state_type("quyet_dinh"), "UBND TỈNH", None, ["bad_characters"]),
        (STATE, _state_type("quyet_dinh"), "TƯ", None, ["bad_characters"]),
        (STATE, _state_type("cong_van"), "UBND", "V.X", ["bad_characters"]),
        (STATE, _state_type("quyet_dinh"), "UBND-", None, ["bad_shape"]),
        (STATE, _old_spec("GN"), "UBND", None, ["old_abbreviation"]),
        (STATE, _old_spec("TTh"), "UBND", None, ["old_abbreviation"]),
        (STATE, _old_spec("uq"), "UBND", None, ["old_abbreviation"]),
        (STATE, _old_spec("NP"), "UBND", None, ["old_abbreviation"]),
        (STATE, _old_spec("GCN"), "UBND", None, ["dropped_type"]),
        (STATE, _state_type("cong_van"), "SVHTTDL", "A" * 23, ["notation_too_long"]),
        (PARTY, _party_type("nghi_quyet"), "TU", None, []),
        (PARTY, _party_type("cong_van"), "VPTU", None, []),
        (PARTY, _party_type("quy_dinh"), "TW", None, []),
        (PARTY, _party_type("cong_van"), "VPTU", "TH", ["drafting_unit_not_allowed"]),
        (PARTY, _state_type("quyet_dinh"), "TU", None, ["system_mismatch"]),
        (PARTY, _state_type("cong_van"), "TU", None, ["system_mismatch", "missing_abbreviation"]),
        (PARTY, _party_type("nghi_quyet"), "", None, ["missing_issuer"]),
        (STATE, _old_spec("NP"), "", "VX", ["missing_issuer", "drafting_unit_not_allowed", "old_abbreviation"]),
    ],
)
def test_check_symbol_for_issue(
    system: System, spec: DocumentTypeSpec, issuer: str, unit: str | None, codes: list[str]
) -> None:
    problems = check_symbol_for_issue(system, spec, issuer, unit)
    assert [problem.code for problem in problems] == codes
    assert all(problem.code in FORMAT_PROBLEM_CODES and problem.detail for problem in problems)


def test_old_abbreviation_names_the_replacement() -> None:
    (problem,) = check_symbol_for_issue(STATE, _old_spec("TTh"), "UBND", None)
    assert "BTT" in problem.detail


@pytest.mark.parametrize("spec", [s for s in STATE_DOCUMENT_TYPES if s.abbreviation])
def test_every_typed_state_seed_type_can_be_issued(spec: DocumentTypeSpec) -> None:
    assert check_symbol_for_issue(STATE, spec, "UBND", None) == []


@pytest.mark.parametrize("spec", PARTY_DOCUMENT_TYPES)
def test_every_party_seed_type_can_be_issued(spec: DocumentTypeSpec) -> None:
    assert check_symbol_for_issue(PARTY, spec, "TU", None) == []


# --------------------------------------------------------------------------------------------------
# Number series
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "scheme", "issued_on", "term", "expected"),
    [
        (STATE, NumberingScheme.YEARLY, date(2026, 1, 1), None, "2026"),
        (STATE, "yearly", date(2025, 12, 31), None, "2025"),
        (PARTY, NumberingScheme.TERM, date(2026, 3, 2), date(2025, 10, 15), "term-2025-10-15"),
        (PARTY, NumberingScheme.TERM, date(2025, 10, 15), date(2025, 10, 15), "term-2025-10-15"),
        (PARTY, NumberingScheme.TERM, date(2030, 9, 30), date(2025, 10, 15), "term-2025-10-15"),
        (PARTY, NumberingScheme.YEARLY, date(2026, 3, 2), None, "2026"),  # e.g. incoming numbers
    ],
)
def test_series_period(
    system: System, scheme: NumberingScheme, issued_on: date, term: date | None, expected: str
) -> None:
    assert series_period(system, scheme, issued_on, term) == expected


@pytest.mark.parametrize(
    ("system", "scheme", "term", "code"),
    [
        (PARTY, NumberingScheme.TERM, None, "missing_term_start"),
        (PARTY, NumberingScheme.TERM, date(2026, 3, 3), "term_starts_after_issue"),
        (STATE, NumberingScheme.TERM, date(2025, 10, 15), "scheme_not_allowed"),
    ],
)
def test_series_period_refuses(system: System, scheme: NumberingScheme, term: date | None, code: str) -> None:
    with pytest.raises(SymbolError) as caught:
        series_period(system, scheme, date(2026, 3, 2), term)
    assert caught.value.code == code
