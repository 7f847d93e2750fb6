"""The schedule's writes: drafting, submitting, publishing, revisions, notices, audit, and two leaders at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.core.models import AuditEntry, Role
from vanphong.core.services import roles
from vanphong.notices.models import Notification
from vanphong.schedule import services
from vanphong.schedule.models import ScheduleRevision, ScheduleState, WeekSchedule
from vanphong.schedule.tests.conftest import MONDAY, Desk, revise
from vanphong.testing import SYSTEM, race

pytestmark = pytest.mark.django_db


def notices(account: object) -> list[str]:
    return list(Notification.objects.filter(recipient=account).order_by("pk").values_list("subject", flat=True))


def test_the_office_drafts_and_the_leader_publishes_revision_1(desk: Desk) -> None:
    week, meeting, session = desk.published_week()
    assert week.state == ScheduleState.PUBLISHED and week.revision == 1
    revision = ScheduleRevision.objects.get(schedule=week)
    assert revision.number == 1 and revision.published_by == desk.office.chief and revision.changes == []
    assert [e["id"] for e in revision.snapshot] == [meeting.pk, session.pk]
    assert revision.snapshot[1]["attending"] == [{"id": desk.director.person_id, "name": "Đinh Văn Toàn"}]
    actions = list(
        AuditEntry.objects.filter(action__startswith="schedule.").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["schedule.week.create", "schedule.event.add", "schedule.event.add",
                       "schedule.week.submit", "schedule.revision.publish"]  # fmt: skip
    # everyone in the week hears of it once, in their own language
    assert len(notices(desk.director)) == 1 and "Sở Nội vụ" in notices(desk.director)[0]
    assert len(notices(desk.secretary)) == 1 and len(notices(desk.office.clerk)) == 0


@pytest.mark.parametrize("persona", ["specialist", "uncleared", "director", "root_admin"])
def test_outsiders_may_not_draft(desk: Desk, persona: str) -> None:
    week = desk.week()
    account = desk.account(persona)
    data = services.EventData(day=MONDAY, start=datetime.time(8), content="Tiếp công dân định kỳ")
    with pytest.raises(PermissionDenied):
        services.add_event(desk.actor(account), week, data)  # type: ignore[arg-type]


def test_only_a_leader_publishes_and_only_what_was_submitted(desk: Desk) -> None:
    week = desk.week()
    desk.event(week)
    with pytest.raises(ValidationError) as refused:
        services.publish(desk.actor(desk.office.chief), week)
    assert refused.value.code == "not_submitted"
    services.submit(desk.actor(desk.office.clerk), week)
    with pytest.raises(PermissionDenied):
        services.publish(desk.actor(desk.office.clerk), week)
    with pytest.raises(ValidationError):  # locked while waiting for approval
        desk.event(week, day=1)
    services.take_back(desk.actor(desk.office.chief), week, note="Bổ sung lịch tiếp dân")
    desk.event(week, day=1)
    services.submit(desk.actor(desk.office.clerk), week)
    revision = services.publish(desk.actor(desk.office.deputy), week)  # a deputy of the office approves too
    assert revision.number == 1 and len(revision.snapshot) == 2


def test_an_empty_week_cannot_be_submitted(desk: Desk) -> None:
    week = desk.week()
    with pytest.raises(ValidationError) as refused:
        services.submit(desk.actor(desk.office.clerk), week)
    assert refused.value.code == "empty"


def test_the_day_must_be_in_the_week_and_end_after_start(desk: Desk) -> None:
    week = desk.week()
    with pytest.raises(ValidationError) as refused:
        desk.event(week, day=7)
    assert "day" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        desk.event(week, start="10:00", end=datetime.time(9))
    assert "end" in refused.value.message_dict


def test_one_week_per_body(desk: Desk) -> None:
    desk.week()
    with pytest.raises(ValidationError) as refused:
        desk.week()
    assert refused.value.error_dict["week"][0].code == "duplicate_week"


def test_revisions_number_on_and_keep_what_changed(desk: Desk) -> None:
    week, meeting, session = desk.published_week()
    second = revise(desk, week, meeting, note="Lùi giờ họp", start=datetime.time(14, 0))
    third = revise(desk, week, session, note="Mời thêm Chủ tịch UBND tỉnh",
                   attending=[desk.director.person, desk.other])  # fmt: skip
    assert (second.number, third.number) == (2, 3)
    assert second.changes == [
        {"kind": "changed", "event_id": meeting.pk, "fields": ["start"],
         "before": second.changes[0]["before"], "after": second.changes[0]["after"]}
    ]  # fmt: skip
    assert second.changes[0]["before"]["start"] == "08:00" and second.changes[0]["after"]["start"] == "14:00"
    assert [c["fields"] for c in third.changes] == [["attending"]]
    week.refresh_from_db()
    assert week.revision == 3 and list(week.revisions.values_list("number", flat=True)) == [1, 2, 3]
    # revision 1 still reads as published
    first = week.revisions.get(number=1)
    assert first.snapshot[0]["start"] == "08:00"


def test_nothing_to_publish_is_refused(desk: Desk) -> None:
    week, _meeting, _session = desk.published_week()
    with pytest.raises(ValidationError) as refused:
        services.publish(desk.actor(desk.office.chief), week)
    assert refused.value.code == "unchanged"


def test_pending_changes_are_not_published_until_the_revision(desk: Desk) -> None:
    week, meeting, _session = desk.published_week()
    services.remove_event(desk.actor(desk.office.clerk), meeting)
    desk.event(week, day=4, content="Tiếp công dân định kỳ", presiding=[desk.vice.person])
    pending = services.pending_changes(week)
    assert sorted(c.kind for c in pending) == ["added", "removed"]
    assert len(services.latest_revision(week).snapshot) == 2  # type: ignore[union-attr]


def test_affected_people_are_told_what_changed_for_them(desk: Desk) -> None:
    week, meeting, session = desk.published_week()
    desk.secretary.language = "en"
    desk.secretary.save(update_fields=["language"])
    before = {a.username: len(notices(a)) for a in (desk.secretary, desk.vice, desk.director)}
    revise(desk, week, meeting, start=datetime.time(14, 0))
    # the Monday meeting: Thắng presides, Châu attends; Toàn is not in it
    assert len(notices(desk.secretary)) == before["bithu"] + 1
    assert len(notices(desk.vice)) == before["phobithu"] + 1
    assert len(notices(desk.director)) == before["giamdocsnv"]
    text = notices(desk.secretary)[-1]
    assert "revision 1" in text and "start time changed" in text and "08:00 → " in text and "14:00" in text
    # the added attendee is told he was added; the presiding leader that an attendee changed
    revise(desk, week, session, attending=[desk.director.person, desk.secretary.person])
    assert "you were added" in notices(desk.secretary)[-1]
    assert notices(desk.vice)[-1] != notices(desk.secretary)[-1]
    key = Notification.objects.filter(recipient=desk.secretary).order_by("pk").last().key  # type: ignore[union-attr]
    assert key == f"schedule:{week.pk}:rev:3:{desk.secretary.person_id}"


def test_people_removed_from_an_event_are_told(desk: Desk) -> None:
    week, _meeting, session = desk.published_week()
    desk.director.language = "en"
    desk.director.save(update_fields=["language"])
    revise(desk, week, session, attending=[])
    assert "you no longer take part" in notices(desk.director)[-1]


def test_a_delegated_leader_publishes_on_behalf(desk: Desk) -> None:
    week = desk.week()
    desk.event(week)
    services.submit(desk.actor(desk.office.clerk), week)
    now = datetime.datetime.now(datetime.UTC)
    roles.create_delegation(
        desk.actor(desk.office.chief), delegator=desk.office.chief.person, delegate=desk.office.uncleared.person,
        organization=desk.office.party_office, role=Role.LEADER, reason="Đi công tác Trung ương",
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=2),
    )  # fmt: skip
    services.publish(desk.actor(desk.office.uncleared), week)
    entry = AuditEntry.objects.get(action="schedule.revision.publish")
    assert entry.on_behalf_of == "Trần Văn Bình"


def test_two_leaders_publishing_at_once_never_share_or_skip_a_number(desk: Desk, transactional_db: None) -> None:
    week, meeting, _session = desk.published_week()
    services.change_event(desk.actor(desk.office.clerk), meeting, desk.data(meeting, place="Hội trường Tỉnh ủy"))
    chief, deputy = desk.actor(desk.office.chief), desk.actor(desk.office.deputy)
    won, lost = race(
        lambda: services.publish(chief, WeekSchedule.objects.get(pk=week.pk), note="A"),
        lambda: services.publish(deputy, WeekSchedule.objects.get(pk=week.pk), note="B"),
    )
    numbers = sorted(r.number for r in won)  # type: ignore[attr-defined]
    assert numbers in ([2], [2, 3])
    assert len(won) + len(lost) == 2
    assert all(error.code == "unchanged" for error in lost)
    assert list(ScheduleRevision.objects.filter(schedule=week).values_list("number", flat=True)) == [1, *numbers]
    week.refresh_from_db()
    assert week.revision == max(numbers)


def test_feed_tokens_are_issued_replaced_and_revoked_by_their_owner(desk: Desk) -> None:
    actor = desk.actor(desk.secretary)
    first = services.issue_feed_token(actor, desk.secretary)
    second = services.issue_feed_token(actor, desk.secretary)
    assert first != second
    from vanphong.schedule.feed import account_for_token

    assert account_for_token(first) is None and account_for_token(second) == desk.secretary
    with pytest.raises(PermissionDenied):
        services.issue_feed_token(desk.actor(desk.vice), desk.secretary)
    with pytest.raises(PermissionDenied):
        services.revoke_feed_token(SYSTEM, desk.secretary)
    assert services.revoke_feed_token(actor, desk.secretary) is True
    assert account_for_token(second) is None
