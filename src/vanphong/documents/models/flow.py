"""The path a document takes: assignments to units, the outgoing approval circuit, recipients,
and the timeline of every step (``FlowEvent``), each one timestamped and audited."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person
from vanphong.documents.models.documents import Channel, Document


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead (chủ trì)")
    COORDINATE = "coordinate", _("Coordinating (phối hợp)")
    INFORM = "inform", _("For information (để biết)")


class AssignmentState(models.TextChoices):
    OPEN = "open", _("Waiting for the unit")
    HANDLING = "handling", _("Being handled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("assignment", "Cancelled")


class Assignment(models.Model):
    """A unit's part in handling an incoming document, set by the leader's direction.

    The unit's head passes it to a specialist (``handler``); the lead unit's completion completes
    the document. Units for information only read it.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    handler = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("handler")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.OPEN)
    assigned_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["document", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit"], condition=~Q(state="cancelled"), name="assignment_one_per_unit"
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(role="lead") & ~Q(state="cancelled"), name="assignment_one_lead"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"], name="assignment_unit_state"),
            models.Index(fields=["handler", "state"], name="assignment_handler_state"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit} ({self.get_role_display()})"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RECEIVED = "received", _("Received electronically")
    PRESENTED = "presented", _("Presented to the leader")
    DIRECTED = "directed", _("Direction given")
    FORWARDED = "forwarded", _("Passed to a specialist")
    OPINION_REQUESTED = "opinion_requested", _("Opinion requested")
    OPINION_GIVEN = "opinion_given", _("Opinion given")
    PROGRESS = "progress", _("Progress note")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Refused (not for this office)")
    FILE_ADDED = "file_added", _("File added")
    STATUS_SENT = "status_sent", _("Status sent to the sender")
    DRAFTED = "drafted", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back with comments")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Numbered and issued")
    DISPATCHED = "dispatched", _("Dispatched")
    RECALLED = "recalled", _("Recalled")
    RECALL_RECEIVED = "recall_received", _("Recall received from the sender")
    REPLACED = "replaced", _("Replaced by a newer document")
    FILED = "filed", _("Placed in an archive file")
    NUMBER_WITHDRAWN = "number_withdrawn", _("Number withdrawn")
    VIEWED = "viewed", _("Viewed (secret document)")
    DOWNLOADED = "downloaded", _("File downloaded (secret document)")


class FlowEvent(models.Model):
    """One step on a document's timeline: who did what, when, on whose behalf, with what note."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("document step")
        verbose_name_plural = _("document steps")
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"


class Stage(models.TextChoices):
    """The review and approval circuit of an outgoing draft (Decree 30 Art. 10–13)."""

    REVIEW = "review", _("Review by the drafting unit's head")
    OFFICE = "office", _("Check by the office leader (content and format)")
    SIGN = "sign", _("Signature")


class StepState(models.TextChoices):
    WAITING = "waiting", _("Not reached yet")
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", pgettext_lazy("step", "Approved")
    SENT_BACK = "sent_back", _("Sent back")


class ApprovalStep(models.Model):
    """A step of the circuit: one approver, in order; any step may send the draft back."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="approval_steps")
    order = models.PositiveSmallIntegerField()
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("approver"))
    state = models.CharField(_("state"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    round = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["document", "round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "round", "order"], name="approval_step_once"),
        ]
        indexes = [models.Index(fields=["approver", "state"], name="approval_approver_state")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.stage} {self.state}"


class Recipient(models.Model):
    """A recipient of an outgoing document (Nơi nhận): a unit, a body with its code, or a name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("recipient"), max_length=255)
    identifier_code = models.CharField(_("identifier code"), max_length=35, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EDXML)
    for_information = models.BooleanField(_("for information"), default=False)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    last_status = models.CharField(_("last status from the recipient"), max_length=2, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ExchangeMessage(models.Model):
    """An edXML package sent or received for a document: the document itself, or a status (01–16).

    Packages to send are written to the outbox directory, where the connector to the hub (trục liên
    thông) picks them up; received ones are kept as files of the document.
    """

    class Way(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="exchange_messages")
    way = models.CharField(max_length=3, choices=Way.choices)
    status_code = models.CharField(_("status code"), max_length=2, blank=True)
    # One package may go to many bodies at once (a circular to every department): their codes, comma-separated.
    organ_id = models.TextField(_("other parties' identifier codes"), blank=True)
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return f"{self.way} {self.status_code or 'document'} {self.file_name}"
