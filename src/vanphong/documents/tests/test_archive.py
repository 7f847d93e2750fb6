"""Archive files (hồ sơ): the yearly list and its copy into the next year, codes, opening, filing with
automatic order (also under concurrency), taking out without gaps, closing with the TT 02/2019 totals,
hand-over and its 30-day reminders, permissions, and no secret document shown through a file."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from vanphong.core.audit import Actor
from vanphong.core.models import AuditEntry, Organization, OrgKind, Person, Role
from vanphong.core.services import roles
from vanphong.documents import access
from vanphong.documents.models import (
    ArchiveFile,
    Direction,
    Document,
    DocumentSystem,
    EventKind,
    FileItem,
    FileList,
    FileListState,
    FileState,
    FlowEvent,
    Register,
    Secrecy,
)
from vanphong.documents.services import archive, incoming
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.rules import archive_files as rules
from vanphong.testing import SYSTEM, make_account, make_org, make_person, race


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' messages are matched in English; the installation speaks Vietnamese."""
    with translation.override("en"):
        yield


YEAR = timezone.localdate().year


@dataclass
class Shelf:
    """The Party office's 2026 list, approved, with two files of Phòng Tổng hợp."""

    desk: Desk
    file_list: FileList
    reports: ArchiveFile  # kept 10 years, handled by the specialist, open
    invitations: ArchiveFile  # kept 2 years (stays with the unit), planned

    def actor(self, persona: str) -> Actor:
        office = self.desk.office
        accounts = {"clerk": office.clerk, "chief": office.chief, "handler": self.desk.handler,
                    "head": self.desk.head, "uncleared": office.uncleared, "other_head": self.desk.other_head,
                    "specialist": office.specialist}  # fmt: skip
        return Actor(account=accounts[persona], source="web")


def _file(shelf_desk: Desk, title: str, retention: int | None, handler: Person | None = None) -> archive.FileData:
    return archive.FileData(title=title, unit=shelf_desk.unit, retention_years=retention, handler=handler)


def _shelf(desk: Desk) -> Shelf:
    clerk = desk.actor(desk.office.clerk)
    file_list = archive.create_file_list(clerk, desk.office.party_office, YEAR)
    handler = desk.handler.person
    reports = archive.add_file(
        clerk,
        file_list,
        _file(desk, "Báo cáo tháng, quý, năm của các cơ quan tham mưu, giúp việc Tỉnh ủy", 10, handler),
    )
    invitations = archive.add_file(clerk, file_list, _file(desk, "Giấy mời dự hội nghị, hội thảo", 2, handler))
    archive.approve_file_list(desk.actor(desk.office.chief), file_list)
    reports = archive.open_file(desk.actor(desk.handler), reports)
    return Shelf(desk, file_list, reports, invitations)


@pytest.fixture
def shelf(desk: Desk) -> Shelf:
    return _shelf(desk)


def handled_document(desk: Desk, symbol: str, *, pages: int, dated: datetime.date, **extra: object) -> Document:
    """Registered, directed to Phòng Tổng hợp and passed to its specialist (so the specialist sees it)."""
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    document = incoming.register_incoming(
        clerk, register_sample(desk, number_symbol=symbol, pages=pages, document_date=dated, **extra)
    )
    incoming.present(clerk, document, leader=desk.office.chief.person)  # type: ignore[arg-type]
    incoming.direct(chief, document, incoming.DirectionData(text="Phòng Tổng hợp tổng hợp.", lead_unit=desk.unit))
    part = document.assignments.get(unit=desk.unit)
    if document.secrecy == Secrecy.NONE:
        incoming.forward(desk.actor(desk.head), part, handler=desk.handler.person)  # type: ignore[arg-type]
    return document


# --- the list -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_files_are_numbered_in_the_list_with_the_unit_and_year_in_their_code(shelf: Shelf) -> None:
    assert shelf.reports.code == f"01.PTH.{YEAR}" and shelf.invitations.code == f"02.PTH.{YEAR}"
    assert shelf.file_list.state == FileListState.APPROVED
    assert shelf.file_list.approved_by == shelf.desk.office.chief.person
    actions = set(AuditEntry.objects.filter(action__startswith="documents.").values_list("action", flat=True))
    assert {"documents.file_list.create", "documents.archive_file.add", "documents.file_list.approve",
            "documents.archive_file.open"} <= actions  # fmt: skip
    assert shelf.reports.state == FileState.OPEN and shelf.reports.opened_on == timezone.localdate()
    assert rules.organ_file_code("000.00.00.H70", YEAR, "01.PTH") == f"000.00.00.H70.{YEAR}.01.PTH"


@pytest.mark.django_db
def test_only_leaders_approve_and_an_approved_or_empty_list_is_refused(desk: Desk) -> None:
    clerk = desk.actor(desk.office.clerk)
    empty = archive.create_file_list(clerk, desk.office.party_office, YEAR)
    with pytest.raises(ValidationError, match="empty list"):
        archive.approve_file_list(desk.actor(desk.office.chief), empty)
    archive.add_file(clerk, empty, _file(desk, "Hồ sơ hội nghị Ban Thường vụ Tỉnh ủy", None))
    with pytest.raises(PermissionDenied):
        archive.approve_file_list(clerk, empty)  # the văn thư drafts; the leader approves
    archive.approve_file_list(desk.actor(desk.office.deputy), empty)
    with pytest.raises(ValidationError, match="already been approved"):
        archive.approve_file_list(desk.actor(desk.office.chief), empty)
    with pytest.raises(ValidationError, match="already has a file list"):
        archive.create_file_list(clerk, desk.office.party_office, YEAR)
    with pytest.raises(PermissionDenied):
        archive.create_file_list(desk.actor(desk.handler), desk.office.party_office, YEAR + 1)
    with pytest.raises(ValidationError, match="not to an internal unit"):
        archive.create_file_list(clerk, desk.unit, YEAR + 1)


@pytest.mark.django_db
def test_next_years_list_starts_as_a_draft_copy_with_new_codes_and_no_documents(shelf: Shelf) -> None:
    desk = shelf.desk
    archive.add_document(
        shelf.actor("handler"),
        shelf.reports,
        handled_document(desk, "45/BC-SNV", pages=3, dated=datetime.date(YEAR, 3, 2)),
    )
    following = archive.create_file_list(desk.actor(desk.office.clerk), desk.office.party_office, YEAR + 1)
    copies = list(following.files.order_by("number"))
    assert following.state == FileListState.DRAFT
    assert [(f.code, f.title, f.retention_years, f.handler_id, f.state) for f in copies] == [
        (f"01.PTH.{YEAR + 1}", shelf.reports.title, 10, desk.handler.person_id, FileState.PLANNED),
        (f"02.PTH.{YEAR + 1}", shelf.invitations.title, 2, desk.handler.person_id, FileState.PLANNED),
    ]
    assert not FileItem.objects.filter(archive_file__in=copies).exists()
    with pytest.raises(ValidationError, match="not approved yet"):
        archive.open_file(shelf.actor("handler"), copies[0])


@pytest.mark.django_db
def test_bad_file_entries_are_refused_with_the_reason_and_nothing_is_added(shelf: Shelf) -> None:
    clerk = shelf.actor("clerk")
    before = ArchiveFile.objects.count()
    elsewhere = archive.FileData(title="Hồ sơ tuyển dụng", unit=shelf.desk.office.home_affairs, retention_years=5)
    with pytest.raises(ValidationError) as caught:
        archive.add_file(clerk, shelf.file_list, elsewhere)
    assert "unit" in caught.value.message_dict
    stranger = _file(shelf.desk, "Hồ sơ tuyển dụng", 200, shelf.desk.other_head.person)
    with pytest.raises(ValidationError) as caught:
        archive.add_file(clerk, shelf.file_list, stranger)
    assert set(caught.value.message_dict) == {"retention_years", "handler"}
    with pytest.raises(ValidationError, match="title"):
        archive.add_file(clerk, shelf.file_list, _file(shelf.desk, "   ", 5))
    with pytest.raises(PermissionDenied):
        archive.add_file(shelf.actor("handler"), shelf.file_list, _file(shelf.desk, "Hồ sơ riêng", 5))
    assert ArchiveFile.objects.count() == before


# --- filling a file -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_documents_take_the_next_place_and_may_be_in_several_files(shelf: Shelf) -> None:
    desk, handler = shelf.desk, shelf.actor("handler")
    docs = [handled_document(desk, f"{n}/BC-SNV", pages=n, dated=datetime.date(YEAR, n, 10)) for n in (1, 2, 3)]
    items = [archive.add_document(handler, shelf.reports, d) for d in docs]
    assert [i.ordinal for i in items] == [1, 2, 3]
    event = FlowEvent.objects.get(document=docs[0], kind=EventKind.FILED)
    assert event.data["file"] == shelf.reports.code and event.data["ordinal"] == 1
    assert event.actor == desk.handler.person
    with pytest.raises(ValidationError, match="already in file"):
        archive.add_document(handler, shelf.reports, docs[0])
    archive.open_file(handler, shelf.invitations)
    again = archive.add_document(shelf.actor("head"), shelf.invitations, docs[0], note="Bản chụp")
    assert again.ordinal == 1 and docs[0].file_items.count() == 2
    with pytest.raises(PermissionDenied):  # works in the unit, may not fill the file
        archive.add_document(shelf.actor("uncleared"), shelf.reports, docs[1])
    with pytest.raises(PermissionDenied):  # heads another unit
        archive.add_document(shelf.actor("other_head"), shelf.reports, docs[1])


@pytest.mark.django_db
def test_a_document_the_filer_may_not_see_cannot_be_filed(shelf: Shelf) -> None:
    desk = shelf.desk
    unseen = incoming.register_incoming(desk.actor(desk.office.clerk), register_sample(desk, number_symbol="9/UBND-VX"))
    with pytest.raises(PermissionDenied):
        archive.add_document(shelf.actor("handler"), shelf.reports, unseen)
    assert not FileItem.objects.filter(document=unseen).exists()


@pytest.mark.django_db
def test_taking_a_document_out_moves_the_later_ones_up_without_gaps(shelf: Shelf) -> None:
    desk, handler = shelf.desk, shelf.actor("handler")
    docs = [handled_document(desk, f"{n}/BC-SNV", pages=1, dated=datetime.date(YEAR, 1, n)) for n in (1, 2, 3, 4)]
    items = [archive.add_document(handler, shelf.reports, d) for d in docs]
    archive.remove_document(handler, items[1])
    order = list(
        FileItem.objects.filter(archive_file=shelf.reports).order_by("ordinal").values_list("ordinal", "document_id")
    )
    assert order == [(1, docs[0].pk), (2, docs[2].pk), (3, docs[3].pk)]
    assert archive.add_document(handler, shelf.reports, docs[1]).ordinal == 4
    with pytest.raises(ValidationError, match="already been taken out"):
        archive.remove_document(handler, items[1])
    assert AuditEntry.objects.filter(action="documents.archive_file.unfile").count() == 1


# --- closing and hand-over -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_computes_dates_totals_and_the_hand_over_day(shelf: Shelf) -> None:
    desk, handler = shelf.desk, shelf.actor("handler")
    with pytest.raises(ValidationError, match="empty file"):
        archive.close_file(handler, shelf.reports)
    for n, (pages, day) in enumerate([(3, datetime.date(YEAR, 5, 4)), (12, datetime.date(YEAR, 1, 15)),
                                      (2, datetime.date(YEAR, 9, 30))], start=1):  # fmt: skip
        archive.add_document(handler, shelf.reports, handled_document(desk, f"{n}/BC-UBND", pages=pages, dated=day))
    closed = archive.close_file(handler, shelf.reports)
    today = timezone.localdate()
    assert (closed.state, closed.doc_total, closed.page_total) == (FileState.CLOSED, 3, 17)
    assert (closed.start_date, closed.end_date) == (datetime.date(YEAR, 1, 15), datetime.date(YEAR, 9, 30))
    assert closed.closed_on == today and closed.handover_due == rules.handover_due(today)
    with pytest.raises(ValidationError, match="only an open file can be closed"):
        archive.close_file(handler, closed)
    late = handled_document(desk, "99/BC-UBND", pages=1, dated=today)
    with pytest.raises(ValidationError, match="go only into open files"):
        archive.add_document(handler, closed, late)


@pytest.mark.django_db
def test_the_clerk_records_the_hand_over_of_long_kept_files_only(shelf: Shelf) -> None:
    desk, handler, clerk = shelf.desk, shelf.actor("handler"), shelf.actor("clerk")
    archive.add_document(
        handler, shelf.reports, handled_document(desk, "1/BC-SNV", pages=2, dated=datetime.date(YEAR, 2, 1))
    )
    closed = archive.close_file(handler, shelf.reports)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        archive.hand_over(handler, closed, on=today, record="05/BB-VPTU")
    with pytest.raises(ValidationError) as caught:
        archive.hand_over(clerk, closed, on=today + datetime.timedelta(days=1), record=" ")
    assert set(caught.value.message_dict) == {"on", "record"}
    done = archive.hand_over(clerk, closed, on=today, record="05/BB-VPTU")
    assert (done.state, done.handed_over_on, done.handover_record) == (FileState.HANDED_OVER, today, "05/BB-VPTU")
    assert done.handed_over_by == desk.office.clerk.person
    with pytest.raises(ValidationError, match="only a closed file"):
        archive.hand_over(clerk, done, on=today, record="06/BB-VPTU")

    archive.open_file(handler, shelf.invitations)
    archive.add_document(handler, shelf.invitations, handled_document(desk, "2/GM-SNV", pages=1, dated=today))
    short = archive.close_file(handler, shelf.invitations)
    assert short.handover_due is None
    with pytest.raises(ValidationError, match="stay with the unit"):
        archive.hand_over(clerk, short, on=today, record="07/BB-VPTU")


@pytest.mark.django_db
def test_reminders_come_thirty_days_before_the_day_and_stay_until_the_hand_over(shelf: Shelf) -> None:
    desk, handler = shelf.desk, shelf.actor("handler")
    archive.add_document(
        handler, shelf.reports, handled_document(desk, "1/BC-SNV", pages=2, dated=datetime.date(YEAR, 2, 1))
    )
    closed = archive.close_file(handler, shelf.reports)
    assert closed.handover_due is not None
    due = closed.handover_due

    def reminded(account: object, today: datetime.date) -> list[int]:
        return list(access.files_due_for_hand_over(account, today=today).values_list("pk", flat=True))

    clerk, specialist = desk.office.clerk, desk.handler
    assert reminded(clerk, due - datetime.timedelta(days=31)) == []
    assert reminded(clerk, due - datetime.timedelta(days=30)) == [closed.pk]
    assert reminded(specialist, due + datetime.timedelta(days=40)) == [closed.pk]  # overdue
    assert reminded(desk.head, due) == [closed.pk]
    assert reminded(desk.other_head, due) == [] and reminded(desk.office.specialist, due) == []
    assert rules.handover_state(due, due + datetime.timedelta(days=1)) == rules.HandoverState.OVERDUE
    archive.hand_over(shelf.actor("clerk"), closed, on=timezone.localdate(), record="05/BB-VPTU")
    assert reminded(clerk, due + datetime.timedelta(days=40)) == []


# --- no leaks --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_secret_document_in_a_file_stays_hidden_from_those_who_may_not_see_it(shelf: Shelf) -> None:
    desk = shelf.desk
    open_doc = handled_document(desk, "1/BC-SNV", pages=2, dated=datetime.date(YEAR, 2, 1))
    secret = handled_document(
        desk, "3/BC-CA", pages=5, dated=datetime.date(YEAR, 2, 3), secrecy=Secrecy.MAT,
        abstract="Báo cáo tình hình an ninh chính trị nội bộ quý I",
    )  # fmt: skip
    archive.add_document(shelf.actor("handler"), shelf.reports, open_doc)
    archive.add_document(shelf.actor("head"), shelf.reports, secret)  # the head handles it for the unit

    def seen(account: object) -> list[int]:
        return [i.document_id for i in access.file_items_visible_to(account, shelf.reports)]

    assert seen(desk.head) == [open_doc.pk, secret.pk]
    assert seen(desk.office.clerk) == [open_doc.pk, secret.pk]  # văn thư of the register, cleared for Mật
    assert seen(desk.handler) == [open_doc.pk]  # the file's own handler has no part in the secret one
    assert seen(desk.office.uncleared) == [open_doc.pk]
    assert access.archive_files_visible_to(desk.office.specialist).filter(pk=shelf.reports.pk).count() == 0


# --- concurrency ------------------------------------------------------------------------------------------------


@dataclass
class Room:
    """A minimal office (no seeded data needed, so no serialized rollback): a văn thư who also keeps
    the file of her unit, and eight registered documents."""

    clerk: Actor
    archive_file: ArchiveFile
    documents: list[Document]


@pytest.fixture
def room(transactional_db: None) -> Room:
    body = make_org("Văn phòng Tỉnh ủy Sơn Hà", "VPTU", kind=OrgKind.PARTY_ADVISORY)
    unit: Organization = make_org("Phòng Tổng hợp", "PTH", kind=OrgKind.INTERNAL_UNIT, parent=body)
    clerk_account = make_account(make_person("Hoàng Thị Lan", unit), "vanthu")
    chief_account = make_account(make_person("Trần Văn Bình", body), "chanhvp")
    roles.grant_role(SYSTEM, clerk_account.person, body, Role.CLERK)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, chief_account.person, body, Role.LEADER)  # type: ignore[arg-type]
    register = Register.objects.create(
        organization=body, direction=Direction.INCOMING, name="Sổ văn bản đến", system=DocumentSystem.PARTY
    )
    clerk = Actor(account=clerk_account, source="web")
    documents = [
        incoming.register_incoming(
            clerk,
            incoming.IncomingData(
                register=register,
                abstract=f"Báo cáo công tác tháng {n}",
                sender_name="Sở Nội vụ",
                number_symbol=f"{n}/BC-SNV",
                pages=2,
            ),
        )
        for n in range(1, 9)
    ]
    file_list = archive.create_file_list(clerk, body, YEAR)
    data = archive.FileData(title="Báo cáo tháng năm " + str(YEAR), unit=unit, retention_years=10,
                            handler=clerk_account.person)  # fmt: skip
    archive_file = archive.add_file(clerk, file_list, data)
    archive.approve_file_list(Actor(account=chief_account, source="web"), file_list)
    return Room(clerk, archive.open_file(clerk, archive_file), documents)


def _filing(room: Room, document: Document) -> Callable[[], object]:
    return lambda: archive.add_document(room.clerk, room.archive_file, document).ordinal


@pytest.mark.django_db(transaction=True)
def test_eight_documents_filed_at_once_get_places_one_to_eight(room: Room) -> None:
    won, lost = race(*(_filing(room, d) for d in room.documents))
    assert not lost
    assert sorted(won) == list(range(1, 9))  # type: ignore[type-var]
    assert sorted(FileItem.objects.filter(archive_file=room.archive_file).values_list("ordinal", flat=True)) == list(
        range(1, 9)
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_document_filed_twice_at_once_is_filed_once(room: Room) -> None:
    won, lost = race(*(_filing(room, room.documents[0]) for _ in range(4)))
    assert won == [1] and len(lost) == 3
    assert FileItem.objects.filter(archive_file=room.archive_file).count() == 1
