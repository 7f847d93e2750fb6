"""``vanphong elections count FILE.json``: count one round and print the result or the minutes.

The JSON output is a stable contract other tools rely on; its shape is ``RoundResult.as_dict()``.
Exit codes: 0 counted; 2 the command line or the input is malformed (one line on stderr), or, for the
minutes, the configuration is. Django is set up only for ``--format minutes``, which needs
translations; the count itself is plain Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import NoReturn

from vanphong.rules.ballots import BallotInputError, Round, RoundResult, count_round, parse_round

PROG = "vanphong elections count"
LANGUAGES = ("vi", "en", "ur", "hi")
EXIT_OK = 0
EXIT_USAGE = 2  # argparse's own code for a bad command line
EXIT_INPUT = 2
EXIT_CONFIG = 2  # as the `vanphong` dispatcher does for configuration errors


class _ParserExit(Exception):
    """argparse wants to stop (after --help or a usage error); carries the exit code back to us."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    # argparse calls sys.exit() itself; count_command must return the code instead.
    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message, sys.stderr)
        raise _ParserExit(status)


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Count one round of a Party election (Regulation 190-QĐ/TW) from a JSON file "
            "and print the result as JSON, or the counting minutes as text."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the round as JSON; - reads standard input")
    parser.add_argument(
        "--format",
        choices=("json", "minutes"),
        default="json",
        help="json (default): the result as JSON; minutes: the counting minutes as text",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default=None,
        help="language of the minutes (default: the site's LANGUAGE_CODE)",
    )
    return parser


def _reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json.loads keeps the last of two equal keys silently; on a ballot that would drop a count.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise BallotInputError(f"the key {key!r} appears twice in one JSON object")
        result[key] = value
    return result


def _reject_constant(name: str) -> object:
    raise BallotInputError(f"{name} is not a number the count can use")


def _read_text(path: str) -> str:
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            return bytes(stream.read()).decode("utf-8-sig")
        return sys.stdin.read()
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def load_round(path: str) -> Round:
    """Read and check one round from ``path`` (``-`` for stdin); every failure is a BallotInputError."""
    label = "standard input" if path == "-" else path
    try:
        text = _read_text(path)
    except OSError as error:
        raise BallotInputError(f"{label}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise BallotInputError(f"{label}: the file is not UTF-8 text") from None
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise BallotInputError(
            f"{label}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except BallotInputError as error:
        raise BallotInputError(f"{label}: {error}") from None
    try:
        return parse_round(data)
    except BallotInputError as error:
        raise BallotInputError(f"{label}: {error}") from None


class _ConfigurationError(Exception):
    """Django could not be set up for the minutes: the settings or VANPHONG_* variables are at fault."""


def _render_minutes(round_: Round, result: RoundResult, language: str | None) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from vanphong.env import ConfigError

    try:
        django.setup()
    except (ConfigError, ImproperlyConfigured) as error:
        raise _ConfigurationError(str(error)) from None
    from django.conf import settings
    from django.utils import translation

    from vanphong.elections.minutes import render_minutes

    with translation.override(language or settings.LANGUAGE_CODE):
        return render_minutes(round_, result)


def count_command(argv: list[str]) -> int:
    """Run ``vanphong elections count`` with ``argv`` (the arguments after ``count``); return the exit code.

    The result goes to sys.stdout, errors to sys.stderr; this function never calls sys.exit().
    """
    try:
        args = _parser().parse_args(argv)
    except _ParserExit as stop:
        return stop.status
    try:
        round_ = load_round(args.file)
        result = count_round(round_)
    except BallotInputError as error:
        message = " ".join(str(error).split())  # one line, whatever a file name or value held
        sys.stderr.write(f"{PROG}: error: {message}\n")
        return EXIT_INPUT
    if args.format == "minutes":
        try:
            text = _render_minutes(round_, result, args.language)
        except _ConfigurationError as error:
            sys.stderr.write(f"{PROG}: configuration error: {' '.join(str(error).split())}\n")
            return EXIT_CONFIG
        sys.stdout.write(text)
    else:
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
