"""Reads with permission: every page, endpoint and job fetches meetings, rooms and meeting documents here.

``access_meeting`` returns the meeting or raises Http404 when the person may not see it; write checks
raise PermissionDenied. Every view and download of a secret meeting document is audited here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from vanphong.core import audit
from vanphong.core import policy as core_policy
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, OrgKind, Person
from vanphong.core.policy import Decision
from vanphong.documents import access as documents_access
from vanphong.documents import policy as documents_policy
from vanphong.documents.models import Document, DocumentFile, Secrecy
from vanphong.meetings import policy
from vanphong.meetings.models import (
    Conclusion,
    Meeting,
    MeetingDocument,
    MeetingState,
    Participant,
    Response,
    Room,
    RoomBooking,
)


def require(decision: Decision | bool) -> None:
    if not decision:
        raise PermissionDenied


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(policy.visible_q(user))


def access_meeting(user: Any, pk: int) -> Meeting:
    meeting = (
        meetings_visible_to(user)
        .select_related("body", "presiding", "secretary", "preparing_unit", "invitation", "conclusion_notice")
        .prefetch_related(Prefetch("bookings", queryset=RoomBooking.objects.select_related("room")))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def access_participant(user: Any, meeting: Meeting, pk: int) -> Participant:
    found = meeting.participants.select_related("person", "organization", "meeting__body").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_conclusion(meeting: Meeting, pk: int) -> Conclusion:
    found = meeting.conclusions.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def bodies_organised_by(user: Any) -> QuerySet[Organization]:
    """Bodies (not internal units) the person may organise meetings for."""
    paths = policy.organiser_paths(user)
    if not paths:
        return Organization.objects.none()
    return (
        Organization.objects.active()
        .filter(core_policy.paths_q(paths, ""))
        .exclude(kind=OrgKind.INTERNAL_UNIT)
        .order_by("path")
    )


def organisations_for(meeting_body: Organization) -> QuerySet[Organization]:
    """Units and bodies of the tree the meeting's body belongs to (lead units, participants' bodies)."""
    root = meeting_body.ancestor_ids()[0]
    return Organization.objects.active().filter(path__startswith=f"/{root}/").order_by("path")


def people_for(meeting_body: Organization) -> QuerySet[Person]:
    """Who may preside or take the minutes: the active people of the body's own tree."""
    root = meeting_body.ancestor_ids()[0]
    return Person.objects.filter(is_active=True, organization__path__startswith=f"/{root}/").in_vietnamese_order()


def invitable_people(meeting_body: Organization) -> QuerySet[Person]:
    """Who may be invited: any active person in the system. A provincial People's Committee meeting invites
    directors of departments and district chairs from other trees; the people of the body's own tree come
    first. Secret meeting documents stay gated by clearance (``policy.may_read_secret``)."""
    root = meeting_body.ancestor_ids()[0]
    own_tree = Case(When(organization__path__startswith=f"/{root}/", then=Value(0)), default=Value(1))
    return (
        Person.objects.filter(is_active=True)
        .select_related("organization")
        .annotate(own_tree=own_tree)
        .order_by("own_tree", "sort_key", "id")
    )


def my_invitations(user: Any) -> QuerySet[Participant]:
    """The person's participations in meetings still to come and not cancelled, awaiting answer first."""
    person = policy.person_id(user)
    if person is None:
        return Participant.objects.none()
    return (
        Participant.objects.filter(person_id=person, meeting__state__in=policy.OPEN_STATES)
        .exclude(meeting__state=MeetingState.DRAFT)
        .select_related("meeting__body")
        .order_by("meeting__starts_at", "pk")
    )


def pending_invitations(user: Any) -> QuerySet[Participant]:
    return my_invitations(user).filter(response=Response.PENDING)


# --- rooms ----------------------------------------------------------------------------------------------


def rooms_visible_to(user: Any) -> QuerySet[Room]:
    """Rooms of the bodies the person organises meetings for (or above: a unit books its body's rooms)."""
    paths = policy.organiser_paths(user)
    if not paths:
        return Room.objects.none()
    ancestors: set[str] = set()
    for path in paths:
        ancestors.update(documents_policy.ancestor_paths(path))
    return Room.objects.filter(core_policy.paths_q(paths, "body__") | Q(body__path__in=ancestors)).select_related(
        "body"
    )


def access_room(user: Any, pk: int) -> Room:
    room = rooms_visible_to(user).filter(pk=pk).first()
    if room is None:
        raise Http404
    return room


def access_booking(user: Any, pk: int) -> RoomBooking:
    booking = RoomBooking.objects.select_related("room__body", "meeting").filter(pk=pk).first()
    if booking is None or not rooms_visible_to(user).filter(pk=booking.room_id).exists():
        raise Http404
    return booking


# --- meeting documents ----------------------------------------------------------------------------------


def _may_read(user: Any, meeting: Meeting, document: Document, visible_ids: set[int]) -> bool:
    if document.secrecy == Secrecy.NONE:
        return True
    if documents_policy.secret_mode() == "off":
        return False
    return policy.may_read_secret(user, meeting, document.secrecy, sees_document=document.pk in visible_ids)


def meeting_documents(user: Any, meeting: Meeting) -> list[MeetingDocument]:
    """The meeting's documents the person may read (secret ones only when cleared, see policy)."""
    items = list(
        meeting.documents.select_related("document__document_type", "agenda_item").prefetch_related(
            Prefetch("document__files", queryset=DocumentFile.objects.select_related("stored"))
        )
    )
    secret_ids = [item.document_id for item in items if item.document.secrecy > Secrecy.NONE]
    visible = (
        set(documents_access.documents_visible_to(user).filter(pk__in=secret_ids).values_list("pk", flat=True))
        if secret_ids
        else set()
    )
    return [item for item in items if _may_read(user, meeting, item.document, visible)]


def access_meeting_document(user: Any, meeting: Meeting, pk: int, *, actor: Actor | None = None) -> MeetingDocument:
    """One document of the meeting; 404 when the person may not read it. A secret one's view is audited."""
    item = meeting.documents.select_related("document__document_type").filter(pk=pk).first()
    if item is None:
        raise Http404
    document = item.document
    visible: set[int] = set()
    if document.secrecy > Secrecy.NONE and documents_access.documents_visible_to(user).filter(pk=document.pk).exists():
        visible = {document.pk}
    if not _may_read(user, meeting, document, visible):
        raise Http404
    if document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(
                actor, "meetings.document.secret_view", item, after={"document": document.pk, "meeting": meeting.pk}
            )
    return item


def access_meeting_file(
    user: Any, meeting: Meeting, item_pk: int, file_pk: int, *, actor: Actor | None = None
) -> DocumentFile:
    item = access_meeting_document(user, meeting, item_pk)
    found = DocumentFile.objects.select_related("stored", "document").filter(document=item.document, pk=file_pk).first()
    if found is None:
        raise Http404
    if not documents_policy.can_open_files(user, item.document):
        raise PermissionDenied
    if item.document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(
                actor,
                "meetings.document.secret_download",
                item,
                after={"document": item.document_id, "file": found.name, "meeting": meeting.pk},
            )
    return found


def attachable_document(user: Any, pk: int) -> Document:
    """A document the organiser may attach: one they can see in the registry."""
    document = documents_access.documents_visible_to(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document
