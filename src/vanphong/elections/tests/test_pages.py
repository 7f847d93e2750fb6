"""The counting-room pages answer htmx with fragments and show what the services did."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from vanphong.core.models import AuditEntry
from vanphong.elections import services
from vanphong.elections.models import BallotEntry, Summoned
from vanphong.elections.tests.conftest import Counting
from vanphong.registry import registry
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
QUERIES_PER_BALLOT = 27


def test_a_station_saves_a_ballot_per_enter_and_answers_htmx_with_its_panel(counting: Counting, client: Client) -> None:
    round_ = counting.open_round()
    client.force_login(counting.operator1)
    url = reverse("elections:station", args=[round_.pk, 1])
    page = client.get(url)
    assert b'id="station-panel"' in page.content and b"Tr\xe1\xba\xa7n V\xc4\x83n Ba" in page.content
    saved = client.post(url, {"typed": "2 4"}, **HTMX)
    assert saved.status_code == 200
    assert saved.content.lstrip().startswith(b'<p class="station__count" id="entry-count" data-count="1">')
    assert b'id="entry-saved"' in saved.content
    wrong = client.post(url, {"typed": "9"}, **HTMX)
    assert wrong.status_code == 200 and b'role="alert" data-typed="9"' in wrong.content
    plain = client.post(url, {"typed": "0"})  # without the page script: post, redirect, the same words
    assert plain.status_code == 302
    assert b'id="entry-saved"' in client.get(plain["Location"]).content
    assert list(BallotEntry.objects.values_list("ballot_number", "content")) == [(1, "s:2,4"), (2, "s:")]


def test_check_in_at_the_door_answers_the_row_and_asks_for_new_figures(counting: Counting, client: Client) -> None:
    client.force_login(counting.member)
    person = Summoned.objects.filter(congress=counting.congress, full_name="Ngô Thị Lan").get()
    search = client.get(reverse("elections:registry", args=[counting.congress.pk]), {"q": "ngo lan"}, **HTMX)
    assert search.content.count(b'id="summoned-') == 1
    row = client.post(reverse("elections:check_in", args=[person.pk]), **HTMX)
    assert row.status_code == 200 and row["HX-Trigger"] == "registryChanged"
    assert row.content.lstrip().startswith(f'<tr id="summoned-{person.pk}">'.encode())
    again = client.post(reverse("elections:check_in", args=[person.pk]), **HTMX)
    assert b'role="alert"' in again.content
    figures = client.get(reverse("elections:registry", args=[counting.congress.pk]), {"figures": "1"}, **HTMX)
    assert b"<strong>1</strong>" in figures.content
    assert AuditEntry.objects.filter(action="elections.summoned.check_in").count() == 1


def test_projector_minutes_and_log_show_the_confirmed_count(counting: Counting, client: Client) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["4"] * 6 + ["k1"])
    services.confirm_round(counting.actor(counting.head), round_, ballots_issued=7)
    client.force_login(counting.member)
    projector = client.get(reverse("elections:projector", args=[round_.pk]), **HTMX)
    assert b"projector__elected" in projector.content and b"<html" not in projector.content
    minutes = client.get(reverse("elections:minutes", args=[round_.pk]))
    text = minutes.content.decode()
    assert 'id="minutes-summoned">11<' in text and 'id="minutes-base">11<' in text
    assert 'id="minutes-text"' in text
    docx = client.get(reverse("elections:minutes_docx", args=[round_.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(docx.content))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert list(facts.values())[:8] == ["11", "0", "11", "6", "7", "7", "6", "1"]
    votes = [[cell.text for cell in row.cells] for row in document.tables[1].rows[1:]]
    assert votes[0] == ["1", "Nguyễn Thị Ánh", "6", "54,55"]  # the site speaks Vietnamese: decimal comma
    assert any("Nguyễn Thị Ánh" in p.text for p in document.paragraphs)
    log = client.get(reverse("elections:entry_log", args=[round_.pk]))
    assert log.content.count(b"<tr>") == 14 + 1  # 7 ballots at 2 stations, and the header


def test_the_home_panel_lists_the_congresses_a_person_counts(counting: Counting, client: Client) -> None:
    panel = registry.panels["counting_room"]
    client.force_login(counting.operator2)
    request = client.get(reverse("core:home")).wsgi_request
    assert panel.render(request) == {"congresses": [counting.congress]}
    client.force_login(counting.admin)  # sets congresses up, counts none: the way in, no list
    assert panel.render(client.get(reverse("core:home")).wsgi_request) == {"congresses": []}
    client.force_login(counting.office.specialist)
    assert panel.render(client.get(reverse("core:home")).wsgi_request) is None
    client.force_login(counting.operator2)
    home = client.get(reverse("core:home"))
    assert counting.congress.name in home.content.decode()


def test_a_ballot_at_a_station_costs_a_fixed_number_of_queries(
    counting: Counting, client: Client, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    round_ = counting.open_round()
    client.force_login(counting.operator1)
    url = reverse("elections:station", args=[round_.pk, 1])
    client.post(url, {"typed": "1"}, **HTMX)
    counting.enter(round_, ["2"], stations=(2,))
    # However many ballots came before, one more costs the same (here it also reconciles ballot 2).
    with django_assert_num_queries(QUERIES_PER_BALLOT):
        client.post(url, {"typed": "2"}, **HTMX)
    counting.enter(round_, ["2"] * 30, stations=(1,))
    with django_assert_max_num_queries(QUERIES_PER_BALLOT):  # 30 ballots later; station 2 is behind
        client.post(url, {"typed": "2"}, **HTMX)


def test_the_ballot_paper_follows_the_form(counting: Counting, client: Client) -> None:
    client.force_login(counting.member)
    strike = counting.open_round()
    page = client.get(reverse("elections:ballot_paper", args=[strike.pk])).content.decode()
    assert page.count("<li value=") == 4 and "ballot-paper__box" not in page
    secretary = services.create_election(SYSTEM, counting.congress, kind="secretary", seats=1)
    services.add_candidates(SYSTEM, secretary, "Võ Thị Sáu")
    agree = services.open_first_round(SYSTEM, secretary)
    page = client.get(reverse("elections:ballot_paper", args=[agree.pk])).content.decode()
    assert page.count('class="ballot-paper__box"') == 2
