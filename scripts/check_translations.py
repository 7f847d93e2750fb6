"""Fail if the Vietnamese catalogue misses a translation, or if any catalogue has fuzzy entries
or a translation whose placeholders differ from the source string's."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "vanphong" / "locale"
COMPLETE = {"vi"}  # these languages must be complete; the others are checked for correctness only
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def main() -> int:
    problems: list[str] = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        language = po_path.parent.parent.name
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{language}: fuzzy: {entry.msgid!r}")
            translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            if language in COMPLETE and not all(translations):
                problems.append(f"{language}: untranslated: {entry.msgid!r}")
            sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid_plural]
            for translated in translations:
                if translated and placeholders(translated) != placeholders(sources[0]) and not entry.msgid_plural:
                    problems.append(f"{language}: placeholders differ: {entry.msgid!r}")
    for problem in problems:
        print(problem)
    print(f"translations: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
