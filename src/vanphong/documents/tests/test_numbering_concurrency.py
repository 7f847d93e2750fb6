"""Many clerks numbering at once: every number given exactly once, none skipped. Real threads,
real transactions, on SQLite and on PostgreSQL (CI runs this file on both)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from vanphong.core.audit import Actor
from vanphong.core.models import OrgKind, Role
from vanphong.core.services import roles
from vanphong.documents.models import Direction, Document, DocumentSystem, NumberSeries, Register
from vanphong.documents.services import incoming
from vanphong.documents.services.numbering import take_number
from vanphong.testing import SYSTEM, make_account, make_org, make_person, race

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Room:
    """A minimal desk (no seeded position titles or types needed, so no serialized rollback)."""

    incoming: Register
    outgoing: Register
    clerk: Actor


@pytest.fixture
def room(transactional_db: None) -> Room:
    office = make_org("Văn phòng Tỉnh ủy Sơn Hà", "VPTU", kind=OrgKind.PARTY_ADVISORY)
    clerk = make_account(make_person("Hoàng Thị Lan", office), "vanthu")
    roles.grant_role(SYSTEM, clerk.person, office, Role.CLERK)  # type: ignore[arg-type]
    common = {"organization": office, "system": DocumentSystem.STATE, "place": "Sơn Hà"}
    return Room(
        Register.objects.create(direction=Direction.INCOMING, name="Sổ văn bản đến", **common),
        Register.objects.create(
            direction=Direction.OUTGOING, name="Sổ văn bản đi", issuer_abbreviation="VPTU", **common
        ),
        Actor(account=clerk, source="web"),
    )


def _arrival(room: Room, symbol: str) -> incoming.IncomingData:
    return incoming.IncomingData(
        register=room.incoming, abstract="Về việc báo cáo kết quả công tác tháng 11", sender_name="Sở Nội vụ",
        number_symbol=symbol,
    )  # fmt: skip


WORKERS = 16


def test_sixteen_clerks_registering_at_once_get_sixteen_consecutive_numbers(room: Room) -> None:
    def register(i: int) -> Callable[[], object]:
        return lambda: incoming.register_incoming(room.clerk, _arrival(room, f"{i + 1}/SNV-VP"))

    _won, lost = race(*(register(i) for i in range(WORKERS)))
    assert not lost
    numbers = sorted(Document.objects.values_list("arrival_number", flat=True))
    assert numbers == list(range(1, WORKERS + 1))


def test_a_failed_transaction_gives_its_number_back(room: Room) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        take_number(room.outgoing, period="2026", type_key="cong_van")
        raise RuntimeError("signing failed")
    with transaction.atomic():
        _series, number = take_number(room.outgoing, period="2026", type_key="cong_van")
    assert number == 1


def test_issue_numbers_from_sixteen_workers_have_no_duplicates_and_no_gaps(room: Room) -> None:
    def issue() -> Callable[[], int]:
        def act() -> int:
            with transaction.atomic():
                return take_number(room.outgoing, period="2026")[1]

        return act

    won, _lost = race(*(issue() for _ in range(WORKERS)))
    assert sorted(won) == list(range(1, WORKERS + 1))  # type: ignore[type-var]
    assert NumberSeries.objects.get(register=room.outgoing, period="2026").last_number == WORKERS
