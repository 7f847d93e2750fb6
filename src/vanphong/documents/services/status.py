"""Status messages back to the sender of an electronic arrival (QCVN 102 status packages).

01 arrived and 03 registered the day it arrives (Decree 30 Art. 20: confirm receipt the same day), 04
when the leader assigns it, 05 when a unit starts handling it, 06 when it is finished, 02 when it is
refused. Each status is sent once; packages go to the outbox directory after the transaction commits.

The other way, the statuses our recipients send back about our outgoing documents are received by
``exchange.receive_status``; ``moves_forward`` decides whether one replaces a recipient's last status.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from vanphong.documents.models import Channel, Document, EventKind, ExchangeMessage, Register
from vanphong.lib import edxml

# Status codes (three implementations agree on 01–06).
ARRIVED, REFUSED, REGISTERED, ASSIGNED, PROCESSING, FINISHED = "01", "02", "03", "04", "05", "06"
RECALL_REQUESTED, RECALL_ACCEPTED, RECALL_REFUSED = "13", "15", "16"

# What each code tells the sender about a recipient (shown on the outgoing document's page).
STATUS_LABELS = {
    ARRIVED: pgettext_lazy("edxml status", "Arrived (đã đến)"),
    REFUSED: pgettext_lazy("edxml status", "Refused (từ chối tiếp nhận)"),
    REGISTERED: pgettext_lazy("edxml status", "Registered (đã vào sổ)"),
    ASSIGNED: pgettext_lazy("edxml status", "Assigned (đã phân công)"),
    PROCESSING: pgettext_lazy("edxml status", "Being handled (đang xử lý)"),
    FINISHED: pgettext_lazy("edxml status", "Finished (hoàn thành)"),
    RECALL_REQUESTED: pgettext_lazy("edxml status", "Recall requested (yêu cầu thu hồi)"),
    RECALL_ACCEPTED: pgettext_lazy("edxml status", "Recall accepted (đồng ý thu hồi)"),
    RECALL_REFUSED: pgettext_lazy("edxml status", "Recall refused (từ chối thu hồi)"),
}
UNKNOWN_STATUS = gettext_lazy("Status {code}")

# The order of a recipient's statuses, so that one arriving late cannot move it backwards: a document
# arrives (01), is registered (03), assigned (04), handled (05), finished (06); a refusal (02) ends the
# handling as 06 does; the answers about a recall (13, 15, 16) come after any of those. Codes 07-12 and
# 14, whose meaning is unknown, rank lowest. Between two codes of the same rank the later arrival wins.
STATUS_RANK = {
    ARRIVED: 1,
    REGISTERED: 2,
    ASSIGNED: 3,
    PROCESSING: 4,
    FINISHED: 5,
    REFUSED: 5,
    RECALL_REQUESTED: 6,
    RECALL_ACCEPTED: 6,
    RECALL_REFUSED: 6,
}


def moves_forward(current: str, received: str) -> bool:
    """Whether status ``received`` replaces a recipient's ``current`` last status (see ``STATUS_RANK``)."""
    return not current or STATUS_RANK.get(received, 0) >= STATUS_RANK.get(current, 0)


def status_label(code: str) -> str:
    """The words for a status code, in the current language."""
    label = STATUS_LABELS.get(code)
    return str(label) if label is not None else str(UNKNOWN_STATUS).format(code=code)


def our_organ_id(register: Register) -> str:
    return register.organization.identifier_code or str(settings.EDXML_ORGAN_ID)


def _symbol(code_number: str, code_notation: str) -> str:
    """Party symbols are "57-NQ/TW" (the notation holds a slash), State ones "12/QĐ-UBND"."""
    if not code_number:
        return code_notation
    return f"{code_number}-{code_notation}" if "/" in code_notation else f"{code_number}/{code_notation}"


def _outbox_write(name: str, data: bytes) -> None:
    folder = Path(settings.EDXML_OUTBOX_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(data)
    temporary.replace(folder / name)


def _queue(document: Document, *, way: str, data: bytes, name: str, organ_id: str, code: str = "") -> None:
    ExchangeMessage.objects.create(
        document=document,
        way=way,
        status_code=code,
        organ_id=organ_id,
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=name,
    )
    if way == ExchangeMessage.Way.OUT:
        transaction.on_commit(lambda: _outbox_write(name, data))


def status_changed(document: Document, code: str, *, description: str = "") -> None:
    """Tell the sender of an electronic arrival where its document stands (inside the transaction)."""
    if document.channel != Channel.EDXML or not document.sender_code or not document.edxml_document_id:
        return
    if ExchangeMessage.objects.filter(document=document, way=ExchangeMessage.Way.OUT, status_code=code).exists():
        return
    register = document.register
    if not our_organ_id(register):
        # Without our own identifier code (mã định danh) no status can be addressed; the administrator
        # sets it on the body or in VANPHONG_EDXML_ORGAN_ID, and `vanphong check` should say so.
        return
    status = edxml.StatusPackage(
        response_for=edxml.ResponseFor(
            organ_id=document.sender_code,
            code=document.number_symbol,
            promulgation_date=document.document_date,
            document_id=document.edxml_document_id,
        ),
        from_=edxml.Organ(organ_id=our_organ_id(register), organ_name=register.organization.full_name),
        status_code=code,
        description=description,
        timestamp=timezone.localtime(),
    )
    data = edxml.build_status(status)
    name = f"status-{code}-{document.pk}-{timezone.now():%Y%m%d%H%M%S%f}.edxml"
    _queue(document, way=ExchangeMessage.Way.OUT, data=data, name=name, organ_id=document.sender_code, code=code)
    document.events.create(kind=EventKind.STATUS_SENT, data={"status": code, "to": document.sender_code})
