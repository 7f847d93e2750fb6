"""The meetings desk of the test office: the Tỉnh ủy's hall, its leader, three boards, factories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, OrgKind, Role
from vanphong.core.services import roles
from vanphong.documents.models import DocumentSystem, DocumentType
from vanphong.documents.tests import conftest as documents_conftest
from vanphong.documents.tests.conftest import Desk
from vanphong.meetings.models import Meeting, MeetingKind, Room
from vanphong.meetings.services import meetings as services
from vanphong.meetings.services import rooms as room_services
from vanphong.testing import SYSTEM, make_account, make_org, make_person

desk = documents_conftest.desk  # registers, Phòng Tổng hợp with its head and specialist


@dataclass
class Hall:
    """The Tỉnh ủy's meeting rooms and the people who meet in them."""

    desk: Desk
    party: Organization  # Tỉnh ủy Sơn Hà (the body holding the meetings)
    hall: Room  # Hội trường Tỉnh ủy, 200 seats
    small_room: Room  # Phòng họp Ban Thường vụ, 30 seats
    organisation_board: Organization  # Ban Tổ chức Tỉnh ủy
    propaganda_board: Organization  # Ban Tuyên giáo và Dân vận Tỉnh ủy
    inspection_board: Organization  # Ủy ban Kiểm tra Tỉnh ủy
    secretary: Account  # Bí thư Tỉnh ủy: leader of the Tỉnh ủy, presides
    organisation_head: Account  # Trưởng Ban Tổ chức Tỉnh ủy
    propaganda_head: Account  # Trưởng Ban Tuyên giáo và Dân vận
    inspection_head: Account  # Chủ nhiệm Ủy ban Kiểm tra

    @property
    def office(self):  # type: ignore[no-untyped-def]
        return self.desk.office

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def board_specialist(self) -> Account:
        """A chuyên viên Ban Tổ chức: organises the board's own meetings, books the Tỉnh ủy's rooms (made
        on first use; the Tỉnh ủy's rooms are not the board's to change)."""
        found = Account.objects.filter(username="chuyenvienbtc").first()
        if found is not None:
            return found
        account = make_account(make_person("Hà Thị Lan", self.organisation_board), "chuyenvienbtc")
        roles.grant_role(SYSTEM, account.person, self.organisation_board, Role.SPECIALIST)  # type: ignore[arg-type]
        return account

    def meeting(
        self,
        *,
        title: str = "Hội nghị Ban Thường vụ Tỉnh ủy tháng 12",
        days: int = 3,
        hour: int = 8,
        hours: int = 3,
        room: Room | None = None,
        kind: str = MeetingKind.STANDING_COMMITTEE,
        by: Account | None = None,
    ) -> Meeting:
        day = timezone.localdate() + datetime.timedelta(days=days)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
        data = services.MeetingData(
            body=self.party,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            room=room,
            presiding=self.secretary.person,
            secretary=self.office.clerk.person,
            preparing_unit=self.office.party_office,
        )
        return services.create_meeting(self.actor(by or self.office.clerk), data)


@pytest.fixture
def hall(desk: Desk) -> Hall:
    office = desk.office
    party = office.province_party
    boards = [
        make_org("Ban Tổ chức Tỉnh ủy", "BTCTU", kind=OrgKind.PARTY_ADVISORY, parent=party),
        make_org("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU", kind=OrgKind.PARTY_ADVISORY, parent=party),
        make_org("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU", kind=OrgKind.PARTY_ADVISORY, parent=party),
    ]
    secretary = make_account(make_person("Nguyễn Đức Thắng", party, clearance=3), "bithu")
    heads = [
        make_account(make_person("Lê Văn Phúc", boards[0], clearance=2), "truongbantc"),
        make_account(make_person("Trịnh Thị Hằng", boards[1], clearance=1), "truongbantg"),
        make_account(make_person("Vũ Đình Khoa", boards[2], clearance=2), "chunhiemubkt"),
    ]
    roles.grant_role(SYSTEM, secretary.person, party, Role.LEADER)  # type: ignore[arg-type]
    for head, board in zip(heads, boards, strict=True):
        roles.grant_role(SYSTEM, head.person, board, Role.HEAD)  # type: ignore[arg-type]
    # The văn thư of Văn phòng Tỉnh ủy keeps the Tỉnh ủy's books and organises its meetings.
    roles.grant_role(SYSTEM, office.clerk.person, party, Role.CLERK)  # type: ignore[arg-type]
    # The installation adds the Giấy mời type to the Party system (36-HD/VPTW does not list it).
    DocumentType.objects.get_or_create(
        system=DocumentSystem.PARTY, key="giay_moi", defaults={"name": "Giấy mời", "abbreviation": "GM"}
    )
    clerk = Actor(account=office.clerk, source="web")
    big = room_services.create_room(
        clerk,
        room_services.RoomData(body=party, name="Hội trường Tỉnh ủy", building="Nhà A", floor="1", capacity=200,
                               equipment="Màn hình LED, âm thanh hội nghị, 5 điểm cầu trực tuyến"),
    )  # fmt: skip
    small = room_services.create_room(
        clerk,
        room_services.RoomData(body=party, name="Phòng họp Ban Thường vụ", building="Nhà A", floor="2", capacity=30),
    )
    return Hall(desk, party, big, small, *boards, secretary, *heads)
