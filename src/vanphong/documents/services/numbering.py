"""Numbers: arrival numbers (số đến) and issue numbers (số văn bản đi).

A number is taken by raising the series' ``last_number`` with the series row locked, inside the same
transaction that writes it onto the document: if anything fails the whole transaction rolls back and
the number is not used, so the series has no gaps; and two clerks can never take the same number
(PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the IMMEDIATE transaction holds the write lock). The
database's unique constraints (``document_arrival_number_once``, ``document_number_once``) stand behind
both. Rules: Decree 30/2020 Art. 15 and 22 (State), 36-HD/VPTW (Party); see ``rules.doc_numbers``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from vanphong.documents.models import DocumentSystem, DocumentType, NumberSeries, Register
from vanphong.rules import doc_numbers


def take_number(register: Register, *, period: str, type_key: str = "") -> tuple[NumberSeries, int]:
    """The next number of a series, taken inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number() must run inside transaction.atomic()")
    series, _created = NumberSeries.objects.get_or_create(register=register, period=period, type_key=type_key)
    NumberSeries.objects.select_for_update().filter(pk=series.pk).update(last_number=F("last_number") + 1)
    series.refresh_from_db(fields=["last_number"])
    return series, series.last_number


def arrival_period(arrived_on: datetime.date) -> str:
    """Arrival numbers run yearly, paper and electronic in one series (Decree 30 Art. 22)."""
    return str(arrived_on.year)


def issue_series(register: Register, document_type: DocumentType, issued_on: datetime.date) -> tuple[str, str]:
    """(period, type key) of the series an outgoing document of ``document_type`` is numbered in."""
    system = doc_numbers.System(register.system)
    scheme = doc_numbers.NumberingScheme(str(register.numbering))
    try:
        period = doc_numbers.series_period(system, scheme, issued_on, register.term_started_on)
    except doc_numbers.SymbolError as error:
        raise ValidationError(
            _("The register's committee term is not set or starts after the issue date ({detail}).").format(
                detail=error.detail
            )
        ) from error
    # Party: each type numbered separately; State: normative types separately, others as configured.
    separate = register.system == DocumentSystem.PARTY or document_type.normative or register.per_type
    return period, document_type.key if separate else ""
