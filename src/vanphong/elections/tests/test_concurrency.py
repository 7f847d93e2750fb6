"""Two people pressing "confirm" (or "resolve", or the last station pressing Enter) at the same moment:
one wins, the other is told, nothing is counted twice. Real transactions in real threads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vanphong.core.audit import Actor, verify
from vanphong.core.models import Account, AuditEntry, OrgKind
from vanphong.elections import services
from vanphong.elections.models import Election, ReconciledBallot, ReconciliationStatus, Round, RoundStatus
from vanphong.elections.tests.conftest import CANDIDATES, MEMBERS
from vanphong.testing import SYSTEM, make_account, make_org, make_person, race

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Room:
    """A minimal counting room (no seeded position titles needed, so no serialized rollback)."""

    election: Election
    head: Account
    operator1: Account
    operator2: Account

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def open_round(self) -> Round:
        return services.open_first_round(self.actor(self.head), self.election, station_count=2)

    def enter(self, round_: Round, typed: list[str], stations: tuple[int, ...] = (1, 2)) -> None:
        operators = {1: self.operator1, 2: self.operator2}
        for station in stations:
            for line in typed:
                services.enter_ballot(self.actor(operators[station]), round_, station=station, typed=line)


@pytest.fixture
def counting(transactional_db: None) -> Room:
    party = make_org("Đảng ủy Khối", "DUK", kind=OrgKind.PARTY_COMMITTEE)
    head, one, two = (
        make_account(make_person(name, party), username)
        for name, username in (("Trần Văn Bình", "truongban"), ("Hoàng Thị Lan", "tram1"), ("Bùi Văn Nam", "tram2"))
    )
    congress = services.create_congress(SYSTEM, organization=party, name="Đại hội", term="2025–2030", kind="members")
    services.add_committee_member(SYSTEM, congress, person=head.person, role="head")  # type: ignore[arg-type]
    services.add_committee_member(SYSTEM, congress, person=one.person, role="operator", station=1)  # type: ignore[arg-type]
    services.add_committee_member(SYSTEM, congress, person=two.person, role="operator", station=2)  # type: ignore[arg-type]
    services.add_summoned(SYSTEM, congress, MEMBERS)
    election = services.create_election(SYSTEM, congress, kind="executive_committee", seats=3)
    services.add_candidates(SYSTEM, election, CANDIDATES)
    return Room(election, head, one, two)


def test_two_confirmations_at_once_count_once(counting: Room) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["4", "4", "3", "1 2"])
    actor = counting.actor(counting.head)
    won, lost = race(lambda: services.confirm_round(actor, round_), lambda: services.confirm_round(actor, round_))
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code in ("sealed", "confirmed")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SEALED
    assert AuditEntry.objects.filter(action="elections.round.confirm").count() == 1
    assert verify()[1] == []


def test_two_resolutions_at_once_resolve_once(counting: Room) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["1"], stations=(1,))
    counting.enter(round_, ["2"], stations=(2,))
    disputed = ReconciledBallot.objects.get(round=round_)
    actor = counting.actor(counting.head)
    won, lost = race(
        lambda: services.resolve_ballot(actor, disputed, typed="1", reason="Giấy ghi gạch số 1"),
        lambda: services.resolve_ballot(actor, disputed, typed="2", reason="Giấy ghi gạch số 2"),
    )
    assert len(won) == 1 and len(lost) == 1 and lost[0].code == "resolved"
    disputed.refresh_from_db()
    assert disputed.status == ReconciliationStatus.RESOLVED
    assert AuditEntry.objects.filter(action="elections.ballot.resolve").count() == 1


def test_the_last_two_stations_entering_at_once_still_reconcile(counting: Room) -> None:
    round_ = counting.open_round()
    one = counting.actor(counting.operator1)
    two = counting.actor(counting.operator2)
    for _ in range(5):
        race(
            lambda: services.enter_ballot(one, round_, station=1, typed="3"),
            lambda: services.enter_ballot(two, round_, station=2, typed="3"),
        )
    statuses = list(ReconciledBallot.objects.filter(round=round_).values_list("status", flat=True))
    assert statuses == [ReconciliationStatus.AGREED] * 5
