"""Who may see and do what with meetings. Built on ``core.policy``; pages, API and jobs ask here.

* Organisers: the clerks (văn thư), specialists and leaders (leader, deputy) over the meeting's
  body, i.e. holding one of those roles on the body or on an organisation above it. They create
  meetings, book rooms, invite, attach documents, check people in and draft the invitation.
* Anyone active in the system may be invited, from any organisation tree (a provincial People's
  Committee meeting invites department directors and district chairs); presiding and secretary come
  from the body's own tree (``access.invitable_people``, ``access.people_for``).
* A meeting is seen by its organisers, the body's leaders, the presiding person, the secretary and
  every participant with an account. Nobody else learns it exists (404).
* The secretary checks people in with the organisers, and records the minutes and conclusions with
  the presiding person and the organisers. Turning conclusions into tasks is the presiding person's
  or a leader's act.
* Documents attached to a meeting are read through it by whoever sees the meeting, even where the
  documents' own rules would not show them, except secret ones (Mật and above): those only to people
  whose clearance reaches the level and who take part in the meeting (or see the document anyway).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Role
from vanphong.core.policy import ALLOW, DENY, Decision
from vanphong.meetings.models import Meeting, MeetingState, Participant

ORGANISER_ROLES = (Role.CLERK, Role.SPECIALIST, Role.LEADER, Role.DEPUTY)
LEADER_ROLES = (Role.LEADER, Role.DEPUTY)
OPEN_STATES = (MeetingState.DRAFT, MeetingState.CONVENED)


def person_id(account: Any) -> int | None:
    if not core_policy.is_signed_in(account):
        return None
    return int(account.person_id) if account.person_id is not None else None


def organiser_paths(account: Any) -> list[str]:
    return [h.path for h in core_policy.held_roles(account) if h.role in ORGANISER_ROLES]


def can_organise(account: Any, body: Organization) -> Decision:
    """Create and run meetings of ``body``, manage its rooms."""
    if not core_policy.is_signed_in(account):
        return DENY
    return core_policy.has_role(account, ORGANISER_ROLES, body)


def leads(account: Any, body: Organization) -> Decision:
    return core_policy.has_role(account, LEADER_ROLES, body)


def visible_q(account: Any) -> Q:
    """Meetings ``account`` may see (see the module docstring), as one filter without joins."""
    person = person_id(account)
    if person is None:
        return Q(pk__in=[])
    mine = Participant.objects.filter(person_id=person).order_by().values("meeting_id")
    query = Q(presiding_id=person) | Q(secretary_id=person) | Q(pk__in=mine)
    paths = organiser_paths(account)
    if paths:
        query |= core_policy.paths_q(paths, "body__")
    return query


def participant_of(account: Any, meeting: Meeting) -> Participant | None:
    person = person_id(account)
    if person is None:
        return None
    return meeting.participants.filter(person_id=person).first()


def takes_part(account: Any, meeting: Meeting) -> bool:
    person = person_id(account)
    if person is None:
        return False
    if person in (meeting.presiding_id, meeting.secretary_id):
        return True
    return meeting.participants.filter(person_id=person).exists()


def can_edit(account: Any, meeting: Meeting) -> Decision:
    """Change the meeting, its agenda, participants, room and documents (while not held or cancelled)."""
    if meeting.state not in OPEN_STATES:
        return DENY
    return can_organise(account, meeting.body)


def can_convene(account: Any, meeting: Meeting) -> Decision:
    return can_organise(account, meeting.body)


def is_secretary(account: Any, meeting: Meeting) -> bool:
    person = person_id(account)
    return person is not None and person == meeting.secretary_id


def can_check_in(account: Any, meeting: Meeting) -> Decision:
    """Check people in at the door: the secretary and the organisers, once the meeting is convened."""
    if meeting.state not in (MeetingState.CONVENED, MeetingState.HELD):
        return DENY
    if is_secretary(account, meeting):
        return ALLOW
    return can_organise(account, meeting.body)


def can_record(account: Any, meeting: Meeting) -> Decision:
    """Record the minutes and the conclusions: the secretary, the presiding person, the organisers."""
    if meeting.state == MeetingState.CANCELLED:
        return DENY
    person = person_id(account)
    if person is not None and person in (meeting.secretary_id, meeting.presiding_id):
        return ALLOW
    return can_organise(account, meeting.body)


def can_assign_tasks(account: Any, meeting: Meeting) -> Decision:
    """Turn conclusions into tasks: the presiding person or a leader of the body."""
    if meeting.state == MeetingState.CANCELLED:
        return DENY
    person = person_id(account)
    if person is not None and person == meeting.presiding_id:
        return ALLOW
    return leads(account, meeting.body)


def can_respond(account: Any, participant: Participant) -> Decision:
    """Answer an invitation: the person invited, or an organiser recording an answer given by phone."""
    if participant.meeting.state not in OPEN_STATES:
        return DENY
    person = person_id(account)
    if person is not None and person == participant.person_id:
        return ALLOW
    return can_organise(account, participant.meeting.body)


def may_read_secret(account: Any, meeting: Meeting, secrecy: int, *, sees_document: bool) -> bool:
    """A secret meeting document: clearance reaching the level, and taking part (or seeing it anyway)."""
    if not core_policy.is_signed_in(account) or account.person is None:
        return False
    if account.person.clearance < secrecy:
        return False
    return sees_document or takes_part(account, meeting)


def can_book(account: Any, room: Any) -> Decision:
    """Book a room: organisers of its body, or of a body or unit below it that uses the room."""
    if not room.active or not core_policy.is_signed_in(account):
        return DENY
    decision = can_organise(account, room.body)
    if decision:
        return decision
    below = [
        h for h in core_policy.held_roles(account) if h.role in ORGANISER_ROLES and h.path.startswith(room.body.path)
    ]
    if not below:
        return DENY
    own = [h for h in below if h.delegator is None]
    return ALLOW if own else Decision(True, below[0].delegator)


def can_cancel_booking(account: Any, booking: Any) -> Decision:
    """Cancel a booking: whoever booked it, or an organiser of the room's body."""
    if core_policy.is_signed_in(account) and booking.booked_by_id == account.pk:
        return ALLOW
    return can_organise(account, booking.room.body)
