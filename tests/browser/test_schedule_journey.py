"""The weekly work schedule's journey (issue 5, "Done means"): a published weekly schedule is revised twice
and each affected person sees the change.

The văn thư of Văn phòng Tỉnh ủy drafts the Standing Committee's week 50 of 2026 and submits it; the
Chánh Văn phòng approves and publishes it. The Monday meeting then moves to the afternoon (revision 1)
and the Bí thư is added to Wednesday's working session (revision 2), each typed by the văn thư and
published by the Chánh Văn phòng. The Bí thư, the Phó Bí thư and the Giám đốc Sở Nội vụ each sign in,
find the notice of what changed for them, and open the published week, which reads "Revision 2" with
the change highlighted. Expected words come from the catalogue in the page's language.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from vanphong.core.models import OrgKind
from vanphong.schedule.forms import EventForm, WeekForm
from vanphong.schedule.models import ScheduleEvent, WeekSchedule
from vanphong.schedule.tests.conftest import Desk
from vanphong.testing import Office, make_account, make_org, make_person

from .conftest import Web, control, tr

MEETING = "Họp Thường trực Tỉnh ủy nghe báo cáo tình hình kinh tế - xã hội năm 2026"
SESSION = "Làm việc với Sở Nội vụ về sắp xếp tổ chức bộ máy"


@pytest.fixture
def desk(office: Office) -> Desk:
    standing = make_org("Thường trực Tỉnh ủy", "TTTU", kind=OrgKind.PARTY_ORGANIZATION, parent=office.province_party)
    secretary = make_account(make_person("Nguyễn Hữu Thắng", standing), "bithu")
    vice = make_account(make_person("Lê Minh Châu", standing), "phobithu")
    director = make_account(make_person("Đinh Văn Toàn", office.home_affairs), "giamdocsnv")
    other = make_person("Trịnh Quang Phúc", office.peoples_committee)
    return Desk(office, standing, secretary, vice, director, other)


def add_event(page: Page, day: str, start: str, content: str, place: str, presiding: str, attending: list[str]) -> None:
    form = page.locator("#event-new")
    control(form, EventForm, "day").select_option(day)
    control(form, EventForm, "start").fill(start)
    control(form, EventForm, "content").fill(content)
    control(form, EventForm, "place").fill(place)
    control(form, EventForm, "presiding").select_option(label=presiding)
    control(form, EventForm, "attending").select_option(label=attending)
    form.get_by_role("button", name=tr("Add the event")).click()
    expect(page.locator("#draft-events")).to_contain_text(content)


def edit_event(page: Page, content: str) -> None:
    row = page.locator("#draft-events tr", has_text=content)
    row.get_by_role("button", name=tr("Edit")).click()
    expect(page.locator("#event-edit")).to_be_visible()


def publish(web: Web, page: Page, week: WeekSchedule, note: str) -> None:
    page.goto(f"/schedule/{week.pk}/edit/")
    page.get_by_label(tr("Note")).fill(note)
    page.locator("#publish-schedule").click()
    expect(page.locator("#revision-label")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=tr("Sign out")).click()


@pytest.mark.browser
def test_a_published_week_is_revised_twice_and_each_affected_person_sees_the_change(web: Web, desk: Desk) -> None:
    office = desk.office
    page = web.page

    # the văn thư drafts week 50 and submits it
    web.sign_in("vanthu")
    page.get_by_role("navigation", name=tr("Main menu")).get_by_role("link", name=tr("Weekly schedule")).click()
    page.get_by_role("link", name=tr("New week")).click()
    control(page, WeekForm, "body").select_option(label=str(desk.standing))
    control(page, WeekForm, "office").select_option(label=str(office.party_office))
    control(page, WeekForm, "year").fill("2026")
    control(page, WeekForm, "week").fill("50")
    page.get_by_role("button", name=tr("Open the week")).click()
    week = WeekSchedule.objects.get(body=desk.standing, year=2026, week=50)
    expect(page).to_have_url(f"{web.base_url}/schedule/{week.pk}/edit/")
    add_event(page, "2026-12-07", "08:00", MEETING, "Phòng họp số 1, Tỉnh ủy", "Nguyễn Hữu Thắng", ["Lê Minh Châu"])
    add_event(page, "2026-12-09", "14:00", SESSION, "Hội trường Sở Nội vụ", "Lê Minh Châu", ["Đinh Văn Toàn"])
    page.locator("#submit-schedule").click()
    expect(page.locator("#state")).to_have_text(tr("Submitted for approval"))
    sign_out(page)

    # the Chánh Văn phòng approves and publishes it
    web.sign_in("chanhvp")
    publish(web, page, week, "Ban hành lịch công tác tuần 50")
    expect(page.locator("#revision-label")).to_contain_text(tr("First issue"))
    sign_out(page)

    # revision 1: the Monday meeting moves to 14:00
    web.sign_in("vanthu")
    page.goto(f"/schedule/{week.pk}/edit/")
    edit_event(page, MEETING)
    control(page.locator("#event-edit"), EventForm, "start").fill("14:00")
    page.locator("#event-edit").get_by_role("button", name=tr("Save the event")).click()
    expect(page.locator("#draft-events tr[data-pending='changed']")).to_contain_text(MEETING)
    sign_out(page)
    web.sign_in("chanhvp")
    publish(web, page, week, "Lùi giờ họp Thường trực sang buổi chiều")
    sign_out(page)

    # revision 2: the Bí thư is added to Wednesday's working session
    web.sign_in("vanthu")
    page.goto(f"/schedule/{week.pk}/edit/")
    edit_event(page, SESSION)
    control(page.locator("#event-edit"), EventForm, "attending").select_option(
        label=["Đinh Văn Toàn", "Nguyễn Hữu Thắng"]
    )
    page.locator("#event-edit").get_by_role("button", name=tr("Save the event")).click()
    expect(page.locator("#draft-events tr[data-pending='changed']")).to_contain_text(SESSION)
    sign_out(page)
    web.sign_in("chanhvp")
    publish(web, page, week, "Bổ sung thành phần dự buổi làm việc với Sở Nội vụ")
    sign_out(page)

    week.refresh_from_db()
    assert week.revision == 3
    session = ScheduleEvent.objects.get(content=SESSION)
    revision_2 = tr("Revision {number}").format(number=2)

    # each person concerned: the notice says what changed for them; the week reads "Revision 2"
    with translation.override("vi"):
        seen = {
            "bithu": [MEETING[:40], SESSION[:40]],  # presides on Monday, newly attends on Wednesday
            "phobithu": [SESSION[:40]],  # presides on Wednesday (and attends on Monday: revision 1)
            "giamdocsnv": [SESSION[:40]],  # attends Wednesday's session
        }
    for username, contents in seen.items():
        person_page = web.new_page()
        web.sign_in(username, page=person_page)
        person_page.goto("/notices/")
        notices = person_page.locator("ul.notices")
        for content in contents:
            expect(notices).to_contain_text(content)
        expect(notices).to_contain_text(week.title)
        person_page.goto(f"/schedule/{week.pk}/")
        expect(person_page.locator("#revision-label")).to_contain_text(revision_2)
        changed = person_page.locator(f"#event-{session.pk}")
        expect(changed).to_have_attribute("data-changed", "attending")
        expect(changed).to_contain_text("Nguyễn Hữu Thắng")
        person_page.close()
    # the director was not in the Monday meeting: its change never reached him
    director_page = web.new_page()
    web.sign_in("giamdocsnv", page=director_page)
    director_page.goto("/notices/")
    expect(director_page.locator("ul.notices li")).to_have_count(2)  # the first issue and revision 2
    web.screenshot("schedule-revision-2", director_page)
