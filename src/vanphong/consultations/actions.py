"""What people read for the audit actions written consultations record (``consultations.*``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "consultations.create": _("Written consultation drafted"),
    "consultations.update": _("Written consultation changed"),
    "consultations.members.add": _("Members added to a consultation"),
    "consultations.members.remove": _("Member taken off a consultation"),
    "consultations.members.set": _("Members of a consultation changed"),
    "consultations.open": _("Written consultation sent to the members"),
    "consultations.answer": _("Answer to a consultation given"),
    "consultations.remind": _("Members reminded to answer"),
    "consultations.close": _("Written consultation closed and counted"),
    "consultations.secret.view": _("Secret document read through a consultation"),
    "consultations.secret.download": _("Secret document's file opened through a consultation"),
}


def register() -> None:
    """Add the labels to the ones core shows on history pages."""
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
