"""A revision tells the heads of the units named on a changed event, each once, in their own language."""

from __future__ import annotations

import datetime

import pytest

from vanphong.core.models import Role
from vanphong.core.services import roles
from vanphong.notices.models import Notification
from vanphong.schedule import services
from vanphong.schedule.tests.conftest import Desk, revise
from vanphong.testing import SYSTEM, make_account, make_person

pytestmark = pytest.mark.django_db


def notices(account: object) -> list[str]:
    return list(Notification.objects.filter(recipient=account).order_by("pk").values_list("subject", flat=True))


def test_heads_of_named_units_are_told_once_in_their_language(desk: Desk) -> None:
    week, meeting, session = desk.published_week()
    # Ngô Thị Mai, Trưởng phòng Tổng hợp: her unit prepares the Monday meeting; she reads English
    mai = make_account(make_person("Ngô Thị Mai", desk.office.general_unit), "truongphongth")
    mai.language = "en"
    mai.save(update_fields=["language"])
    roles.grant_role(SYSTEM, mai.person, desk.office.general_unit, Role.HEAD)  # type: ignore[arg-type]
    # Toàn attends Wednesday's session in person and is also Giám đốc Sở Nội vụ
    roles.grant_role(SYSTEM, desk.director.person, desk.office.home_affairs, Role.LEADER)  # type: ignore[arg-type]
    # a deputy of the Sở is not a head: not told
    deputy = make_account(make_person("Phan Thanh Hải", desk.office.home_affairs), "phogiamdocsnv")
    roles.grant_role(SYSTEM, deputy.person, desk.office.home_affairs, Role.DEPUTY)  # type: ignore[arg-type]
    before = len(notices(desk.director))

    # revision 2: the meeting moves, and Sở Nội vụ and Phòng Tổng hợp are asked to attend the session
    services.change_event(desk.actor(desk.office.clerk), meeting, desk.data(meeting, start=datetime.time(15)))
    services.change_event(
        desk.actor(desk.office.clerk),
        session,
        desk.data(session, attending_units=[desk.office.home_affairs, desk.office.general_unit]),
    )
    revision = services.publish(desk.actor(desk.office.chief), week)

    told = notices(mai)
    assert len(told) == 1  # one notice for both events
    assert "revision 1" in told[0] and "start time changed" in told[0] and "your unit was added" in told[0]
    assert told[0].index("08:00 → ") < told[0].index("your unit was added")  # the week's order
    assert Notification.objects.get(recipient=mai).key == f"schedule:{week.pk}:rev:2:{mai.person_id}"
    director = notices(desk.director)
    assert len(director) == before + 1  # named on the session and head of a unit on it: told once
    assert notices(deputy) == []

    # idempotent: telling again for the same revision adds nothing
    changes = services.schedule_changes.from_json(revision.changes)
    services._notify(week, revision, changes, first=False)
    assert len(notices(mai)) == 1 and len(notices(desk.director)) == before + 1

    # revision 3: Phòng Tổng hợp is taken off the session; a revoked head hears nothing more
    revise(desk, week, session, attending_units=[desk.office.home_affairs])
    assert "your unit was taken off" in notices(mai)[-1]
    grant = mai.person.role_grants.get(role=Role.HEAD)  # type: ignore[union-attr]
    roles.revoke_role(SYSTEM, grant)
    revise(desk, week, meeting, preparing_unit=None)
    assert len(notices(mai)) == 2


def test_a_change_of_preparing_unit_tells_the_old_and_the_new_head(desk: Desk) -> None:
    week, meeting, _session = desk.published_week()
    # Trưởng phòng Tổng hợp (the old preparing unit) and Giám đốc Sở Nội vụ (the new one)
    mai = make_account(make_person("Ngô Thị Mai", desk.office.general_unit), "truongphongth")
    roles.grant_role(SYSTEM, mai.person, desk.office.general_unit, Role.HEAD)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, desk.director.person, desk.office.home_affairs, Role.LEADER)  # type: ignore[arg-type]
    for account in (mai, desk.director):
        account.language = "en"
        account.save(update_fields=["language"])
    before = len(notices(desk.director))
    revise(desk, week, meeting, preparing_unit=desk.office.home_affairs)
    assert len(notices(mai)) == 1 and "your unit was taken off" in notices(mai)[0]
    assert len(notices(desk.director)) == before + 1 and "your unit was added" in notices(desk.director)[-1]
