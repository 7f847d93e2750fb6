"""What people read for the audit actions the meetings module records (``meetings.*``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "meetings.room.create": _("Meeting room added"),
    "meetings.room.update": _("Meeting room changed"),
    "meetings.room.book": _("Room booked"),
    "meetings.room.release": _("Room booking cancelled"),
    "meetings.meeting.create": _("Meeting created"),
    "meetings.meeting.update": _("Meeting changed"),
    "meetings.meeting.convene": _("Meeting convened, invitations sent"),
    "meetings.meeting.held": _("Meeting marked as held"),
    "meetings.meeting.cancel": _("Meeting cancelled"),
    "meetings.agenda.add": _("Agenda item added"),
    "meetings.agenda.remove": _("Agenda item removed"),
    "meetings.point.add": _("Connected point added"),
    "meetings.participant.add": _("Participant invited"),
    "meetings.participant.remove": _("Participant taken off the list"),
    "meetings.participant.respond": _("Answer to a meeting invitation recorded"),
    "meetings.participant.check_in": _("Checked in at the meeting"),
    "meetings.participant.undo_check_in": _("Meeting check-in taken back"),
    "meetings.document.attach": _("Document attached to a meeting"),
    "meetings.document.detach": _("Document taken off a meeting"),
    "meetings.document.secret_view": _("Secret meeting document viewed"),
    "meetings.document.secret_download": _("Secret meeting document downloaded"),
    "meetings.minutes.record": _("Meeting minutes recorded"),
    "meetings.invitation.draft": _("Meeting invitation drafted"),
    "meetings.conclusion_notice.draft": _("Conclusion notice drafted"),
    "meetings.conclusion.add": _("Meeting conclusion recorded"),
    "meetings.conclusion.remove": _("Meeting conclusion removed"),
    "meetings.conclusion.tasks": _("Tasks assigned from meeting conclusions"),
}


def register() -> None:
    """Add the meetings' labels to the ones core shows on history pages."""
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
