"""`vanphong audit verify`: recompute the audit log's hash chain and name any broken entry."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vanphong.core import audit


class Command(BaseCommand):
    help = "Audit log tools. `verify` recomputes the hash chain and names edited, deleted or reordered entries."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--limit", type=int, default=50, help="stop after this many problems (default 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = audit.verify(limit=options["limit"])
        if problems:
            for problem in problems:
                self.stderr.write(f"audit: {problem.message}")
            raise CommandError(
                f"the audit log is broken: {len(problems)} problem(s) in {checked} entries", returncode=1
            )
        head = audit.AuditHead.objects.filter(pk=1).first()
        last = f"; last entry #{head.seq}, hash {head.hash}" if head else ""
        self.stdout.write(f"audit log intact: {checked} entries verified{last}")
