"""The demo office at work: meetings in rooms never double-booked, tasks in every status class and basket,
the weekly schedule published and revised, written consultations, notices, a sound audit log.

One build (the office, the documents at the tests' volume, then the work) serves every check, as in
``documents/tests/test_demo_documents.py``: the office's passwords and the documents cost most of it.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from vanphong.consultations.models import Consultation, State
from vanphong.core import audit
from vanphong.core.demo import office_work
from vanphong.core.models import Account
from vanphong.directives import access as task_access
from vanphong.directives.models import Plan, Task, TaskState
from vanphong.meetings.models import Conclusion, ConnectedPoint, Meeting, MeetingKind, MeetingState, RoomBooking
from vanphong.notices.models import Notification
from vanphong.rules.task_status import StatusClass
from vanphong.schedule.models import ScheduleState, WeekSchedule

pytestmark = pytest.mark.django_db(transaction=False)


def _load() -> office_work.Summary:
    from vanphong.core.demo.build import build
    from vanphong.documents import demo as documents_demo

    out = StringIO()
    build(password="Vanphong@2026", stdout=out)
    documents_demo.build(stdout=out, volume=documents_demo.SMALL_VOLUME)
    return office_work.build(stdout=out)


def _classes(username: str, today: datetime.date) -> dict[str, int]:
    tasks = task_access.tasks_visible_to(Account.objects.get(username=username)).exclude(state=TaskState.CANCELLED)
    return {c.value: tasks.filter(task_access.status_class_q(c, today)).count() for c in StatusClass}


def test_the_demo_office_at_work() -> None:
    summary = _load()
    today = timezone.localdate()

    # Every status class, for the office chief, the head of unit and the specialist who sign in.
    for username in ("chanhvp", "truongphong", "chuyenvien"):
        classes = _classes(username, today)
        assert all(classes.values()), (username, classes)
    baskets = task_access.basket_counts(Account.objects.get(username="truongphong"), today)
    assert all(baskets.values()), baskets  # to do, due soon, overdue, a part proposed to him, a request for time
    chief = task_access.basket_counts(Account.objects.get(username="chanhvp"), today)
    assert chief["proposals"] and chief["extensions"], chief
    states = Counter(Task.objects.values_list("state", flat=True))
    assert {TaskState.RETURNED, TaskState.CANCELLED, TaskState.PROPOSED, TaskState.COMPLETED} <= set(states)
    # Tasks came from conclusions, a leader's direction on a document, a resolution plan across units.
    assert {"conclusion", "direction", "resolution"} <= set(Task.objects.values_list("source_kind", flat=True))
    plan = Plan.objects.get()
    assert plan.tasks.values("lead_unit").distinct().count() >= 4
    assert plan.tasks.filter(targets__achieved_value__isnull=False).exists()
    monthly = Task.objects.get(recurrence="monthly", series__isnull=True)
    occurrences = Task.objects.filter(series=monthly)
    assert occurrences.count() >= 3 and occurrences.filter(state=TaskState.COMPLETED).exists()

    # Meetings of every kind; a room never holds two at once; held ones have minutes and conclusions,
    # and the tasks made from conclusions point back at them.
    assert set(Meeting.objects.values_list("kind", flat=True)) >= {
        MeetingKind.STANDING_COMMITTEE, MeetingKind.COMMITTEE_CONFERENCE, MeetingKind.WORKING_SESSION,
        MeetingKind.ONLINE_CONFERENCE,
    }  # fmt: skip
    assert set(Meeting.objects.values_list("state", flat=True)) == set(MeetingState.values)
    bookings = list(RoomBooking.objects.active().order_by("room", "starts_at"))
    assert len(bookings) > 10
    for first, second in itertools.pairwise(bookings):
        if first.room_id == second.room_id:
            assert second.starts_at >= first.ends_at, (first, second)
    held = Meeting.objects.filter(state=MeetingState.HELD)
    assert held.count() >= 8 and not held.filter(minutes_text="").exists()
    assert held.filter(participants__checked_in_at__isnull=False).distinct().count() == held.count()
    assert ConnectedPoint.objects.filter(meeting__kind=MeetingKind.ONLINE_CONFERENCE).count() >= 3
    assigned = Conclusion.objects.filter(tasks_assigned_at__isnull=False)
    assert assigned.count() >= 10
    assert Task.objects.filter(source_ref__in=[c.source_ref for c in assigned]).count() >= assigned.count()

    # The Thường trực's schedule: last week published, this week revised (điều chỉnh lần 2), next week a draft.
    monday = today - datetime.timedelta(days=today.weekday())
    weeks = {s.monday: s for s in WeekSchedule.objects.filter(title="Lịch công tác tuần của Thường trực Tỉnh ủy")}
    this_week = weeks[monday]
    assert this_week.state == ScheduleState.PUBLISHED and this_week.revision >= 3
    assert this_week.revisions.get(number=this_week.revision).changes
    assert this_week.events.filter(meeting__isnull=False).exists()
    assert weeks[monday - datetime.timedelta(days=7)].state == ScheduleState.PUBLISHED
    assert weeks[monday + datetime.timedelta(days=7)].state == ScheduleState.DRAFT

    # Two written consultations: one closed with its tally, one open with some answers in.
    closed = Consultation.objects.get(state=State.CLOSED)
    assert closed.passed is True
    assert closed.members_count == 7
    counts = (closed.agree_count, closed.disagree_count, closed.other_count, closed.not_answered_count)
    assert sum(c or 0 for c in counts) == closed.members_count and closed.agree_count == 5
    still_open = Consultation.objects.get(state=State.OPEN)
    answers = Counter(still_open.members.values_list("answer", flat=True))
    assert answers[""] and sum(n for answer, n in answers.items() if answer) >= 3
    assert still_open.deadline > timezone.now()

    # The services told people; the reminders job ran once.
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"meetings.invitation", "directives.assigned", "directives.overdue", "consultations.opened"} <= kinds
    assert Notification.objects.filter(recipient__username="chanhvp").exists()
    assert summary.notices == Notification.objects.count() and summary.tasks == Task.objects.count()

    # The audit log holds every step and its chain is sound, as `vanphong audit verify` checks.
    assert audit.verify()[1] == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)

    # Loaded once: the command does nothing the second time, the builder refuses.
    tasks = Task.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue() and Task.objects.count() == tasks
    with pytest.raises(office_work.DemoWorkError):
        office_work.build(stdout=StringIO())
