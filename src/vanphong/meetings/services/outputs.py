"""What a meeting produces as documents: the invitation (giấy mời, type GM) and the conclusion notice
(thông báo kết luận, type TB), each an outgoing draft made by ``documents.services.outgoing.create_draft``
and linked on the meeting; the draft then follows the normal review, signing and issue flow.

The text is written in the installation's language (the document is official, not a page), from the
meeting's time, place, agenda and composition, or from its conclusions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person, PositionHolding
from vanphong.documents import access as documents_access
from vanphong.documents import policy as documents_policy
from vanphong.documents.models import Channel, Document, DocumentType, Register
from vanphong.documents.services import outgoing
from vanphong.meetings import policy
from vanphong.meetings.models import Meeting, MeetingState, ParticipantRole, RoomBooking
from vanphong.meetings.services.common import local, person_of, require

INVITATION_TYPE = "GM"
NOTICE_TYPE = "TB"


def drafting_choice(user: Any, meeting: Meeting, code: str) -> tuple[Register, DocumentType]:
    """The register to draft in, among the outgoing registers the person may draft in: the meeting's
    body's own first, then its office's (a body below it, e.g. Văn phòng Tỉnh ủy for Tỉnh ủy), then a
    body above it; the first whose system has a type with abbreviation ``code``."""
    body_path = meeting.body.path
    ancestors = documents_policy.ancestor_paths(body_path)
    registers = documents_access.registers_for_drafting(user).filter(
        Q(organization__path__in=ancestors) | Q(organization__path__startswith=body_path), secret=False
    )

    def closeness(register: Register) -> tuple[int, int, int]:
        path = register.organization.path
        place = 0 if path == body_path else (1 if path.startswith(body_path) else 2)
        return place, abs(len(path) - len(body_path)), register.pk

    for register in sorted(registers, key=closeness):
        found = DocumentType.objects.filter(system=register.system, abbreviation=code).first()
        if found is not None:
            return register, found
    raise ValidationError(
        _("No outgoing register of {body} that you may draft in has the document type “{code}”.").format(
            body=meeting.body, code=code
        ),
        code="no_register",
    )


def position_of(person: Person, body: Organization) -> str:
    today = timezone.localdate()
    holding = (
        PositionHolding.objects.filter(person=person, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("position")
        .order_by("position__rank")
        .first()
    )
    return holding.position.name if holding else ""


def recipients_of(meeting: Meeting) -> list[outgoing.RecipientData]:
    """The units and bodies of those invited, once each, in the order they were invited; not the meeting's
    own body, nor the presiding person's and the secretary's (they send the invitation)."""
    seen: set[int] = {meeting.body_id}
    found: list[outgoing.RecipientData] = []
    participants = (
        meeting.participants.exclude(role__in=(ParticipantRole.PRESIDING, ParticipantRole.SECRETARY))
        .select_related("organization", "person__organization")
        .order_by("pk")
    )
    for participant in participants:
        org = participant.organization or (participant.person.organization if participant.person else None)
        if org is None:
            if participant.organization_name and participant.organization_name not in {r.name for r in found}:
                found.append(outgoing.RecipientData(name=participant.organization_name, channel=Channel.PAPER))
            continue
        if org.pk in seen:
            continue
        seen.add(org.pk)
        channel = Channel.INTERNAL if org.is_internal_unit else Channel.EDXML
        found.append(outgoing.RecipientData(name=org.full_name, organization=org, channel=channel))
    return found


def _place(meeting: Meeting) -> str:
    booking = meeting.bookings.filter(cancelled_at__isnull=True).select_related("room").first()
    if isinstance(booking, RoomBooking):
        room = booking.room
        parts = [room.name, room.building, room.floor and _("floor {floor}").format(floor=room.floor)]
        return ", ".join(p for p in parts if p)
    return meeting.place


def composition_of(meeting: Meeting) -> list[str]:
    lines = []
    for participant in meeting.participants.select_related("person", "organization").order_by("pk"):
        label = participant.display_name
        extra = ", ".join(p for p in (participant.title, participant.organisation_label) if p)
        lines.append(f"{label} ({extra})" if extra else label)
    return lines


def invitation_text(meeting: Meeting) -> str:
    start, end = local(meeting.starts_at), local(meeting.ends_at)
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "meetings/documents/invitation.txt",
            {
                "meeting": meeting,
                "composition": composition_of(meeting),
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
                "day": f"{start:%d/%m/%Y}",
                "place": _place(meeting),
                "points": list(meeting.connected_points.all()),
                "presiding": meeting.presiding.full_name if meeting.presiding else "",
                "agenda": list(meeting.agenda_items.all()),
            },
        )


def _draft(actor: Actor, meeting: Meeting, code: str, abstract: str, content: str, signer: Person | None) -> Document:
    register, document_type = drafting_choice(actor.account, meeting, code)
    signer = signer or meeting.presiding
    if signer is None:
        raise ValidationError({"signer": [_("Choose who signs, or set the presiding person first.")]})
    author = person_of(actor)
    drafting_unit = meeting.preparing_unit or (author.organization if author else None) or meeting.body
    data = outgoing.DraftData(
        register=register,
        document_type=document_type,
        abstract=abstract,
        content=content,
        signer=signer,
        signer_position=position_of(signer, meeting.body),
        drafting_unit=drafting_unit,
        recipients=recipients_of(meeting),
    )
    return outgoing.create_draft(actor, data)


def draft_invitation(actor: Actor, meeting: Meeting, *, signer: Person | None = None) -> Document:
    """Make the invitation (giấy mời) an outgoing draft of type GM, linked on the meeting."""
    actor = require(policy.can_edit(actor.account, meeting), actor)
    if meeting.invitation_id is not None:
        raise ValidationError(_("The meeting already has its invitation; open it to change the draft."))
    with translation.override(settings.LANGUAGE_CODE):
        abstract = _("Invitation to attend {title}").format(title=meeting.title)
    with transaction.atomic():
        document = _draft(actor, meeting, INVITATION_TYPE, abstract, invitation_text(meeting), signer)
        if not Meeting.objects.filter(pk=meeting.pk, invitation__isnull=True).update(invitation=document):
            raise ValidationError(_("The meeting already has its invitation; open it to change the draft."))
        audit.record(actor, "meetings.invitation.draft", meeting, after={"document": document.pk})
    meeting.invitation = document
    return document


def _deadline_text(conclusion: Any) -> str:
    if conclusion.deadline:
        return f"{conclusion.deadline:%d/%m/%Y}"
    if conclusion.deadline_days:
        if conclusion.deadline_unit == "calendar":
            return _("{days} days").format(days=conclusion.deadline_days)
        return _("{days} working days").format(days=conclusion.deadline_days)
    return ""


def notice_text(meeting: Meeting) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        conclusions = [
            {
                "order": c.order,
                "text": c.text,
                "units": ", ".join(u.full_name for u in c.lead_units.all()),
                "deadline_text": _deadline_text(c),
            }
            for c in meeting.conclusions.prefetch_related("lead_units")
        ]
        return render_to_string(
            "meetings/documents/conclusion_notice.txt",
            {
                "meeting": meeting,
                "day": f"{local(meeting.starts_at):%d/%m/%Y}",
                "presiding": meeting.presiding.full_name if meeting.presiding else "",
                "conclusions": conclusions,
            },
        )


def draft_conclusion_notice(actor: Actor, meeting: Meeting, *, signer: Person | None = None) -> Document:
    """Make the conclusion notice (thông báo kết luận) an outgoing draft of type TB, linked on the meeting."""
    actor = require(policy.can_record(actor.account, meeting), actor)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("The conclusion notice follows the meeting: mark it held first."))
    if not meeting.conclusions.exists():
        raise ValidationError(_("Record the conclusions first."))
    if meeting.conclusion_notice_id is not None:
        raise ValidationError(_("The meeting already has its conclusion notice."))
    with translation.override(settings.LANGUAGE_CODE):
        abstract = _("Conclusions of {title}").format(title=meeting.title)
    with transaction.atomic():
        document = _draft(actor, meeting, NOTICE_TYPE, abstract, notice_text(meeting), signer)
        if not Meeting.objects.filter(pk=meeting.pk, conclusion_notice__isnull=True).update(conclusion_notice=document):
            raise ValidationError(_("The meeting already has its conclusion notice."))
        audit.record(actor, "meetings.conclusion_notice.draft", meeting, after={"document": document.pk})
    meeting.conclusion_notice = document
    return document


__all__ = ["draft_conclusion_notice", "draft_invitation"]
