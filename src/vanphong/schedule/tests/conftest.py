"""The Standing Committee's week (Thường trực Tỉnh ủy Sơn Hà), the people in it, and factories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, OrgKind, Person
from vanphong.schedule import services
from vanphong.schedule.models import ScheduleEvent, ScheduleRevision, WeekSchedule
from vanphong.testing import Office, make_account, make_org, make_person

MONDAY = datetime.date(2026, 12, 7)  # ISO week 50 of 2026


@dataclass
class Desk:
    """Who drafts, approves and takes part in the Standing Committee's schedule."""

    office: Office
    standing: Organization  # Thường trực Tỉnh ủy: whose schedule it is
    secretary: Account  # Bí thư Tỉnh ủy: presides over most events
    vice: Account  # Phó Bí thư Thường trực: presides over some, attends others
    director: Account  # Giám đốc Sở Nội vụ: invited to one working session
    other: Person  # Chủ tịch UBND tỉnh, without an account

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def account(self, persona: str) -> Account | None:
        found = {"secretary": self.secretary, "vice": self.vice, "director": self.director}.get(persona)
        return found or getattr(self.office, persona, None)

    def week(self, **extra: Any) -> WeekSchedule:
        data = services.WeekData(self.standing, self.office.party_office, 2026, 50, **extra)
        return services.create_week(self.actor(self.office.clerk), data)

    def event(self, week: WeekSchedule, day: int = 0, start: str = "08:00", **extra: Any) -> ScheduleEvent:
        values: dict[str, Any] = {
            "day": MONDAY + datetime.timedelta(days=day),
            "start": datetime.time.fromisoformat(start),
            "content": "Họp Thường trực Tỉnh ủy nghe báo cáo tình hình kinh tế - xã hội năm 2026",
            "place": "Phòng họp số 1, Tỉnh ủy",
            "presiding": [self.secretary.person],
        }
        values.update(extra)
        return services.add_event(self.actor(self.office.clerk), week, services.EventData(**values))

    def data(self, event: ScheduleEvent, **changes: Any) -> services.EventData:
        values: dict[str, Any] = {
            "day": event.day,
            "start": event.start,
            "end": event.end,
            "content": event.content,
            "place": event.place,
            "presiding": list(event.presiding.all()),
            "attending": list(event.attending.all()),
            "attending_units": list(event.attending_units.all()),
            "preparing_unit": event.preparing_unit,
            "documents": list(event.documents.all()),
            "meeting": event.meeting,
            "private": event.private,
        }
        values.update(changes)
        return services.EventData(**values)

    def published_week(self) -> tuple[WeekSchedule, ScheduleEvent, ScheduleEvent]:
        """A week published as revision 1: the committee meeting on Monday, a working session on Wednesday."""
        week = self.week()
        meeting = self.event(week, attending=[self.vice.person], preparing_unit=self.office.general_unit)
        session = self.event(
            week,
            day=2,
            start="14:00",
            content="Làm việc với Sở Nội vụ về sắp xếp tổ chức bộ máy",
            place="Hội trường Sở Nội vụ",
            presiding=[self.vice.person],
            attending=[self.director.person],
        )
        services.submit(self.actor(self.office.clerk), week)
        services.publish(self.actor(self.office.chief), week, note="Ban hành lịch tuần 50")
        week.refresh_from_db()
        return week, meeting, session


def revise(desk: Desk, week: WeekSchedule, event: ScheduleEvent, note: str = "", **changes: Any) -> ScheduleRevision:
    services.change_event(desk.actor(desk.office.clerk), event, desk.data(event, **changes))
    return services.publish(desk.actor(desk.office.chief), week, note=note)


@pytest.fixture
def desk(office: Office) -> Desk:
    standing = make_org("Thường trực Tỉnh ủy", "TTTU", kind=OrgKind.PARTY_ORGANIZATION, parent=office.province_party)
    secretary = make_account(make_person("Nguyễn Hữu Thắng", standing), "bithu")
    vice = make_account(make_person("Lê Minh Châu", standing), "phobithu")
    director = make_account(make_person("Đinh Văn Toàn", office.home_affairs), "giamdocsnv")
    other = make_person("Trịnh Quang Phúc", office.peoples_committee)
    return Desk(office, standing, secretary, vice, director, other)
