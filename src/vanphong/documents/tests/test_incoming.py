"""The incoming flow through the services: register, present, direct, hand on, handle, complete."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation
from pypdf import PdfReader

from vanphong.core.models import AuditEntry
from vanphong.documents import access, policy
from vanphong.documents.models import (
    AssignmentRole,
    AssignmentState,
    Document,
    EventKind,
    FileRole,
    Secrecy,
    Status,
    StoredFile,
)
from vanphong.documents.services import files, incoming
from vanphong.documents.services.files import Upload
from vanphong.documents.tests.conftest import SAMPLE_PDF_LINES, Desk, register_sample, vietnamese_pdf

pytestmark = pytest.mark.django_db


def test_arrival_numbers_run_from_one_paper_and_electronic_together(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    first = incoming.register_incoming(clerk, register_sample(desk))
    second = incoming.register_incoming(clerk, register_sample(desk, number_symbol="15/SNV-TCBC", channel="edxml"))
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.arrival_year == second.arrival_year == timezone.localdate().year


def test_a_new_year_starts_again_from_one(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    late = timezone.make_aware(datetime.datetime(2025, 12, 31, 16, 30))  # noqa: DTZ001 (made aware here)
    early = timezone.make_aware(datetime.datetime(2026, 1, 2, 7, 45))  # noqa: DTZ001 (made aware here)
    a = incoming.register_incoming(
        clerk, register_sample(desk, arrived_at=late, document_date=datetime.date(2025, 12, 30))
    )
    b = incoming.register_incoming(clerk, register_sample(desk, arrived_at=late, number_symbol="2/UBND-VX",
                                                          document_date=datetime.date(2025, 12, 30)))  # fmt: skip
    c = incoming.register_incoming(clerk, register_sample(desk, arrived_at=early, number_symbol="3/UBND-VX",
                                                          document_date=datetime.date(2025, 12, 31)))  # fmt: skip
    assert [(d.arrival_year, d.arrival_number) for d in (a, b, c)] == [(2025, 1), (2025, 2), (2026, 1)]


def test_registration_stores_the_scan_and_a_stamped_copy(desk: Desk) -> None:
    pdf = vietnamese_pdf(*SAMPLE_PDF_LINES)
    document = incoming.register_incoming(
        desk.actor(desk.office.clerk), register_sample(desk, files=[Upload("cv-1234.pdf", pdf)])
    )
    roles = sorted(document.files.values_list("role", flat=True))
    assert roles == [FileRole.SCAN, FileRole.STAMPED]
    stamped = document.files.get(role=FileRole.STAMPED)
    text = PdfReader(__import__("io").BytesIO(files.read(stored=stamped.stored))).pages[0].extract_text()
    assert "ĐẾN" in text and "Số: 1" in text
    scan = document.files.get(role=FileRole.SCAN).stored
    assert "Nghị quyết số 57-NQ/TW" in scan.text


def test_bad_input_changes_nothing(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    with pytest.raises(ValidationError) as raised:
        incoming.register_incoming(clerk, register_sample(desk, abstract="  ", files=[Upload("a.pdf", b"MZ\x90\x00")]))
    assert "abstract" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        incoming.register_incoming(clerk, register_sample(desk, files=[Upload("cong-van.pdf", b"MZ\x90\x00" * 64)]))
    with translation.override("en"):
        assert "cong-van.pdf" in str(raised.value.message_dict["files"])
    assert Document.objects.count() == 0
    assert StoredFile.objects.count() == 0


def test_only_the_registers_clerk_registers(desk: Desk) -> None:
    for account in (desk.office.chief, desk.office.specialist, desk.state_clerk, desk.office.root_admin):
        with pytest.raises(PermissionDenied):
            incoming.register_incoming(desk.actor(account), register_sample(desk))


def test_duplicates_are_found_by_sender_symbol_and_date(desk: Desk) -> None:
    incoming.register_incoming(desk.actor(desk.office.clerk), register_sample(desk))
    found = incoming.find_duplicates(
        desk.incoming,
        sender=desk.office.peoples_committee,
        sender_name="",
        number_symbol="số: 1234 / ubnd-vx",
        document_date=datetime.date(2026, 11, 20),
    )
    assert found.count() == 1
    other_day = incoming.find_duplicates(
        desk.incoming, sender=desk.office.peoples_committee, sender_name="", number_symbol="1234/UBND-VX",
        document_date=datetime.date(2026, 11, 21),
    )  # fmt: skip
    assert other_day.count() == 0


def test_the_whole_flow_with_its_timeline_and_baskets(desk: Desk) -> None:
    office = desk.office
    clerk, chief = desk.actor(office.clerk), desk.actor(office.chief)
    document = incoming.register_incoming(clerk, register_sample(desk))
    assert access.basket(office.clerk, "to_present").filter(pk=document.pk).exists()
    incoming.present(clerk, document, leader=office.chief.person)  # type: ignore[arg-type]
    assert access.basket(office.chief, "to_direct").filter(pk=document.pk).exists()
    # Before the direction, the unit does not see the document at all.
    assert not access.documents_visible_to(desk.head).filter(pk=document.pk).exists()
    incoming.direct(
        chief,
        document,
        incoming.DirectionData(
            text="Giao Phòng Tổng hợp chủ trì, tham mưu văn bản trả lời; Phòng HC-TC phối hợp.",
            lead_unit=desk.unit,
            coordinating_units=[desk.other_unit],
            deadline_days=5,
        ),
    )
    document.refresh_from_db()
    assert document.status == Status.IN_PROGRESS
    assert document.handling_deadline is not None and document.handling_deadline > timezone.localdate()
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    assert access.basket(desk.head, "to_assign").filter(pk=document.pk).exists()
    incoming.forward(desk.actor(desk.head), lead, handler=desk.handler.person)  # type: ignore[arg-type]
    assert access.basket(desk.handler, "to_handle").filter(pk=document.pk).exists()
    coordinating = document.assignments.get(role=AssignmentRole.COORDINATE)
    incoming.add_progress(desk.actor(desk.other_head), coordinating, note="Phòng HC-TC thống nhất nội dung dự thảo.")
    incoming.add_progress(desk.actor(desk.handler), lead, note="Đã dự thảo công văn trả lời, trình lãnh đạo phòng.")
    incoming.complete(desk.actor(desk.handler), document, result="Đã trả lời bằng Công văn số 45-CV/VPTU.")
    document.refresh_from_db()
    assert document.status == Status.COMPLETED
    assert set(document.assignments.values_list("state", flat=True)) == {AssignmentState.DONE}
    kinds = list(document.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.REGISTERED, EventKind.PRESENTED, EventKind.DIRECTED, EventKind.FORWARDED,
        EventKind.OPINION_GIVEN, EventKind.PROGRESS, EventKind.COMPLETED,
    ]  # fmt: skip
    actions = set(AuditEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert {"documents.incoming.register", "documents.incoming.present", "documents.incoming.direct",
            "documents.incoming.complete"} <= actions  # fmt: skip


def test_a_step_taken_twice_is_refused_the_second_time(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    document = incoming.register_incoming(clerk, register_sample(desk))
    incoming.return_document(clerk, document, reason="Gửi nhầm cơ quan")
    with pytest.raises(ValidationError):
        incoming.present(clerk, document, leader=desk.office.chief.person)  # type: ignore[arg-type]


def test_presenting_to_someone_who_is_not_a_leader_is_refused(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    document = incoming.register_incoming(clerk, register_sample(desk))
    with pytest.raises(ValidationError):
        incoming.present(clerk, document, leader=desk.handler.person)  # type: ignore[arg-type]
    assert policy.leaders_of(desk.incoming).filter(pk=desk.office.chief.person_id).exists()


def test_forwarding_outside_the_unit_is_refused(desk: Desk) -> None:
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    document = incoming.register_incoming(clerk, register_sample(desk))
    incoming.direct(chief, document, incoming.DirectionData(text="Giao Phòng Tổng hợp.", lead_unit=desk.unit))
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    with pytest.raises(ValidationError):
        incoming.forward(desk.actor(desk.head), lead, handler=desk.other_head.person)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        incoming.forward(desk.actor(desk.other_head), lead, handler=desk.handler.person)  # type: ignore[arg-type]


@override_settings(SECRET_DOCUMENTS="metadata")
def test_secret_documents_in_metadata_mode_keep_no_files(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    with pytest.raises(ValidationError):
        incoming.register_incoming(
            clerk, register_sample(desk, secrecy=Secrecy.MAT, files=[Upload("mat.pdf", vietnamese_pdf("MẬT"))])
        )
    document = incoming.register_incoming(clerk, register_sample(desk, secrecy=Secrecy.MAT))
    assert document.secrecy == Secrecy.MAT and not document.files.exists()


@override_settings(SECRET_DOCUMENTS="full")
def test_secret_documents_are_seen_only_by_cleared_people_with_a_role(desk: Desk) -> None:
    office = desk.office
    clerk, chief = desk.actor(office.clerk), desk.actor(office.chief)
    document = incoming.register_incoming(
        clerk, register_sample(desk, secrecy=Secrecy.MAT, files=[Upload("mat.pdf", vietnamese_pdf("TÀI LIỆU MẬT"))])
    )
    assert document.files.get(role=FileRole.SCAN).stored.encrypted
    incoming.direct(chief, document, incoming.DirectionData(text="Phòng Tổng hợp nghiên cứu.", lead_unit=desk.unit))
    # office.uncleared works in the lead unit but has no clearance: the document does not exist for them.
    assert not access.documents_visible_to(office.uncleared).filter(pk=document.pk).exists()
    assert access.documents_visible_to(desk.head).filter(pk=document.pk).exists()
    access.access_document(desk.head, document.pk, actor=desk.actor(desk.head))
    assert AuditEntry.objects.filter(action="documents.secret.view", object_id=str(document.pk)).count() == 1


@override_settings(SECRET_DOCUMENTS="off")
def test_an_installation_can_switch_secret_documents_off(desk: Desk) -> None:
    with pytest.raises(ValidationError) as raised:
        incoming.register_incoming(desk.actor(desk.office.clerk), register_sample(desk, secrecy=Secrecy.MAT))
    assert "secrecy" in raised.value.message_dict


def test_working_day_deadline_skips_tet(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    # 5 working days from Friday 13/02/2026, with Tết Bính Ngọ (the break of 14–22/02/2026) between.
    data = incoming.DirectionData(text="x", lead_unit=desk.unit, deadline_days=5)
    deadline = incoming.resolve_deadline(datetime.date(2026, 2, 13), data)
    assert deadline is not None and deadline >= datetime.date(2026, 2, 27)
