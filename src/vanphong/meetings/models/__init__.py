"""Meetings models, one module per concern; import them from here."""

from vanphong.meetings.models.meetings import (
    AgendaItem,
    Conclusion,
    ConnectedPoint,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Participant,
    ParticipantRole,
    Response,
)
from vanphong.meetings.models.rooms import Room, RoomBooking

__all__ = [
    "AgendaItem",
    "Conclusion",
    "ConnectedPoint",
    "Meeting",
    "MeetingDocument",
    "MeetingKind",
    "MeetingState",
    "Participant",
    "ParticipantRole",
    "Response",
    "Room",
    "RoomBooking",
]
