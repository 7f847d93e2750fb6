"""Running the periodic jobs that apps register (``registry.job``): reminders, digests.

``vanphong jobs run`` runs the jobs that are due; ``vanphong serve`` keeps a runner going beside the
web server (``vanphong jobs loop``). Several runners may exist (two servers, a cron line left behind):
a runner first *claims* a job with a conditional update on its ``JobState`` row, so a job never runs
twice at once and never more often than its period.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from vanphong.notices.models import JobState
from vanphong.registry import Job, registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    key: str
    ran: bool
    result: str
    failed: bool = False


def _claim(job: Job, now: datetime.datetime, *, force: bool) -> bool:
    JobState.objects.get_or_create(key=job.key)
    due = Q(started_at__isnull=True) | Q(started_at__lte=now - job.every)
    if force:  # any time, but never beside a run still in progress (a crashed one is free after a period)
        due = due | Q(finished_at__isnull=False)
    return JobState.objects.filter(due, key=job.key).update(started_at=now, finished_at=None) == 1


def run_due(now: datetime.datetime | None = None, *, force: bool = False, only: str = "") -> list[Outcome]:
    """Run every registered job whose period has passed (all of them with ``force``)."""
    now = now or timezone.now()
    outcomes = []
    for key in sorted(registry.jobs):
        if only and key != only:
            continue
        job = registry.jobs[key]
        if not _claim(job, now, force=force):
            outcomes.append(Outcome(key, ran=False, result="not due"))
            continue
        try:
            result = job.run(now)  # jobs open their own (short) transactions: a long one would hold SQLite's lock
            failed = False
        except Exception:
            result = traceback.format_exc(limit=5)
            failed = True
            log.exception("periodic job %s failed", key)
        JobState.objects.filter(key=key).update(finished_at=timezone.now(), result=result[:4000], failed=failed)
        outcomes.append(Outcome(key, ran=True, result=result, failed=failed))
    return outcomes
