"""Every write about notices: creating them, marking them read, sending the e-mail digest."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vanphong.core.models import Account
from vanphong.notices.models import Notification

log = logging.getLogger(__name__)


def _language_of(account: Account) -> str:
    return account.language or settings.LANGUAGE_CODE


def notify(
    recipients: Iterable[Account | None],
    *,
    kind: str,
    subject: Any,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    key: str = "",
) -> int:
    """Tell each recipient something; returns how many notices were created.

    ``subject`` is a lazy translation with named placeholders, rendered in each recipient's own
    language. Call it inside the service's transaction: the notices commit (or roll back) with the act
    they report. With a ``key``, a recipient who already has that key gets nothing new. Inactive
    accounts and duplicates in ``recipients`` are skipped.
    """
    now = timezone.now()
    unique = {account.pk: account for account in recipients if account is not None and account.is_active}
    if not unique:
        return 0
    if key:
        have = set(Notification.objects.filter(recipient_id__in=unique, key=key).values_list("recipient_id", flat=True))
        unique = {pk: account for pk, account in unique.items() if pk not in have}
    created = 0
    for account in unique.values():
        with translation.override(_language_of(account)):
            text = str(subject).format(**(params or {}))
        notice = Notification(recipient=account, kind=kind, subject=text, url=url, key=key, created_at=now)
        if key:
            try:
                with transaction.atomic():  # a savepoint: a concurrent run's notice wins, ours is dropped
                    notice.save()
            except IntegrityError:
                continue
        else:
            notice.save()
        created += 1
    return created


def mark_read(account: Account, notice_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the account's unread notices read; returns how many."""
    unread = Notification.objects.filter(recipient=account, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    return unread.update(read_at=timezone.now())


def send_digests(now: datetime.datetime) -> str:
    """E-mail each person their notices not yet sent, in one message per person (the batch).

    Runs as the periodic job ``notices.digest``. Off unless the installation configured an e-mail
    server (``VANPHONG_EMAIL_HOST``); people without an e-mail address keep their notices in the app
    only. A notice is marked sent only after its message went out, so a failed send is retried.
    """
    if not settings.NOTICES_EMAIL:
        return "e-mail is not configured"
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now)
        .exclude(recipient__person__email="")
        .filter(recipient__is_active=True, recipient__person__isnull=False)
        .select_related("recipient__person")
        .order_by("recipient_id", "created_at")
    )
    by_account: dict[int, list[Notification]] = defaultdict(list)
    for notice in pending[:5000]:
        by_account[notice.recipient_id].append(notice)
    sent = failed = 0
    with get_connection() as connection:
        for notices in by_account.values():
            account = notices[0].recipient
            with translation.override(_language_of(account)):
                context = {"account": account, "notices": notices, "site_url": settings.SITE_URL}
                subject = render_to_string("notices/digest_subject.txt", context).strip()
                body = render_to_string("notices/digest.txt", context)
            message = EmailMessage(subject, body, to=[account.person.email], connection=connection)  # type: ignore[union-attr]
            try:
                message.send()
            except OSError as error:  # the server refused or went away: keep them for the next round
                log.warning("notice digest to account %s not sent: %s", account.pk, error)
                failed += 1
                continue
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
            sent += 1
    return f"{sent} digests sent, {failed} failed"
