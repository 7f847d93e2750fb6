"""Full-text search over documents: one interface on SQLite (FTS5) and PostgreSQL (tsvector).

What users of the nearest systems suffer (reference/documents.md, "Lessons from other systems"), and
how this module answers it:

* Vietnamese diacritics and đ/Đ. ``DocumentText.folded`` is the text without diacritics and with
  đ→d (``vntext.fold``), and every query word is matched folded, so "dang uy" finds "Đảng ủy" and
  "quyet dinh" finds "Quyết định". FTS5's ``remove_diacritics`` never folds đ (stack notes, gotcha 4),
  so the folding is done here, in Python, for both databases; the index tokenizers do not fold.
* Exact diacritics first. A document that also matches the query as typed (in ``exact``) ranks above
  one that matches only folded: "đảng" puts "Đảng" before "dạng" and "đăng". Then relevance (bm25 on
  SQLite, ts_rank on PostgreSQL), then the newest document.
* Symbols whole. Number-and-symbol tokens (``12/2024/NQ-HĐND``, ``57-NQ/TW``, ``12/UBND-VX``) are
  squashed into single tokens in ``DocumentText.symbols`` ("122024nqhđnd", "57nqtw"), so a
  symbol-shaped query finds the document that carries the symbol, not one with "57" and "TW" apart.
* Searchable at once. Triggers (SQLite) or a stored generated column (PostgreSQL) keep the index in
  step inside the transaction that writes ``DocumentText``; there is no queue and no delay.
* Fast at any size. The database joins the index with the visibility filter; nothing proportional to
  the number of matches ever reaches Python (at most ``RANK_WINDOW`` rows). Relevance is ranked among
  the newest ``RANK_WINDOW`` visible matches, past which results go on newest first; the total and the
  facets are exact, counted by the database (bench/bench_search.py has the figures).
* Never a leak. Hits, totals, facets and snippets are computed only over
  ``Document.objects.filter(policy.visible_q(account))``: a document the account may not see never
  changes a count and never lends a word to a snippet.

Query language, on purpose small: words (all must match), ``"quoted phrases"``, and symbol-shaped
tokens. Everything else (``*``, ``OR``, ``NEAR(``, unbalanced quotes, 10 KB of text) is plain text:
every token reaches the database quoted, so no input can break the MATCH or tsquery syntax.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from vanphong.core.models import Organization
from vanphong.documents import policy
from vanphong.documents.models import (
    AssignmentState,
    Direction,
    Document,
    DocumentFile,
    DocumentText,
    DocumentType,
    FileRole,
    Status,
    Urgency,
)
from vanphong.documents.models.flow import Assignment
from vanphong.lib.vntext import fold, nfc

# The SQLite FTS5 table (migration 0002) and the PostgreSQL generated column on documents_documenttext.
FTS_TABLE = "documents_search"
PG_COLUMN = "search"

# Bounds that keep one document, one query and one result page cheap whatever users feed in.
MAX_TEXT_CHARS = 300_000  # per document; also keeps PostgreSQL's tsvector under its 1 MB limit
MAX_QUERY_CHARS = 1_000
MAX_TERMS = 12
MAX_TOKEN_CHARS = 64
MAX_PHRASE_WORDS = 24
MAX_LIMIT = 100
SNIPPET_CHARS = 220
SNIPPET_SCAN_CHARS = 100_000
INDEX_BATCH = 500
# Relevance is ranked among this many newest visible matches; the rest follow newest first.
RANK_WINDOW = 10_000

# bm25 column weights (exact, folded, symbols): a hit on a whole symbol counts more than a word.
_BM25_WEIGHTS = "0.0, 1.0, 4.0"

# Separators inside a document symbol: "/" and "-", plus the dashes word processors substitute for "-".
_SYMBOL_SEPARATORS = "/\\-\u2010\u2011\u2012\u2013"
_SEPARATOR_RE = re.compile(f"[{_SYMBOL_SEPARATORS}]")
_SYMBOL_RE = re.compile(f"[^\\W_]+(?:[{_SYMBOL_SEPARATORS}][^\\W_]+)+")
_WORD_RE = re.compile(r"[^\W_]+")
# A query token: words joined by symbol separators or by . _ : (agency codes, web addresses, times).
_COMPOUND_RE = re.compile(f"[^\\W_]+(?:[{_SYMBOL_SEPARATORS}._:]+[^\\W_]+)*")

ERROR_CODES: dict[str, str] = {
    "unknown_filter": "The search does not know this filter.",
    "invalid_filter": "A filter value has the wrong form.",
}


class SearchError(ValueError):
    """A search request that cannot be run as given; ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown search error code {code!r}")
        super().__init__(f"{code}: {detail or ERROR_CODES[code]}")
        self.code = code
        self.detail = detail or ERROR_CODES[code]


# --- folding and symbols ---------------------------------------------------------------------------------

_FOLD_TABLE: dict[int, str] = {}


def fold_lower(text: str) -> str:
    """``vntext.fold`` for text that is already NFC, whitespace-collapsed and lower case.

    Gives the same result as ``fold`` (tests check it) but translates character by character at C
    speed: each distinct character is folded once, by ``fold`` itself, and remembered. ``fold`` on
    2 KB of Vietnamese takes ~0.3 ms, which is five minutes of a million-document reindex.
    """
    missing = [char for char in set(text) if ord(char) not in _FOLD_TABLE]
    if len(_FOLD_TABLE) + len(missing) > 20_000:  # text in every script of Unicode: do not grow forever
        return fold(text)
    for char in missing:
        _FOLD_TABLE[ord(char)] = char if char.isspace() else fold(char)
    return text.translate(_FOLD_TABLE)


def _looks_like_symbol(token: str) -> bool:
    """A number and symbol: parts joined by "/" or "-" with at least one digit and one letter.

    "57-NQ/TW", "12/2024/NQ-HĐND", "12/UBND-VX", "15/QĐ-BNV" are symbols; a date ("01/12/2024") or a
    hyphenated word ("kinh tế-xã hội") is not, and is searched as a phrase of its parts instead.
    """
    return (
        _SEPARATOR_RE.search(token) is not None and any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    )


def symbol_keys(token: str) -> tuple[str, str]:
    """The squashed forms of a symbol, as written and folded: "12/2024/NQ-HĐND" → ("122024nqhđnd",
    "122024nqhdnd"). Separators are dropped, so "57/NQ-TW" typed by mistake still finds "57-NQ/TW"."""
    squashed = "".join(_SEPARATOR_RE.split(nfc(token).lower()))
    return squashed, fold_lower(squashed)


def compose_text(pieces: Iterable[str]) -> tuple[str, str, str]:
    """``(exact, folded, symbols)`` for ``DocumentText`` from pieces of text (metadata, then files).

    ``exact`` is NFC lower case, ``folded`` is ``vntext.fold`` of it, ``symbols`` the space-separated
    squashed symbols, both as written and folded, each once. At most :data:`MAX_TEXT_CHARS` are kept.
    """
    joined = " · ".join(piece for piece in pieces if piece and not piece.isspace())
    exact = nfc(joined[:MAX_TEXT_CHARS]).lower()
    keys: dict[str, None] = {}
    for match in _SYMBOL_RE.finditer(exact):
        if _looks_like_symbol(match.group()):
            for key in symbol_keys(match.group()):
                keys[key] = None
    return exact, fold_lower(exact), " ".join(keys)


def _metadata_pieces(
    number_symbol: str,
    type_name: str,
    abstract: str,
    sender_name: str,
    signer_name: str,
    direction_text: str,
    result: str,
) -> list[str]:
    return [number_symbol, type_name, abstract, sender_name, signer_name, direction_text, result]


def _keep_file_texts(rows: Iterable[tuple[str, int, str]]) -> list[str]:
    """File texts worth indexing from ``(role, stored_id, text)`` rows ordered role, newest version first.

    Only the newest draft counts (older versions would only repeat words), the edXML package is the
    same document again in XML, and a blob attached twice is read once.
    """
    texts: list[str] = []
    seen_stored: set[int] = set()
    seen_draft = False
    for role, stored_id, text in rows:
        if role == FileRole.PACKAGE or stored_id in seen_stored or not text:
            continue
        if role == FileRole.DRAFT:
            if seen_draft:
                continue
            seen_draft = True
        seen_stored.add(stored_id)
        texts.append(text)
    return texts


def _file_rows(document_ids: Sequence[int]) -> dict[int, list[tuple[str, int, str]]]:
    """One query for the file texts of many documents, each cut to the length that is indexed."""
    grouped: dict[int, list[tuple[str, int, str]]] = {pk: [] for pk in document_ids}
    rows = (
        DocumentFile.objects.filter(document_id__in=document_ids)
        .order_by("document_id", "role", "-version", "id")
        .values_list("document_id", "role", "stored_id", Substr("stored__text", 1, MAX_TEXT_CHARS))
    )
    for document_id, role, stored_id, text in rows:
        grouped[document_id].append((role, stored_id, text or ""))
    return grouped


def text_for(document: Document) -> tuple[str, str, str]:
    """``(exact, folded, symbols)`` for one document: its metadata and the text of its files.

    Uses ``files`` (with ``stored``) when the caller prefetched them; otherwise reads all file texts
    in one query. The type name is read through ``document_type`` (select it related to save a query).
    """
    type_name = document.document_type.name if document.document_type is not None else ""
    prefetched: Mapping[str, Any] = getattr(document, "_prefetched_objects_cache", {})
    if "files" in prefetched:
        files = sorted(prefetched["files"], key=lambda f: (f.role, -f.version, f.pk))
        rows = [(f.role, f.stored_id, f.stored.text[:MAX_TEXT_CHARS]) for f in files]
    else:
        rows = _file_rows([document.pk])[document.pk]
    pieces = _metadata_pieces(
        document.number_symbol,
        type_name,
        document.abstract,
        document.sender_name,
        document.signer_name,
        document.direction_text,
        document.result,
    )
    return compose_text([*pieces, *_keep_file_texts(rows)])


# --- indexing --------------------------------------------------------------------------------------------


def _write(rows: list[DocumentText]) -> None:
    # One statement per batch; an existing row is updated in place, which fires the FTS5 update
    # trigger on SQLite and recomputes the generated tsvector on PostgreSQL.
    DocumentText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["document"],
        update_fields=["exact", "folded", "symbols", "updated_at"],
    )


def index_document(document: Document) -> None:
    """Write the document's search text; call it inside the transaction that registers or changes it.

    The index itself follows in the same transaction (trigger or generated column), so the document
    is searchable the moment the transaction commits.
    """
    exact, folded, symbols = text_for(document)
    _write([DocumentText(document_id=document.pk, exact=exact, folded=folded, symbols=symbols)])


@dataclass(frozen=True)
class Reindexed:
    """What :func:`index_many` did: documents read, rows written (new or changed)."""

    documents: int
    written: int


def index_many(ids: Iterable[int], *, batch: int = INDEX_BATCH) -> Reindexed:
    """Recompute the search text of many documents, ``batch`` at a time, writing only rows that changed.

    Memory is bounded by ``batch`` documents with at most :data:`MAX_TEXT_CHARS` of text each; ids of
    documents that no longer exist are skipped. Running it twice writes nothing the second time.
    """
    seen = written = 0
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) >= batch:
            seen, written = _index_chunk(chunk, seen, written)
            chunk = []
    if chunk:
        seen, written = _index_chunk(chunk, seen, written)
    return Reindexed(seen, written)


def _index_chunk(ids: list[int], seen: int, written: int) -> tuple[int, int]:
    documents = Document.objects.filter(pk__in=ids).values_list(
        "pk", "number_symbol", "document_type__name", "abstract", "sender_name", "signer_name",
        "direction_text", "result",
    )  # fmt: skip
    files = _file_rows(ids)
    current = {
        pk: (exact, folded, symbols)
        for pk, exact, folded, symbols in DocumentText.objects.filter(document_id__in=ids).values_list(
            "document_id", "exact", "folded", "symbols"
        )
    }
    rows: list[DocumentText] = []
    for pk, number_symbol, type_name, *rest in documents:
        pieces = _metadata_pieces(number_symbol, type_name or "", *rest)
        texts = compose_text([*pieces, *_keep_file_texts(files.get(pk, []))])
        seen += 1
        if current.get(pk) != texts:
            rows.append(DocumentText(document_id=pk, exact=texts[0], folded=texts[1], symbols=texts[2]))
    if rows:
        _write(rows)
    return seen, written + len(rows)


# --- queries ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing the query asks for: a word, a phrase, or a document symbol.

    ``words`` are as typed (NFC, lower case), ``folded`` the same folded. A symbol also carries its
    squashed forms (``key`` as typed, ``folded_key``) and its parts (``words``) for a phrase fallback.
    """

    kind: str  # "word", "phrase" or "symbol"
    words: tuple[str, ...]
    folded: tuple[str, ...]
    key: str = ""
    folded_key: str = ""

    @property
    def marked(self) -> bool:
        """Typed with diacritics or đ, so the exact form is worth ranking first."""
        return self.words != self.folded


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def marked(self) -> bool:
        return any(term.marked for term in self.terms)


def _word_term(words: list[str]) -> Term:
    words = [w[:MAX_TOKEN_CHARS] for w in words[:MAX_PHRASE_WORDS]]
    folded = tuple(fold_lower(w) for w in words)
    return Term("word" if len(words) == 1 else "phrase", tuple(words), folded)


def _token_terms(token: str) -> Term | None:
    parts = [p[:MAX_TOKEN_CHARS] for p in _WORD_RE.findall(token)[:MAX_PHRASE_WORDS]]
    if not parts:
        return None
    if _looks_like_symbol(token):
        key, folded_key = symbol_keys(token[: MAX_TOKEN_CHARS * 2])
        folded = tuple(fold_lower(p) for p in parts)
        return Term("symbol", tuple(parts), folded, key[:MAX_TOKEN_CHARS], folded_key[:MAX_TOKEN_CHARS])
    return _word_term(parts)


def parse_query(text: str) -> ParsedQuery:
    """Words (all must match), ``"quoted phrases"`` and symbols; anything else is just text.

    An unbalanced quote opens nothing: what follows it is read as words. Input beyond
    :data:`MAX_QUERY_CHARS`, and terms beyond :data:`MAX_TERMS`, are ignored.
    """
    parts = nfc(text[:MAX_QUERY_CHARS]).lower().split('"')
    terms: dict[Term, None] = {}
    for index, part in enumerate(parts):
        if index % 2 == 1 and index != len(parts) - 1:
            words = _WORD_RE.findall(part)
            if words:
                terms[_word_term(words)] = None
            continue
        for match in _COMPOUND_RE.finditer(part):
            term = _token_terms(match.group())
            if term is not None:
                terms[term] = None
    return ParsedQuery(tuple(terms)[:MAX_TERMS])


def _fts_string(words: Iterable[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _fts_expression(terms: Iterable[Term], *, exact: bool) -> str:
    """An FTS5 MATCH expression in which every token is a quoted string (no user syntax survives)."""
    column = "exact" if exact else "folded"
    clauses = []
    for term in terms:
        words = term.words if exact else term.folded
        if term.kind == "symbol":
            key = term.key if exact else term.folded_key
            clauses.append(f"(symbols : {_fts_string([key])} OR {column} : {_fts_string(words)})")
        else:
            clauses.append(f"{column} : {_fts_string(words)}")
    return " AND ".join(clauses)


def _ts_operand(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(words: Sequence[str]) -> str:
    return "(" + " <-> ".join(_ts_operand(w) for w in words) + ")" if len(words) > 1 else _ts_operand(words[0])


def _ts_expression(terms: Iterable[Term], *, exact: bool) -> str:
    """A to_tsquery('simple', …) input in which every lexeme is a quoted operand."""
    clauses = []
    for term in terms:
        words = term.words if exact else term.folded
        if term.kind == "symbol":
            key = term.key if exact else term.folded_key
            clauses.append(f"({_ts_operand(key)} | {_ts_phrase(words)})")
        else:
            clauses.append(_ts_phrase(words))
    return " & ".join(clauses)


# --- filters ---------------------------------------------------------------------------------------------

FILTERS = ("direction", "document_type", "sender", "date_from", "date_to", "date_field", "status", "unit", "urgency")


def _as_int(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or not 0 < number < 2**63:  # a bigint id; larger ones fail inside the driver
        raise SearchError("invalid_filter", f"{name} must be an id, not {value!r}")
    return number


def _as_date(name: str, value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise SearchError("invalid_filter", f"{name} must be a date (YYYY-MM-DD), not {value!r}") from None


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | set | frozenset) else [value]


def _choices(name: str, value: Any, allowed: Iterable[Any], convert: Any = str) -> list[Any]:
    allowed = set(allowed)
    chosen = []
    for item in _as_list(value):
        try:
            converted = convert(item)
        except (TypeError, ValueError):
            raise SearchError("invalid_filter", f"{name}: {item!r} is not a valid value") from None
        if converted not in allowed:
            raise SearchError("invalid_filter", f"{name}: {item!r} is not a valid value")
        chosen.append(converted)
    return chosen


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_conditions(filters: Mapping[str, Any] | None) -> list[Q]:
    """The SQL conditions for ``filters`` (keys in :data:`FILTERS`; empty values are ignored).

    ``date_from``/``date_to`` (inclusive) apply to ``document_date``, or to ``arrived_at`` when
    ``date_field`` is "arrived_at"; ``unit`` keeps documents that unit or any unit below it was given
    a part in (an assignment not cancelled); ``status`` and ``urgency`` take one value or a list.
    """
    given = {k: v for k, v in (filters or {}).items() if v is not None and v != "" and v != []}
    unknown = sorted(set(given) - set(FILTERS))
    if unknown:
        raise SearchError("unknown_filter", f"unknown filter(s): {', '.join(unknown)}")
    conditions: list[Q] = []
    if "direction" in given:
        conditions.append(Q(direction__in=_choices("direction", given["direction"], Direction.values)))
    if "document_type" in given:
        conditions.append(Q(document_type_id=_as_int("document_type", given["document_type"])))
    if "sender" in given:
        conditions.append(Q(sender_id=_as_int("sender", given["sender"])))
    if "status" in given:
        conditions.append(Q(status__in=_choices("status", given["status"], Status.values)))
    if "urgency" in given:
        conditions.append(Q(urgency__in=_choices("urgency", given["urgency"], Urgency.values, int)))
    date_field = given.get("date_field", "document_date")
    if date_field not in ("document_date", "arrived_at"):
        raise SearchError("invalid_filter", f"date_field must be document_date or arrived_at, not {date_field!r}")
    for bound in ("date_from", "date_to"):
        if bound not in given:
            continue
        day = _as_date(bound, given[bound])
        if date_field == "document_date":
            lookup = "document_date__gte" if bound == "date_from" else "document_date__lte"
            conditions.append(Q(**{lookup: day}))
        elif bound == "date_from":
            conditions.append(Q(arrived_at__gte=_local_midnight(day)))
        else:
            conditions.append(Q(arrived_at__lt=_local_midnight(day + datetime.timedelta(days=1))))
    if "unit" in given:
        path = Organization.objects.filter(pk=_as_int("unit", given["unit"])).values_list("path", flat=True).first()
        if path is None:
            conditions.append(Q(pk__in=[]))
        else:
            parts = Assignment.objects.filter(document=OuterRef("pk"), unit__path__startswith=path)
            conditions.append(Q(Exists(parts.exclude(state=AssignmentState.CANCELLED))))
    return conditions


# --- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One result: the document, a snippet (HTML-escaped, matches in ``<mark>``) and its relevance.

    ``exact`` says the document matched the query as typed, diacritics included.
    """

    document: Document
    snippet: str
    rank: float
    exact: bool = False


@dataclass(frozen=True)
class FacetCount:
    value: Any  # a DocumentType id, a Status value, a year (None: no document date)
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    """Counts of the visible matches by document type, status and year of the document date."""

    types: tuple[FacetCount, ...] = ()
    statuses: tuple[FacetCount, ...] = ()
    years: tuple[FacetCount, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    facets: Facets
    query: ParsedQuery
    limit: int
    offset: int


# The SQL below is assembled from module constants and SQL compiled by Django; user input only ever
# travels as a parameter (hence the few S608 exemptions).
Row = tuple[Any, ...]  # (id, date, type id, status, score, exact) of a visible match


class _Backend:
    """How one database finds the visible matches; the results have the same shape on both.

    ``window`` returns the newest visible matches, at most ``RANK_WINDOW + 1``, with relevance and
    the exact flag, the facet groups (type, status, year, count) of all visible matches (none when
    ``facets`` is false) and their total.
    ``newest`` returns a page of the visible matches newest first (for pages past the window).
    The visible documents come from ``visible_sql`` (columns hit_id, hit_date, hit_type, hit_status).
    """

    def __init__(
        self,
        terms: Sequence[Term],
        visible_sql: str,
        visible_params: Sequence[Any],
        *,
        handled: tuple[str, Sequence[Any]] | None = None,
    ) -> None:
        self.terms = terms
        # SQL of the ids an account that keeps no register could see (policy.handled_ids): a short list
        self.handled = handled
        self.marked = [t for t in terms if t.marked]
        self.visible_sql = visible_sql
        self.visible_params = list(visible_params)

    @contextmanager
    def session(self, connection: Any) -> Iterator[Any]:
        with connection.cursor() as cursor:
            yield cursor

    def window(self, cursor: Any, facets: bool) -> tuple[list[Row], list[Row], int]:
        raise NotImplementedError

    def newest(self, cursor: Any, count: int, offset: int) -> list[Row]:
        raise NotImplementedError


def _groups_of(rows: Iterable[Row]) -> list[Row]:
    counted = Counter((row[2], row[3], _year(row[1])) for row in rows)
    return [(*key, count) for key, count in counted.items()]


class _Sqlite(_Backend):
    """FTS5 gives its matches in rowid order, newest first on request, so a LIMIT stops the walk."""

    def _source(self) -> tuple[str, list[Any]]:
        # CROSS JOIN fixes the order: walk the full-text matches and look each document up by its
        # primary key; never one FTS5 query per visible document.
        sql = (
            f"FROM {FTS_TABLE} CROSS JOIN ({self.visible_sql}) AS v ON v.hit_id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s"
        )
        return sql, [*self.visible_params, _fts_expression(self.terms, exact=False)]

    def _select(self, cursor: Any, page: str, page_params: list[Any]) -> list[Row]:
        source, params = self._source()
        cursor.execute(
            f"SELECT v.hit_id, v.hit_date, v.hit_type, v.hit_status, -bm25({FTS_TABLE}, {_BM25_WEIGHTS}) {source} "
            f"ORDER BY {FTS_TABLE}.rowid DESC {page}",
            [*params, *page_params],
        )
        rows = cursor.fetchall()
        exact = self._exact_among(cursor, [row[0] for row in rows])
        return [(*row, row[0] in exact) for row in rows]

    def _exact_among(self, cursor: Any, ids: list[int]) -> set[int]:
        """Which of ``ids`` match the query as typed. FTS5 seeks a rowid range cheaply (a window of
        recent documents is a narrow range) but pays ~0.1 ms per single-rowid probe, so the exact
        matches of the range are gathered inside SQLite and only the ids asked for come back."""
        if not self.marked or not ids:
            return set()
        cursor.execute(
            f"SELECT value FROM json_each(%s) WHERE value IN (SELECT rowid FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s)",
            [json.dumps(ids), _fts_expression(self.marked, exact=True), min(ids), max(ids)],
        )
        return {row[0] for row in cursor.fetchall()}

    def window(self, cursor: Any, facets: bool) -> tuple[list[Row], list[Row], int]:
        rows = self._select(cursor, "LIMIT %s", [RANK_WINDOW + 1])
        if len(rows) <= RANK_WINDOW:
            return rows, _groups_of(rows), len(rows)  # every visible match is in hand: no second walk
        source, params = self._source()
        if not facets:
            cursor.execute(f"SELECT COUNT(*) {source}", params)
            return rows, [], cursor.fetchone()[0]
        cursor.execute(
            f"SELECT v.hit_type, v.hit_status, CAST(substr(v.hit_date, 1, 4) AS INTEGER), COUNT(*) {source} "
            "GROUP BY 1, 2, 3",
            params,
        )
        groups = cursor.fetchall()
        return rows, groups, sum(row[3] for row in groups)

    def newest(self, cursor: Any, count: int, offset: int) -> list[Row]:
        return self._select(cursor, "LIMIT %s OFFSET %s", [count, offset])


class _Postgres(_Backend):
    """The GIN index answers @@ without reading a tsvector, but gives no order: one pass collects the
    visible matches, from which one statement takes both the newest ``RANK_WINDOW + 1`` and the facet
    counts; ts_rank and the exact test then read the tsvectors of the window's rows only."""

    # The planner does not price detoasting: left alone it tests @@ row by row in a sequential or
    # primary-key scan, reading every tsvector, where the GIN bitmap reads none (1 s instead of 0.1 s
    # at 100,000 documents); and it JIT-compiles these queries for longer than they run. These
    # settings hold for the search statements only and are put back, even inside the caller's
    # transaction.
    PLANNER = {"enable_seqscan": "off", "jit": "off", "work_mem": "64MB"}

    @contextmanager
    def session(self, connection: Any) -> Iterator[Any]:
        names = list(self.PLANNER)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            before = cursor.fetchone()
            self._set(cursor, self.PLANNER)
            try:
                yield cursor
            finally:
                self._set(cursor, dict(zip(names, before, strict=True)))

    @staticmethod
    def _set(cursor: Any, values: Mapping[str, str]) -> None:
        calls = ", ".join(["set_config(%s, %s, true)"] * len(values))
        cursor.execute(f"SELECT {calls}", [item for pair in values.items() for item in pair])

    def _hits(self) -> tuple[str, list[Any]]:
        query = _ts_expression(self.terms, exact=False)
        if self.handled is not None:
            # An account that keeps no register sees a few thousand documents: they are looked up by id
            # (an array, so the planner cannot choose to test every document instead), then each one's
            # tsvector is tested through the primary key, however many documents hold the words.
            handled_sql, handled_params = self.handled
            sql = (
                f"WITH vis AS MATERIALIZED (SELECT v.* FROM ({self.visible_sql}) AS v "  # noqa: S608
                f"WHERE v.hit_id = ANY(ARRAY({handled_sql}))), "
                f"hits AS MATERIALIZED (SELECT vis.* FROM vis JOIN documents_documenttext AS t "
                f"ON t.document_id = vis.hit_id WHERE t.{PG_COLUMN} @@ to_tsquery('simple', %s)) "
            )
            return sql, [*self.visible_params, *handled_params, query]
        # MATERIALIZED keeps the match apart from the join, where the GIN bitmap is its only cheap path.
        sql = (
            f"WITH m AS MATERIALIZED (SELECT t.document_id FROM documents_documenttext AS t "  # noqa: S608
            f"WHERE t.{PG_COLUMN} @@ to_tsquery('simple', %s)), "
            f"hits AS MATERIALIZED (SELECT v.* FROM m JOIN ({self.visible_sql}) AS v ON v.hit_id = m.document_id) "
        )
        return sql, [query, *self.visible_params]

    def _scored(self, cursor: Any, rows: list[Row]) -> list[Row]:
        if not rows:
            return []
        tier, params = "false", [_ts_expression(self.terms, exact=False)]
        if self.marked:
            tier = f"({PG_COLUMN} @@ to_tsquery('simple', %s))"
            params.append(_ts_expression(self.marked, exact=True))
        cursor.execute(
            f"SELECT document_id, ts_rank({PG_COLUMN}, to_tsquery('simple', %s)), {tier} "  # noqa: S608
            "FROM documents_documenttext WHERE document_id = ANY(%s)",
            [*params, [row[0] for row in rows]],
        )
        scores = {pk: (score, exact) for pk, score, exact in cursor.fetchall()}
        return [(*row[:4], *scores.get(row[0], (0.0, False))) for row in rows]

    def window(self, cursor: Any, facets: bool) -> tuple[list[Row], list[Row], int]:
        hits, params = self._hits()
        counts = (
            "SELECT 1, NULL, NULL, hit_type, hit_status, CAST(EXTRACT(YEAR FROM hit_date) AS INTEGER), COUNT(*) "
            "FROM hits GROUP BY 4, 5, 6"
            if facets
            else "SELECT 1, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM hits"
        )
        cursor.execute(
            hits + "(SELECT 0, w.hit_id, w.hit_date, w.hit_type, w.hit_status, NULL::integer, NULL::bigint "  # noqa: S608
            f"FROM (SELECT * FROM hits ORDER BY hit_id DESC LIMIT %s) AS w) UNION ALL ({counts})",
            [*params, RANK_WINDOW + 1],
        )
        rows, groups = [], []
        for part, pk, day, type_id, status, year, count in cursor.fetchall():
            if part == 0:
                rows.append((pk, day, type_id, status))
            else:
                groups.append((type_id, status, year, count))
        rows.sort(key=lambda row: -row[0])
        total = sum(row[3] for row in groups)
        return self._scored(cursor, rows), groups if facets else [], total

    def newest(self, cursor: Any, count: int, offset: int) -> list[Row]:
        hits, params = self._hits()
        newest = hits + "SELECT * FROM hits ORDER BY hit_id DESC LIMIT %s OFFSET %s"  # noqa: S608
        cursor.execute(newest, [*params, count, offset])
        return self._scored(cursor, cursor.fetchall())


def _empty(parsed: ParsedQuery, limit: int, offset: int) -> SearchPage:
    return SearchPage([], 0, Facets(), parsed, limit, offset)


def _day_of(day: Any) -> datetime.date | None:
    # SQLite may hand a date column of a subquery back as text, PostgreSQL as a date.
    if day is None or isinstance(day, datetime.date):
        return day
    return datetime.date.fromisoformat(str(day)[:10])


def _year(day: Any) -> int | None:
    parsed = _day_of(day)
    return parsed.year if parsed else None


def _best_first(row: tuple[Any, ...]) -> tuple[bool, float, int, int]:
    """Sort key of a window row (id, date, type, status, score, tier): exact, relevance, newest date."""
    pk, day, _, _, score, tier = row
    parsed = _day_of(day)
    return (not tier, -float(score or 0.0), -(parsed.toordinal() if parsed else 0), -pk)


def _ranked(
    cursor: Any, backend: _Backend, limit: int, offset: int, facets: bool
) -> tuple[list[Row], int, list[tuple[int, float, Any]]]:
    """The facet groups (type, status, year, count), the total and the page's (id, score, exact) rows."""
    window, groups, total = backend.window(cursor, facets)
    window = sorted(window, key=lambda row: -row[0])[:RANK_WINDOW]
    ranked = [(row[0], row[4], row[5]) for row in sorted(window, key=_best_first)[offset : offset + limit]]
    beyond = max(offset, RANK_WINDOW)
    if total > RANK_WINDOW and offset + limit > beyond:
        ranked += [(row[0], row[4], row[5]) for row in backend.newest(cursor, offset + limit - beyond, beyond)]
    return (groups if facets else []), total, ranked


def search(
    account: Any,
    query: str,
    *,
    filters: Mapping[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
) -> SearchPage:
    """Documents ``account`` may see that match ``query``, best first, with the total and facets.

    Order: documents matching the query as typed with its diacritics, then the others; within each,
    relevance (bm25 / ts_rank), then the newest document date. Relevance is ranked among the newest
    :data:`RANK_WINDOW` visible matches (by registration); a query matching more than that (a common
    word over ten years) continues, past the window, with the rest newest first.

    ``total`` and the facets are exact. Cost: one walk of the matches when they fit in the window (a
    narrow query, or an account that sees few documents); otherwise a short walk for the window and
    one grouped count over all visible matches. ``facets=False`` leaves the facets empty and counts
    only the total, cheaper when a query matches hundreds of thousands of documents.

    ``filters`` narrow the search in SQL (see :func:`filter_conditions`) and raise
    :class:`SearchError` when malformed. A query with nothing searchable gives an empty page.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    parsed = parse_query(query or "")
    conditions = filter_conditions(filters)
    if not parsed.terms:
        return _empty(parsed, limit, offset)
    connection = connections[Document.objects.db]
    handled = policy.handled_ids(account) if connection.vendor == "postgresql" else None
    visible = (
        Document.objects.filter(policy.visible_q(account))
        .filter(*conditions)
        .order_by()
        .values(hit_id=F("id"), hit_date=F("document_date"), hit_type=F("document_type_id"), hit_status=F("status"))
    )
    try:
        visible_sql, visible_params = visible.query.get_compiler(using=visible.db).as_sql()
        handled_sql = None if handled is None else handled.query.get_compiler(using=visible.db).as_sql()
    except EmptyResultSet:
        return _empty(parsed, limit, offset)
    backend_class = _Sqlite if connection.vendor == "sqlite" else _Postgres
    backend = backend_class(parsed.terms, visible_sql, visible_params, handled=handled_sql)
    with backend.session(connection) as cursor:
        groups, total, ranked = _ranked(cursor, backend, limit, offset, facets)
    ids = [row[0] for row in ranked]
    documents = Document.objects.select_related("document_type", "register").in_bulk(ids)
    texts = dict(
        DocumentText.objects.filter(document_id__in=ids).values_list(
            "document_id", Substr("exact", 1, SNIPPET_SCAN_CHARS)
        )
    )
    hits = [
        Hit(
            document=documents[pk],
            snippet=snippet(parsed, documents[pk].abstract, texts.get(pk, "")),
            rank=float(score or 0.0),
            exact=bool(tier),
        )
        for pk, score, tier in ranked
        if pk in documents
    ]
    return SearchPage(hits, total, _facets(groups) if groups else Facets(), parsed, limit, offset)


def _facets(groups: Sequence[tuple[int | None, str, int | None, int]]) -> Facets:
    by_type: Counter[int | None] = Counter()
    by_status: Counter[str] = Counter()
    by_year: Counter[int | None] = Counter()
    for type_id, status, year, count in groups:
        by_type[type_id] += count
        by_status[status] += count
        by_year[year] += count
    names = dict(DocumentType.objects.filter(pk__in=[t for t in by_type if t is not None]).values_list("pk", "name"))
    statuses = dict(Status.choices)

    def ordered(counter: Counter[Any], label: Any) -> tuple[FacetCount, ...]:
        items = [FacetCount(value, str(label(value)), count) for value, count in counter.items()]
        return tuple(sorted(items, key=lambda f: (-f.count, f.label)))

    return Facets(
        types=ordered(by_type, lambda v: names.get(v, "") if v is not None else ""),
        statuses=ordered(by_status, lambda v: statuses.get(v, v)),
        years=tuple(
            sorted(
                (FacetCount(y, str(y) if y is not None else "", n) for y, n in by_year.items()),
                key=lambda f: (f.value is None, -(f.value or 0)),
            )
        ),
    )


# --- snippets --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Each ASCII letter and the lower-case Latin letters that fold to it: "d" → "dđď…"."""
    table: dict[str, list[str]] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if char != char.lower() or not char.isalpha():
            continue
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            table.setdefault(folded, []).append(char)
    return {letter: "".join(chars) for letter, chars in table.items()}


def _pattern_for(word: str) -> str:
    """A regex for ``word`` (folded) that matches it with any diacritics: "dang" ↔ "Đảng", "dạng"…"""
    variants = _variants()
    return "".join(f"[{re.escape(c)}{variants[c]}]" if c in variants else re.escape(c) for c in word)


def _term_regex(term: Term) -> re.Pattern[str]:
    if term.kind == "symbol":
        body = f"[{_SYMBOL_SEPARATORS}]{{0,3}}".join(_pattern_for(w) for w in term.folded)
    else:
        body = r"[\W_]+".join(_pattern_for(w) for w in term.folded)
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)


def _spans(text: str, patterns: Sequence[re.Pattern[str]]) -> list[tuple[int, int, int]]:
    spans = []
    for index, pattern in enumerate(patterns):
        for count, match in enumerate(pattern.finditer(text)):
            if count >= 200:
                break
            spans.append((match.start(), match.end(), index))
    return sorted(spans)


def _best_window(spans: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """(distinct terms, first span, last span) of the window of SNIPPET_CHARS with most distinct terms."""
    best = (0, 0, 0)
    counts: Counter[int] = Counter()
    right = 0
    for left in range(len(spans)):
        while right < len(spans) and spans[right][1] - spans[left][0] <= SNIPPET_CHARS:
            counts[spans[right][2]] += 1
            right += 1
        distinct = sum(1 for n in counts.values() if n)
        if distinct > best[0]:
            best = (distinct, left, max(left, right - 1))
        counts[spans[left][2]] -= 1
    return best


def _render(text: str, spans: list[tuple[int, int, int]], first: int, last: int) -> str:
    lo, hi = spans[first][0], spans[last][1]
    slack = max(0, SNIPPET_CHARS - (hi - lo))
    start = max(0, lo - slack // 2)
    end = min(len(text), max(hi, start + SNIPPET_CHARS))
    if start > 0:
        space = text.find(" ", start, lo)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", hi, end)
        end = space if space >= 0 else end
    out = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end, _ in spans:
        if span_start < cursor or span_end > end:
            continue
        out.append(html.escape(text[cursor:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).strip()


def snippet(parsed: ParsedQuery, abstract: str, exact: str) -> str:
    """An HTML-escaped extract with the matched words in ``<mark>``, from this document's own text only.

    The abstract (trích yếu, in its original case) is preferred; the indexed full text (lower case)
    is used when it holds more of the query's terms.
    """
    patterns = [_term_regex(term) for term in parsed.terms]
    abstract = nfc(abstract or "")
    best_text, best_spans, best = abstract, [], (0, 0, 0)
    for text in (abstract, exact[:SNIPPET_SCAN_CHARS]):
        spans = _spans(text, patterns)
        if spans:
            window = _best_window(spans)
            if window[0] > best[0]:
                best_text, best_spans, best = text, spans, window
        if best[0] == len(patterns):
            break
    if not best_spans:
        cut = abstract[:SNIPPET_CHARS]
        return html.escape(cut) + ("…" if len(abstract) > SNIPPET_CHARS else "")
    return _render(best_text, best_spans, best[1], best[2])
