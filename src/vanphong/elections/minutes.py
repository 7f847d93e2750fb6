"""The counting minutes (biên bản kiểm phiếu) of one round, as text in the active language.

The content follows the minutes template of the 244 era and the counting committee's duties (190 Điều 8):
how the base was derived, the votes needed, ballots collected / valid / invalid with reasons, each
candidate in ballot order with votes and percent of the base, the elected from highest to lowest, and
what is left for the congress to decide. Percentages are shown against the base, with the base beside
them (reference §1.9). The counting itself is ``vanphong.rules.ballots``; this module only words it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from vanphong.rules.ballots import (
    BOX_ERROR,
    MORE_NAMES_THAN_SEATS,
    NAME_ADDED,
    NO_NAME_KEPT,
    UNSPECIFIED_EXCLUSION,
    Round,
    RoundResult,
)

# Exclusion categories of 190 Điều 30.2-30.3 under the codes the input may use. Other codes are printed
# as given: the convening committee may record a category these names do not cover.
EXCLUSION_LABELS: dict[str, Promise] = {
    UNSPECIFIED_EXCLUSION: gettext_lazy("Excluded, no category given"),
    "temporary_transfer": gettext_lazy("Moved to another organisation for temporary activity"),
    "exempt_absent": gettext_lazy("Exempt from work and Party activity and not present"),
    "suspended": gettext_lazy("Party activity suspended, or prosecuted, indicted or detained"),
    "absent_approved": gettext_lazy("Absent for the whole congress with a reason approved by the convening committee"),
    "convening_committee_absent": gettext_lazy("Members of the convening committee absent for the whole congress"),
    "delegate_absent_no_alternate": gettext_lazy(
        "Official delegates absent for the whole congress with no alternate sent"
    ),
}

# Reasons a ballot is invalid: the engine's own (190 Điều 15) and common committee rulings (190 Điều 8).
INVALID_REASON_LABELS: dict[str, Promise] = {
    NAME_ADDED: gettext_lazy("A name was added that is not on the list"),
    BOX_ERROR: gettext_lazy("Both boxes or neither box marked for the only person on the list"),
    MORE_NAMES_THAN_SEATS: gettext_lazy("More names kept than there are seats"),
    NO_NAME_KEPT: gettext_lazy("Every name struck out"),
    "not_issued": gettext_lazy("Not issued by the counting committee"),
    "marked": gettext_lazy("Signed or carrying a private mark"),
    "other": gettext_lazy("Other reason ruled by the counting committee"),
}


def exclusion_label(code: str) -> str:
    """The words for an exclusion category in the active language; unknown codes as given."""
    label = EXCLUSION_LABELS.get(code)
    return code if label is None else str(label)


def invalid_reason_label(code: str) -> str:
    """The words for an invalid-ballot reason in the active language; unknown codes as given."""
    label = INVALID_REASON_LABELS.get(code)
    return code if label is None else str(label)


def _voted(names: Sequence[str], votes_by_name: Mapping[str, int]) -> list[str]:
    return [
        "  "
        + ngettext("{number}. {name}: {votes} vote", "{number}. {name}: {votes} votes", votes_by_name[name]).format(
            number=number, name=name, votes=votes_by_name[name]
        )
        for number, name in enumerate(names, start=1)
    ]


def _delegate_lines(delegates: Mapping[str, Any], votes_by_name: Mapping[str, int]) -> list[str]:
    """Officials, then alternates, each by votes; a tie on either cut; the seats left (190 Điều 18)."""
    lines: list[str] = []
    if delegates["official_seats"]:
        lines.append(
            ngettext(
                "Official delegates elected ({count} of {seats} seat), from the highest number of votes:",
                "Official delegates elected ({count} of {seats} seats), from the highest number of votes:",
                delegates["official_seats"],
            ).format(count=len(delegates["officials"]), seats=delegates["official_seats"])
        )
        lines.extend(_voted(delegates["officials"], votes_by_name) or ["  —"])
    if delegates["alternate_seats"]:
        lines.append(
            ngettext(
                "Alternate delegates elected ({count} of {seats} seat), in the order they replace officials:",
                "Alternate delegates elected ({count} of {seats} seats), in the order they replace officials:",
                delegates["alternate_seats"],
            ).format(count=len(delegates["alternates"]), seats=delegates["alternate_seats"])
        )
        lines.extend(_voted(delegates["alternates"], votes_by_name) or ["  —"])
    official_tie, alternate_tie = delegates.get("official_tie"), delegates.get("alternate_tie")
    if official_tie:
        lines.append("")
        lines.append(
            ngettext(
                "Tie on the last official seat: none of these is elected; "
                "the congress votes again among them only, for {seats} official seat:",
                "Tie on the last official seats: none of these is elected; "
                "the congress votes again among them only, for {seats} official seats:",
                official_tie["seats"],
            ).format(seats=official_tie["seats"])
        )
        lines.extend(f"  - {name} ({votes_by_name[name]})" for name in official_tie["candidates"])
    if alternate_tie:
        lines.append("")
        lines.append(
            ngettext(
                "Tie on the last alternate seat: none of these is elected; "
                "the congress votes again among them only, for {seats} alternate seat:",
                "Tie on the last alternate seats: none of these is elected; "
                "the congress votes again among them only, for {seats} alternate seats:",
                alternate_tie["seats"],
            ).format(seats=alternate_tie["seats"])
        )
        lines.extend(f"  - {name} ({votes_by_name[name]})" for name in alternate_tie["candidates"])
    lines.append(
        _("Official seats left: {official}; alternate seats left: {alternate}").format(
            official=delegates["official_seats_left"], alternate=delegates["alternate_seats_left"]
        )
    )
    if delegates.get("official_tie") and delegates["alternate_seats"]:
        lines.append(_("Alternates are elected once the official delegates are settled."))
    return lines


def percent_text(value: str) -> str:
    """The engine's percent ("87.93") as shown to people: "87,93%" in Vietnamese."""
    return _percent(value)


def _percent(value: str) -> str:
    # The engine's percent is "87.93"; shown with the active language's decimal separator and sign.
    # The sign is kept out of the sentences below: a "%" inside a msgid reads as a %-format to gettext.
    return pgettext("percentage", "{value}%").format(value=number_format(Decimal(value), decimal_pos=2))


def render_minutes(round_: Round, result: RoundResult, delegates: Mapping[str, Any] | None = None) -> str:
    """The minutes of one counted round, as plain text ending in a newline.

    ``round_`` is the round as validated by the engine (names normalised) and ``result`` its count.
    For a delegate election, ``delegates`` is the ``delegates`` block of the stored result (see
    ``elections.results``): the elected are then listed as official delegates and alternates, each in
    vote order, with a tie on either cut reported.
    """
    lines: list[str] = [_("MINUTES OF THE BALLOT COUNT"), ""]

    lines.append(_("Seats to fill: {seats}").format(seats=round_.seats))
    if round_.form == "strike":
        lines.append(_("Ballot form: names struck out (a list with more candidates than seats)"))
    else:
        lines.append(_("Ballot form: agree or disagree for each person (a list without surplus)"))
    lines.append(_("Candidates on the list: {count}").format(count=len(round_.candidates)))
    lines.append("")

    lines.append(_("Base for the threshold"))
    lines.append(_("Official members or delegates summoned: {summoned}").format(summoned=round_.base.summoned))
    exclusions = [(code, count) for code, count in round_.base.exclusions if count > 0]
    if exclusions:
        lines.append(_("Excluded from the base:"))
        lines.extend(f"  - {exclusion_label(code)}: {count}" for code, count in exclusions)
    else:
        lines.append(_("Excluded from the base: none"))
    lines.append(_("Base (summoned minus exclusions): {base}").format(base=result.base))
    lines.append(
        _("Votes needed to be elected (more than half of the base of {base}): {needed}").format(
            base=result.base, needed=result.votes_needed
        )
    )
    lines.append("")

    totals = result.ballots
    lines.append(_("Ballots"))
    lines.append(_("Ballots collected: {count}").format(count=totals.collected))
    lines.append(_("Valid ballots: {count}").format(count=totals.valid))
    lines.append(_("Invalid ballots: {count}").format(count=totals.invalid))
    lines.extend(f"  - {invalid_reason_label(code)}: {count}" for code, count in totals.invalid_by_reason)
    lines.append("")

    lines.append(_("Votes for each candidate, in ballot order"))
    for number, candidate in enumerate(result.candidates, start=1):
        line = ngettext(
            "{number}. {name}: {votes} vote, {percent} of the base ({base})",
            "{number}. {name}: {votes} votes, {percent} of the base ({base})",
            candidate.votes,
        ).format(
            number=number,
            name=candidate.name,
            votes=candidate.votes,
            percent=_percent(candidate.percent),
            base=result.base,
        )
        lines.append("  " + line)
    lines.append("")

    votes_by_name = {candidate.name: candidate.votes for candidate in result.candidates}
    if delegates is not None:
        lines.extend(_delegate_lines(delegates, votes_by_name))
        lines.append("")
        lines.append(_("The counting committee (signatures):"))
        return "\n".join(lines) + "\n"
    if result.elected:
        lines.append(_("Elected, from the highest to the lowest number of votes"))
        for number, name in enumerate(result.elected, start=1):
            votes = votes_by_name[name]
            line = ngettext(
                "{number}. {name}: {votes} vote",
                "{number}. {name}: {votes} votes",
                votes,
            ).format(number=number, name=name, votes=votes)
            lines.append("  " + line)
    else:
        lines.append(_("Nobody was elected in this round."))
    lines.append(_("Seats left: {seats}").format(seats=result.seats_left))

    if result.tie is not None:
        tie = result.tie
        tied_votes = votes_by_name[tie.candidates[0]]
        lines.append("")
        lines.append(
            ngettext(
                "Tie: these candidates received more than half of the base with {votes} votes each, "
                "but there are more of them than the {seats} seat left, so none of them is elected. "
                "The congress votes again among them only, for {seats} seat:",
                "Tie: these candidates received more than half of the base with {votes} votes each, "
                "but there are more of them than the {seats} seats left, so none of them is elected. "
                "The congress votes again among them only, for {seats} seats:",
                tie.seats,
            ).format(votes=tied_votes, seats=tie.seats)
        )
        lines.extend(f"  - {name}" for name in tie.candidates)
    elif result.next_round is not None and not result.next_round.candidates:
        lines.append("")
        lines.append(
            ngettext(
                "{seats} seat is left because there were fewer candidates than seats. "
                "The congress decides whether to add names and hold another round.",
                "{seats} seats are left because there were fewer candidates than seats. "
                "The congress decides whether to add names and hold another round.",
                result.next_round.seats,
            ).format(seats=result.next_round.seats)
        )
    elif result.next_round is not None:
        upcoming = result.next_round
        lines.append("")
        lines.append(
            ngettext(
                "{seats} seat is left because too few candidates received more than half of the base. "
                "The congress decides whether to hold another round for {seats} seat. "
                "The candidates not elected are:",
                "{seats} seats are left because too few candidates received more than half of the base. "
                "The congress decides whether to hold another round for {seats} seats. "
                "The candidates not elected are:",
                upcoming.seats,
            ).format(seats=upcoming.seats)
        )
        lines.extend(f"  - {name}" for name in upcoming.candidates)

    lines.append("")
    lines.append(_("The counting committee (signatures):"))
    return "\n".join(lines) + "\n"
