"""Delegates to the higher congress (190 Điều 18): official seats first, then alternates from the rest,
each in vote order; a tie on either cut is reported, never resolved, and leads to a runoff among the
tied. The results page, the projector, the minutes (text, DOCX, PDF) show both lists."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from vanphong.elections import documents, services
from vanphong.elections.models import Election, Round
from vanphong.elections.tests.conftest import Counting
from vanphong.elections.tests.test_documents import pdf_text
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# In the Vietnamese order (by given name): 1 Đinh Văn Hòa, 2 Lý Thị Mai, 3 Phan Văn Quý, 4 Tô Thị Rạng.
CANDIDATES = "Tô Thị Rạng\nPhan Văn Quý\nLý Thị Mai\nĐinh Văn Hòa"


def delegates(counting: Counting, official: int = 2, alternate: int = 1) -> Election:
    election = services.create_election(
        SYSTEM, counting.congress, kind="delegates", seats=official, alternate_seats=alternate
    )
    services.add_candidates(SYSTEM, election, CANDIDATES)
    return election


def count(counting: Counting, round_: Round, typed: list[str]) -> Round:
    counting.enter(round_, typed)
    return services.confirm_round(counting.actor(counting.head), round_)


def test_only_delegate_elections_have_alternate_seats(counting: Counting) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_election(SYSTEM, counting.congress, kind="standing_committee", seats=3, alternate_seats=1)
    assert "alternate_seats" in error.value.message_dict


def test_officials_first_then_alternates_in_vote_order(counting: Counting, client: Client) -> None:
    election = delegates(counting)
    round_ = services.open_first_round(SYSTEM, election)
    assert (round_.seats, round_.alternate_seats, round_.form) == (3, 1, "strike")  # one joint list
    # Hòa 8, Mai 11, Quý 9, Rạng 5 of a base of 11 (6 needed).
    round_ = count(counting, round_, ["4"] * 6 + ["3"] * 2 + ["1"] * 3)
    result = round_.result or {}
    assert result["delegates"]["officials"] == ["Lý Thị Mai", "Phan Văn Quý"]
    assert result["delegates"]["alternates"] == ["Đinh Văn Hòa"]
    assert result["elected"] == ["Lý Thị Mai", "Phan Văn Quý", "Đinh Văn Hòa"]
    roles = {c["name"]: c["role"] for c in result["candidates"]}
    assert roles == {"Đinh Văn Hòa": "alternate", "Lý Thị Mai": "official", "Phan Văn Quý": "official",
                     "Tô Thị Rạng": None}  # fmt: skip
    assert result["tie"] is None and result["next_round"] is None
    state = services.election_state(election)
    assert [n for n, _v, _r in state.elected] == ["Lý Thị Mai", "Phan Văn Quý"]
    assert [n for n, _v, _r in state.alternates] == ["Đinh Văn Hòa"]
    assert (state.seats_left, state.alternate_seats_left) == (0, 0)

    client.force_login(counting.member)
    page = client.get(reverse("elections:round_detail", args=[round_.pk])).content.decode()
    officials = page[page.index('id="officials"') :]
    assert officials.index("Lý Thị Mai") < officials.index("Phan Văn Quý") < officials.index('id="alternates"')
    assert page[page.index('id="alternates"') :].index("Đinh Văn Hòa") > 0
    projector = client.get(reverse("elections:projector", args=[round_.pk]), **HTMX).content.decode()
    assert projector.count("projector__elected") == 3
    minutes = documents.minutes_data(round_)
    assert [line.name for line in minutes.officials] == ["Lý Thị Mai", "Phan Văn Quý"]
    assert [line.name for line in minutes.alternates] == ["Đinh Văn Hòa"]
    _pages, text = pdf_text(documents.minutes_pdf(round_))
    assert text.index("1 Lý Thị Mai 11 100,00%") < text.index("2 Phan Văn Quý 9 81,82%")
    assert text.index("2 Phan Văn Quý 9 81,82%") < text.index("1 Đinh Văn Hòa 8 72,73%")
    with translation.override("en"):
        docx = Document(io.BytesIO(documents.minutes_docx(round_)))
    paragraphs = [p.text for p in docx.paragraphs]
    officials_at = paragraphs.index("Official delegates elected")
    assert paragraphs[officials_at + 1 : officials_at + 3] == ["1. Lý Thị Mai: 11 votes, 100.00%",
                                                               "2. Phan Văn Quý: 9 votes, 81.82%"]  # fmt: skip
    alternates_at = paragraphs.index("Alternate delegates elected")
    assert paragraphs[alternates_at + 1] == "1. Đinh Văn Hòa: 8 votes, 72.73%"


def test_a_tie_on_the_alternate_cut_goes_to_a_runoff_among_the_tied(counting: Counting) -> None:
    election = delegates(counting)
    round_ = services.open_first_round(SYSTEM, election)
    # Hòa 8, Mai 11, Quý 7, Rạng 7: officials Mai and Hòa; Quý and Rạng tie for the one alternate seat.
    round_ = count(counting, round_, ["4"] * 4 + ["3"] * 4 + ["1"] * 3)
    result = round_.result or {}
    assert result["delegates"]["officials"] == ["Lý Thị Mai", "Đinh Văn Hòa"]
    assert result["delegates"]["alternates"] == []
    tie = {"candidates": ["Phan Văn Quý", "Tô Thị Rạng"], "seats": 1, "role": "alternate"}
    assert result["delegates"]["alternate_tie"] == tie and result["tie"] == tie
    assert result["next_round"] == {"seats": 1, "alternate_seats": 1, "candidates": ["Phan Văn Quý", "Tô Thị Rạng"]}
    assert "Phan Văn Quý (7)" in documents.minutes_data(round_).text
    with pytest.raises(ValidationError):  # after a tie the runoff is among the tied only
        services.prepare_next_round(SYSTEM, round_, decision="Bầu lại", new_names="Ngô Văn Mới")
    runoff = services.prepare_next_round(SYSTEM, round_, decision="Bầu lại giữa hai người bằng phiếu")
    assert (runoff.seats, runoff.alternate_seats) == (1, 1)
    runoff = count(counting, runoff, ["2"] * 7 + ["1"] * 4)  # Quý 7, Rạng 4
    assert (runoff.result or {})["delegates"]["alternates"] == ["Phan Văn Quý"]
    state = services.election_state(election)
    assert [n for n, _v, _r in state.elected] == ["Lý Thị Mai", "Đinh Văn Hòa"]
    assert [(n, r) for n, _v, r in state.alternates] == [("Phan Văn Quý", 2)]
    assert (runoff.result or {})["next_round"] is None


def test_a_tie_on_the_official_cut_names_no_alternates_until_the_officials_are_settled(counting: Counting) -> None:
    election = delegates(counting)
    round_ = services.open_first_round(SYSTEM, election)
    # Hòa 8, Mai 11, Quý 8, Rạng 6: Mai is official; Hòa and Quý tie for the last official seat.
    round_ = count(counting, round_, ["4"] * 5 + ["3"] * 3 + ["1"] * 3)
    result = round_.result or {}
    assert result["delegates"]["officials"] == ["Lý Thị Mai"]
    assert result["delegates"]["alternates"] == []  # Rạng is above half, but officials come first
    assert result["tie"] == {"candidates": ["Đinh Văn Hòa", "Phan Văn Quý"], "seats": 1, "role": "official"}
    assert result["next_round"] == {"seats": 1, "alternate_seats": 0, "candidates": ["Đinh Văn Hòa", "Phan Văn Quý"]}
    runoff = services.prepare_next_round(SYSTEM, round_, decision="Bầu lại chức danh đại biểu chính thức")
    runoff = count(counting, runoff, ["2"] * 8 + ["1"] * 3)  # Hòa 8, Quý 3
    second = runoff.result or {}
    assert second["delegates"]["officials"] == ["Đinh Văn Hòa"]
    # The officials are complete; the alternate seat is then filled from everyone not yet elected.
    assert second["next_round"] == {"seats": 1, "alternate_seats": 1, "candidates": ["Phan Văn Quý", "Tô Thị Rạng"]}
    third = services.prepare_next_round(SYSTEM, runoff, decision="Bầu đại biểu dự khuyết")
    third = count(counting, third, ["1"] * 9 + ["2"] * 2)  # Quý 2, Rạng 9
    assert (third.result or {})["delegates"]["alternates"] == ["Tô Thị Rạng"]
    state = services.election_state(election)
    assert [n for n, _v, _r in state.elected] == ["Lý Thị Mai", "Đinh Văn Hòa"]
    assert [n for n, _v, _r in state.alternates] == ["Tô Thị Rạng"]
    assert "Tô Thị Rạng" in documents.minutes_data(third).text


def test_the_election_form_takes_alternate_seats(counting: Counting, client: Client) -> None:
    client.force_login(counting.head)
    url = reverse("elections:election_create", args=[counting.congress.pk])
    response = client.post(url, {"kind": "delegates", "seats": 45, "alternate_seats": 4, "sort_order": 60})
    assert response.status_code == 302
    election = Election.objects.get(congress=counting.congress, kind="delegates")
    assert (election.seats, election.alternate_seats) == (45, 4)
    wrong = client.post(url, {"kind": "secretary", "seats": 1, "alternate_seats": 1, "sort_order": 1})
    assert wrong.status_code == 200 and Election.objects.filter(kind="secretary").count() == 0
