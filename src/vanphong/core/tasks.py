"""Background tasks of the core app."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def ping() -> str:
    """A no-op the diagnostics enqueue to prove a worker is taking tasks."""
    return timezone.now().isoformat()
