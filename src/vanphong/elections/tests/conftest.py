"""A small congress of the provincial Party committee, set up through the services, with its counting
committee drawn from the office personas."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vanphong.core.audit import Actor
from vanphong.core.models import Account
from vanphong.elections import services
from vanphong.elections.models import CommitteeRole, Congress, CongressKind, Election, ElectionKind, Round
from vanphong.testing import SYSTEM, Office

# Eleven official members summoned; the illustration of reference §1.3 (6 votes needed out of 11).
MEMBERS = "\n".join(
    [
        "Nguyễn Văn An; Chi bộ 1",
        "Trần Thị Bích; Chi bộ 1",
        "Lê Văn Cường; Chi bộ 1",
        "Phạm Thị Dung; Chi bộ 2",
        "Hoàng Văn Em; Chi bộ 2",
        "Vũ Thị Giang; Chi bộ 2",
        "Đỗ Văn Hải; Chi bộ 3",
        "Bùi Thị Hạnh; Chi bộ 3",
        "Đặng Văn Khoa; Chi bộ 3",
        "Ngô Thị Lan; Chi bộ 4",
        "Dương Văn Minh; Chi bộ 4",
    ]
)
CANDIDATES = "Võ Thị Sáu\nLê Văn Tám\nNguyễn Thị Ánh\nTrần Văn Ba"


@dataclass
class Counting:
    """The congress and the people of its counting room."""

    office: Office
    congress: Congress
    election: Election  # executive committee: 3 seats, 4 candidates (strike form)
    head: Account  # the chief: head of the counting committee
    member: Account  # the deputy: a committee member
    operator1: Account  # the clerk: operator of station 1
    operator2: Account  # a staff member without roles: operator of station 2
    admin: Account  # the Party committee's administrator: sets congresses up, never sees the ballots
    outsider: Account  # a specialist of another body: nothing here

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def open_round(self, station_count: int = 2) -> Round:
        return services.open_first_round(self.actor(self.head), self.election, station_count=station_count)

    def enter(self, round_: Round, typed: list[str], stations: tuple[int, ...] = (1, 2)) -> None:
        operators = {1: self.operator1, 2: self.operator2, 3: self.office.specialist}
        for station in stations:
            for line in typed:
                services.enter_ballot(self.actor(operators[station]), round_, station=station, typed=line)


@pytest.fixture
def counting(office: Office) -> Counting:
    congress = services.create_congress(
        SYSTEM,
        organization=office.province_party,
        name="Đại hội Đảng bộ Văn phòng Tỉnh ủy",
        term="2025–2030",
        kind=CongressKind.MEMBERS,
    )
    add = services.add_committee_member
    add(SYSTEM, congress, person=office.chief.person, role=CommitteeRole.HEAD)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.deputy.person, role=CommitteeRole.MEMBER)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.clerk.person, role=CommitteeRole.OPERATOR, station=1)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.uncleared.person, role=CommitteeRole.OPERATOR, station=2)  # type: ignore[arg-type]
    services.add_summoned(SYSTEM, congress, MEMBERS)
    election = services.create_election(SYSTEM, congress, kind=ElectionKind.EXECUTIVE_COMMITTEE, seats=3)
    services.add_candidates(SYSTEM, election, CANDIDATES)
    return Counting(
        office,
        congress,
        election,
        head=office.chief,
        member=office.deputy,
        operator1=office.clerk,
        operator2=office.uncleared,
        admin=office.party_admin,
        outsider=office.outsider_admin,
    )
