"""Ten years of meetings (700 a year, as one provincial office served): the lists, the room's week,
the home-page panel and a meeting page keep a fixed number of queries and stay quick.

Rows are made with ``bulk_create`` (what the services would leave behind, minus the audit entries),
because seven thousand meetings through the services would take minutes. The timings are printed
(``-s``) for the report; the assertions pin the query counts, which do not depend on the machine.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vanphong.meetings.models import Meeting, MeetingKind, MeetingState, Participant, Response, RoomBooking
from vanphong.meetings.tests.conftest import Hall

pytestmark = pytest.mark.django_db
YEARS = 10
PER_YEAR = 700


def _build(hall: Hall) -> None:
    office = hall.office
    today = timezone.localdate()
    first = today - datetime.timedelta(days=365 * (YEARS - 1))
    meetings = []
    for n in range(YEARS * PER_YEAR):
        day = first + datetime.timedelta(days=n * 365 * YEARS // (YEARS * PER_YEAR))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7 + (n % 3) * 3, 0)))
        meetings.append(
            Meeting(
                body=hall.party, kind=MeetingKind.values[n % 5], title=f"Hội nghị số {n + 1}", starts_at=start,
                ends_at=start + datetime.timedelta(hours=2), presiding=hall.secretary.person,
                secretary=office.clerk.person, state=MeetingState.HELD if day < today else MeetingState.CONVENED,
                created_by=office.clerk,
            )
        )  # fmt: skip
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    people = [hall.organisation_head.person, hall.propaganda_head.person, hall.inspection_head.person,
              office.deputy.person, office.uncleared.person]  # fmt: skip
    parts, bookings = [], []
    for n, meeting in enumerate(Meeting.objects.filter(body=hall.party).order_by("pk")):
        for person in people:
            parts.append(Participant(meeting=meeting, person=person, response=Response.ACCEPTED))
        room = hall.small_room if n % 2 else hall.hall
        bookings.append(RoomBooking(room=room, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                    meeting=meeting, booked_by=office.clerk))  # fmt: skip
    Participant.objects.bulk_create(parts, batch_size=2000)
    RoomBooking.objects.bulk_create(bookings, batch_size=2000)


def _measure(client: Client, url: str, **params: str) -> tuple[int, float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = time.perf_counter() - started
    return response.status_code, elapsed, len(queries)


def test_ten_years_of_meetings_keep_the_pages_quick(hall: Hall, client: Client) -> None:
    _build(hall)
    assert Meeting.objects.count() == YEARS * PER_YEAR
    client.cookies["vanphong_language"] = "en"
    sample = Meeting.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    assert sample is not None
    pages = {
        "list (upcoming)": (reverse("meetings:list"), {}),
        "list (past, page 40)": (reverse("meetings:list"), {"when": "past", "page": "40"}),
        "list (room, kind)": (reverse("meetings:list"), {"when": "all", "room": str(hall.hall.pk), "kind": "other"}),
        "room week": (reverse("meetings:room", args=[hall.small_room.pk]), {}),
        "meeting page": (reverse("meetings:meeting", args=[sample.pk]), {}),
        "my invitations": (reverse("meetings:invitations"), {}),
        "home (panel)": (reverse("core:home"), {}),
    }
    # Query counts as measured (the other apps' panels included on the home page), none per row.
    limits = {"list (upcoming)": 15, "list (past, page 40)": 15, "list (room, kind)": 16, "room week": 11,
              "meeting page": 33, "my invitations": 12, "home (panel)": 40}  # fmt: skip
    for persona in (hall.office.clerk, hall.organisation_head):
        client.force_login(persona)
        for name, (url, params) in pages.items():
            if name == "room week" and persona != hall.office.clerk:
                continue
            client.get(url, params)  # warm the caches (roles, calendar)
            status, elapsed, count = _measure(client, url, **params)
            print(f"{persona.username:12} {name:22} {status} {elapsed * 1000:7.1f} ms {count:3} queries")
            assert status == 200, name
            assert count <= limits[name], f"{name}: {count} queries"
