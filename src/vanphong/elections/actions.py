"""What people read for the audit actions the counting room records (``elections.*``).

Core shows an audit entry's action through ``core.models.audit.ACTION_LABELS``; the app adds its own
labels there when it loads (``ElectionsConfig.ready``), so core needs no knowledge of elections.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "elections.congress.create": _("Congress set up"),
    "elections.committee.add": _("Put on the counting committee"),
    "elections.committee.remove": _("Taken off the counting committee"),
    "elections.summoned.add": _("Persons summoned added to the registry"),
    "elections.summoned.check_in": _("Checked in at the door"),
    "elections.summoned.undo_check_in": _("Check-in taken back"),
    "elections.summoned.exclusion": _("Exclusion from the base recorded"),
    "elections.election.create": _("Election added"),
    "elections.candidates.add": _("Candidates added to the list"),
    "elections.candidates.remove": _("Candidate withdrawn from the list"),
    "elections.round.open": _("Voting round opened"),
    "elections.ballot.enter": _("Ballot entered at a station"),
    "elections.ballot.correct": _("Ballot entry corrected"),
    "elections.ballot.resolve": _("Disputed ballot resolved by the committee"),
    "elections.round.confirm": _("Count confirmed and round sealed"),
    "elections.round.reopen": _("Sealed round reopened"),
}


def register() -> None:
    """Add the counting room's labels to the ones core shows on history pages."""
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
