"""The counting room: congresses, their elections and candidates, the registry of those summoned, the
counting committee, and each round's ballots as entered by independent stations and reconciled.

The threshold base always comes from the registry (summoned minus recorded exclusions, 190 Điều 30.2-30.3),
never from the ballots; the counting itself is ``vanphong.rules.ballots``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organization, Person

MIN_STATIONS = 2
MAX_STATIONS = 3


class CongressKind(models.TextChoices):
    MEMBERS = "members", _("Congress of Party members")
    DELEGATES = "delegates", _("Congress of delegates")
    CONFERENCE = "conference", _("Conference of the committee")


class Exclusion(models.TextChoices):
    """Categories taken out of the base (190 Điều 30.2-30.3); the codes are those of ``minutes.py``."""

    TEMPORARY_TRANSFER = "temporary_transfer", _("Moved to another organisation for temporary activity")
    EXEMPT_ABSENT = "exempt_absent", _("Exempt from work and Party activity and not present")
    SUSPENDED = "suspended", _("Party activity suspended, or prosecuted, indicted or detained")
    ABSENT_APPROVED = (
        "absent_approved",
        _("Absent for the whole congress with a reason approved by the convening committee"),
    )
    CONVENING_COMMITTEE_ABSENT = (
        "convening_committee_absent",
        _("Members of the convening committee absent for the whole congress"),
    )
    DELEGATE_ABSENT_NO_ALTERNATE = (
        "delegate_absent_no_alternate",
        _("Official delegates absent for the whole congress with no alternate sent"),
    )


# Exclusions that only make sense for someone who did not come (and so was never checked in).
ABSENCE_EXCLUSIONS = frozenset(
    {
        Exclusion.EXEMPT_ABSENT,
        Exclusion.ABSENT_APPROVED,
        Exclusion.CONVENING_COMMITTEE_ABSENT,
        Exclusion.DELEGATE_ABSENT_NO_ALTERNATE,
    }
)
# Which exclusions each kind of congress may record (190 Điều 30.2 for members, 30.3 for delegates).
# For conferences the exclusions are unconfirmed (reference §1.3): every category is offered.
EXCLUSIONS_BY_KIND: dict[str, frozenset[str]] = {
    CongressKind.MEMBERS: frozenset(
        {Exclusion.TEMPORARY_TRANSFER, Exclusion.EXEMPT_ABSENT, Exclusion.SUSPENDED, Exclusion.ABSENT_APPROVED}
    ),
    CongressKind.DELEGATES: frozenset({Exclusion.CONVENING_COMMITTEE_ABSENT, Exclusion.DELEGATE_ABSENT_NO_ALTERNATE}),
    CongressKind.CONFERENCE: frozenset(Exclusion.values),
}


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head of the counting committee")
    MEMBER = "member", _("Member of the counting committee")
    OPERATOR = "operator", _("Station operator")


class ElectionKind(models.TextChoices):
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee")
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretaries")
    INSPECTION_COMMITTEE = "inspection_committee", _("Inspection committee")
    INSPECTION_CHAIR = "inspection_chair", _("Chair of the inspection committee")
    DELEGATES = "delegates", _("Delegates to the higher congress")


class BallotForm(models.TextChoices):
    STRIKE = "strike", _("Strike out names")
    AGREE = "agree", _("Agree or disagree")


class RoundStatus(models.TextChoices):
    ENTRY = "entry", _("Entering ballots")
    SEALED = "sealed", _("Confirmed and sealed")


class InvalidReason(models.TextChoices):
    """Reasons the counting committee rules a ballot invalid when entering it (190 Điều 8).

    The engine finds the others itself (all names struck, more names kept than seats, box errors).
    """

    NOT_ISSUED = "not_issued", _("Not issued by the counting committee")
    NAME_ADDED = "name_added", _("A name was added that is not on the list")
    MARKED = "marked", _("Signed or carrying a private mark")
    OTHER = "other", _("Other reason ruled by the counting committee")


class ReconciliationStatus(models.TextChoices):
    AGREED = "agreed", _("Stations agree")
    DISPUTED = "disputed", _("Stations disagree")
    RESOLVED = "resolved", _("Resolved by the committee")


class Congress(models.Model):
    """A congress (đại hội) or conference of one Party body for a term, e.g. "2025–2030"."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="congresses", verbose_name=_("body")
    )
    name = models.CharField(_("name"), max_length=255)
    term = models.CharField(_("term"), max_length=40, help_text=_("For example 2025–2030."))
    kind = models.CharField(_("kind"), max_length=16, choices=CongressKind.choices, default=CongressKind.MEMBERS)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.term})"


class CommitteeMember(models.Model):
    """A person on the counting committee of a congress (190 Điều 8), with a role and, for an
    operator, the station number they enter ballots on."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="committee")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=16, choices=CommitteeRole.choices)
    station = models.PositiveSmallIntegerField(_("station"), null=True, blank=True)

    class Meta:
        verbose_name = _("counting committee member")
        verbose_name_plural = _("counting committee")
        ordering = ["role", "person__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "person"], name="committee_one_role_per_person"),
            models.UniqueConstraint(
                fields=["congress"], condition=Q(role="head"), name="committee_one_head_per_congress"
            ),
            models.CheckConstraint(
                condition=(Q(role="operator", station__gte=1, station__lte=MAX_STATIONS))
                | (~Q(role="operator") & Q(station__isnull=True)),
                name="committee_operator_has_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class Summoned(models.Model):
    """One official member or delegate summoned to the congress: checked in at the door or not, and
    excluded from the base with a category and a reason, or not."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="summoned")
    full_name = models.CharField(_("full name"), max_length=120)
    unit = models.CharField(_("cell or unit"), max_length=160, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sort_key = models.CharField(max_length=400, editable=False, default="")
    search_text = models.CharField(max_length=400, editable=False, default="")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exclusion = models.CharField(_("excluded from the base"), max_length=40, choices=Exclusion.choices, blank=True)
    exclusion_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("person summoned")
        verbose_name_plural = _("persons summoned")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["congress", "sort_key"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(exclusion="") | ~Q(exclusion_reason=""), name="summoned_exclusion_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Election(models.Model):
    """One election at a congress: which body or post, how many seats, and its list of candidates."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="elections")
    kind = models.CharField(_("election"), max_length=32, choices=ElectionKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    alternate_seats = models.PositiveSmallIntegerField(
        _("alternate seats"),
        default=0,
        help_text=_("Delegates to the higher congress only: alternates elected after the official delegates."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_at_least_one_seat"),
            models.CheckConstraint(
                condition=Q(alternate_seats=0) | Q(kind="delegates"), name="election_alternates_only_for_delegates"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_delegates(self) -> bool:
        """A delegate election (190 Điều 18): official seats first, then alternates, on one joint list."""
        return self.kind == ElectionKind.DELEGATES


class Candidate(models.Model):
    """A name on the list of an election; the list is printed in the Vietnamese alphabetical order."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    full_name = models.CharField(_("full name"), max_length=120)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sort_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "full_name"], name="candidate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Round(models.Model):
    """One round of voting in an election: the list on the ballot, the form, the stations, and once
    confirmed the frozen engine input and result."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    alternate_seats = models.PositiveSmallIntegerField(
        _("alternate seats"),
        default=0,
        help_text=_("Of the seats, how many are for alternate delegates (the rest are official seats)."),
    )
    form = models.CharField(_("ballot form"), max_length=8, choices=BallotForm.choices)
    station_count = models.PositiveSmallIntegerField(_("stations"), default=MIN_STATIONS)
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.ENTRY)
    decision = models.TextField(
        _("decision of the congress"),
        blank=True,
        help_text=_("For a further round: what the congress decided (continue, which seats, which names)."),
    )
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), null=True, blank=True)
    engine_input = models.JSONField(null=True, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)
    present = models.PositiveIntegerField(_("present at voting"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_unique_number"),
            models.CheckConstraint(
                condition=Q(station_count__gte=MIN_STATIONS, station_count__lte=MAX_STATIONS),
                name="round_station_count",
            ),
            models.CheckConstraint(condition=Q(alternate_seats__lte=F("seats")), name="round_alternates_within_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.election} – {self.number}"

    @property
    def is_sealed(self) -> bool:
        return self.status == RoundStatus.SEALED

    @property
    def official_seats(self) -> int:
        return self.seats - self.alternate_seats

    @property
    def stations(self) -> range:
        return range(1, self.station_count + 1)


class RoundCandidate(models.Model):
    """A name as printed on this round's ballot, with its number (1, 2, … in alphabetical order)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="names")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="roundcandidate_unique_number"),
            models.UniqueConstraint(fields=["round", "candidate"], name="roundcandidate_unique_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.candidate}"


class BallotEntry(models.Model):
    """One ballot as one station typed it.

    ``content`` is canonical so that two stations' versions compare as text: ``s:3,7`` (strike form:
    the numbers struck out, ``s:`` for none), ``a:d=3,7;n=5`` (agree form: disagree and no-mark
    numbers; every other name agreed) or ``x:not_issued`` (ruled invalid, with the reason).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    station = models.PositiveSmallIntegerField(_("station"))
    ballot_number = models.PositiveIntegerField(_("ballot number"))
    content = models.CharField(_("ballot"), max_length=400)
    typed = models.CharField(_("typed"), max_length=400)
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrections = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ballot entry")
        verbose_name_plural = _("ballot entries")
        ordering = ["round", "station", "ballot_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "station", "ballot_number"], name="ballotentry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station}/{self.ballot_number}: {self.content}"


class ReconciledBallot(models.Model):
    """One ballot once every station has entered it: agreed, disputed, or resolved by the committee
    against the paper (with the reason recorded)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reconciled")
    ballot_number = models.PositiveIntegerField(_("ballot number"))
    status = models.CharField(_("status"), max_length=8, choices=ReconciliationStatus.choices)
    content = models.CharField(_("ballot"), max_length=400, blank=True)
    resolution_reason = models.CharField(_("reason"), max_length=255, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reconciled ballot")
        verbose_name_plural = _("reconciled ballots")
        ordering = ["round", "ballot_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "ballot_number"], name="reconciledballot_unique"),
            models.CheckConstraint(
                condition=Q(status="disputed") | ~Q(content=""), name="reconciledballot_has_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_number}: {self.status}"


class RoundReopening(models.Model):
    """A sealed round opened again by the head of the counting committee, and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.CharField(_("reason"), max_length=255)
    reopened_at = models.DateTimeField(auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["round", "reopened_at"]

    def __str__(self) -> str:
        return f"{self.round}: {self.reason}"
