"""The minutes and the ballot papers as PDF: opened with pypdf, the figures, names and Vietnamese text
must be there as the count and the list say."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from vanphong.elections import documents, services
from vanphong.elections.minutes import exclusion_label, invalid_reason_label
from vanphong.elections.models import Summoned
from vanphong.elections.tests.conftest import Counting
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), unicodedata.normalize("NFC", " ".join(text.split()))


def test_the_minutes_pdf_carries_the_base_the_ballots_the_votes_and_the_signatures(
    counting: Counting, client: Client
) -> None:
    congress = counting.congress
    people = list(Summoned.objects.filter(congress=congress).order_by("id"))
    for person in people[:9]:
        services.check_in(SYSTEM, person)
    services.set_exclusion(SYSTEM, people[10], code="suspended", reason="Đình chỉ sinh hoạt đảng")
    round_ = counting.open_round()
    # The list in the Vietnamese order (by given name): 1 Nguyễn Thị Ánh, 2 Trần Văn Ba, 3 Võ Thị Sáu,
    # 4 Lê Văn Tám. Typed numbers are the names struck out; "1 2 3 4" strikes every name (invalid).
    counting.enter(round_, ["4"] * 5 + ["3"] * 2 + ["1 2 3 4", "k1"])
    services.confirm_round(counting.actor(counting.head), round_, ballots_issued=9)
    client.force_login(counting.member)
    response = client.get(reverse("elections:minutes_pdf", args=[round_.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    pages, text = pdf_text(response.content)
    assert pages >= 1
    assert "BIÊN BẢN KIỂM PHIẾU" in text.upper()
    assert "Đại hội Đảng bộ Văn phòng Tỉnh ủy" in text and "2025–2030" in text
    # Summoned 11, present 9, one excluded (suspended), base 10, 6 votes needed.
    assert "Đảng viên chính thức hoặc đại biểu được triệu tập 11 Có mặt khi bầu cử 9" in text
    assert f"{exclusion_label('suspended')} 1" in text
    assert "(số được triệu tập trừ các trường hợp không tính) 10" in text
    round_.refresh_from_db()
    result = round_.result or {}
    assert result["base"] == 10 and result["votes_needed"] == 6
    assert result["ballots"] == {"collected": 9, "valid": 7, "invalid": 2,
                                 "invalid_by_reason": {"no_name_kept": 1, "not_issued": 1}}  # fmt: skip
    for candidate in result["candidates"]:
        assert candidate["name"] in text
    # Percentages against the stated base, with the Vietnamese decimal comma: Ánh 7/10 = 70,00.
    votes = {c["name"]: c["votes"] for c in result["candidates"]}
    assert votes == {"Nguyễn Thị Ánh": 7, "Trần Văn Ba": 7, "Võ Thị Sáu": 5, "Lê Văn Tám": 2}
    assert "70,00" in text and "50,00" in text and "20,00" in text
    assert "Số phiếu phát ra 9 Số phiếu thu vào 9 Số phiếu hợp lệ 7 Số phiếu không hợp lệ 2" in text
    assert f"{invalid_reason_label('no_name_kept')} 1" in text and f"{invalid_reason_label('not_issued')} 1" in text
    # Elected, highest first: Ánh and Ba (7 each, both fit), not Sáu (5 of 10 is not more than half).
    assert result["elected"] == ["Nguyễn Thị Ánh", "Trần Văn Ba"]
    elected_at = text.index("theo thứ tự số phiếu từ cao xuống thấp")
    assert text.index("1 Nguyễn Thị Ánh 7 70,00%", elected_at) < text.index("2 Trần Văn Ba 7 70,00%", elected_at)
    assert "Võ Thị Sáu 5 50,00%" not in text
    # The committee's signatures block names every member.
    for account in (counting.head, counting.member, counting.operator1, counting.operator2):
        assert account.person is not None and account.person.full_name in text
    # The same figures as the DOCX and the page: one source.
    data = documents.minutes_data(round_)
    assert data.summoned == 11 and data.excluded == 1 and round_.present == 9


def test_the_minutes_pdf_is_not_there_before_the_count_is_confirmed(counting: Counting, client: Client) -> None:
    round_ = counting.open_round()
    client.force_login(counting.head)
    assert client.get(reverse("elections:minutes_pdf", args=[round_.pk])).status_code == 404
    with pytest.raises(ValueError, match="not been confirmed"):
        documents.minutes_pdf(round_)


def test_ballot_papers_come_from_the_approved_list_several_to_a_sheet(counting: Counting, client: Client) -> None:
    round_ = counting.open_round()
    client.force_login(counting.member)
    response = client.get(reverse("elections:ballots_pdf", args=[round_.pk]), {"copies": "10"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert documents.ballots_per_sheet(4) == 4
    assert pages == 3  # ten ballots of a four-name list, four to an A4 sheet
    assert text.count("PHIẾU BẦU CỬ") == 10
    assert text.count("Dấu của cấp ủy triệu tập đại hội") == 10
    for name in ("Nguyễn Thị Ánh", "Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"):
        assert text.count(name) == 10
    assert text.index("Nguyễn Thị Ánh") < text.index("Trần Văn Ba") < text.index("Võ Thị Sáu")
    assert "Ban Chấp hành" in text or "BAN CHẤP HÀNH" in text.upper()


def test_a_long_list_takes_a_sheet_per_ballot_and_the_agree_form_has_its_boxes(counting: Counting) -> None:
    long_list = services.create_election(SYSTEM, counting.congress, kind="standing_committee", seats=13)
    names = [f"Nguyễn Văn {given}" for given in ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh",
                                                  "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Thắng",
                                                  "Trung", "Tuấn", "Việt", "Vinh", "Xuân", "Yên")]  # fmt: skip
    services.add_candidates(SYSTEM, long_list, "\n".join(names))
    round_ = services.open_first_round(SYSTEM, long_list)
    pages, text = pdf_text(documents.ballots_pdf(round_, copies=2))
    assert documents.ballots_per_sheet(21) == 1 and pages == 2
    assert all(text.count(name) == 2 for name in names)
    secretary = services.create_election(SYSTEM, counting.congress, kind="secretary", seats=1)
    services.add_candidates(SYSTEM, secretary, "Võ Thị Sáu")
    agree = services.open_first_round(SYSTEM, secretary)
    pages, text = pdf_text(documents.ballots_pdf(agree))
    assert pages == 1 and text.count("Võ Thị Sáu") == 4
    assert text.count("Không đồng ý") == 4 and text.count("Đồng ý") == 4
