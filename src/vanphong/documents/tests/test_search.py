"""Full-text search: Vietnamese folding, exact-first ranking, whole symbols, phrases, hostile input,
visibility (totals, facets and snippets never reveal a document the account may not see), filters,
indexing at once, and the resumable reindex command. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vanphong.core.models import Account, Organization
from vanphong.documents import search
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentFile,
    DocumentSystem,
    DocumentText,
    DocumentType,
    FileRole,
    Register,
    Secrecy,
    Status,
    StoredFile,
    Urgency,
)
from vanphong.lib.vntext import fold, nfc
from vanphong.testing import Office

# --- a small factory (the services are still being written) --------------------------------------------


@dataclass
class Desk:
    """The registers and document types the tests file documents in."""

    office: Office
    party_in: Register  # incoming register of Văn phòng Tỉnh ủy, kept by office.clerk
    party_out: Register  # outgoing register of Văn phòng Tỉnh ủy
    ubnd_in: Register  # incoming register of UBND tỉnh Sơn Hà (another body)
    types: dict[str, DocumentType] = field(default_factory=dict)

    def add(
        self,
        abstract: str,
        *,
        register: Register | None = None,
        number_symbol: str = "",
        type_key: str = "cong-van",
        files: tuple[str, ...] = (),
        document_date: datetime.date = datetime.date(2025, 3, 14),
        **extra: Any,
    ) -> Document:
        register = register or self.party_in
        created_by = self.office.clerk
        document = Document.objects.create(
            direction=register.direction,
            register=register,
            status=extra.pop("status", Status.REGISTERED if register.direction == Direction.INCOMING else Status.DRAFT),
            document_type=self.types[type_key],
            number_symbol=number_symbol,
            abstract=abstract,
            document_date=document_date,
            created_by=created_by,
            **extra,
        )
        for number, text in enumerate(files):
            stored = StoredFile.objects.create(
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                size=len(text.encode()),
                media_type="application/pdf",
                text=text,
                text_state="extracted",
            )
            DocumentFile.objects.create(
                document=document, stored=stored, role=FileRole.SCAN, name=f"ban-quet-{number}.pdf", added_by=created_by
            )
        search.index_document(document)
        return document


TYPES = [
    ("nghi-quyet", "Nghị quyết", "NQ"),
    ("quyet-dinh", "Quyết định", "QĐ"),
    ("cong-van", "Công văn", ""),
    ("ke-hoach", "Kế hoạch", "KH"),
    ("bao-cao", "Báo cáo", "BC"),
]


@pytest.fixture
def desk(office: Office) -> Desk:
    def register(org: Organization, direction: str, name: str, system: str) -> Register:
        return Register.objects.create(organization=org, direction=direction, name=name, system=system)

    types = {
        key: DocumentType.objects.create(system=DocumentSystem.STATE, key=f"test-{key}", name=name, abbreviation=abbr)
        for key, name, abbr in TYPES
    }
    return Desk(
        office,
        register(office.party_office, Direction.INCOMING, "Sổ văn bản đến", DocumentSystem.PARTY),
        register(office.party_office, Direction.OUTGOING, "Sổ văn bản đi", DocumentSystem.PARTY),
        register(office.peoples_committee, Direction.INCOMING, "Sổ văn bản đến UBND", DocumentSystem.STATE),
        types,
    )


def found(account: Account, query: str, **kwargs: Any) -> list[str]:
    return [hit.document.abstract for hit in search.search(account, query, **kwargs).hits]


# --- folding ---------------------------------------------------------------------------------------------


FOLD_CASES = [
    ("Đảng ủy khối cơ quan", "dang uy khoi co quan"),
    ("Nghị quyết số 57-NQ/TW", "nghi quyet so 57-nq/tw"),
    ("QUYẾT ĐỊNH 12/QĐ-UBND", "quyet dinh 12/qd-ubnd"),
    ("Ủy ban nhân dân tỉnh Sơn Hà", "uy ban nhan dan tinh son ha"),
    ("Hội đồng nhân dân – “đột phá” phát triển…", "hoi dong nhan dan – “dot pha” phat trien…"),
    ("Tổ chức Đảng, đoàn thể; ưu tiên: Ơn, Ưu", "to chuc dang, doan the; uu tien: on, uu"),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_fast_fold_is_vntext_fold(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert search.fold_lower(nfc(text).lower()) == expected


def test_compose_text_squashes_symbols_in_both_forms() -> None:
    exact, folded, symbols = search.compose_text(
        ["12/2024/NQ-HĐND", "Nghị quyết", "Thực hiện Nghị quyết số 57-NQ/TW và Công văn 12/UBND-VX ngày 01/12/2024"]
    )
    assert exact.startswith("12/2024/nq-hđnd · nghị quyết")
    assert folded.startswith("12/2024/nq-hdnd · nghi quyet")
    # dates ("01/12/2024") are not symbols: they are found as phrases of their numbers
    assert symbols.split() == ["122024nqhđnd", "122024nqhdnd", "57nqtw", "12ubndvx"]


FOLDED_QUERIES = [
    ("nghi quyet", "Nghị quyết về đột phá phát triển khoa học, công nghệ"),
    ("dang uy", "Đảng ủy khối các cơ quan tỉnh báo cáo công tác"),
    ("quyet dinh", "Quyết định thành lập Ban chỉ đạo chuyển đổi số"),
    ("DANG UY", "Đảng ủy khối các cơ quan tỉnh báo cáo công tác"),
    ("Đảng Ủy", "Đảng ủy khối các cơ quan tỉnh báo cáo công tác"),
    ("ban chi dao", "Quyết định thành lập Ban chỉ đạo chuyển đổi số"),
    ("UY BAN nhan dan", "Ủy ban nhân dân tỉnh Sơn Hà đề nghị góp ý dự thảo"),
]


@pytest.mark.parametrize(("query", "expected"), FOLDED_QUERIES)
def test_unaccented_and_upper_case_queries_find_vietnamese_text(desk: Desk, query: str, expected: str) -> None:
    for _, abstract in FOLDED_QUERIES:
        if not Document.objects.filter(abstract=abstract).exists():
            desk.add(abstract)
    desk.add("Giấy mời dự hội nghị sơ kết")
    assert found(desk.office.clerk, query) == [expected]


def test_text_of_files_is_searched(desk: Desk) -> None:
    desk.add(
        "Công văn về việc rà soát", files=("Đề nghị các sở, ban, ngành báo cáo tình hình giải ngân vốn đầu tư công",)
    )
    desk.add("Công văn về việc rà soát biên chế")
    assert found(desk.office.clerk, "giai ngan von dau tu") == ["Công văn về việc rà soát"]


def test_text_for_uses_prefetched_files_and_reads_each_text_once(desk: Desk) -> None:
    document = desk.add(
        "Tờ trình về việc phê duyệt đề án",
        number_symbol="45/TTr-SNV",
        files=("Nội dung tờ trình: sắp xếp đơn vị hành chính cấp xã", "Phụ lục: danh sách 12 xã"),
    )
    # the same scan attached twice (content-addressed): its words are indexed once
    DocumentFile.objects.create(
        document=document,
        stored=StoredFile.objects.get(text__startswith="Phụ lục"),
        role=FileRole.STAMPED,
        name="dong-dau.pdf",
        added_by=desk.office.clerk,
    )
    plain = Document.objects.select_related("document_type").get(pk=document.pk)
    with CaptureQueriesContext(connection) as queries:
        expected = search.text_for(plain)
    assert len(queries) == 1  # all file texts in one query
    prefetched = Document.objects.select_related("document_type").prefetch_related("files__stored").get(pk=document.pk)
    with CaptureQueriesContext(connection) as queries:
        assert search.text_for(prefetched) == expected
    assert len(queries) == 0
    exact, folded, symbols = expected
    assert exact.count("phụ lục") == 1
    assert "sap xep don vi hanh chinh cap xa" in folded and symbols == "45ttrsnv"


# --- ranking ---------------------------------------------------------------------------------------------


def test_exact_diacritics_rank_first_then_relevance_then_newest(desk: Desk) -> None:
    party = desk.add("Báo cáo kết quả công tác xây dựng Đảng", document_date=datetime.date(2021, 1, 5))
    # newer, and with the folded word three times: only the exact-first rule puts "Đảng" above them
    shape = desk.add("Đổi mới dạng thức, dạng văn bản, dạng biểu mẫu", document_date=datetime.date(2025, 6, 1))
    register = desk.add("Hướng dẫn đăng ký, đăng tải, đăng kiểm", document_date=datetime.date(2025, 5, 1))
    desk.add("Kế hoạch tuyên truyền biển đảo")

    page = search.search(desk.office.clerk, "đảng")
    assert page.hits[0].document == party
    assert {h.document for h in page.hits[1:]} == {shape, register}
    assert [h.exact for h in page.hits] == [True, False, False]
    assert page.total == 3

    # typed without diacritics: nobody is "exact", relevance and then the newest decide
    page = search.search(desk.office.clerk, "dang")
    assert {h.document for h in page.hits} == {party, shape, register}
    assert not any(h.exact for h in page.hits)
    assert page.hits[-1].document == party  # one occurrence against three


def test_newest_first_when_relevance_ties(desk: Desk) -> None:
    older = desk.add("Giấy mời họp giao ban", document_date=datetime.date(2023, 2, 1))
    newer = desk.add("Giấy mời họp giao ban", document_date=datetime.date(2025, 2, 1))
    assert [h.document for h in search.search(desk.office.clerk, "giao ban").hits] == [newer, older]


# --- symbols ---------------------------------------------------------------------------------------------


@pytest.fixture
def symbols(desk: Desk) -> dict[str, Document]:
    return {
        "57": desk.add(
            "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            number_symbol="57-NQ/TW",
            type_key="nghi-quyet",
        ),
        "apart": desk.add(
            "Kế hoạch 57 nhiệm vụ trọng tâm của Ban Thường vụ, báo cáo TW",
            number_symbol="08-KH/TU",
            type_key="ke-hoach",
        ),
        "157": desk.add("Báo cáo sơ kết", number_symbol="157-NQ/TW", type_key="bao-cao"),
        "hdnd": desk.add("Nghị quyết quy định mức chi hỗ trợ", number_symbol="12/2024/NQ-HĐND", type_key="nghi-quyet"),
        "cited": desk.add(
            "Công văn triển khai thực hiện",
            files=("Căn cứ Nghị quyết số 12/2024/NQ-HĐND ngày 10/7/2024 của Hội đồng nhân dân tỉnh",),
        ),
        # typed with D for Đ by a clerk in a hurry: found, after the exact one
        "hd": desk.add("Nghị quyết về giá dịch vụ", number_symbol="12/2024/NQ-HDND", type_key="nghi-quyet"),
        "cv": desk.add("Công văn đôn đốc báo cáo", number_symbol="12/UBND-VX"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("57-NQ/TW", [{"57"}]),
        ("57-nq/tw", [{"57"}]),
        ("số 57-NQ/TW", [{"57"}]),
        ("157-NQ/TW", [{"157"}]),
        # exact Đ first (in the number or inside a file), then the one typed with D
        ("12/2024/NQ-HĐND", [{"hdnd", "cited"}, {"hd"}]),
        ("12/2024/nq-hdnd", [{"hdnd", "cited", "hd"}]),
        ("12/UBND-VX", [{"cv"}]),
        ("12/ubnd-vx đôn đốc", [{"cv"}]),
        ("NQ-HĐND", [{"hdnd", "cited"}, {"hd"}]),  # no number: a phrase of its parts, found inside symbols
        ("10/7/2024", [{"cited"}]),  # a date is a phrase of numbers, not a symbol
    ],
)
def test_symbols_are_found_whole(
    desk: Desk, symbols: dict[str, Document], query: str, expected: list[set[str]]
) -> None:
    names = {doc.pk: name for name, doc in symbols.items()}
    hits = [names[h.document.pk] for h in search.search(desk.office.clerk, query).hits]
    tiers = []
    for group in expected:
        tiers.append(set(hits[: len(group)]))
        hits = hits[len(group) :]
    assert tiers == expected and hits == []


def test_symbol_hit_is_marked_in_the_snippet(desk: Desk, symbols: dict[str, Document]) -> None:
    (hit,) = search.search(desk.office.clerk, "12/2024/NQ-HĐND thực hiện").hits
    assert "<mark>12/2024/nq-hđnd</mark>" in hit.snippet


# --- phrases and snippets --------------------------------------------------------------------------------


def test_quoted_phrase_needs_the_words_together(desk: Desk) -> None:
    together = desk.add("Kế hoạch chuyển đổi số năm 2025")
    desk.add("Số liệu chuyển sang, đổi mới cách làm")
    assert [h.document for h in search.search(desk.office.clerk, '"chuyển đổi số"').hits] == [together]
    assert len(search.search(desk.office.clerk, "chuyển đổi số").hits) == 2
    assert [h.document for h in search.search(desk.office.clerk, '"chuyen doi so" 2025').hits] == [together]


def test_snippet_is_escaped_and_marks_folded_matches(desk: Desk) -> None:
    desk.add('Báo cáo của Đảng ủy <script>alert("x")</script> & các chi bộ')
    (hit,) = search.search(desk.office.clerk, "dang uy").hits
    assert "<mark>Đảng</mark> <mark>ủy</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet


def test_snippet_comes_from_the_body_when_the_abstract_lacks_the_words(desk: Desk) -> None:
    body = "Phần mở đầu. " + "Nội dung chung. " * 40 + "Tăng cường kỷ luật, kỷ cương hành chính. " + "Kết luận. " * 40
    desk.add("Công văn số 15", files=(body,))
    (hit,) = search.search(desk.office.clerk, "ky luat ky cuong").hits
    assert "<mark>kỷ luật</mark>" not in hit.snippet  # words are marked one by one
    assert "<mark>kỷ</mark> <mark>luật</mark>, <mark>kỷ</mark> <mark>cương</mark>" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 600


# --- hostile input ---------------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    '"""',
    "*",
    "NEAR(",
    "NEAR(nghị quyết, 3)",
    "OR",
    "nghị OR quyết",
    "AND NOT",
    "-",
    "-nghị",
    ":",
    "folded: nghi",
    "{exact folded}: x",
    "^nghị",
    "nghị*",
    '"nghị quyết',
    'nghị "quyết',
    'a"b"c"d',
    "'",
    "\\",
    "%",
    "_",
    "%_\\'",
    "'); DROP TABLE documents_document; --",
    "&|!<->:*",
    "((((",
    "nghị:*",
    "x" * 10_000,
    "nghị quyết " * 1_000,
    "🎉 👩‍💻",
    "\x00",
    "Ⅷ ⅷ ²",
    "a\u0323\u0301",
    "\u200d\u200b",
    "中文 العربية हिन्दी",
    "   ",
    "",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_gives_a_page_never_an_error(desk: Desk, query: str) -> None:
    desk.add("Nghị quyết về công tác cán bộ", number_symbol="57-NQ/TW")
    page = search.search(desk.office.clerk, query)
    assert page.total == len(page.hits) <= 1
    # the connection is still usable (a failed statement would abort a PostgreSQL transaction)
    assert search.search(desk.office.clerk, "nghị quyết").total == 1


def test_hostile_input_still_finds_what_it_contains(desk: Desk) -> None:
    desk.add("Nghị quyết về công tác cán bộ")
    # operators are words like any other: "NEAR(nghị quyết" would need the word "near"
    for query in ['"nghị quyết', "(nghị quyết", "nghị* quyết:", "nghị quyết " * 1_000, "-nghị -quyết"]:
        assert search.search(desk.office.clerk, query).total == 1, query


# --- visibility ------------------------------------------------------------------------------------------


@pytest.fixture
def leaks(desk: Desk) -> dict[str, Document]:
    """The same words in a public, a secret, a top-secret and another body's document."""
    office = desk.office
    other_body = desk.add(
        "Đề án chuyển đổi số của Sở Nội vụ, bí danh Sông Hồng",
        register=desk.ubnd_in,
        type_key="bao-cao",
        document_date=datetime.date(2019, 4, 2),
    )
    Assignment.objects.create(document=other_body, unit=office.home_affairs, role=AssignmentRole.LEAD)
    return {
        "public": desk.add("Đề án chuyển đổi số của Văn phòng Tỉnh ủy", type_key="cong-van"),
        "secret": desk.add(
            "Đề án chuyển đổi số: phương án bảo vệ bí danh Bạch Đằng",
            type_key="ke-hoach",
            secrecy=Secrecy.MAT,
            document_date=datetime.date(2020, 8, 8),
        ),
        "top": desk.add(
            "Đề án chuyển đổi số: kế hoạch tác chiến bí danh Tây Sơn",
            type_key="nghi-quyet",
            secrecy=Secrecy.TOI_MAT,
            document_date=datetime.date(2018, 1, 1),
        ),
        "other": other_body,
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("clerk", {"public", "secret"}),  # keeps the registers, cleared for Mật only
        ("chief", {"public", "secret", "top"}),  # leads the office, cleared for Tối mật
        ("specialist", {"other"}),  # works in Sở Nội vụ, which was given the UBND document
        ("uncleared", set()),  # no role at all
        ("outsider_admin", {"other"}),  # administers UBND; works in Sở Nội vụ
    ],
)
def test_totals_facets_and_snippets_reveal_only_visible_documents(
    desk: Desk, leaks: dict[str, Document], who: str, sees: set[str]
) -> None:
    account = getattr(desk.office, who)
    names = {doc.pk: name for name, doc in leaks.items()}
    page = search.search(account, "chuyen doi so")
    assert {names[h.document.pk] for h in page.hits} == sees
    assert page.total == len(sees)
    visible_docs = [leaks[name] for name in sees]
    assert sorted(f.value for f in page.facets.types) == sorted({d.document_type_id for d in visible_docs})
    assert sum(f.count for f in page.facets.statuses) == len(sees)
    assert sorted(f.value for f in page.facets.years) == sorted({d.document_date.year for d in visible_docs})
    snippets = " ".join(h.snippet for h in page.hits)
    for name, codename in [("secret", "Bạch Đằng"), ("top", "Tây Sơn"), ("other", "Sông Hồng")]:
        assert (codename in snippets) == (name in sees)
    # asking for a word only a hidden document has reveals nothing, not even a count
    for name, codename in [("secret", "bach dang"), ("top", "tay son"), ("other", "song hong")]:
        page = search.search(account, codename)
        assert page.total == (1 if name in sees else 0)
        assert (page.facets.types == ()) == (name not in sees)


# --- filters ---------------------------------------------------------------------------------------------


def test_filters_narrow_in_sql(desk: Desk) -> None:
    office = desk.office
    old = desk.add(
        "Công văn về công tác phòng chống thiên tai",
        document_date=datetime.date(2016, 9, 1),
        arrived_at=datetime.datetime(2016, 9, 3, 1, 0, tzinfo=datetime.UTC),
        sender=office.home_affairs,
        urgency=Urgency.URGENT,
    )
    new = desk.add(
        "Kế hoạch phòng chống thiên tai năm 2025",
        type_key="ke-hoach",
        document_date=datetime.date(2025, 4, 1),
        arrived_at=datetime.datetime(2025, 4, 1, 18, 0, tzinfo=datetime.UTC),  # 2 April in Việt Nam
        status=Status.IN_PROGRESS,
    )
    out = desk.add("Báo cáo phòng chống thiên tai", register=desk.party_out, type_key="bao-cao")
    Assignment.objects.create(document=new, unit=office.general_unit, role=AssignmentRole.LEAD)
    clerk = office.clerk

    def ids(**filters: Any) -> set[int]:
        return {h.document.pk for h in search.search(clerk, "thien tai", filters=filters).hits}

    assert ids() == {old.pk, new.pk, out.pk}
    assert ids(direction="out") == {out.pk}
    assert ids(direction=["in"]) == {old.pk, new.pk}
    assert ids(document_type=desk.types["ke-hoach"].pk) == {new.pk}
    assert ids(document_type=str(desk.types["cong-van"].pk)) == {old.pk}
    assert ids(sender=office.home_affairs.pk) == {old.pk}
    assert ids(date_from="2020-01-01") == {new.pk, out.pk}
    assert ids(date_to=datetime.date(2016, 9, 1)) == {old.pk}
    assert ids(date_field="arrived_at", date_from="2025-04-02", date_to="2025-04-02") == {new.pk}
    assert ids(date_field="arrived_at", date_to="2025-04-01") == {old.pk}
    assert ids(status=Status.IN_PROGRESS) == {new.pk}
    assert ids(status=[Status.REGISTERED, Status.DRAFT]) == {old.pk, out.pk}
    assert ids(urgency=Urgency.URGENT) == {old.pk}
    assert ids(unit=office.party_office.pk) == {new.pk}  # the unit's subtree: Phòng Tổng hợp is inside
    assert ids(unit=office.home_affairs.pk) == set()
    assert ids(unit=999_999) == set()
    assert ids(status="", sender=None) == {old.pk, new.pk, out.pk}  # empty values are no filter
    page = search.search(clerk, "thien tai", filters={"date_from": "2020-01-01"})
    assert page.total == 2 and {f.value for f in page.facets.years} == {2025}


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        ({"colour": "red"}, "unknown_filter"),
        ({"document_type": "nghị quyết"}, "invalid_filter"),
        ({"sender": 10**30}, "invalid_filter"),
        ({"unit": -3}, "invalid_filter"),
        ({"status": "lost"}, "invalid_filter"),
        ({"urgency": 9}, "invalid_filter"),
        ({"direction": "sideways"}, "invalid_filter"),
        ({"date_from": "14/03/2025"}, "invalid_filter"),
        ({"date_field": "created_at", "date_from": "2025-01-01"}, "invalid_filter"),
    ],
)
def test_malformed_filters_raise_a_coded_error(desk: Desk, filters: dict[str, Any], code: str) -> None:
    with pytest.raises(search.SearchError) as raised:
        search.search(desk.office.clerk, "nghị quyết", filters=filters)
    assert raised.value.code == code
    assert code in search.ERROR_CODES


# --- paging, facets, query count -------------------------------------------------------------------------


def test_paging_facets_and_a_constant_number_of_queries(desk: Desk) -> None:
    for year in range(2016, 2026):
        desk.add(f"Báo cáo tổng kết công tác văn thư, lưu trữ năm {year}", document_date=datetime.date(year, 12, 20))
    desk.add("Nghị quyết về công tác văn thư", type_key="nghi-quyet", status=Status.COMPLETED)
    clerk = desk.office.clerk
    search.search(clerk, "van thu")  # the account's reach is cached on it, as in a request
    with CaptureQueriesContext(connection) as two:
        search.search(clerk, "van thu", limit=2)
    with CaptureQueriesContext(connection) as five:
        first = search.search(clerk, "van thu", limit=5)
    assert len(two) == len(five) <= 12  # no query per hit (PostgreSQL adds its planner settings)
    assert first.total == 11 and len(first.hits) == 5
    second = search.search(clerk, "van thu", limit=5, offset=5)
    third = search.search(clerk, "van thu", limit=5, offset=10)
    ids = [h.document.pk for page in (first, second, third) for h in page.hits]
    assert len(ids) == len(set(ids)) == 11
    assert search.search(clerk, "van thu", offset=50).hits == []
    assert [(f.label, f.count) for f in first.facets.types] == [("Công văn", 10), ("Nghị quyết", 1)]
    assert [(f.value, f.count) for f in first.facets.statuses] == [(Status.REGISTERED, 10), (Status.COMPLETED, 1)]
    assert [f.value for f in first.facets.years] == [2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016]
    assert first.facets.years[0].count == 2


# --- searchable at once ----------------------------------------------------------------------------------


def test_searchable_inside_the_transaction_and_follows_changes(desk: Desk) -> None:
    clerk = desk.office.clerk
    with transaction.atomic():
        document = desk.add("Giấy mời họp Ban Chấp hành Đảng bộ tỉnh")
        assert found(clerk, "ban chap hanh") == [document.abstract]
    document.abstract = "Giấy mời họp Ban Thường vụ Tỉnh ủy"
    document.save(update_fields=["abstract"])
    with transaction.atomic():
        search.index_document(document)
    assert found(clerk, "ban chap hanh") == []
    assert found(clerk, "ban thuong vu") == [document.abstract]
    DocumentText.objects.filter(document=document).delete()
    assert found(clerk, "ban thuong vu") == []


def test_long_document_is_indexed_whole(desk: Desk) -> None:
    # many distinct words (the worst case for PostgreSQL's 1 MB tsvector), cut at MAX_TEXT_CHARS
    words = " ".join(f"từ{n}khóa" for n in range(40_000))
    document = desk.add("Tài liệu dài", files=(words,))
    text = DocumentText.objects.get(document=document)
    assert len(text.exact) <= search.MAX_TEXT_CHARS
    assert found(desk.office.clerk, "tu39khoa") == ["Tài liệu dài"]
    assert found(desk.office.clerk, "từ12345khóa") == ["Tài liệu dài"]


# --- reindex ---------------------------------------------------------------------------------------------


def reindex(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex_documents", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reindex_rebuilds_and_is_idempotent(desk: Desk, tmp_path: Path) -> None:
    documents = [desk.add(f"Công văn số {n} về việc báo cáo", number_symbol=f"{n}/UBND-VX") for n in range(1, 6)]
    expected = {t.document_id: (t.exact, t.folded, t.symbols) for t in DocumentText.objects.all()}
    DocumentText.objects.filter(document=documents[0]).delete()
    DocumentText.objects.filter(document=documents[1]).update(exact="", folded="", symbols="")
    checkpoint = tmp_path / "reindex.json"
    out, err = reindex("--batch-size", "2", "--checkpoint", str(checkpoint))
    assert "reindexed 5 documents: 2 rewritten, 3 unchanged" in out
    assert "5/5 documents (100.0 %)" in err
    assert {t.document_id: (t.exact, t.folded, t.symbols) for t in DocumentText.objects.all()} == expected
    assert found(desk.office.clerk, "1/UBND-VX") == ["Công văn số 1 về việc báo cáo"]
    out, _ = reindex("--batch-size", "2", "--checkpoint", str(checkpoint))
    assert "reindexed 5 documents: 0 rewritten, 5 unchanged" in out
    out, _ = reindex("--resume", "--checkpoint", str(checkpoint))
    assert "nothing to resume" in out


def test_reindex_resumes_after_a_kill(desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [desk.add(f"Báo cáo tháng {n}") for n in range(1, 8)]
    DocumentText.objects.all().delete()
    checkpoint = tmp_path / "reindex.json"
    real = search.index_many
    calls: list[list[int]] = []

    def killed_on_third_batch(ids: list[int], **kwargs: Any) -> search.Reindexed:
        calls.append(list(ids))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(ids, **kwargs)

    monkeypatch.setattr(search, "index_many", killed_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        reindex("--batch-size", "2", "--checkpoint", str(checkpoint))
    state = json.loads(checkpoint.read_text())
    assert state["last_id"] == documents[3].pk and not state["finished"]
    assert DocumentText.objects.count() == 4

    monkeypatch.setattr(search, "index_many", real)
    out, err = reindex("--resume", "--batch-size", "2", "--checkpoint", str(checkpoint))
    assert f"resuming after document #{documents[3].pk}" in err
    assert "reindexed 7 documents: 7 rewritten, 0 unchanged" in out
    assert DocumentText.objects.count() == 7
    assert len(found(desk.office.clerk, "bao cao thang")) == 7


def test_reindex_repairs_the_index_itself(desk: Desk, tmp_path: Path) -> None:
    desk.add("Thông báo kết luận của Thường trực Tỉnh ủy")
    _, err = reindex("--rebuild-index", "--checkpoint", str(tmp_path / "c.json"))
    if connection.vendor == "sqlite":
        assert "FTS5 index rebuilt" in err
        with connection.cursor() as cursor:  # the index agrees with its content table
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    assert found(desk.office.clerk, "thuong truc tinh uy") == ["Thông báo kết luận của Thường trực Tỉnh ủy"]


def test_past_the_ranking_window_pages_go_on_newest_first(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_WINDOW", 4)
    documents = [
        desk.add(f"Thông báo {'Đảng' if n in (2, 7) else 'dạng'} tuần {n}", document_date=datetime.date(2025, 1, n))
        for n in range(1, 9)
    ]
    clerk = desk.office.clerk
    pages = [search.search(clerk, "đảng", limit=3, offset=offset) for offset in (0, 3, 6)]
    order = [h.document for page in pages for h in page.hits]
    assert all(page.total == 8 for page in pages)
    assert sorted(d.pk for d in order) == sorted(d.pk for d in documents)
    # the window (the 4 newest) is ranked, the exact "Đảng" first ...
    assert order[0] == documents[6] and set(order[1:4]) == {documents[4], documents[5], documents[7]}
    # ... then the rest by registration, newest first: the old exact one does not jump the queue
    assert order[4:] == [documents[3], documents[2], documents[1], documents[0]]
    assert [h.exact for h in pages[2].hits] == [True, False]
    straddling = search.search(clerk, "đảng", limit=4, offset=2)
    assert [h.document for h in straddling.hits] == order[2:6]
    counted_only = search.search(clerk, "đảng", limit=3, facets=False)
    assert counted_only.total == 8 and counted_only.facets == search.Facets()
    assert [h.document for h in counted_only.hits] == order[:3]


# --- through the API -------------------------------------------------------------------------------------


def test_the_api_counts_facets_only_when_asked_and_only_what_the_caller_sees(
    desk: Desk, leaks: dict[str, Document]
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(desk.office.clerk)  # keeps the registers, cleared for Mật only
    plain = client.get("/api/documents/search", {"q": "chuyen doi so"}).json()
    assert plain["total"] == 2
    assert "facets" not in plain
    counted = client.get("/api/documents/search", {"q": "chuyen doi so", "facets": "true"}).json()
    assert counted["total"] == 2
    years = {facet["value"]: facet["count"] for facet in counted["facets"]["years"]}
    assert years == {2025: 1, 2020: 1}  # the Tối mật plan of 2018 and the Sở's report of 2019 stay hidden
    types = {facet["label"] for facet in counted["facets"]["types"]}
    assert types == {"Công văn", "Kế hoạch"}
    assert sum(facet["count"] for facet in counted["facets"]["statuses"]) == 2
