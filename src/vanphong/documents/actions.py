"""What people read for the audit actions of the documents module (``documents.*``).

Core shows an audit entry's action through ``core.models.audit.ACTION_LABELS``; the module adds its
own labels there when it loads (``DocumentsConfig.ready``), as the counting room does.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "documents.register.export": _("Register exported (printed, XLSX or PDF)"),
    "documents.register.export_queued": _("Register export queued (prepared in the background)"),
}


def register() -> None:
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
