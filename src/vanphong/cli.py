"""The ``vanphong`` command: serve, migrate, demo, createadmin, backup, restore, check, audit, elections,
edxml, documents.

Each sub-command is a Django management command (so IT staff can also reach them through
``vanphong manage``); this wrapper gives them one program name, one help page, one-line errors and
exit codes: 0 success, 1 a check or verification failed, 2 bad usage or configuration.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# sub-command -> (management command, one-line description)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "run the web server and the background worker"),
    "migrate": ("migrate", "create or update the database tables"),
    "demo": ("demo", "load the demo office (a fictional province) into an empty database"),
    "createadmin": ("createadmin", "create the installation administrator's account"),
    "backup": ("backup", "write one archive with the database and every stored file"),
    "restore": ("restore", "restore an archive written by `vanphong backup`"),
    "check": ("diagnose", "diagnostics: database, migrations, data directory, worker"),
    "audit": ("audit", "audit log tools: `vanphong audit verify`"),
    "jobs": ("jobs", "periodic jobs (reminders, e-mail digests): `vanphong jobs run [--all]`, `loop`, `list`"),
    "elections": ("", "elections tools: `vanphong elections count FILE.json`"),
    "edxml": ("", "edXML packages: `vanphong edxml inspect FILE`, `vanphong edxml import FILE... --register N`"),
    "documents": ("", "documents tools: `vanphong documents reindex [--resume]`, `load-certificate`"),
    "manage": ("", "any Django management command, for IT staff (e.g. `vanphong manage shell`)"),
}


def _usage() -> str:
    lines = ["usage: vanphong COMMAND [options]", "", "Vanphong, the digital office. Commands:", ""]
    lines += [f"  {name:<12} {description}" for name, (_cmd, description) in COMMANDS.items()]
    lines += ["", "Run `vanphong COMMAND --help` for the options of one command."]
    return "\n".join(lines)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    import django

    from vanphong.env import ConfigError

    try:
        django.setup()
    except ConfigError as error:
        print(f"vanphong: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _elections(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: vanphong elections count FILE.json [--format json|minutes] [--language CODE]")
        return 0 if argv else 2
    if argv[0] != "count":
        print(f"vanphong elections: unknown command {argv[0]!r} (try `count`)", file=sys.stderr)
        return 2
    from vanphong.elections.counting_cli import count_command

    return count_command(list(argv[1:]))


DOCUMENT_COMMANDS = {"reindex": "reindex_documents", "load-certificate": "load_certificate"}


def _documents(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in DOCUMENT_COMMANDS:
        print("usage: vanphong documents {reindex [--resume] | load-certificate ...} [--help]", file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    from django.core.management import load_command_class

    command = load_command_class("vanphong.documents", DOCUMENT_COMMANDS[argv[0]])
    try:
        command.run_from_argv(["vanphong documents", argv[0], *argv[1:]])
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        from vanphong import __version__

        print(f"vanphong {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"vanphong: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    if name == "elections":
        return _elections(rest)
    _setup_django()
    if name == "edxml":
        from vanphong.documents.edxml_cli import edxml_command

        return edxml_command(rest)
    if name == "documents":
        return _documents(rest)
    from django.core.management import ManagementUtility, load_command_class

    if name == "manage":
        utility = ManagementUtility(["vanphong manage", *rest])
        utility.execute()
        return 0
    command_name = COMMANDS[name][0]
    app = {"migrate": "django.core", "jobs": "vanphong.notices"}.get(command_name, "vanphong.core")
    command = load_command_class(app, command_name)
    try:
        command.run_from_argv(["vanphong", name, *rest])
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
