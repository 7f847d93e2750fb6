"""The notices API: a person's own notices, and marking them read."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from vanphong.core.api import ERRORS
from vanphong.notices import access, services

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    kind: str
    subject: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NoticesOut(Schema):
    unread: int
    items: list[NoticeOut]


class MarkedOut(Schema):
    marked: int


@router.get("", response={200: NoticesOut, **ERRORS}, summary="My notices, newest first")
def list_notices(request: HttpRequest, unread: bool = False, limit: int = 50, offset: int = 0) -> dict[str, object]:
    notices = access.notices_of(request.user)
    if unread:
        notices = notices.filter(read_at__isnull=True)
    limit = max(1, min(limit, 200))
    return {
        "unread": access.unread_count(request.user),
        "items": list(notices[max(offset, 0) : max(offset, 0) + limit]),
    }


@router.post("/{pk}/read", response={200: MarkedOut, **ERRORS}, summary="Mark one notice read")
def read_notice(request: HttpRequest, pk: int) -> dict[str, int]:
    notice = get_object_or_404(access.notices_of(request.user), pk=pk)
    return {"marked": services.mark_read(request.user, [notice.pk])}  # type: ignore[arg-type]


@router.post("/read-all", response={200: MarkedOut, **ERRORS}, summary="Mark all my notices read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_read(request.user)}  # type: ignore[arg-type]
