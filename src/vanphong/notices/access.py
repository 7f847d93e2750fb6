"""Reads of notices: a person sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vanphong.core import policy
from vanphong.notices.models import Notification


def notices_of(user: Any) -> QuerySet[Notification]:
    """The signed-in person's notices, newest first (nobody else's, administrators included)."""
    if not policy.is_signed_in(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    return notices_of(user).filter(read_at__isnull=True).count()
