"""The counting room as the committee works it: check-in at the door, three stations typing the same
ballots by keyboard, a planted disagreement the head resolves against the paper, a tie that leads to a
runoff, and minutes that carry the right figures.

The congress, its committee and its lists are set up through the services (that is the secretariat's
work before the day); everything on the day is done in the browser. Each station's keyboard entry rate
is printed in the test output.
"""

from __future__ import annotations

import time

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from vanphong.elections import services
from vanphong.elections.forms import ConfirmForm, EntryForm, NextRoundForm, OpenRoundForm, ResolveForm
from vanphong.elections.minutes import render_minutes
from vanphong.elections.models import CommitteeRole, Exclusion, Round, Summoned
from vanphong.rules.ballots import count_round, parse_round
from vanphong.testing import SYSTEM, Office

from .conftest import Web, control, labelled, tr

CONGRESS = "Đại hội Chi bộ Phòng Tổng hợp"
# The list in alphabetical order the Vietnamese way (by given name): 1 Ánh, 2 Ba, 3 Tám.
CANDIDATES = "Lê Văn Tám\nTrần Văn Ba\nNguyễn Thị Ánh"
SUMMONED = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"]
# Round 1, two seats, base 5 (six summoned, one absent with approval): 3 votes needed.
# Ánh 4, Ba 3, Tám 3: Ánh is elected, Ba and Tám tie across the last seat. Ballot 6 was not issued.
ROUND_ONE = ["1", "2", "2", "3", "3", "k1"]
PLANTED = {4: "2"}  # station 3 misreads ballot 4: it strikes number 2 instead of 3
# Round 2, the runoff between Ba (1) and Tám (2) for one seat: Ba 3, Tám 2.
ROUND_TWO = ["2", "2", "2", "1", "1"]


def setup_congress(office: Office) -> None:
    congress = services.create_congress(
        SYSTEM, organization=office.party_office, name=CONGRESS, term="2025–2027", kind="members"
    )
    add = services.add_committee_member
    add(SYSTEM, congress, person=office.chief.person, role=CommitteeRole.HEAD)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.clerk.person, role=CommitteeRole.OPERATOR, station=1)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.uncleared.person, role=CommitteeRole.OPERATOR, station=2)  # type: ignore[arg-type]
    add(SYSTEM, congress, person=office.specialist.person, role=CommitteeRole.OPERATOR, station=3)  # type: ignore[arg-type]
    services.add_summoned(SYSTEM, congress, "\n".join(SUMMONED))
    absent = Summoned.objects.get(congress=congress, full_name="Vũ Thị Giang")
    services.set_exclusion(SYSTEM, absent, code=Exclusion.ABSENT_APPROVED, reason="Đi công tác, có đơn được duyệt")
    election = services.create_election(SYSTEM, congress, kind="executive_committee", seats=2)
    services.add_candidates(SYSTEM, election, CANDIDATES)


def accept_dialogs(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def open_round(page: Page, number: int) -> None:
    """From the home page to a round of the executive committee, by the links a person clicks."""
    page.goto("/")
    page.get_by_role("region", name=tr("Counting room")).get_by_role("link", name=CONGRESS).click()
    page.get_by_role("link", name=str(number), exact=True).click()


def type_ballots(page: Page, ballots: list[str], *, show_a_refusal: bool = False) -> float:
    """Type every ballot at a station with the keyboard only, as fast as keys go (no waiting between
    ballots: Enter empties the field at once); returns the seconds until the last one was saved."""
    with translation.override("vi"):
        label = str(EntryForm.base_fields["typed"].label)
    entry = labelled(page, label)
    expect(entry).to_be_focused()
    # The queueing script must be active before typing at machine speed; otherwise the first Enter
    # posts the page the slow way and the keys typed while it reloads are lost (as for a person).
    expect(page.locator("html")).to_have_attribute("data-station-ready", "1")
    started = time.perf_counter()
    if show_a_refusal:
        # A number not on the list is refused; the typing comes back, selected, to be typed over.
        page.keyboard.type("9")
        page.keyboard.press("Enter")
        expect(page.get_by_role("alert")).to_be_visible()
        expect(entry).to_have_value("9")
    for typed in ballots:
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
    expect(page.locator("#entry-count")).to_have_attribute("data-count", str(len(ballots)))
    seconds = time.perf_counter() - started
    saved = tr("Ballot %(number)s saved.") % {"number": len(ballots)}
    expect(page.locator("#entry-saved")).to_have_text(saved)
    expect(entry).to_be_focused()
    expect(entry).to_have_value("")
    return seconds


def enter_at_stations(web: Web, round_number: int, ballots: list[str], operators: dict[int, str]) -> list[str]:
    rates: list[str] = []
    for station, username in operators.items():
        page = web.new_page()
        web.sign_in(username, page=page)
        open_round(page, round_number)
        page.get_by_role("link", name=tr("Enter ballots at station %(station)s") % {"station": station}).click()
        typed = [PLANTED.get(n, b) if station == 3 and round_number == 1 else b for n, b in enumerate(ballots, 1)]
        seconds = type_ballots(page, typed, show_a_refusal=station == 1 and round_number == 1)
        rates.append(
            f"round {round_number} station {station}: {len(typed)} ballots in {seconds:.2f} s = "
            f"{len(typed) / seconds * 60:.0f} ballots/min"
        )
        expect(page.locator(".station__last tbody tr")).to_have_count(min(len(typed), 12))
        web.screenshot(f"counting-round{round_number}-station{station}", page)
        assert "saved=" not in page.url, "the ballots went through the page script, without reloading the page"
    return rates


def expected_minutes(round_: Round) -> str:
    engine_round = parse_round(round_.engine_input)
    with translation.override("vi"):
        return render_minutes(engine_round, count_round(engine_round))


@pytest.mark.browser
def test_a_small_congress_counted_end_to_end(web: Web, office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    setup_congress(office)
    head = web.page
    accept_dialogs(head)
    web.sign_in("chanhvp")

    # At the door: search each arriving member and check them in with one click.
    head.get_by_role("region", name=tr("Counting room")).get_by_role("link", name=CONGRESS).click()
    head.get_by_role("link", name=tr("Registry and check-in"), exact=True).click()
    search = labelled(head, tr("Search by name or unit"))
    for name in SUMMONED[:5]:
        search.fill(name)
        row = head.locator("#results tbody tr").filter(has_text=name)
        expect(row).to_have_count(1)
        expect(head.locator("#results tbody tr")).to_have_count(1)
        row.get_by_role("button").click()
        expect(row.locator(".badge--ok")).to_be_visible()
    figures = tr(
        "Summoned: <strong>%(summoned)s</strong> · checked in: <strong>%(present)s</strong> · base (summoned "
        "minus exclusions): <strong>%(base)s</strong>"
    ) % {"summoned": 6, "present": 5, "base": 5}
    expect(head.locator("#registry-figures")).to_have_text(figures.replace("<strong>", "").replace("</strong>", ""))

    # The head opens round 1 with three stations.
    head.get_by_role("link", name=CONGRESS).click()
    head.get_by_role("link", name=tr("Executive committee"), exact=True).click()
    names = head.locator(".candidate-list .candidate-name")
    expect(names).to_have_text(["Nguyễn Thị Ánh", "Trần Văn Ba", "Lê Văn Tám"])
    control(head, OpenRoundForm, "station_count").select_option("3")
    head.get_by_role("button", name=tr("Open round 1")).click()

    operators = {1: "vanthu", 2: "nhanvien", 3: "chuyenvien"}
    rates = enter_at_stations(web, 1, ROUND_ONE, operators)

    # Ballot 4 is disputed: the head reads the paper and rules, with the reason.
    head.reload()
    head.get_by_role("link", name=tr("Reconciliation"), exact=True).click()
    disputed = head.locator("#ballot-4")
    expect(head.locator("tr[id^=ballot-]")).to_have_count(1)
    expect(disputed).to_contain_text(tr("Struck out: {numbers}").format(numbers="3"))
    expect(disputed).to_contain_text(tr("Struck out: {numbers}").format(numbers="2"))
    control(disputed, ResolveForm, "ballot").fill("3")
    control(disputed, ResolveForm, "reason").fill("Phiếu gốc gạch tên số 3")
    disputed.get_by_role("button", name=tr("Resolve")).click()
    expect(head.locator("#ballot-4 .badge--ok")).to_have_text(tr("resolved"))
    web.screenshot("counting-reconciliation")

    # Confirm round 1: Ánh elected, Ba and Tám tied for the last seat.
    head.get_by_role("link", name=tr("Back to the round")).click()
    control(head, ConfirmForm, "ballots_issued").fill("6")
    head.get_by_role("button", name=tr("Confirm the count and seal")).click()
    expect(head.locator(".result__table tbody tr")).to_have_count(3)
    expect(head.locator(".result__table tbody tr").nth(0)).to_contain_text(tr("elected"))
    round_one = Round.objects.get(number=1)
    assert round_one.result is not None
    assert round_one.result["elected"] == ["Nguyễn Thị Ánh"]
    assert round_one.result["tie"] == {"candidates": ["Trần Văn Ba", "Lê Văn Tám"], "seats": 1}

    # The minutes of round 1 carry the base, the invalid ballot and the ruling.
    head.get_by_role("link", name=tr("Minutes"), exact=True).click()
    expect(head.locator("#minutes-summoned")).to_have_text("6")
    expect(head.locator("#minutes-present")).to_have_text("5")
    expect(head.locator("#minutes-base")).to_have_text("5")
    assert head.locator("#minutes-text").inner_text().strip() == expected_minutes(round_one).strip()
    web.screenshot("counting-minutes")
    expect(head.locator("#minutes-text")).to_contain_text(tr("Ballots collected: {count}").format(count=6))
    expect(head.locator("#minutes-text")).to_contain_text(tr("Invalid ballots: {count}").format(count=1))
    expect(head.get_by_text("Phiếu gốc gạch tên số 3")).to_be_visible()
    # The minutes as PDF, the paper the committee signs: the same figures, the Vietnamese names intact.
    with head.expect_download() as download:
        head.get_by_role("link", name=tr("Download as PDF")).click()
    pdf = PdfReader(download.value.path())
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert f"{tr('Official members or delegates summoned')} 6 {tr('Present at voting')} 5" in pdf_text
    assert f"{tr('Ballots collected')} 6 {tr('Valid ballots')} 5 {tr('Invalid ballots')} 1" in pdf_text
    assert "1 Nguyễn Thị Ánh 4 80,00" in pdf_text and "2 Trần Văn Ba 3 60,00" in pdf_text
    assert "Lê Văn Tám 3 60,00" in pdf_text and "Phiếu gốc gạch tên số 3" in pdf_text

    # The congress decides on a runoff between the tied, for the one seat left.
    head.go_back()
    control(head, NextRoundForm, "decision").fill("Đại hội biểu quyết bầu lại giữa hai đồng chí có số phiếu bằng nhau")
    control(head, NextRoundForm, "station_count").select_option("2")
    head.get_by_role("button", name=tr("Prepare the next round")).click()
    expect(head.locator(".candidate-list .candidate-name")).to_have_text(["Trần Văn Ba", "Lê Văn Tám"])

    rates += enter_at_stations(web, 2, ROUND_TWO, {1: "vanthu", 2: "nhanvien"})
    head.reload()
    control(head, ConfirmForm, "ballots_issued").fill("5")
    head.get_by_role("button", name=tr("Confirm the count and seal")).click()
    expect(head.locator(".result__table tbody tr").nth(0)).to_contain_text(tr("elected"))
    round_two = Round.objects.get(number=2)
    assert round_two.result is not None and round_two.result["elected"] == ["Trần Văn Ba"]

    head.get_by_role("link", name=tr("Minutes"), exact=True).click()
    expect(head.locator("#minutes-base")).to_have_text("5")
    assert head.locator("#minutes-text").inner_text().strip() == expected_minutes(round_two).strip()
    expect(head.locator("#minutes-text")).to_contain_text("Trần Văn Ba")

    # The projector shows the runoff's result in large type, refreshed by polling.
    head.go_back()
    head.get_by_role("link", name=tr("Projector"), exact=True).click()
    expect(head.locator(".projector__elected")).to_contain_text("Trần Văn Ba")
    web.screenshot("counting-projector")

    with capsys.disabled():
        print("\nkeyboard entry rate: " + "; ".join(rates))
