"""The summary sheet of a closed consultation (Phiếu tổng hợp ý kiến) as PDF.

Drawn by WeasyPrint with Noto Serif, as the elections module draws its minutes, so the Vietnamese
text stays intact and extractable: the body, the matter, the deadline, each member's answer and
comment, the tally against the counting rule, the result and the conclusion, with the organiser's
signature.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_bidi

from vanphong.consultations import services
from vanphong.consultations.models import Consultation, State
from vanphong.lib.htmlpdf import html_to_pdf


def summary_context(consultation: Consultation) -> dict[str, Any]:
    if consultation.state != State.CLOSED:
        raise ValueError("only a closed consultation has a summary sheet")
    return {
        "c": consultation,
        "members": consultation.members.select_related("person__organization"),
        "outcome": services.counted(consultation),
        "lang": get_language() or "vi",
        "direction": "rtl" if get_language_bidi() else "ltr",
    }


def summary_pdf(consultation: Consultation) -> bytes:
    """The PDF of the summary sheet in the active language, A4; ValueError unless closed."""
    return html_to_pdf(render_to_string("consultations/print/summary.html", summary_context(consultation)))
