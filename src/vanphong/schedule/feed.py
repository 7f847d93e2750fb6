"""A person's calendar feed (iCalendar, RFC 5545) of the published weeks they preside or attend.

Each event keeps its UID across revisions (``<event uid>@vanphong``) and carries SEQUENCE = the
revision number that last changed it, so calendar programs replace the entry when a revision moves it
(RFC 5545 3.8.7.4: a higher SEQUENCE supersedes). An event the person was in that a later revision
removed, or took the person off, stays in the feed as STATUS:CANCELLED with the cancelling revision's
number, so a subscribed calendar marks its copy cancelled instead of keeping it or dropping it
silently (``published.feed_of_person``). Served at a secret address per account (the
token's SHA-256 is stored; ``services.issue_feed_token``), for programs that cannot sign in.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Account
from vanphong.schedule import published
from vanphong.schedule.models import FeedToken
from vanphong.schedule.services import digest

WEEKS_BACK = 8  # how far back and ahead a feed reaches: calendar programs keep what they fetched before
WEEKS_AHEAD = 12
DEFAULT_LENGTH = datetime.timedelta(hours=1)  # an event without an end time
LABELS = (_("Presiding: {value}"), _("Attending: {value}"), _("Preparing unit: {value}"))


def account_for_token(token: str) -> Account | None:
    found = FeedToken.objects.filter(digest=digest(token)).select_related("account__person").first()
    if found is None or not found.account.is_active or found.account.person_id is None:
        return None
    return found.account


def calendar_for(account: Account, *, today: datetime.date | None = None) -> bytes:
    import icalendar

    zone = ZoneInfo(settings.TIME_ZONE)
    today = today or timezone.localdate()
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Vanphong//Lich cong tac tuan//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", account.person.full_name if account.person else account.username)
    since, until = today - datetime.timedelta(weeks=WEEKS_BACK), today + datetime.timedelta(weeks=WEEKS_AHEAD)
    for item in published.feed_of_person(account.person_id, since=since, until=until):  # type: ignore[arg-type]
        event = item.event
        day = datetime.date.fromisoformat(event["day"])
        start = datetime.datetime.combine(day, datetime.time.fromisoformat(event["start"]), zone)
        end = (
            datetime.datetime.combine(day, datetime.time.fromisoformat(event["end"]), zone)
            if event.get("end")
            else start + DEFAULT_LENGTH
        )
        entry = icalendar.Event()
        entry.add("uid", f"{event['uid']}@vanphong")
        entry.add("sequence", item.sequence)
        entry.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        entry.add("dtstamp", stamp)
        # In UTC, so the feed needs no VTIMEZONE (building one cost a fifth of a large feed's time).
        entry.add("dtstart", start.astimezone(datetime.UTC))
        entry.add("dtend", end.astimezone(datetime.UTC))
        entry.add("summary", event["content"])
        if event.get("place"):
            entry.add("location", event["place"])
        row = published.Row(event)
        lines = [item.schedule.title]
        with translation.override(account.language or settings.LANGUAGE_CODE):
            for label, value in (
                (LABELS[0], row.presiding),
                (LABELS[1], row.attending),
                (LABELS[2], row.preparing_unit),
            ):
                if value:
                    lines.append(str(label).format(value=value))
        entry.add("description", "\n".join(lines))
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
