"""The printed week (PDF, read back with pypdf) and a person's calendar feed (parsed with icalendar)."""

from __future__ import annotations

import datetime
import io
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from vanphong.schedule import printing, services
from vanphong.schedule.tests.conftest import Desk, revise

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))


def test_the_printed_week_has_the_customary_heading_table_and_revision(desk: Desk, client: Client) -> None:
    week, meeting, _session = desk.published_week()
    client.force_login(desk.director)
    response = client.get(reverse("schedule:pdf", args=[week.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "TỈNH ỦY SƠN HÀ" in text and "THƯỜNG TRỰC TỈNH ỦY" in text and "LỊCH CÔNG TÁC TUẦN" in text
    assert "(Từ ngày 07/12/2026 đến ngày 13/12/2026)" in text and "Điều chỉnh lần" not in text
    for column in printing.COLUMNS:
        assert column in text
    assert "Thứ Hai 07/12" in text and "Thứ Tư 09/12" in text and "Thứ Năm 10/12" in text
    assert "Sáng" in text and "Chiều" in text
    assert "Họp Thường trực Tỉnh ủy" in text and "Nguyễn Hữu Thắng" in text and "Phòng Tổng hợp" in text
    assert text.index("Thứ Hai 07/12") < text.index("Họp Thường trực") < text.index("Thứ Tư 09/12")
    revise(desk, week, meeting, start=datetime.time(14, 30))
    text = pdf_text(client.get(reverse("schedule:pdf", args=[week.pk])).content)
    assert "Điều chỉnh lần 1" in text and "14:30" in text and "(*)" in text
    first = pdf_text(client.get(reverse("schedule:pdf", args=[week.pk]), {"revision": 1}).content)
    assert "Điều chỉnh lần" not in first and "08:00" in first and "14:30" not in first


def test_private_events_print_as_a_placeholder_for_the_public(desk: Desk, client: Client, settings: object) -> None:
    week = desk.week()
    desk.event(week, content="Làm việc với Ủy ban Kiểm tra về hồ sơ cán bộ", private=True)
    services.submit(desk.actor(desk.office.clerk), week)
    services.publish(desk.actor(desk.office.chief), week)
    settings.SCHEDULE_PUBLIC = True  # type: ignore[attr-defined]
    public = pdf_text(client.get(reverse("schedule:pdf", args=[week.pk])).content)
    assert "Ủy ban Kiểm tra" not in public and "Nguyễn Hữu Thắng" in public
    client.force_login(desk.vice)
    assert "Ủy ban Kiểm tra" in pdf_text(client.get(reverse("schedule:pdf", args=[week.pk])).content)


def feed_events(client: Client, token: str) -> list[icalendar.Event]:
    response = client.get(reverse("schedule:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_feed_follows_revisions_with_stable_uids(desk: Desk, client: Client) -> None:
    week, meeting, session = desk.published_week()
    token = services.issue_feed_token(desk.actor(desk.vice), desk.vice)
    events = feed_events(client, token)
    # Châu attends the Monday meeting and presides over Wednesday's working session
    assert [str(e["summary"]) for e in events] == [meeting.content, session.content]
    first = events[0]
    assert str(first["uid"]) == f"{meeting.uid}@vanphong" and int(first["sequence"]) == 1
    assert first.decoded("dtstart") == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=HANOI)
    assert first.decoded("dtend") == datetime.datetime(2026, 12, 7, 9, 0, tzinfo=HANOI)
    assert str(first["location"]) == "Phòng họp số 1, Tỉnh ủy" and "Nguyễn Hữu Thắng" in str(first["description"])
    revise(desk, week, meeting, start=datetime.time(14, 0), end=datetime.time(16, 30))
    moved = feed_events(client, token)[0]
    assert str(moved["uid"]) == str(first["uid"]) and int(moved["sequence"]) == 2
    assert moved.decoded("dtstart") == datetime.datetime(2026, 12, 7, 14, 0, tzinfo=HANOI)
    assert moved.decoded("dtend") == datetime.datetime(2026, 12, 7, 16, 30, tzinfo=HANOI)
    # taken off the Monday meeting: it stays in Châu's feed, cancelled; the director's feed has only his session
    revise(desk, week, meeting, attending=[])
    assert [(str(e["summary"]), str(e["status"])) for e in feed_events(client, token)] == [
        (meeting.content, "CANCELLED"),
        (session.content, "CONFIRMED"),
    ]
    director = services.issue_feed_token(desk.actor(desk.director), desk.director)
    assert [str(e["summary"]) for e in feed_events(client, director)] == [session.content]


def by_uid(events: list[icalendar.Event]) -> dict[str, tuple[str, int, datetime.datetime]]:
    return {str(e["uid"]): (str(e["status"]), int(e["sequence"]), e.decoded("dtstart")) for e in events}


def test_removed_and_changed_events_stay_with_a_higher_sequence(desk: Desk, client: Client) -> None:
    week, meeting, session = desk.published_week()
    chau = services.issue_feed_token(desk.actor(desk.vice), desk.vice)  # attends the meeting, presides the session
    toan = services.issue_feed_token(desk.actor(desk.director), desk.director)  # attends the session
    thang = services.issue_feed_token(desk.actor(desk.secretary), desk.secretary)  # presides the meeting only
    monday, wednesday = f"{meeting.uid}@vanphong", f"{session.uid}@vanphong"
    eight, two = datetime.datetime(2026, 12, 7, 8, tzinfo=HANOI), datetime.datetime(2026, 12, 9, 14, tzinfo=HANOI)
    assert by_uid(feed_events(client, chau)) == {monday: ("CONFIRMED", 1, eight), wednesday: ("CONFIRMED", 1, two)}

    # revision 2 moves the meeting: only the meeting's SEQUENCE goes up
    revise(desk, week, meeting, start=datetime.time(9))
    nine = datetime.datetime(2026, 12, 7, 9, tzinfo=HANOI)
    assert by_uid(feed_events(client, chau)) == {monday: ("CONFIRMED", 2, nine), wednesday: ("CONFIRMED", 1, two)}

    # revision 3 takes Châu off the meeting: cancelled in her feed, still confirmed in Thắng's
    meeting.refresh_from_db()
    revise(desk, week, meeting, attending=[])
    assert by_uid(feed_events(client, chau))[monday] == ("CANCELLED", 3, nine)
    assert by_uid(feed_events(client, thang)) == {monday: ("CONFIRMED", 3, nine)}

    # revision 4 removes the session from the week: cancelled for both who were in it, never shown to Thắng
    services.remove_event(desk.actor(desk.office.clerk), session)
    services.publish(desk.actor(desk.office.chief), week, note="Hoãn buổi làm việc với Sở Nội vụ")
    assert by_uid(feed_events(client, chau)) == {monday: ("CANCELLED", 3, nine), wednesday: ("CANCELLED", 4, two)}
    assert by_uid(feed_events(client, toan)) == {wednesday: ("CANCELLED", 4, two)}
    assert wednesday not in by_uid(feed_events(client, thang))

    # revision 5 brings Châu back to the meeting: confirmed again, with a higher SEQUENCE than the cancellation
    meeting.refresh_from_db()
    revise(desk, week, meeting, attending=[desk.vice.person])
    assert by_uid(feed_events(client, chau))[monday] == ("CONFIRMED", 5, nine)


def test_cancelled_events_of_weeks_outside_the_feed_window_are_left_out(desk: Desk, client: Client) -> None:
    from vanphong.schedule import feed

    week, _meeting, session = desk.published_week()
    revise(desk, week, session, attending=[])
    far = datetime.date(2027, 6, 7)  # half a year later: the week is beyond WEEKS_BACK
    assert b"CANCELLED" in feed.calendar_for(desk.director, today=datetime.date(2026, 12, 7))
    assert b"VEVENT" not in feed.calendar_for(desk.director, today=far)


def test_drafts_and_pending_changes_stay_out_of_the_feed(desk: Desk, client: Client) -> None:
    _week, meeting, _session = desk.published_week()
    services.change_event(desk.actor(desk.office.clerk), meeting, desk.data(meeting, start=datetime.time(15)))
    draft = services.create_week(desk.actor(desk.office.clerk),
                                 services.WeekData(desk.standing, desk.office.party_office, 2026, 51))  # fmt: skip
    desk.event(draft, day=7, presiding=[desk.secretary.person])
    token = services.issue_feed_token(desk.actor(desk.secretary), desk.secretary)
    events = feed_events(client, token)
    assert len(events) == 1 and events[0].decoded("dtstart") == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=HANOI)


def test_the_settings_page_shows_the_address_once_and_revokes_it(desk: Desk, client: Client) -> None:
    client.cookies["vanphong_language"] = "en"
    client.force_login(desk.secretary)
    page = client.post(reverse("schedule:feed_settings"), {"action": "issue"}).content.decode()
    address = re.search(r'value="(http[^"]+\.ics)"', page)
    assert address is not None
    path = address.group(1).split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    assert "feed-url" not in client.get(reverse("schedule:feed_settings")).content.decode()
    client.post(reverse("schedule:feed_settings"), {"action": "revoke"})
    assert client.get(path).status_code == 404
