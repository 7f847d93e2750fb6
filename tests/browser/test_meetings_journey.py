"""The meetings' journeys as people make them (issue 5, "Done means").

The văn thư creates a standing committee meeting in a room, and a second meeting in the same room at
the same time is refused with the reason on the page; the Bí thư records a conclusion for three
boards and turns it into three tasks in one action, which each board's head then finds in their own
task list; a board head accepts the invitation from the home page.

Each journey starts from data made by the services, so each one clicks only its own part. Expected
words come from the catalogue in the page's language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from vanphong.directives.models import Task
from vanphong.documents.tests import conftest as documents_conftest
from vanphong.meetings.forms import ConclusionForm, MeetingForm
from vanphong.meetings.models import Meeting, MeetingKind, Response
from vanphong.meetings.services import meetings as services
from vanphong.meetings.tests import conftest as meetings_conftest
from vanphong.meetings.tests.conftest import Hall

from .conftest import Web, control, tr

desk = documents_conftest.desk  # the documents desk: registers, a unit, its head and specialist
hall = meetings_conftest.hall  # the Tỉnh ủy's rooms, its Bí thư, three boards and their heads


def settled(page: Page) -> None:
    page.wait_for_load_state("networkidle")


def fill_meeting(page: Page, hall: Hall, *, title: str, day: datetime.date, start: str, end: str) -> None:
    control(page, MeetingForm, "body").select_option(value=str(hall.party.pk))
    control(page, MeetingForm, "kind").select_option(value=MeetingKind.STANDING_COMMITTEE)
    control(page, MeetingForm, "title").fill(title)
    control(page, MeetingForm, "day").fill(day.strftime("%d/%m/%Y"))
    control(page, MeetingForm, "start").fill(start)
    control(page, MeetingForm, "end").fill(end)
    control(page, MeetingForm, "room").select_option(value=str(hall.small_room.pk))
    control(page, MeetingForm, "presiding").select_option(value=str(hall.secretary.person_id))


@pytest.mark.browser
def test_clerk_creates_a_meeting_in_a_room_and_a_second_booking_is_refused(web: Web, hall: Hall) -> None:
    page = web.page
    web.sign_in("vanthu")
    page.goto(reverse("meetings:list"))
    page.get_by_role("link", name=tr("New meeting")).click()
    day = timezone.localdate() + datetime.timedelta(days=7)
    title = "Hội nghị Ban Thường vụ Tỉnh ủy cho ý kiến về Đề án sắp xếp bộ máy"
    fill_meeting(page, hall, title=title, day=day, start="08:00", end="11:00")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#meeting-place")).to_contain_text(hall.small_room.name)
    meeting = Meeting.objects.get(title=title)
    assert meeting.bookings.get().room == hall.small_room
    web.screenshot("meetings-created")

    # The same room, overlapping: refused, the other meeting named, nothing saved.
    page.goto(reverse("meetings:new"))
    fill_meeting(page, hall, title="Làm việc với Ban Thường vụ Thành ủy", day=day, start="10:00", end="12:00")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    error = page.locator(".field__error")
    expect(error).to_contain_text(title)
    expect(error).to_contain_text("08:00")
    assert not Meeting.objects.filter(title="Làm việc với Ban Thường vụ Thành ủy").exists()

    # Back to back (11:00 when the first ends) is allowed.
    control(page, MeetingForm, "start").fill("11:00")
    control(page, MeetingForm, "end").fill("12:00")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Làm việc với Ban Thường vụ Thành ủy")
    settled(page)


@pytest.mark.browser
def test_the_leader_turns_a_conclusion_into_three_tasks_for_three_boards(web: Web, hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(title="Hội nghị Ban Thường vụ Tỉnh ủy tháng 12", room=hall.small_room, days=-1)
    services.convene(clerk, meeting)
    services.mark_held(clerk, meeting)
    page = web.page
    web.sign_in("bithu")
    page.goto(reverse("meetings:meeting", args=[meeting.pk]))
    page.get_by_text(tr("Record a conclusion")).click()
    text = "Xây dựng kế hoạch thực hiện Nghị quyết số 57-NQ/TW trong toàn Đảng bộ tỉnh, báo cáo Ban Thường vụ."
    control(page, ConclusionForm, "text").fill(text)
    for board in (hall.organisation_board, hall.propaganda_board, hall.inspection_board):
        page.get_by_label(f"{board.full_name} ({board.abbreviation})", exact=True).check()
    control(page, ConclusionForm, "deadline_days").fill("15")
    page.get_by_role("button", name=tr("Record the conclusion")).click()
    conclusion = page.locator("[data-conclusion]")
    expect(conclusion).to_have_count(1)
    expect(conclusion.get_by_role("checkbox")).to_be_checked()
    page.get_by_role("button", name=tr("Turn the selected conclusions into tasks")).click()
    expect(page.locator("[data-task]")).to_have_count(3)
    tasks = Task.objects.filter(source_ref__startswith="meetings.conclusion:")
    assert {t.lead_unit_id for t in tasks} == {
        hall.organisation_board.pk,
        hall.propaganda_board.pk,
        hall.inspection_board.pk,
    }
    web.screenshot("meetings-tasks")

    # Each board's head finds the task in their own list of tasks.
    for username in ("truongbantc", "truongbantg", "chunhiemubkt"):
        other = web.new_page()
        web.sign_in(username, page=other)
        other.goto(reverse("directives:list"))
        expect(other.get_by_text(re.compile(re.escape(text[:60])))).to_have_count(1)
        settled(other)


@pytest.mark.browser
def test_a_participant_accepts_the_invitation_from_the_home_page(web: Web, hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(title="Hội nghị sơ kết công tác tổ chức xây dựng Đảng", room=hall.hall, days=5)
    part = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.organisation_head.person))
    services.convene(clerk, meeting)
    page = web.page
    web.sign_in("truongbantc")
    # The home page's panel lists the invitation awaiting an answer first.
    expect(page.get_by_text(tr("Awaiting your answer"))).to_be_visible()
    page.get_by_role("link", name=meeting.title).first.click()
    card = page.locator(f"#invitation-{part.pk}")
    card.get_by_label(tr("Will attend")).check()
    card.get_by_role("button", name=tr("Send my answer")).click()
    expect(page.locator(f"#invitation-{part.pk} [data-answer]")).to_have_text(tr("Will attend"))
    part.refresh_from_db()
    assert part.response == Response.ACCEPTED and part.responded_at is not None
    settled(page)
