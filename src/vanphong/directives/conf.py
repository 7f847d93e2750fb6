"""The task module's operator settings (``VANPHONG_TASK_*``), read where they are used.

``settings.TASK_REMIND_DAYS`` (``VANPHONG_TASK_REMIND_DAYS``, default 3, checked at start): remind the lead unit this
many *working* days before a deadline. ``TASK_ESCALATE_DAYS`` (default 3): tell the assigner once a task
has been overdue this many calendar days. ``TASK_DUE_SOON_DAYS`` (default 7): a deadline within this
many calendar days reads "due soon" (``rules.task_status``).
"""

from __future__ import annotations

from django.conf import settings

from vanphong import env


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        return env.get_int(name, default)
    return int(value)


def remind_days() -> int:
    return _setting("TASK_REMIND_DAYS", 3)


def escalate_days() -> int:
    return _setting("TASK_ESCALATE_DAYS", 3)


def due_soon_days() -> int:
    return _setting("TASK_DUE_SOON_DAYS", 7)
