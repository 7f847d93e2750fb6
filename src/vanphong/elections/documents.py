"""The minutes of a confirmed round (biên bản kiểm phiếu) as DOCX and PDF, and the ballot papers as PDF.

One ``MinutesData`` feeds the printable page, the Word document and the PDF: the engine's result
re-counted from the input frozen at confirmation, and the text minutes of ``minutes.render_minutes``,
so the page, the text and the documents cannot disagree. The shape follows the minutes template of the
244 era and 190 Điều 8 (reference §1.7): those summoned, present, the base and how it was derived,
ballots issued / collected / valid / invalid with reasons, each candidate's votes and percent of the
stated base in ballot order, the elected from the highest vote down (for delegates: officials, then
alternates), and the signatures of the counting committee.

PDFs are drawn by WeasyPrint with the Noto Serif the documents module uses (Debian's fonts-noto-core,
found through fontconfig), so Vietnamese text stays intact and extractable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, get_language_bidi, ngettext
from django.utils.translation import gettext as _

from vanphong.elections.minutes import exclusion_label, invalid_reason_label, percent_text, render_minutes
from vanphong.elections.models import CommitteeMember, ReconciledBallot, ReconciliationStatus, Round, RoundCandidate
from vanphong.lib.htmlpdf import html_to_pdf
from vanphong.rules.ballots import RoundResult, count_round, parse_round

# A ballot with at most this many names fits four to an A4 sheet (two columns, two rows), up to
# BALLOTS_HALF_PAGE two to a sheet; longer lists take a sheet each.
BALLOTS_QUARTER_PAGE = 8
BALLOTS_HALF_PAGE = 20
MAX_BALLOT_COPIES = 2000


@dataclass(frozen=True)
class ElectedLine:
    number: int
    name: str
    votes: int
    percent: str


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes of one confirmed round say, in the active language."""

    round: Round
    result: RoundResult
    stored: dict[str, Any]
    summoned: int
    exclusions: list[tuple[str, int]]
    invalid_reasons: list[tuple[str, int]]
    text: str
    committee: list[CommitteeMember]
    rulings: list[ReconciledBallot]
    elected: list[ElectedLine]
    officials: list[ElectedLine] = field(default_factory=list)
    alternates: list[ElectedLine] = field(default_factory=list)

    @property
    def delegates(self) -> dict[str, Any] | None:
        block = self.stored.get("delegates")
        return block if isinstance(block, dict) else None

    @property
    def congress(self) -> Any:
        return self.round.election.congress

    @property
    def excluded(self) -> int:
        return sum(count for _label, count in self.exclusions)

    def facts(self) -> list[tuple[str, str]]:
        """The figures at the head of the minutes, label and value, in the order of the template."""
        round_, result = self.round, self.result
        rows = [
            (_("Official members or delegates summoned"), str(self.summoned)),
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
        return rows


def _lines(names: list[str], votes: dict[str, int], percents: dict[str, str]) -> list[ElectedLine]:
    return [
        ElectedLine(number, name, votes[name], percent_text(percents[name]))
        for number, name in enumerate(names, start=1)
    ]


def display_percent(value: str) -> str:
    """The engine's "87.93" with the active language's decimal separator."""
    return number_format(Decimal(value), decimal_pos=2)


def minutes_data(round_: Round) -> MinutesData:
    """The minutes of a sealed round; ValueError if the round has not been confirmed."""
    if round_.engine_input is None or round_.result is None:
        raise ValueError("the round has not been confirmed")
    engine_round = parse_round(round_.engine_input)
    result = count_round(engine_round)
    stored = round_.result
    votes = {c.name: c.votes for c in result.candidates}
    percents = {c.name: c.percent for c in result.candidates}
    delegates = stored.get("delegates")
    return MinutesData(
        round=round_,
        result=result,
        stored=stored,
        summoned=engine_round.base.summoned,
        exclusions=[(exclusion_label(code), count) for code, count in engine_round.base.exclusions if count],
        invalid_reasons=[(invalid_reason_label(code), count) for code, count in result.ballots.invalid_by_reason],
        text=render_minutes(engine_round, result, delegates),
        committee=list(round_.election.congress.committee.select_related("person")),
        rulings=list(
            ReconciledBallot.objects.filter(round=round_, status=ReconciliationStatus.RESOLVED).order_by(
                "ballot_number"
            )
        ),
        elected=_lines(list(stored["elected"]), votes, percents),
        officials=_lines(list(delegates["officials"]), votes, percents) if delegates else [],
        alternates=_lines(list(delegates["alternates"]), votes, percents) if delegates else [],
    )


def minutes_filename(round_: Round, extension: str) -> str:
    return f"bien-ban-kiem-phieu-{round_.election.congress_id}-{round_.election_id}-{round_.number}.{extension}"


def minutes_docx(round_: Round) -> bytes:
    """The DOCX of a sealed round's minutes in the active language; ValueError if not confirmed."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    data = minutes_data(round_)
    congress, result = data.congress, data.result
    document = Document()
    for text in (str(congress.organization), _("MINUTES OF THE BALLOT COUNT")):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = _("{congress}, term {term}: {election}, round {number}").format(
        congress=congress.name, term=congress.term, election=round_.election, number=round_.number
    )
    document.add_heading(heading, level=1)

    facts = document.add_table(rows=0, cols=2)
    for label, value in data.facts():
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
        cells[3].text = display_percent(candidate.percent)

    if data.delegates is not None:
        sections = [
            (_("Official delegates elected"), data.officials),
            (_("Alternate delegates elected"), data.alternates),
        ]
    else:
        sections = [(_("Elected, from the highest to the lowest number of votes"), data.elected)]
    for title, elected in sections:
        document.add_heading(title, level=2)
        for line in elected:
            document.add_paragraph(
                ngettext("{number}. {name}: {votes} vote, {percent}", "{number}. {name}: {votes} votes, {percent}",
                         line.votes).format(number=line.number, name=line.name, votes=line.votes,
                                            percent=line.percent)
            )  # fmt: skip
        if not elected:
            document.add_paragraph("—")

    if data.rulings:
        document.add_heading(_("Ballots ruled on by the counting committee"), level=2)
        for ruling in data.rulings:
            document.add_paragraph(
                _("Ballot {number}: {reason}").format(number=ruling.ballot_number, reason=ruling.resolution_reason),
                style="List Bullet",
            )

    document.add_heading(_("Text of the minutes"), level=2)
    for text_line in data.text.splitlines():
        document.add_paragraph(text_line)

    document.add_heading(_("Counting committee"), level=2)
    signatures = document.add_table(rows=0, cols=3)
    signatures.style = "Table Grid"
    for member in data.committee:
        cells = signatures.add_row().cells
        cells[0].text, cells[1].text = member.person.full_name, str(member.get_role_display())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _language_context() -> dict[str, Any]:
    return {"lang": get_language() or "vi", "direction": "rtl" if get_language_bidi() else "ltr"}


def minutes_pdf(round_: Round) -> bytes:
    """The PDF of a sealed round's minutes in the active language, A4, ready to sign; ValueError if not
    confirmed."""
    data = minutes_data(round_)
    context = {"m": data, "congress": data.congress, "election": round_.election, **_language_context()}
    return html_to_pdf(render_to_string("elections/print/minutes.html", context))


def ballots_per_sheet(names: int) -> int:
    """How many ballots of a list of ``names`` fit on one A4 sheet (cut apart after printing)."""
    if names <= BALLOTS_QUARTER_PAGE:
        return 4
    if names <= BALLOTS_HALF_PAGE:
        return 2
    return 1


def ballots_pdf(round_: Round, *, copies: int | None = None) -> bytes:
    """The ballot papers of a round from its approved list, as PDF, each with the stamp area top left
    (190 Điều 15, 244 Điều 17.1). ``copies`` ballots (default: one sheet), several to a sheet when the list
    is short."""
    names: QuerySet[RoundCandidate] = round_.names.select_related("candidate").order_by("number")
    listed = list(names)
    per_sheet = ballots_per_sheet(len(listed))
    copies = per_sheet if copies is None else max(1, min(copies, MAX_BALLOT_COPIES))
    sheets = [range(start, min(start + per_sheet, copies)) for start in range(0, copies, per_sheet)]
    context = {
        "round": round_,
        "election": round_.election,
        "congress": round_.election.congress,
        "names": listed,
        "sheets": sheets,
        "per_sheet": per_sheet,
        **_language_context(),
    }
    return html_to_pdf(render_to_string("elections/print/ballots.html", context))
