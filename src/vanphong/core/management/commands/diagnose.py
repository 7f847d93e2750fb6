"""`vanphong check`: can this installation work? Database, migrations, data directory, worker."""

from __future__ import annotations

import io
import os
import tempfile
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = "Diagnostics: database reachable, migrations applied, data directory writable, worker alive."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--worker-timeout",
            type=float,
            default=10.0,
            help="seconds to wait for the background worker to answer (default 10)",
        )
        parser.add_argument("--skip-worker", action="store_true", help="do not check the background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        failures = 0
        for name, check in [
            ("database", self._database),
            ("migrations", self._migrations),
            ("data directory", self._data_dir),
            ("configuration", self._system_checks),
        ]:
            failures += self._report(name, check)
        if not options["skip_worker"]:
            failures += self._report("worker", lambda: self._worker(options["worker_timeout"]))
        if failures:
            raise CommandError(f"{failures} check(s) failed", returncode=1)

    def _report(self, name: str, check: Any) -> int:
        try:
            detail = check()
        except Exception as error:
            self.stdout.write(f"FAIL  {name}: {error}")
            return 1
        self.stdout.write(f"ok    {name}: {detail}")
        return 0

    def _database(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return f"{connection.vendor} reachable"

    def _migrations(self) -> str:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise RuntimeError(f"{len(pending)} migration(s) not applied; run `vanphong migrate`")
        return "all applied"

    def _data_dir(self) -> str:
        directory = settings.DATA_DIR
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-") as handle:
            handle.write(b"ok")
            handle.flush()
            os.fsync(handle.fileno())
        return f"{directory} writable"

    def _system_checks(self) -> str:
        call_command("check", "--fail-level", "ERROR", stdout=io.StringIO(), stderr=io.StringIO())
        return "Django system checks passed"

    def _worker(self, timeout: float) -> str:
        from django_tasks import TaskResultStatus

        from vanphong.core.tasks import ping

        result = ping.enqueue()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result.refresh()
            if result.status == TaskResultStatus.SUCCESSFUL:
                return "a worker ran a test task"
            if result.status == TaskResultStatus.FAILED:
                raise RuntimeError("the test task failed in the worker")
            time.sleep(0.2)
        raise RuntimeError(f"no worker took a test task within {timeout:g} s; is `vanphong serve` running?")
