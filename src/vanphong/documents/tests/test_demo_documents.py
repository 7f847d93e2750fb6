"""The demo office's documents: every state of the flow, full baskets, gapless numbers, a sound audit log.

One build at the tests' volume (the showcases plus a few arrivals a month) serves every check: the
builder costs tens of seconds, most of it signing the outgoing documents.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from vanphong.core import audit
from vanphong.core.models import Account
from vanphong.documents import demo, policy
from vanphong.documents.models import (
    ApprovalStep,
    Assignment,
    AssignmentState,
    Direction,
    Document,
    EventKind,
    FlowEvent,
    NumberSeries,
    Register,
    Secrecy,
    Status,
    StepState,
    WithdrawnNumber,
)
from vanphong.documents.services.incoming import is_overdue

pytestmark = pytest.mark.django_db(transaction=False)


def _load() -> StringIO:
    out = StringIO()
    # The office itself through its own builder, then the documents at the tests' volume.
    from vanphong.core.demo.build import build

    build(password="Vanphong@2026", stdout=out)
    demo.build(stdout=out, volume=demo.SMALL_VOLUME)
    return out


def _visible(username: str) -> set[int]:
    account = Account.objects.get(username=username)
    return set(Document.objects.filter(policy.visible_q(account)).values_list("pk", flat=True))


def test_the_demo_year_of_documents() -> None:
    _load()
    today = timezone.localdate()

    # Every state of the flow, in and out.
    statuses = set(Document.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)

    # Five registers: the Party office's two, the People's Committee office's three (one for secrets).
    registers = {(r.organization.abbreviation, r.direction, r.secret) for r in Register.objects.all()}
    assert registers == {
        ("VPTU", Direction.INCOMING, False), ("VPTU", Direction.OUTGOING, False),
        ("VP", Direction.INCOMING, False), ("VP", Direction.OUTGOING, False), ("VP", Direction.OUTGOING, True),
    }  # fmt: skip
    assert not Document.objects.filter(secrecy__gt=Secrecy.NONE, register__system="state", direction="out").exclude(
        register__secret=True
    )

    # Arrival numbers: 1..n per register and year, no gap, no duplicate, in the order of arrival.
    for register in Register.objects.filter(direction=Direction.INCOMING):
        rows = list(
            Document.objects.filter(register=register)
            .order_by("arrived_at", "pk")
            .values_list("arrival_number", "arrival_year")
        )
        assert rows, register
        assert [n for n, _year in rows] == list(range(1, len(rows) + 1))
        assert {year for _n, year in rows} == {2026}
    # Issue numbers: 1..last of each series, the withdrawn one kept, none reused.
    for series in NumberSeries.objects.filter(register__direction=Direction.OUTGOING):
        numbers = sorted(n for n in Document.objects.filter(series=series).values_list("number", flat=True) if n)
        assert numbers == list(range(1, series.last_number + 1)), series
    assert WithdrawnNumber.objects.count() == 1
    recalled = Document.objects.get(status=Status.RECALLED)
    assert recalled.withdrawn_numbers.get().number == recalled.number
    assert Document.objects.filter(register__numbering="term", number_symbol__endswith="/VPTU").exists()

    # The flow has its parts: directions with lead, coordinating and information units; specialists;
    # progress notes and opinions; a reply linked; a draft sent back; arrivals by edXML and with scans.
    parts = set(Assignment.objects.values_list("role", flat=True))
    assert parts == {"lead", "coordinate", "inform"}
    kinds = set(FlowEvent.objects.values_list("kind", flat=True))
    for kind in (
        EventKind.REGISTERED, EventKind.PRESENTED, EventKind.DIRECTED, EventKind.FORWARDED, EventKind.OPINION_GIVEN,
        EventKind.COMPLETED, EventKind.RETURNED, EventKind.SUBMITTED, EventKind.APPROVED, EventKind.SENT_BACK,
        EventKind.SIGNED, EventKind.ISSUED, EventKind.DISPATCHED, EventKind.NUMBER_WITHDRAWN, EventKind.FILE_ADDED,
    ):  # fmt: skip
        assert kind in kinds, kind
    assert Document.objects.filter(direction=Direction.OUTGOING, reply_to__status=Status.COMPLETED).exists()
    assert Document.objects.filter(channel="edxml").exists()
    assert Document.objects.filter(files__role="stamped").exists()
    steps = set(ApprovalStep.objects.filter(state=StepState.PENDING).values_list("stage", flat=True))
    assert steps == {"review", "office", "sign"}

    # Back-dated: the arrivals spread over the year (a few a month at this volume), nothing after the present.
    months = {timezone.localtime(at).month for at in Document.objects.values_list("arrived_at", flat=True) if at}
    assert len(months) >= min(6, today.month)
    assert not FlowEvent.objects.filter(at__gt=timezone.now()).exists()
    assert not Document.objects.filter(arrived_at__date__lt=datetime.date(2026, 1, 1)).exists()

    # Overdue and near due, relative to today.
    open_ones = Document.objects.filter(status=Status.IN_PROGRESS)
    assert any(is_overdue(d, today) for d in open_ones)
    assert open_ones.filter(handling_deadline__gte=today, handling_deadline__lte=today + datetime.timedelta(days=10))

    # The demo logins have work waiting in their baskets.
    assert Document.objects.filter(register__organization__abbreviation="VPTU", status=Status.REGISTERED)
    assert Document.objects.filter(status=Status.PRESENTED).values("presented_to").annotate(n=Count("pk"))
    for username in ("vanthu", "chanhvp", "truongphong", "chuyenvienchinh", "vanthuubnd", "chanhvpubnd"):
        assert _visible(username), username
    assert Document.objects.filter(status=Status.PRESENTED, register__organization__abbreviation="VPTU").exists()
    handler = Account.objects.get(username="chuyenvienchinh").person
    assert Assignment.objects.filter(handler=handler, state=AssignmentState.HANDLING).exists() or (
        Assignment.objects.filter(handler=handler).exists()
    )
    # A specialist without clearance sees no secret document.
    assert not Document.objects.filter(pk__in=_visible("chuyenvien"), secrecy__gt=Secrecy.NONE).exists()

    # The audit log holds every step and its chain is sound.
    checked, problems = audit.verify()
    assert problems == []
    assert checked > Document.objects.count() * 2

    # Idempotent: a second `vanphong demo` finds the organisations and changes nothing.
    documents, entries = Document.objects.count(), checked
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Document.objects.count(), audit.verify()[0]) == (documents, entries)
    with pytest.raises(demo.DemoDocumentsError):
        demo.build(stdout=StringIO(), volume=demo.SMALL_VOLUME)
