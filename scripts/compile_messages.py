"""Compile a gettext catalogue (.po) to its binary form (.mo) without GNU gettext installed."""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def main(paths: list[str]) -> int:
    for path in paths:
        po = polib.pofile(path)
        target = Path(path).with_suffix(".mo")
        po.save_as_mofile(str(target))
        print(f"compiled {target} ({po.percent_translated()}% translated)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
