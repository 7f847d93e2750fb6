"""Statuses back: the bodies we dispatched a document to answer with QCVN 102 status packages."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.models import AuditEntry
from vanphong.documents.edxml_cli import edxml_command
from vanphong.documents.models import ApprovalStep, Document, ExchangeMessage, Recipient
from vanphong.documents.services import exchange, outgoing
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_outgoing import _draft, _load
from vanphong.documents.tests.test_views import english
from vanphong.lib import edxml, pki

pytestmark = pytest.mark.django_db

OURS = "000.00.02.H70"  # Văn phòng Tỉnh ủy Sơn Hà
COMMITTEE = "000.00.00.H70"  # Ủy ban nhân dân tỉnh Sơn Hà
HOME_AFFAIRS = "000.00.01.H70"  # Sở Nội vụ
STRANGER = "000.00.09.H70"  # Sở Tài chính, not a recipient


@pytest.fixture(scope="module")
def ca() -> pki.CertificateAuthority:
    return pki.make_ca("Vanphong Test CA", organization="Tỉnh Sơn Hà (thử nghiệm)")


@pytest.fixture(scope="module")
def bodies(ca: pki.CertificateAuthority) -> dict[str, pki.SigningIdentity]:
    return {
        COMMITTEE: ca.issue_organization("Ủy ban nhân dân tỉnh Sơn Hà", locality="Sơn Hà"),
        HOME_AFFAIRS: ca.issue_organization("Sở Nội vụ tỉnh Sơn Hà", locality="Sơn Hà"),
        STRANGER: ca.issue_organization("Sở Tài chính tỉnh Sơn Hà", locality="Sơn Hà"),
    }


@pytest.fixture
def sent(desk: Desk, ca: pki.CertificateAuthority, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> Document:
    """A công văn of Văn phòng Tỉnh ủy dispatched as edXML to UBND tỉnh and Sở Nội vụ."""
    with override_settings(EDXML_OUTBOX_DIR=tmp_path):
        type(desk.outgoing.organization).objects.filter(pk=desk.outgoing.organization_id).update(identifier_code=OURS)
        desk.outgoing.organization.refresh_from_db()
        desk.incoming.organization.refresh_from_db()
        _load(ca, desk, desk.office.chief)
        document = _draft(desk)
        outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
        outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
        outgoing.sign(desk.actor(desk.office.chief), document)
        outgoing.issue(desk.actor(desk.office.clerk), document)
        with django_capture_on_commit_callbacks(execute=True):
            assert len(exchange.dispatch(desk.actor(desk.office.clerk), document)) == 2
    document.refresh_from_db()
    return document


def _status(
    identity: pki.SigningIdentity | None,
    *,
    organ_id: str,
    code: str,
    document_id: str,
    minutes: int = 0,
    description: str = "",
) -> bytes:
    """A status package from ``organ_id`` about ``document_id``, signed by ``identity`` when given."""
    status = edxml.StatusPackage(
        response_for=edxml.ResponseFor(organ_id=OURS, code="01-CV/VPTU", document_id=document_id),
        from_=edxml.Organ(organ_id=organ_id, organ_name="Ủy ban nhân dân tỉnh Sơn Hà"),
        status_code=code,
        description=description or f"Trạng thái {code} của văn bản số 01-CV/VPTU",
        timestamp=timezone.localtime() + datetime.timedelta(minutes=minutes),
    )
    built = edxml.build_status(status)
    if identity is None:
        return built
    key = identity.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return edxml.sign_package(built, key, identity.certificate.public_bytes(serialization.Encoding.PEM))


def _recipient(document: Document, code: str) -> Recipient:
    return Recipient.objects.get(document=document, identifier_code=code)


def _received(document: Document) -> list[tuple[str, str]]:
    rows = ExchangeMessage.objects.filter(document=document, way="in").order_by("id")
    return list(rows.values_list("organ_id", "status_code"))


def test_statuses_from_both_bodies_move_their_recipients_forward(
    desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    actor = desk.actor(desk.office.clerk)
    document_id = exchange.outgoing_document_id(sent)
    assert document_id == f"{OURS},{sent.document_date:%Y/%m/%d},01/CV/VPTU"
    for code in ("01", "03"):
        data = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code=code, document_id=document_id)
        assert exchange.import_package(actor, desk.incoming, data) == (sent, True)
    data = _status(bodies[HOME_AFFAIRS], organ_id=HOME_AFFAIRS, code="01", document_id=document_id)
    assert exchange.import_package(actor, desk.incoming, data) == (sent, True)
    assert _recipient(sent, COMMITTEE).last_status == "03"
    assert _recipient(sent, HOME_AFFAIRS).last_status == "01"
    assert _received(sent) == [(COMMITTEE, "01"), (COMMITTEE, "03"), (HOME_AFFAIRS, "01")]
    entry = AuditEntry.objects.filter(action="documents.outgoing.status_received").order_by("id").last()
    assert entry is not None and entry.after is not None
    assert entry.after["status"] == "01" and entry.after["organ_id"] == HOME_AFFAIRS
    assert entry.after["signature"] == "valid"
    assert entry.after["sha256"] == hashlib.sha256(data).hexdigest()
    # Nothing was registered as an incoming document.
    assert not Document.objects.filter(register=desk.incoming).exists()


def test_the_same_status_twice_is_recorded_once(
    desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    actor = desk.actor(desk.office.clerk)
    document_id = exchange.outgoing_document_id(sent)
    data = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="04", document_id=document_id)
    assert exchange.import_package(actor, desk.incoming, data) == (sent, True)
    assert exchange.import_package(actor, desk.incoming, data) == (sent, False)
    # The hub resends the same status in a new package (a new timestamp): still the same fact.
    again = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="04", document_id=document_id, minutes=5)
    assert hashlib.sha256(again).digest() != hashlib.sha256(data).digest()
    assert exchange.import_package(actor, desk.incoming, again) == (sent, False)
    assert _received(sent) == [(COMMITTEE, "04")]
    assert AuditEntry.objects.filter(action="documents.outgoing.status_received").count() == 1


def test_an_older_status_arriving_late_does_not_move_the_recipient_back(
    desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    actor = desk.actor(desk.office.clerk)
    document_id = exchange.outgoing_document_id(sent)
    for code in ("06", "05", "01"):  # finished arrives before "being handled" and "arrived"
        data = _status(bodies[HOME_AFFAIRS], organ_id=HOME_AFFAIRS, code=code, document_id=document_id)
        assert exchange.import_package(actor, desk.incoming, data) == (sent, True)
    assert _recipient(sent, HOME_AFFAIRS).last_status == "06"
    assert _received(sent) == [(HOME_AFFAIRS, "06"), (HOME_AFFAIRS, "05"), (HOME_AFFAIRS, "01")]
    # The answer to a recall comes after the handling.
    data = _status(bodies[HOME_AFFAIRS], organ_id=HOME_AFFAIRS, code="15", document_id=document_id)
    exchange.import_package(actor, desk.incoming, data)
    assert _recipient(sent, HOME_AFFAIRS).last_status == "15"
    assert _recipient(sent, COMMITTEE).last_status == ""


def _refused(desk: Desk, data: bytes) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        exchange.import_package(desk.actor(desk.office.clerk), desk.incoming, data)
    return " ".join(caught.value.message_dict["package"])


def _nothing_stored(sent: Document) -> None:
    assert _received(sent) == []
    assert set(sent.recipients.values_list("last_status", flat=True)) == {""}
    assert not AuditEntry.objects.filter(action="documents.outgoing.status_received").exists()


def test_a_status_for_an_unknown_document_or_from_a_stranger_is_refused(
    desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    unknown = f"{OURS},{sent.document_date:%Y/%m/%d},99/CV/VPTU"
    message = _refused(desk, _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="01", document_id=unknown))
    assert "did not send" in message and "99/CV/VPTU" in message
    someone_else = exchange.outgoing_document_id(sent).replace(OURS, "000.00.05.H70")
    message = _refused(desk, _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="01", document_id=someone_else))
    assert "did not send" in message
    document_id = exchange.outgoing_document_id(sent)
    message = _refused(desk, _status(bodies[STRANGER], organ_id=STRANGER, code="01", document_id=document_id))
    assert STRANGER in message and "was not sent" in message
    _nothing_stored(sent)


def test_a_tampered_status_is_refused_and_an_untrusted_one_is_recorded_as_such(
    desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    document_id = exchange.outgoing_document_id(sent)
    data = _status(
        bodies[COMMITTEE], organ_id=COMMITTEE, code="02", document_id=document_id, description="Không đúng thẩm quyền"
    )
    tampered = data.replace("Không đúng thẩm quyền".encode(), "Đúng thẩm quyền".encode(), 1)
    assert tampered != data
    assert "altered after it was signed" in _refused(desk, tampered)
    _nothing_stored(sent)
    # Signed by a body whose CA we do not trust: kept, and the audit says so (as for a document package).
    outsider = pki.make_ca("CA lạ", organization="Không rõ").issue_organization("Ủy ban nhân dân tỉnh Sơn Hà")
    data = _status(outsider, organ_id=COMMITTEE, code="02", document_id=document_id)
    assert exchange.import_package(desk.actor(desk.office.clerk), desk.incoming, data) == (sent, True)
    entry = AuditEntry.objects.get(action="documents.outgoing.status_received")
    assert entry.after is not None and entry.after["signature"] == "untrusted"
    assert _recipient(sent, COMMITTEE).last_status == "02"


def test_the_document_page_shows_each_recipients_status_in_words(
    client: Client, desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    document_id = exchange.outgoing_document_id(sent)
    data = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="03", document_id=document_id)
    exchange.import_package(desk.actor(desk.office.clerk), desk.incoming, data)
    arrived = ExchangeMessage.objects.get(document=sent, way="in").at
    english(client).force_login(desk.office.clerk)
    page = client.get(reverse("documents:document", kwargs={"pk": sent.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="recipients"') :]
    table = table[: table.index("</table>")]
    assert '<span data-status="03">Registered (đã vào sổ)</span>' in table
    assert timezone.localtime(arrived).strftime("%d/%m/%Y %H:%M") in table
    assert table.count("data-status=") == 1  # Sở Nội vụ has sent nothing yet: "—"


def test_the_cli_imports_and_inspects_a_status_package(
    desk: Desk,
    sent: Document,
    bodies: dict[str, pki.SigningIdentity],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    document_id = exchange.outgoing_document_id(sent)
    path = tmp_path / "status-04.edxml"
    path.write_bytes(_status(bodies[HOME_AFFAIRS], organ_id=HOME_AFFAIRS, code="04", document_id=document_id))
    assert edxml_command(["inspect", str(path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "status" and summary["status_code"] == "04"
    assert summary["response_for"]["document_id"] == document_id
    assert summary["from"]["id"] == HOME_AFFAIRS
    args = ["import", str(path), "--register", str(desk.incoming.pk), "--user", desk.office.clerk.username]
    with translation.override("en"):
        assert edxml_command(args) == 0
        assert "status recorded for 01-CV/VPTU" in capsys.readouterr().out
        assert edxml_command(args) == 0
        assert "status already recorded" in capsys.readouterr().out
    assert _recipient(sent, HOME_AFFAIRS).last_status == "04"
    assert _received(sent) == [(HOME_AFFAIRS, "04")]
    stranger = tmp_path / "stranger.edxml"
    stranger.write_bytes(_status(bodies[STRANGER], organ_id=STRANGER, code="01", document_id=document_id))
    with translation.override("en"):
        assert edxml_command(["import", str(stranger), "--register", str(desk.incoming.pk),
                              "--user", desk.office.clerk.username]) == 1  # fmt: skip
    assert "was not sent" in capsys.readouterr().err
    assert _received(sent) == [(HOME_AFFAIRS, "04")]


def test_the_import_page_and_the_api_take_status_packages_too(
    client: Client, desk: Desk, sent: Document, bodies: dict[str, pki.SigningIdentity]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vanphong.documents.tests.test_api import bearer

    document_id = exchange.outgoing_document_id(sent)
    data = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="01", document_id=document_id)
    english(client).force_login(desk.office.clerk)
    page = client.post(
        reverse("documents:import_package", kwargs={"pk": desk.incoming.pk}),
        {"package": SimpleUploadedFile("status-01.edxml", data, content_type="application/xml")},
    )
    assert page.status_code == 302 and page["Location"] == reverse("documents:document", kwargs={"pk": sent.pk})
    assert _recipient(sent, COMMITTEE).last_status == "01"
    shown = client.get(page["Location"]).content.decode()
    assert f"The recipient&#x27;s status for {sent.number_symbol} has been recorded." in shown
    assert "arrival number" not in shown
    url = f"/api/documents/registers/{desk.incoming.pk}/edxml"
    data = _status(bodies[COMMITTEE], organ_id=COMMITTEE, code="05", document_id=document_id)
    headers = bearer(desk.office.clerk)
    response = client.post(url, data=data, content_type="application/xml", headers=headers)
    assert response.status_code == 201 and response.json()["document"]["id"] == sent.pk
    response = client.post(url, data=data, content_type="application/xml", headers=headers)
    assert response.status_code == 200 and response.json()["created"] is False
    assert _recipient(sent, COMMITTEE).last_status == "05"
    assert _received(sent) == [(COMMITTEE, "01"), (COMMITTEE, "05")]
