"""``vanphong edxml inspect FILE`` and ``vanphong edxml import FILE... --register N --user NAME``.

``inspect`` needs no database: it parses the package safely and prints its header as JSON (exit 0),
or one clear line on stderr (exit 1) when the package is malformed or unsafe. ``import`` registers
packages as incoming documents through the same service as the web page; a package already
registered is reported and skipped (exit 0), so running it twice over a folder is harmless. A status
package (a recipient answering one of our outgoing documents) is recorded on that document; ``inspect``
prints its code, the document it answers and who sent it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vanphong edxml", description="edXML packages (QCVN 102:2016/BTTTT).")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="print a package's header as JSON")
    inspect.add_argument("file", type=Path)
    imported = commands.add_parser("import", help="register packages as incoming documents")
    imported.add_argument("files", type=Path, nargs="+")
    imported.add_argument("--register", type=int, required=True, help="id of the incoming register")
    imported.add_argument("--user", required=True, help="the văn thư's user name the registration is made as")
    return parser


def edxml_command(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 2
    if args.command == "inspect":
        return _inspect(args.file)
    return _import(args.files, register_id=args.register, username=args.user)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as error:
        print(_("vanphong edxml: cannot read {path}: {error}").format(path=path, error=error.strerror), file=sys.stderr)
        return None


def _inspect(path: Path) -> int:
    from vanphong.documents.services.exchange import edxml_message
    from vanphong.lib import edxml

    data = _read(path)
    if data is None:
        return 2
    try:
        summary = edxml.inspect(data)
    except edxml.EdxmlError as error:
        print(f"vanphong edxml: {path}: {edxml_message(error)}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _import(paths: list[Path], *, register_id: int, username: str) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError

    from vanphong.core.audit import Actor
    from vanphong.core.models import Account
    from vanphong.documents.models import Direction, Register
    from vanphong.documents.services import exchange

    account = Account.objects.filter(username=username, is_active=True).select_related("person").first()
    register = Register.objects.filter(pk=register_id).select_related("organization").first()
    if account is None or register is None:
        print(_("vanphong edxml: no such active user or register."), file=sys.stderr)
        return 2
    actor = Actor(account=account, source="cli")
    failed = 0
    for path in paths:
        data = _read(path)
        if data is None:
            failed += 1
            continue
        try:
            document, created = exchange.import_package(actor, register, data)
        except PermissionDenied:
            print(_("vanphong edxml: {user} does not keep this register.").format(user=username), file=sys.stderr)
            return 2
        except ValidationError as error:
            failed += 1
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            print(f"{path}: {messages}", file=sys.stderr)
            continue
        if document.direction == Direction.OUTGOING:  # a status package about a document we sent
            done = (
                _("{path}: status recorded for {symbol}")
                if created
                else _("{path}: status already recorded for {symbol}")
            )
            print(done.format(path=path, symbol=document.number_symbol))
        elif created:
            print(_("{path}: registered as arrival number {number}").format(path=path, number=document.arrival_number))
        else:
            print(_("{path}: already registered (arrival number {number})").format(
                path=path, number=document.arrival_number))  # fmt: skip
    return 1 if failed else 0
