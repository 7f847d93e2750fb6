"""`vanphong serve`: the WSGI server (granian) and, beside it, a background worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run Vanphong: the web server, and a background worker unless --no-worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("VANPHONG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("VANPHONG_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("VANPHONG_WEB_WORKERS", "2")),
            help="web worker processes (default 2)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=(
                "do not start the background worker and job runner"
                " (run `vanphong manage db_worker` and `vanphong jobs loop` elsewhere)"
            ),
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="skip collecting static files")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535 (got {options['port']})")
        if not options["no_collectstatic"] and not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "vanphong.settings"),
        }
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                    [
                        sys.executable,
                        "-m",
                        "vanphong",
                        "manage",
                        "db_worker",
                        "--interval",
                        "1",
                        "--no-reload",
                    ],
                    env=env,
                )
            )
            # The periodic jobs (reminders, e-mail digests): a round every minute.
            children.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                    [sys.executable, "-m", "vanphong", "jobs", "loop"],
                    env=env,
                )
            )
        server = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            options["host"],
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
            "--no-ws",
            "vanphong.wsgi:application",
        ]
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Vanphong is serving on {url}  (Ctrl+C stops it)")
        web = subprocess.Popen(server, env=env)  # noqa: S603
        children.append(web)

        def stop(signum: int, _frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            code = web.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if code:
            raise CommandError(f"the web server stopped with exit code {code}", returncode=code)
