"""The minutes of a confirmed round as a Word document (DOCX), for signing and the archive.

The figures and sentences are those of the printable page: the engine's result and the text minutes
of ``minutes.render_minutes``, re-counted from the input frozen at confirmation, so the page, the text
and the document cannot disagree.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from vanphong.elections.minutes import render_minutes
from vanphong.elections.models import ReconciledBallot, ReconciliationStatus, Round
from vanphong.rules.ballots import count_round, parse_round


def minutes_docx(round_: Round) -> bytes:
    """The DOCX of a sealed round's minutes in the active language; ValueError if not confirmed."""
    if round_.engine_input is None or round_.result is None:
        raise ValueError("the round has not been confirmed")
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    engine_round = parse_round(round_.engine_input)
    result = count_round(engine_round)
    congress = round_.election.congress
    document = Document()
    for text in (str(congress.organization), _("MINUTES OF THE BALLOT COUNT")):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = _("{congress}, term {term}: {election}, round {number}").format(
        congress=congress.name, term=congress.term, election=round_.election, number=round_.number
    )
    document.add_heading(heading, level=1)

    facts = document.add_table(rows=0, cols=2)
    rows = [
        (_("Official members or delegates summoned"), str(engine_round.base.summoned)),
        (_("Present at voting"), "" if round_.present is None else str(round_.present)),
        (_("Base (summoned minus exclusions)"), str(result.base)),
        (_("Votes needed to be elected"), str(result.votes_needed)),
        (_("Ballots issued"), "" if round_.ballots_issued is None else str(round_.ballots_issued)),
        (_("Ballots collected"), str(result.ballots.collected)),
        (_("Valid ballots"), str(result.ballots.valid)),
        (_("Invalid ballots"), str(result.ballots.invalid)),
    ]
    if round_.confirmed_at is not None:
        rows.append((_("Confirmed at"), date_format(round_.confirmed_at, "SHORT_DATETIME_FORMAT", use_l10n=True)))
    for label, value in rows:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value

    document.add_heading(_("Votes for each candidate, in ballot order"), level=2)
    votes = document.add_table(rows=1, cols=4)
    votes.style = "Table Grid"
    header = votes.rows[0].cells
    header[0].text, header[1].text, header[2].text = _("No."), _("Candidate"), _("Votes")
    header[3].text = _("Percent of the base ({base})").format(base=result.base)
    for number, candidate in enumerate(result.candidates, start=1):
        cells = votes.add_row().cells
        cells[0].text, cells[1].text = str(number), candidate.name
        cells[2].text = str(candidate.votes)
        cells[3].text = number_format(Decimal(candidate.percent), decimal_pos=2)

    rulings = ReconciledBallot.objects.filter(round=round_, status=ReconciliationStatus.RESOLVED)
    if rulings.exists():
        document.add_heading(_("Ballots ruled on by the counting committee"), level=2)
        for ruling in rulings.order_by("ballot_number"):
            document.add_paragraph(
                _("Ballot {number}: {reason}").format(number=ruling.ballot_number, reason=ruling.resolution_reason),
                style="List Bullet",
            )

    document.add_heading(_("Text of the minutes"), level=2)
    for line in render_minutes(engine_round, result).splitlines():
        document.add_paragraph(line)

    document.add_heading(_("Counting committee"), level=2)
    signatures = document.add_table(rows=0, cols=3)
    signatures.style = "Table Grid"
    for member in congress.committee.select_related("person"):
        cells = signatures.add_row().cells
        cells[0].text, cells[1].text = member.person.full_name, str(member.get_role_display())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
