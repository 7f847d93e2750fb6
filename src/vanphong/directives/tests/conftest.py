"""The task desk of the test office: the assigning leader, units with heads and specialists, an outside
reporting account, and a factory that assigns through the service."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, OrgKind, Role
from vanphong.core.services import roles
from vanphong.directives.models import Task
from vanphong.directives.services import TaskData, assign_task
from vanphong.testing import SYSTEM, Office, make_account, make_org, make_person


@dataclass
class Board:
    """Who assigns and who carries out tasks in the Sơn Hà test province."""

    office: Office
    organisation_board: Organization  # Ban Tổ chức Tỉnh ủy (a lead unit)
    propaganda_board: Organization  # Ban Tuyên giáo Tỉnh ủy (a coordinating unit)
    district: Organization  # Huyện ủy Sơn Tây (an outside body that only reports)
    other_district: Organization  # Huyện ủy Bắc Sơn (another outside body)
    secretary: Account  # Phó Bí thư Thường trực Tỉnh ủy: LEADER of the Tỉnh ủy, assigns tasks
    board_head: Account  # Trưởng Ban Tổ chức: HEAD of the lead unit
    board_specialist: Account  # chuyên viên Ban Tổ chức, no role: works in the unit
    propaganda_head: Account  # Trưởng Ban Tuyên giáo: HEAD of the coordinating unit
    district_reporter: Account  # cán bộ Huyện ủy Sơn Tây with a SPECIALIST role there: reports only
    other_reporter: Account  # cán bộ Huyện ủy Bắc Sơn: sees none of Sơn Tây's tasks
    home_affairs_head: Account  # Giám đốc Sở Nội vụ: LEADER of the department

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")


@pytest.fixture
def board(office: Office) -> Board:
    party = office.province_party
    org_board = make_org("Ban Tổ chức Tỉnh ủy", "BTCTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
    propaganda = make_org("Ban Tuyên giáo Tỉnh ủy", "BTGTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
    district = make_org("Huyện ủy Sơn Tây", "HUST", kind=OrgKind.PARTY_COMMITTEE, parent=party)
    other_district = make_org("Huyện ủy Bắc Sơn", "HUBS", kind=OrgKind.PARTY_COMMITTEE, parent=party)

    def account(name: str, org: Organization, username: str, role: str | None) -> Account:
        made = make_account(make_person(name, org), username)
        if role is not None:
            roles.grant_role(SYSTEM, made.person, org, role)  # type: ignore[arg-type]
        return made

    return Board(
        office=office,
        organisation_board=org_board,
        propaganda_board=propaganda,
        district=district,
        other_district=other_district,
        secretary=account("Nguyễn Thị Thanh", party, "phobithu", Role.LEADER),
        board_head=account("Trịnh Văn Khải", org_board, "truongbantc", Role.HEAD),
        board_specialist=account("Lương Thị Huế", org_board, "chuyenvientc", None),
        propaganda_head=account("Cao Minh Đức", propaganda, "truongbantg", Role.HEAD),
        district_reporter=account("Hà Văn Lâm", district, "huyenuysontay", Role.SPECIALIST),
        other_reporter=account("Tạ Thị Ngọc", other_district, "huyenuybacson", Role.SPECIALIST),
        home_affairs_head=account("Vũ Đình Long", office.home_affairs, "giamdocsnv", Role.LEADER),
    )


def assign(board: Board, **overrides: object) -> Task:
    """A task from the Tỉnh ủy to Ban Tổ chức, coordinated by Ban Tuyên giáo, due in 30 days."""
    values: dict[str, object] = {
        "title": "Rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2026-2031",
        "content": "Ban Tổ chức Tỉnh ủy chủ trì rà soát quy hoạch, báo cáo Ban Thường vụ.",
        "lead_unit": board.organisation_board,
        "coordinating_units": [board.propaganda_board],
        "deadline": timezone.localdate() + datetime.timedelta(days=30),
        "source_kind": "conclusion",
        "source_title": "Kết luận Hội nghị Ban Thường vụ ngày 03/12/2026, mục 2",
    }
    values.update(overrides)
    return assign_task(board.actor(board.secretary), TaskData(**values))  # type: ignore[arg-type]
