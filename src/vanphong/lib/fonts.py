"""TrueType fonts with the full Vietnamese repertoire (Debian's fonts-noto-core, DejaVu as fallback),
registered with reportlab once per process under one naming scheme, for every PDF Vanphong draws."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

NOTO = Path("/usr/share/fonts/truetype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def first_installed(paths: Iterable[Path]) -> Path | None:
    """The first of ``paths`` that exists as a file."""
    return next((path for path in paths if path.is_file()), None)


@functools.cache
def register(path: Path) -> str:
    """Register ``path`` with reportlab (once) and return the name to draw with."""
    name = f"Vanphong-{path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name
