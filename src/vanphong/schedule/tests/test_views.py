"""The schedule pages: the permission matrix, the published view with its highlighted changes, earlier
revisions and the comparison, the editor through htmx, the public view and the home panel.

Expected answers (STYLE.md, Tests): anonymous → the login page with ``next``; allowed → 200, or 302
after a successful POST; may see the week but not take the step → 403; may not see it → 404; a
method the view does not take → 405.
"""

from __future__ import annotations

import datetime
import inspect
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from vanphong.core.models import Account
from vanphong.documents.tests.test_views import LOGIN, Case, matrix_failures, rows
from vanphong.schedule import services
from vanphong.schedule.models import ScheduleEvent, ScheduleState, WeekSchedule
from vanphong.schedule.tests.conftest import MONDAY, Desk, revise

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class World:
    desk: Desk
    published: WeekSchedule  # week 50 of Thường trực Tỉnh ủy, revision 2 (the meeting moved to 14:00)
    meeting: ScheduleEvent  # its Monday meeting
    draft: WeekSchedule  # week 51, being drafted by the office
    submitted: WeekSchedule  # week 52, waiting for the leader
    token: str  # the secretary's calendar feed secret

    def account(self, persona: str) -> Account | None:
        return self.desk.account(persona)


def build(desk: Desk) -> World:
    week, meeting, _session = desk.published_week()
    revise(desk, week, meeting, note="Lùi giờ họp", start=datetime.time(14, 0))
    clerk = desk.actor(desk.office.clerk)
    draft = services.create_week(clerk, services.WeekData(desk.standing, desk.office.party_office, 2026, 51))
    desk.event(draft, day=7, content="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 5")
    submitted = services.create_week(clerk, services.WeekData(desk.standing, desk.office.party_office, 2026, 52))
    desk.event(submitted, day=14, content="Tổng kết công tác năm 2026")
    services.submit(clerk, submitted)
    token = services.issue_feed_token(desk.actor(desk.secretary), desk.secretary)
    return World(desk, week, meeting, draft, submitted, token)


@pytest.fixture
def world(desk: Desk) -> World:
    return build(desk)


def english(client: Client) -> Client:
    client.cookies["vanphong_language"] = "en"
    return client


def u(name: str, *args: Any) -> Any:
    return lambda w: reverse(f"schedule:{name}", args=[a(w) if callable(a) else a for a in args])


def published(w: World) -> int:
    return w.published.pk


def draft(w: World) -> int:
    return w.draft.pk


def submitted(w: World) -> int:
    return w.submitted.pk


def meeting(w: World) -> int:
    return w.meeting.pk


def draft_event(w: World) -> int:
    return w.draft.events.get().pk


def event_form(w: World) -> dict[str, Any]:
    return {"day": MONDAY.isoformat(), "start": "09:30", "content": "Tiếp công dân định kỳ tháng 12",
            "place": "Trụ sở tiếp công dân tỉnh", "presiding": [w.desk.secretary.person_id]}  # fmt: skip


def draft_day(w: World) -> dict[str, Any]:
    return {**event_form(w), "day": (MONDAY + datetime.timedelta(days=7)).isoformat()}


WEEK_FORM = lambda w: {"body": w.desk.standing.pk, "office": w.desk.office.party_office.pk, "year": "2027",  # noqa: E731
                       "week": "1", "title": ""}  # fmt: skip
ISSUE = lambda w: {"action": "issue"}  # noqa: E731

CASES: list[Case] = [
    *rows("list", u("list"), {"anonymous": LOGIN, "clerk": 200, "specialist": 200}),
    *rows("list", u("list"), {"clerk": 405}, method="POST"),
    *rows("week_new", u("week_new"), {"anonymous": LOGIN, "clerk": 200, "chief": 200, "uncleared": 403}),
    *rows("week_new", u("week_new"), {"clerk": 302, "uncleared": 403}, method="POST", data=WEEK_FORM),
    # a specialist of Sở Nội vụ drafts Sở Nội vụ's weeks, not the Party office's
    *rows("week_new", u("week_new"), {"specialist": 400}, method="POST", data=WEEK_FORM),
    *rows("week_new", u("week_new"), {"clerk": 400}, method="POST"),
    *rows("week_new", u("week_new"), {"clerk": 405}, method="PUT"),
    *rows(
        "week",
        u("week", published),
        {"anonymous": LOGIN, "clerk": 200, "secretary": 200, "specialist": 200, "uncleared": 200},
    ),
    *rows("week", u("week", draft), {"clerk": 302, "chief": 302, "specialist": 404, "uncleared": 404}),
    *rows("week", u("week", published), {"clerk": 405}, method="POST"),
    *rows("revision", u("revision", published, 1), {"anonymous": LOGIN, "specialist": 200, "clerk": 200}),
    *rows("revision", u("revision", published, 9), {"specialist": 404}),
    *rows("revision", u("revision", draft, 1), {"specialist": 404, "clerk": 404}),
    *rows("revision", u("revision", published, 1), {"specialist": 405}, method="POST"),
    *rows("compare", u("compare", published), {"anonymous": LOGIN, "specialist": 200}),
    *rows("compare", u("compare", draft), {"specialist": 404, "clerk": 404}),
    *rows("compare", u("compare", published), {"specialist": 405}, method="POST"),
    *rows("pdf", u("pdf", published), {"anonymous": LOGIN, "specialist": 200}),
    *rows("pdf", u("pdf", draft), {"specialist": 404, "clerk": 404}),
    *rows("pdf", u("pdf", published), {"specialist": 405}, method="POST"),
    *rows("editor", u("editor", published), {"anonymous": LOGIN, "clerk": 200, "chief": 200, "specialist": 403}),
    *rows("editor", u("editor", draft), {"clerk": 200, "specialist": 404, "uncleared": 404}),
    *rows("editor", u("editor", draft), {"clerk": 405}, method="POST"),
    *rows(
        "event_new",
        u("event_new", published),
        {"anonymous": LOGIN, "clerk": 302, "chief": 302, "specialist": 403, "secretary": 403},
        method="POST",
        data=event_form,
    ),
    *rows("event_new", u("event_new", draft), {"clerk": 302, "specialist": 404}, method="POST", data=draft_day),
    *rows("event_new", u("event_new", draft), {"clerk": 400}, method="POST"),  # nothing typed
    *rows("event_new", u("event_new", draft), {"clerk": 405}),
    *rows("event_edit", u("event_edit", meeting), {"anonymous": LOGIN, "clerk": 200, "specialist": 404}),
    *rows(
        "event_edit",
        u("event_edit", meeting),
        {"clerk": 302, "chief": 302, "specialist": 404, "uncleared": 404},
        method="POST",
        data=event_form,
    ),
    *rows("event_edit", u("event_edit", draft_event), {"clerk": 400}, method="POST", data=event_form),  # wrong week
    *rows("event_edit", u("event_edit", meeting), {"clerk": 405}, method="PUT"),
    *rows(
        "event_delete", u("event_delete", meeting), {"anonymous": LOGIN, "clerk": 302, "specialist": 404}, method="POST"
    ),
    *rows("event_delete", u("event_delete", meeting), {"clerk": 405}),
    *rows("submit", u("submit", draft), {"anonymous": LOGIN, "clerk": 302, "specialist": 404}, method="POST"),
    *rows("submit", u("submit", published), {"clerk": 400, "specialist": 403}, method="POST"),
    *rows("submit", u("submit", submitted), {"clerk": 400}, method="POST"),
    *rows("submit", u("submit", draft), {"clerk": 405}),
    *rows(
        "take_back",
        u("take_back", submitted),
        {"anonymous": LOGIN, "clerk": 302, "chief": 302, "specialist": 404},
        method="POST",
    ),
    *rows("take_back", u("take_back", published), {"clerk": 400, "specialist": 403}, method="POST"),
    *rows("take_back", u("take_back", submitted), {"clerk": 405}),
    *rows(
        "publish",
        u("publish", submitted),
        {"anonymous": LOGIN, "chief": 302, "deputy": 302, "clerk": 403, "specialist": 404},
        method="POST",
    ),
    *rows("publish", u("publish", published), {"chief": 400, "clerk": 403, "specialist": 403}, method="POST"),
    *rows("publish", u("publish", draft), {"chief": 400}, method="POST"),  # not submitted
    *rows("publish", u("publish", submitted), {"chief": 405}),
    *rows("feed_settings", u("feed_settings"), {"anonymous": LOGIN, "specialist": 200, "secretary": 200}),
    *rows("feed_settings", u("feed_settings"), {"secretary": 200}, method="POST", data=ISSUE),
    *rows("feed_settings", u("feed_settings"), {"secretary": 400}, method="POST"),
    *rows("feed_settings", u("feed_settings"), {"secretary": 405}, method="PUT"),
    *rows("feed", lambda w: reverse("schedule:feed", args=[w.token]), {"anonymous": 200, "specialist": 200}),
    *rows("feed", lambda w: reverse("schedule:feed", args=["khong-dung"]), {"anonymous": 404}),
    *rows("feed", lambda w: reverse("schedule:feed", args=[w.token]), {"anonymous": 405}, method="POST"),
    # without VANPHONG_SCHEDULE_PUBLIC the public pages do not exist
    *rows("public_list", u("public_list"), {"anonymous": 404, "specialist": 404}),
    *rows("public_list", u("public_list"), {"anonymous": 405}, method="POST"),
    *rows("public_week", u("public_week", published), {"anonymous": 404, "clerk": 404}),
    *rows("public_week", u("public_week", published), {"anonymous": 405}, method="POST"),
]

PUBLIC_CASES: list[Case] = [
    *rows("public_list", u("public_list"), {"anonymous": 200, "specialist": 200}),
    *rows("public_week", u("public_week", published), {"anonymous": 200, "clerk": 200}),
    *rows("public_week", u("public_week", draft), {"anonymous": 404, "clerk": 404}),
    *rows("pdf", u("pdf", published), {"anonymous": 200}),
    *rows("pdf", u("pdf", draft), {"anonymous": 404}),
    *rows("week", u("week", published), {"anonymous": LOGIN}),  # the intranet view still needs signing in
]


def test_permission_matrix(world: World, client: Client) -> None:
    assert matrix_failures(CASES, world, client) == []


def test_permission_matrix_with_the_public_view_on(world: World, client: Client, settings: Any) -> None:
    settings.SCHEDULE_PUBLIC = True
    assert matrix_failures(PUBLIC_CASES, world, client) == []


def test_every_page_has_rows_for_anonymous_allowed_and_wrong_method() -> None:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "schedule":
            names = {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    every = CASES + PUBLIC_CASES
    covered = {case.name for case in every}
    assert names and names == covered
    for name in names:
        cases = [case for case in every if case.name == name]
        assert any(c.persona == "anonymous" for c in cases), f"{name}: no row for an anonymous visitor"
        assert any(c.expected in (200, 302) for c in cases), f"{name}: no allowed row"
        assert any(c.expected == 405 for c in cases), f"{name}: no wrong-method row"


# --- what the pages show -----------------------------------------------------------------------------------


def test_the_published_view_shows_the_latest_revision_with_its_change_highlighted(world: World, client: Client) -> None:
    english(client).force_login(world.desk.director)
    page = client.get(reverse("schedule:week", args=[world.published.pk])).content.decode()
    assert "Revision 1" in page  # revision 2 is the first amendment
    row = page[page.index(f'id="event-{world.meeting.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-change="changed"' in row and 'data-changed="start"' in row and "14:00" in row
    assert "start time" in row  # what changed, in words
    assert 'id="revisions"' in page and reverse("schedule:revision", args=[world.published.pk, 1]) in page
    # the first issue reads as it was, with nothing highlighted
    first = client.get(reverse("schedule:revision", args=[world.published.pk, 1])).content.decode()
    assert "First issue" in first and "This is an earlier revision." in first and "data-change=" not in first
    assert "08:00" in first[first.index(f'id="event-{world.meeting.pk}"') :][:400]


def test_compare_two_revisions(world: World, client: Client) -> None:
    english(client).force_login(world.desk.director)
    page = client.get(reverse("schedule:compare", args=[world.published.pk]), {"a": 1, "b": 2}).content.decode()
    table = page[page.index('id="comparison"') :]
    assert f'data-event="{world.meeting.pk}"' in table and 'data-change="changed"' in table
    assert "08:00" in table and "14:00" in table and "start time" in table
    same = client.get(reverse("schedule:compare", args=[world.published.pk]), {"a": 2, "b": 2}).content.decode()
    assert "The two revisions are the same." in same


def test_linked_documents_show_only_to_those_who_may_see_them(world: World, client: Client) -> None:
    from vanphong.documents.services import incoming
    from vanphong.documents.tests import conftest as documents

    office = world.desk.office
    registers = inspect.unwrap(documents.desk)(office)  # the documents desk: the Party office's registers
    document = incoming.register_incoming(world.desk.actor(office.clerk), documents.register_sample(registers))
    week, clerk = world.published, world.desk.actor(office.clerk)
    services.change_event(clerk, world.meeting, world.desk.data(world.meeting, documents=[document]))
    services.publish(world.desk.actor(office.chief), week)
    url = reverse("schedule:week", args=[week.pk])
    link = reverse("documents:document", args=[document.pk])
    client.force_login(office.clerk)  # the văn thư keeps the register
    assert link in client.get(url).content.decode()
    client.force_login(world.desk.director)  # Sở Nội vụ has no part in the document
    page = client.get(url).content.decode()
    assert link not in page and "Họp Thường trực Tỉnh ủy" in page


def test_the_editor_adds_changes_and_removes_events_through_htmx(world: World, client: Client) -> None:
    english(client).force_login(world.desk.office.clerk)
    add = client.post(reverse("schedule:event_new", args=[world.published.pk]), event_form(world), **HTMX)
    assert add.status_code == 200 and 'data-pending="added"' in add.content.decode()
    added = ScheduleEvent.objects.get(content="Tiếp công dân định kỳ tháng 12")
    form = client.get(reverse("schedule:event_edit", args=[added.pk]), **HTMX).content.decode()
    assert 'id="event-edit"' in form and "Tiếp công dân định kỳ tháng 12" in form
    bad = client.post(reverse("schedule:event_edit", args=[added.pk]), {**event_form(world), "end": "08:00"}, **HTMX)
    assert bad.status_code == 200 and "The end time must come after the start time." in bad.content.decode()
    client.post(reverse("schedule:event_delete", args=[world.meeting.pk]), **HTMX)
    body = client.get(reverse("schedule:editor", args=[world.published.pk])).content.decode()
    assert 'data-pending="removed"' in body and 'data-pending="added"' in body
    # the leader sees the pending changes and publishes them as the next revision
    client.force_login(world.desk.office.chief)
    page = client.get(reverse("schedule:editor", args=[world.published.pk])).content.decode()
    assert 'id="publish-schedule"' in page
    done = client.post(reverse("schedule:publish", args=[world.published.pk]), {"note": "Điều chỉnh lịch tiếp dân"})
    assert done.status_code == 302 and done["Location"] == reverse("schedule:week", args=[world.published.pk])
    world.published.refresh_from_db()
    assert world.published.revision == 3 and world.published.state == ScheduleState.PUBLISHED
    view = client.get(done["Location"]).content.decode()
    assert "Revision 2" in view and 'id="removed"' in view


def test_creating_a_week_opens_its_editor(world: World, client: Client) -> None:
    english(client).force_login(world.desk.office.clerk)
    response = client.post(reverse("schedule:week_new"), WEEK_FORM(world))
    week = WeekSchedule.objects.get(year=2027, week=1)
    assert response["Location"] == reverse("schedule:editor", args=[week.pk])
    assert week.title == "Weekly work schedule of Thường trực Tỉnh ủy" or "Thường trực Tỉnh ủy" in week.title
    again = client.post(reverse("schedule:week_new"), WEEK_FORM(world))
    assert again.status_code == 400 and "already has a schedule" in again.content.decode()


def test_the_public_view_hides_private_events(world: World, client: Client, settings: Any) -> None:
    settings.SCHEDULE_PUBLIC = True
    desk = world.desk
    desk.event(world.published, day=3, content="Làm việc với Ủy ban Kiểm tra về hồ sơ cán bộ", private=True,
               place="Phòng làm việc Bí thư")  # fmt: skip
    services.publish(desk.actor(desk.office.chief), world.published)
    page = english(client).get(reverse("schedule:public_week", args=[world.published.pk])).content.decode()
    assert "Working at the office" in page and "Ủy ban Kiểm tra" not in page and "Phòng làm việc Bí thư" not in page
    assert "Họp Thường trực Tỉnh ủy" in page  # the others are shown whole
    client.force_login(desk.office.specialist)  # signed in, the intranet view shows it
    assert "Ủy ban Kiểm tra" in client.get(reverse("schedule:week", args=[world.published.pk])).content.decode()


def test_the_home_panel_lists_my_events_this_week_and_marks_a_revision(desk: Desk, client: Client) -> None:
    year, week, _day = timezone.localdate().isocalendar()
    clerk = desk.actor(desk.office.clerk)
    current = services.create_week(clerk, services.WeekData(desk.office.party_office, desk.office.party_office,
                                                            year, week))  # fmt: skip
    monday = datetime.date.fromisocalendar(year, week, 1)
    event = services.add_event(clerk, current, services.EventData(
        day=monday, start=datetime.time(8), content="Giao ban Văn phòng Tỉnh ủy", presiding=[desk.office.chief.person],
        attending=[desk.director.person]))  # type: ignore[list-item]  # fmt: skip
    services.submit(clerk, current)
    services.publish(desk.actor(desk.office.chief), current)
    english(client).force_login(desk.director)
    home = client.get(reverse("core:home")).content.decode()
    assert "Giao ban Văn phòng Tỉnh ủy" in home and 'id="schedule-revised"' not in home
    services.change_event(clerk, event, desk.data(event, start=datetime.time(9)))
    services.publish(desk.actor(desk.office.chief), current)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="schedule-revised"' in home and "09:00" in home
    client.force_login(desk.office.specialist)  # not in it: no panel
    assert "Giao ban Văn phòng Tỉnh ủy" not in client.get(reverse("core:home")).content.decode()


def test_the_published_view_and_the_editor_cost_the_same_queries_for_a_busy_week(desk: Desk, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    week, _meeting, _session = desk.published_week()
    client.force_login(desk.office.clerk)

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    pages = [reverse("schedule:week", args=[week.pk]), reverse("schedule:editor", args=[week.pk])]
    before = [cost(url) for url in pages]
    for n in range(20):
        desk.event(week, day=n % 5, start=f"{7 + n % 10:02d}:30", attending=[desk.vice.person, desk.director.person])
    services.publish(desk.actor(desk.office.chief), week)
    assert [cost(url) for url in pages] == before


def test_the_linked_meeting_shows_to_those_who_may_see_it(world: World, client: Client) -> None:
    from zoneinfo import ZoneInfo

    from vanphong.meetings.models import MeetingKind
    from vanphong.meetings.services import meetings

    desk, zone = world.desk, ZoneInfo("Asia/Ho_Chi_Minh")
    starts = datetime.datetime(2026, 12, 7, 14, 0, tzinfo=zone)
    data = meetings.MeetingData(
        body=desk.office.party_office,
        kind=MeetingKind.STANDING_COMMITTEE,
        title="Họp Thường trực Tỉnh ủy tháng 12",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Phòng họp số 1, Tỉnh ủy",
        presiding=desk.secretary.person,
    )
    meeting_row = meetings.create_meeting(desk.actor(desk.office.clerk), data)
    clerk = desk.actor(desk.office.clerk)
    world.meeting.refresh_from_db()  # moved to 14:00 by revision 2
    services.change_event(clerk, world.meeting, desk.data(world.meeting, meeting=meeting_row))
    revision = services.publish(desk.actor(desk.office.chief), world.published)
    assert revision.snapshot[0]["meeting"] == meeting_row.pk and revision.changes[0]["fields"] == ["meeting"]
    url = reverse("schedule:week", args=[world.published.pk])
    client.force_login(desk.secretary)  # presides over the meeting
    assert f'data-meeting="{meeting_row.pk}"' in client.get(url).content.decode()
    client.force_login(desk.director)  # not in it
    assert "data-meeting=" not in client.get(url).content.decode()
