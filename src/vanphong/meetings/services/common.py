"""Helpers the meetings services share: the acting person, permission checks, notices to participants."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from vanphong.core.models import Account
from vanphong.core.services.actors import (  # noqa: F401  (the app's services import them from here)
    account_of,
    person_of,
    require,
)
from vanphong.meetings.models import Meeting


def local(moment: Any) -> Any:
    return timezone.localtime(moment)


def when(meeting: Meeting) -> str:
    """ "08:00 03/12/2026" in the installation's time zone, for notices and titles."""
    return f"{local(meeting.starts_at):%H:%M %d/%m/%Y}"


def participant_accounts(meeting: Meeting) -> list[Account]:
    """Accounts of everyone taking part: participants with an account, the presiding person, the secretary."""
    person_ids = set(meeting.participants.filter(person__isnull=False).values_list("person_id", flat=True))
    person_ids.update(pid for pid in (meeting.presiding_id, meeting.secretary_id) if pid is not None)
    return list(Account.objects.filter(person_id__in=person_ids, is_active=True))


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])
