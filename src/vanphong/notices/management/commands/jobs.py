"""`vanphong jobs`: run the periodic jobs (reminders, e-mail digests) once, or keep running them."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from vanphong.notices import jobs
from vanphong.registry import registry


class Command(BaseCommand):
    help = "Run the periodic jobs: `run` (the due ones, once), `loop` (every minute), `list`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["run", "loop", "list"])
        parser.add_argument("--all", action="store_true", help="run every job now, due or not")
        parser.add_argument("--job", default="", help="run only this job (see `vanphong jobs list`)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between rounds (loop)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] and options["job"] not in registry.jobs:
            raise CommandError(f"unknown job {options['job']!r}; known: {', '.join(sorted(registry.jobs))}")
        if options["action"] == "list":
            for key, job in sorted(registry.jobs.items()):
                self.stdout.write(f"{key}\tevery {job.every}")
            return
        if options["action"] == "run":
            failed = self._round(force=options["all"], only=options["job"])
            if failed:
                raise CommandError(f"{failed} job(s) failed")
            return
        while True:  # loop: what `vanphong serve` starts beside the web server
            close_old_connections()
            self._round(force=False, only=options["job"])
            time.sleep(max(options["interval"], 1))

    def _round(self, *, force: bool, only: str) -> int:
        failed = 0
        for outcome in jobs.run_due(force=force, only=only):
            if outcome.ran:
                self.stdout.write(f"{outcome.key}: {'FAILED ' if outcome.failed else ''}{outcome.result.strip()}")
                failed += outcome.failed
        return failed
