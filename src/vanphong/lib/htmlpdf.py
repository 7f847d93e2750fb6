"""HTML to PDF with WeasyPrint, for the one-document layouts (minutes, ballots, tally sheets, schedules)."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (fonts and styles as the template links them)."""
    import weasyprint  # type: ignore[import-untyped]  # no stubs; imported here: loading Pango costs ~0.3 s

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
