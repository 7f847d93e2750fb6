"""The consultation pages: the permission matrix, answering with htmx, closing, the PDF, the home panel."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from pypdf import PdfReader

from vanphong.consultations import services
from vanphong.consultations.models import Consultation, ConsultationFile, ConsultationMember, State
from vanphong.consultations.tests.conftest import Committee, english
from vanphong.core.models import Account, AuditEntry
from vanphong.documents.models import DocumentFile, FileRole
from vanphong.documents.services import files as file_services
from vanphong.documents.services.files import Upload
from vanphong.documents.tests.conftest import vietnamese_pdf
from vanphong.documents.tests.test_views import LOGIN, Case, matrix_failures, rows
from vanphong.testing import now_plus

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class World:
    committee: Committee
    draft: Consultation  # organised by the clerk, not yet sent
    open: Consultation  # sent to the five members, with a file and the two documents
    closed: Consultation  # answered and closed
    file: ConsultationFile  # on the open consultation
    secret_file: DocumentFile  # the secret proposal's scan

    def account(self, persona: str) -> Account | None:
        c = self.committee
        return {
            "anonymous": None, "clerk": c.office.clerk, "chief": c.office.chief, "member": c.member_a,
            "vice": c.vice, "specialist": c.office.specialist, "uncleared": c.office.uncleared,
        }[persona]  # fmt: skip


@pytest.fixture
def world(committee: Committee, settings: Any) -> World:
    settings.SECRET_DOCUMENTS = "full"
    clerk = committee.actor(committee.office.clerk)
    scan = Upload("de-xuat-nhan-su.pdf", vietnamese_pdf("Đề xuất nhân sự (Mật)"))
    checked = file_services.check_uploads([scan], secrecy=committee.secret.secrecy)
    with transaction.atomic():
        secret_file = file_services.attach(clerk, committee.secret, scan, checked[0][1], role=FileRole.SCAN)
    draft = committee.draft(title="Xin ý kiến về kế hoạch tổ chức hội nghị")
    opened = committee.opened(uploads=[Upload("to-trinh.pdf", vietnamese_pdf("Tờ trình Đề án"))])
    closed = committee.opened(title="Xin ý kiến về chủ trương đầu tư")
    services.answer(committee.actor(committee.member_a), closed, choice="agree")
    services.close(clerk, closed, conclusion="Ban Thường vụ thống nhất chủ trương.")
    return World(committee, draft, opened, closed, opened.files.get(), secret_file)


def u(name: str, which: str = "", *more: str) -> Any:
    def url(w: World) -> str:
        args: list[int] = [getattr(w, which).pk] if which else []
        if "document" in more:
            args += [w.committee.secret.pk, w.secret_file.pk]
        if "file" in more:
            args += [w.file.pk]
        return reverse(f"consultations:{name}", args=args)

    return url


def new_data(w: World) -> dict[str, Any]:
    c = w.committee
    return {
        "body": c.office.province_party.pk, "title": "Xin ý kiến về quy chế làm việc",
        "question": "Đề nghị cho ý kiến về dự thảo Quy chế làm việc khóa XVI.",
        "deadline": now_plus(days=2).strftime("%Y-%m-%dT%H:%M"), "members": [c.member_a.person_id],
        "base": "members", "threshold_percent": 50,
    }  # fmt: skip


def answer_data(w: World) -> dict[str, Any]:
    return {"answer": "agree", "comment": ""}


CASES: list[Case] = [
    *rows("list", u("list"), {"anonymous": LOGIN, "member": 200, "specialist": 200, "clerk": 200}),
    *rows("list", u("list"), {"clerk": 405}, "POST"),
    *rows("new", u("new"), {"anonymous": LOGIN, "clerk": 200, "specialist": 200, "member": 404, "uncleared": 404}),
    *rows("new", u("new"), {"clerk": 302, "member": 404}, "POST", new_data),
    *rows("new", u("new"), {"clerk": 405}, "PUT"),
    *rows(
        "detail",
        u("detail", "open"),
        {
            "anonymous": LOGIN,
            "clerk": 200,
            "chief": 200,
            "member": 200,
            "vice": 200,
            "specialist": 404,
            "uncleared": 404,
        },
    ),
    *rows("detail", u("detail", "draft"), {"clerk": 200, "chief": 200, "member": 404}),
    *rows("detail", u("detail", "open"), {"clerk": 405}, "POST"),
    *rows(
        "edit", u("edit", "draft"), {"anonymous": LOGIN, "clerk": 200, "chief": 200, "member": 404, "specialist": 404}
    ),
    *rows("edit", u("edit", "open"), {"member": 403, "clerk": 302}),  # an open one: back to its page
    *rows("edit", u("edit", "draft"), {"clerk": 302}, "POST", new_data),
    *rows("edit", u("edit", "draft"), {"clerk": 405}, "DELETE"),
    *rows("open", u("open", "draft"), {"anonymous": LOGIN, "clerk": 302, "chief": 302, "member": 404}, "POST"),
    *rows("open", u("open", "open"), {"member": 403, "clerk": 400}, "POST"),
    *rows("open", u("open", "draft"), {"clerk": 405}),
    *rows(
        "answer",
        u("answer", "open"),
        {"anonymous": LOGIN, "member": 302, "clerk": 403, "specialist": 404},
        "POST",
        answer_data,
    ),
    *rows("answer", u("answer", "closed"), {"member": 400}, "POST", answer_data),
    *rows("answer", u("answer", "open"), {"member": 405}),
    *rows("remind", u("remind", "open"), {"anonymous": LOGIN, "clerk": 302, "member": 403, "specialist": 404}, "POST"),
    *rows("remind", u("remind", "open"), {"clerk": 405}),
    *rows(
        "close",
        u("close", "open"),
        {"anonymous": LOGIN, "chief": 302, "clerk": 302, "member": 403, "specialist": 404},
        "POST",
    ),
    *rows("close", u("close", "open"), {"chief": 405}),
    *rows(
        "summary_pdf",
        u("summary_pdf", "closed"),
        {"anonymous": LOGIN, "clerk": 200, "chief": 200, "member": 403, "specialist": 404},
    ),
    *rows("summary_pdf", u("summary_pdf", "open"), {"clerk": 404}),
    *rows("summary_pdf", u("summary_pdf", "closed"), {"clerk": 405}, "POST"),
    *rows("file", u("file", "open", "file"), {"anonymous": LOGIN, "member": 200, "clerk": 200, "specialist": 404}),
    *rows("file", u("file", "open", "file"), {"member": 405}, "POST"),
    *rows(
        "document_file",
        u("document_file", "open", "document"),
        {"anonymous": LOGIN, "vice": 200, "member": 403, "specialist": 404},
    ),
    *rows("document_file", u("document_file", "open", "document"), {"vice": 405}, "POST"),
]


def test_permission_matrix(world: World, client: Client) -> None:
    assert matrix_failures(CASES, world, client) == []


def test_every_page_has_rows() -> None:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "consultations":
            names = {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    assert len(names) == 11
    covered = {case.name for case in CASES}
    assert names == covered
    for name in names:
        cases = [case for case in CASES if case.name == name]
        assert any(c.persona == "anonymous" for c in cases), name
        assert any(c.expected in (200, 302) and c.persona != "anonymous" for c in cases), name
        assert any(c.expected == 405 for c in cases), name


def test_a_member_answers_in_place_and_changes_the_answer(world: World, client: Client) -> None:
    c = world.committee
    english(client).force_login(c.member_a)
    url = reverse("consultations:answer", args=[world.open.pk])
    page = client.get(reverse("consultations:detail", args=[world.open.pk])).content.decode()
    assert 'id="answer-form"' in page and 'id="members"' not in page  # a member sees no one else's answer
    assert "Đề xuất nhân sự" not in page and "data-withheld" in page  # the secret one: there, but not what it is
    refused = client.post(url, {"answer": "other", "comment": ""}, **HTMX)
    assert refused.status_code == 200 and "Write your opinion" in refused.content.decode()
    assert refused.content.decode().lstrip().startswith("<form")  # the form alone, swapped in place
    done = client.post(url, {"answer": "disagree", "comment": "Đề nghị lùi thời gian."}, **HTMX)
    assert done.status_code == 200 and done["HX-Redirect"] == reverse("consultations:detail", args=[world.open.pk])
    assert client.post(url, {"answer": "agree"}).status_code == 302
    member = ConsultationMember.objects.get(consultation=world.open, person=c.member_a.person)
    assert member.answer == "agree"


def test_the_organiser_sees_every_answer_and_closes_with_the_tally(world: World, client: Client) -> None:
    c = world.committee
    for account, choice in ((c.secretary, "agree"), (c.vice, "agree"), (c.member_b, "agree"), (c.member_c, "disagree")):
        services.answer(c.actor(account), world.open, choice=choice)
    english(client).force_login(c.office.clerk)
    page = client.get(reverse("consultations:detail", args=[world.open.pk])).content.decode()
    assert 'id="members"' in page and page.count('data-answer="agree"') == 3
    assert 'data-count="needed">3<' in page
    closed = client.post(reverse("consultations:close", args=[world.open.pk]), {"conclusion": "Thông qua Đề án."})
    assert closed.status_code == 302
    page = client.get(closed["Location"]).content.decode()
    assert 'data-passed="yes"' in page and "Thông qua Đề án." in page and 'id="summary-pdf"' in page
    assert 'data-count="not_answered">1<' in page


def test_the_summary_sheet_reads_back(world: World, client: Client) -> None:
    english(client).force_login(world.committee.office.clerk)
    response = client.get(reverse("consultations:summary_pdf", args=[world.closed.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    expected_lines = ("SUMMARY OF OPINIONS", "(Phiếu tổng hợp ý kiến)", "Xin ý kiến về chủ trương đầu tư",
                      "Trịnh Thị Hằng", "Nguyễn Hữu Thắng", "Ban Thường vụ thống nhất chủ trương.",
                      "Hoàng Thị Lan")  # fmt: skip
    for expected in expected_lines:
        assert expected in text, expected
    assert "Of 5 members consulted: 1 agree, 0 disagree" in " ".join(text.split())
    assert "Result: not passed." in text


def test_reading_a_secret_document_through_the_page_is_audited(world: World, client: Client) -> None:
    vice = world.committee.vice
    client.force_login(vice)
    page = client.get(reverse("consultations:detail", args=[world.open.pk])).content.decode()
    assert "Đề xuất nhân sự" in page
    response = client.get(u("document_file", "open", "document")(world))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    actions = AuditEntry.objects.filter(actor=vice, action__startswith="consultations.secret").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["consultations.secret.download", "consultations.secret.view"]


def test_the_home_panel_lists_what_waits_for_my_answer(world: World, client: Client) -> None:
    c = world.committee
    english(client).force_login(c.member_b)
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="consultations-waiting"' in home and world.open.title in home
    assert world.draft.title not in home and world.closed.title not in home
    services.answer(c.actor(c.member_b), world.open, choice="agree")
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="consultations-waiting"' not in home


def test_creating_through_the_page_and_a_bad_deadline(world: World, client: Client) -> None:
    english(client).force_login(world.committee.office.clerk)
    data = {**new_data(world), "deadline": "2020-01-01T08:00"}
    refused = client.post(reverse("consultations:new"), data)
    assert refused.status_code == 400 and "The deadline must be in the future." in refused.content.decode()
    saved = client.post(reverse("consultations:new"), new_data(world))
    created = Consultation.objects.get(title="Xin ý kiến về quy chế làm việc")
    assert saved["Location"] == reverse("consultations:detail", args=[created.pk]) and created.state == State.DRAFT
    assert list(created.members.values_list("person_id", flat=True)) == [world.committee.member_a.person_id]


def test_editing_a_draft_changes_its_members_in_one_recorded_act(world: World, client: Client) -> None:
    c = world.committee
    client.force_login(c.office.clerk)
    before = AuditEntry.objects.count()
    data = {**new_data(world), "members": [c.member_a.person_id, c.office.deputy.person_id]}
    assert client.post(reverse("consultations:edit", args=[world.draft.pk]), data).status_code == 302
    members = set(world.draft.members.values_list("person_id", flat=True))
    assert members == {c.member_a.person_id, c.office.deputy.person_id}
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1 and entry is not None and entry.action == "consultations.update"
    assert entry.after["members_added"] == [c.office.deputy.person_id] and len(entry.after["members_removed"]) == 4
    assert entry.after["title"] == "Xin ý kiến về quy chế làm việc"


def test_the_list_costs_the_same_queries_for_few_or_many_consultations(world: World, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = world.committee
    client.force_login(c.member_a)  # asked in the open and the closed one

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("consultations:list")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        committee_opened = c.opened(title=f"Xin ý kiến về nội dung số {n + 1}")
        services.answer(c.actor(c.member_a), committee_opened, choice="agree")
    assert queries() == few
