"""edXML packets, QCVN 102:2016/BTTTT and amendment 1:2022: build, parse, sign, verify, inspect.

The fixture ``edxml_fixtures/vpcp_sdk_shape.edxml`` copies the structure of the VPCP SDK sample
``edoc_new.edxml`` with fictional data. Keys and certificates are made here with ``cryptography``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from reportlab.pdfgen import canvas

from vanphong.lib.edxml import (
    DSIG_NS,
    EDXML_NS,
    ERROR_CODES,
    Attachment,
    Business,
    EdxmlError,
    MessageHeader,
    Organ,
    Package,
    ReceiverChange,
    Replacement,
    ResponseFor,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    build_package,
    build_status,
    document_id,
    inspect,
    parse_package,
    parse_status,
    sign_package,
    sniff_kind,
    verify_package,
)
from vanphong.lib.edxml import model as edxml_model
from vanphong.lib.edxml.model import VIETNAM_TIME, safe_attachment_name

FIXTURES = Path(__file__).parent / "edxml_fixtures"
NS = {"e": EDXML_NS, "ds": DSIG_NS}

# --- keys and certificates ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    key_pem: bytes
    cert_pem: bytes
    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Pki:
    ca_pem: bytes  # the province's test certification authority
    other_ca_pem: bytes  # an authority we do not trust for this province
    clerk: Signer  # the văn thư of Văn phòng UBND tỉnh Sơn Hà, issued by the CA
    ec_clerk: Signer  # the same office with an EC key
    outsider: Signer  # a self-signed certificate nobody vouches for


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ủy ban nhân dân tỉnh Sơn Hà"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    now = datetime.now(tz=UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _signer(cert: x509.Certificate, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> Signer:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Signer(key_pem=key_pem, cert_pem=_pem(cert), cert=cert, key=key)


@pytest.fixture(scope="module")
def pki() -> Pki:
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("CA chuyên dùng tỉnh Sơn Hà (thử nghiệm)")
    ca = _certificate(ca_name, ca_key, ca_name, ca_key, ca=True)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_name = _name("CA tỉnh Bắc Giang (thử nghiệm)")
    other = _certificate(other_name, other_key, other_name, other_key, ca=True)
    clerk_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    clerk = _certificate(_name("Văn thư Văn phòng UBND tỉnh Sơn Hà"), clerk_key, ca_name, ca_key, ca=False)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_clerk = _certificate(_name("Văn phòng UBND tỉnh Sơn Hà (EC)"), ec_key, ca_name, ca_key, ca=False)
    outsider_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    outsider_name = _name("Người ngoài")
    outsider = _certificate(outsider_name, outsider_key, outsider_name, outsider_key, ca=False)
    return Pki(
        ca_pem=_pem(ca),
        other_ca_pem=_pem(other),
        clerk=_signer(clerk, clerk_key),
        ec_clerk=_signer(ec_clerk, ec_key),
        outsider=_signer(outsider, outsider_key),
    )


# --- a realistic package ------------------------------------------------------------------------


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "UY BAN NHAN DAN TINH SON HA - So: 12/QD-UBND")
    page.drawString(72, 740, "Quyet dinh ban hanh Quy che lam viec")
    page.save()
    return out.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Tờ trình về việc ban hành Quy chế làm việc", level=1)
    document.add_paragraph("Kính gửi: Ủy ban nhân dân tỉnh Sơn Hà. Văn phòng Tỉnh ủy đề nghị …")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF = _pdf()
DOCX = _docx()

SON_HA = Organ(
    organ_id="000.00.00.H70",
    organization_in_charge="Ủy ban nhân dân tỉnh Sơn Hà",
    organ_name="Văn phòng Ủy ban nhân dân tỉnh Sơn Hà",
    organ_add="Số 1 đường Trần Hưng Đạo, thành phố Sơn Hà",
    email="vanphong@sonha.gov.vn",
    telephone="0203 3825 111",
    fax="0203 3825 112",
    website="sonha.gov.vn",
)
NOI_VU = Organ(organ_id="000.00.01.H70", organ_name="Sở Nội vụ tỉnh Sơn Hà", email="snv@sonha.gov.vn")
TINH_UY = Organ(organ_id="000.00.00.T70", organ_name="Văn phòng Tỉnh ủy Sơn Hà")

HEADER = MessageHeader(
    from_=SON_HA,
    to=(NOI_VU, TINH_UY),
    code_number="12",
    code_notation="QĐ-UBND",
    promulgation_place="Sơn Hà",
    promulgation_date=date(2025, 3, 14),
    document_type=2,
    type_detail=2,
    type_name="Quyết định",
    subject="Ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh Sơn Hà nhiệm kỳ 2021-2026",
    content="Quy chế gồm 5 chương, 32 điều; có hiệu lực từ ngày ký.",
    signer_competence="TM. ỦY BAN NHÂN DÂN",
    signer_position="Chủ tịch",
    signer_full_name="Nguyễn Văn Bình",
    due_date=date(2025, 3, 31),
    to_places=("Như Điều 3;", "Thường trực Tỉnh ủy;", "Lưu: VT, NC."),
    priority=2,
    sphere_of_promulgation="Liên thông văn bản quốc gia",
    typer_notation="NC",
    promulgation_amount=15,
    page_amount=4,
    appendixes=("Quy chế làm việc của Ủy ban nhân dân tỉnh Sơn Hà",),
    steering_type=1,
    response_for=ResponseFor(
        organ_id="000.00.00.T70",
        code="57-TTr/VPTU",
        promulgation_date=date(2025, 3, 1),
        document_id="000.00.00.T70,2025/03/01,57/TTr-VPTU",
    ),
)

PACKAGE = Package(
    header=HEADER,
    traces=(TraceHeader(organ_id="000.00.00.H70", timestamp=datetime(2025, 3, 14, 9, 30, tzinfo=VIETNAM_TIME)),),
    business=Business(
        doc_type=0,
        reason="Văn bản điện tử mới",
        document_id="000.00.00.H70,2025/03/14,12/QĐ-UBND",
        paper=0,
        staff=StaffInfo(
            department="Văn thư Văn phòng", staff="Trần Thị Hoa", mobile="0912000001", email="vt@sonha.gov.vn"
        ),
    ),
    attachments=(
        Attachment(
            content_id="qd-12",
            name="Quyết định 12-QĐ-UBND.pdf",
            description="Quyết định (bản ký số)",
            content_type="application/pdf",
            data=PDF,
        ),
        Attachment(
            content_id="tt-57",
            name="Tờ trình 57-TTr-VPTU.docx",
            description="Tờ trình kèm theo",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            data=DOCX,
        ),
    ),
)


def expect_error(code: str) -> AbstractContextManager[pytest.ExceptionInfo[EdxmlError]]:
    assert code in ERROR_CODES
    return pytest.raises(EdxmlError, match=f"^{code}:")


def built() -> bytes:
    return build_package(PACKAGE)


def with_header(**changes: object) -> Package:
    return replace(PACKAGE, header=replace(HEADER, **changes))  # type: ignore[arg-type]


# --- DocumentId (1.14) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organ_id", "day", "number", "notation", "expected"),
    [
        ("000.00.00.G22", date(2015, 9, 30), "7816", "VPCP-TTĐT", "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"),
        ("000.00.00.H70", date(2025, 3, 14), "12", "QĐ-UBND", "000.00.00.H70,2025/03/14,12/QĐ-UBND"),
        ("000.00.00.T70", date(2024, 1, 5), "57", "NQ/TW", "000.00.00.T70,2024/01/05,57/NQ/TW"),
        ("H70", date(2025, 12, 1), "03", "KH-UBND", "H70,2025/12/01,03/KH-UBND"),
    ],
)
def test_document_id_follows_rule_1_14(organ_id: str, day: date, number: str, notation: str, expected: str) -> None:
    assert document_id(organ_id, day, number, notation) == expected


@pytest.mark.parametrize("organ_id", ["000.00.00.h70", "A" * 36, "", "000 00 00 H70"])
def test_document_id_refuses_a_bad_sender_code(organ_id: str) -> None:
    with pytest.raises(EdxmlError) as caught:
        document_id(organ_id, date(2025, 3, 14), "12", "QĐ-UBND")
    assert caught.value.code in {"bad_organ_id", "missing_element"}


# --- build and parse ----------------------------------------------------------------------------


def test_round_trip_keeps_every_field_and_both_attachments() -> None:
    parsed = parse_package(built())
    derived = "000.00.00.H70,2025/03/14,12/QĐ-UBND"
    assert parsed == replace(PACKAGE, header=replace(HEADER, document_id=derived))
    assert [a.size for a in parsed.attachments] == [len(PDF), len(DOCX)]
    assert parsed.attachments[0].data.startswith(b"%PDF")
    assert parsed.attachments[1].data.startswith(b"PK")  # a DOCX is a zip
    assert parsed.signed is False


def test_built_packet_has_the_sdk_layout_prefixes_and_formats() -> None:
    xml = built()
    root = etree.fromstring(xml)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.tag == f"{{{EDXML_NS}}}edXML" and root.prefix is None
    envelope = root[0]
    assert envelope.prefix == "edXML"
    assert root.find("e:AttachmentEncoded", NS).prefix is None
    assert root.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", NS).prefix == "edXML"
    assert b"<edXML:Bussiness>" in xml and b"<edXML:Business>" not in xml
    assert b"<edXML:PromulgationDate>2025/03/14</edXML:PromulgationDate>" in xml
    assert b"<edXML:Timestamp>2025/03/14 09:30:00</edXML:Timestamp>" in xml
    references = root.findall("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference/e:ContentId", NS)
    assert [r.text for r in references] == ["cid:qd-12", "cid:tt-57"]
    assert root.find("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest", NS).get("version") == "1.0"
    encoded = root.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", NS).text
    assert base64.b64decode(encoded) == PDF


def _paths(root: etree._Element) -> list[str]:
    return [
        "/".join(etree.QName(e).localname for e in reversed([el, *el.iterancestors()]))
        for el in root.iter()
        if isinstance(el.tag, str)
    ]


def test_built_packet_has_the_same_structure_as_the_sdk_sample() -> None:
    sample = etree.fromstring((FIXTURES / "vpcp_sdk_shape.edxml").read_bytes())
    ours = etree.fromstring(built())
    sample_paths = [p for p in _paths(sample) if "/Signature" not in p and "/To/" not in p]
    our_paths = set(_paths(ours))
    assert set(sample_paths) <= our_paths
    header = "e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"
    sample_order = [etree.QName(e).localname for e in sample.find(header, NS)]
    our_order = [etree.QName(e).localname for e in ours.find(header, NS)]
    assert [name for name in dict.fromkeys(our_order) if name in sample_order] == list(dict.fromkeys(sample_order))


def test_sdk_shaped_fixture_parses() -> None:
    data = (FIXTURES / "vpcp_sdk_shape.edxml").read_bytes()
    package = parse_package(data)
    header = package.header
    assert header.from_.organ_name == "Văn phòng Ủy ban nhân dân tỉnh Sơn Hà"
    assert [organ.organ_id for organ in header.to] == ["000.00.01.H70", "000.00.00.K70"]
    assert header.to[0].organization_in_charge == "Ủy ban nhân dân tỉnh Sơn Hà"  # leading space trimmed
    assert (header.code_number, header.code_notation, header.promulgation_date) == ("12", "QĐ-UBND", date(2025, 3, 14))
    assert header.document_id == "000.00.00.H70,2025/03/14,12/QĐ-UBND"
    assert (header.priority, header.due_date, header.steering_type) == (1, date(2025, 3, 31), 1)
    assert header.to_places == ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thành phố")
    assert package.business is not None and package.business.staff is not None
    assert package.business.staff.staff == "Trần Thị Hoa"
    assert package.traces[0].timestamp == datetime(2025, 3, 14, 2, 30, tzinfo=UTC)
    (attachment,) = package.attachments
    assert (attachment.content_id, attachment.content_type, attachment.size) == ("209", "application/zip", 247)
    # The sample's Signature lacks the XML-DSig namespace: it is not a signature we can check.
    assert package.signed is False
    check = verify_package(data)
    assert check.status == "unsigned" and "outside the XML-DSig namespace" in check.detail
    assert sniff_kind(data) == "document"


def _fixture_text() -> str:
    return (FIXTURES / "vpcp_sdk_shape.edxml").read_text(encoding="utf-8")


def test_hub_variants_are_read() -> None:
    text = _fixture_text()
    # BKAV writes dd/MM/yyyy; others put Bussiness before TraceHeader and leave hop OrganIds empty or "null".
    text = text.replace("<edXML:PromulgationDate>2025/03/14", "<edXML:PromulgationDate>14/03/2025")
    text = text.replace("<edXML:DueDate>2025/03/31", "<edXML:DueDate>2025-03-31")
    trace = re.search(r"<edXML:TraceHeader>.*?</edXML:TraceHeader>", text, re.S)
    assert trace is not None
    hops = (
        "<edXML:TraceHeader><edXML:OrganId>null</edXML:OrganId>"
        "<edXML:Timestamp>2025/03/14 10:27:35</edXML:Timestamp></edXML:TraceHeader>"
        "<edXML:TraceHeader><edXML:Timestamp>2025-03-14T10:40:04+07:00</edXML:Timestamp></edXML:TraceHeader>"
    )
    text = text.replace(trace.group(0), "")
    text = text.replace("</edXML:Bussiness>", "</edXML:Bussiness>" + hops)
    package = parse_package(text.encode())
    assert package.header.promulgation_date == date(2025, 3, 14)
    assert package.header.due_date == date(2025, 3, 31)
    assert [t.organ_id for t in package.traces] == ["null", ""]
    assert package.traces[1].timestamp == datetime(2025, 3, 14, 3, 40, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    "business",
    [
        Business(doc_type=1, reason="Thu hồi do sai thể thức", document_id="000.00.00.H70,2025/03/14,12/QĐ-UBND"),
        Business(
            doc_type=2,
            reason="Bổ sung nơi nhận",
            document_id="000.00.00.H70,2025/03/14,12/QĐ-UBND",
            receiver_changes=(
                ReceiverChange(organ_id="000.00.02.H70", added=True),
                ReceiverChange(organ_id="000.00.00.T70", added=False),
            ),
        ),
        Business(
            doc_type=3,
            reason="Thay thế Quyết định số 10/QĐ-UBND",
            paper=1,
            replacements=(
                Replacement(
                    document_id="000.00.00.H70,2025/03/01,10/QĐ-UBND", organ_ids=("000.00.01.H70", "000.00.00.T70")
                ),
            ),
        ),
    ],
    ids=["recall", "update", "replace"],
)
def test_business_actions_round_trip(business: Business) -> None:
    package = replace(PACKAGE, business=business)
    assert parse_package(build_package(package)).business == business


def test_naive_trace_timestamp_is_refused() -> None:
    package = replace(PACKAGE, traces=(TraceHeader(organ_id="000.00.00.H70", timestamp=datetime(2025, 3, 14)),))  # noqa: DTZ001
    with expect_error("bad_date"):
        build_package(package)


# --- signing and verifying ------------------------------------------------------------------------


def test_sign_then_verify_is_valid(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    check = verify_package(signed, trusted_certs_pem=[pki.ca_pem])
    assert check.status == "valid" and check.intact
    assert check.signer_subject is not None and "CN=Văn thư Văn phòng UBND tỉnh Sơn Hà" in check.signer_subject
    assert check.signer_fingerprint == pki.clerk.cert.fingerprint(hashes.SHA256()).hex()
    assert check.signature_algorithm == "rsa-sha256"
    assert parse_package(signed).signed is True


def test_signature_sits_in_the_header_and_covers_the_whole_packet(pki: Pki) -> None:
    root = etree.fromstring(sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem))
    header = root.find("e:edXMLEnvelope/e:edXMLHeader", NS)
    assert [etree.QName(e).localname for e in header] == ["MessageHeader", "TraceHeaderList", "Signature"]
    signature = header[-1]
    assert signature.tag == f"{{{DSIG_NS}}}Signature" and signature.prefix is None
    (reference,) = signature.findall("ds:SignedInfo/ds:Reference", NS)
    assert reference.get("URI") == ""
    transforms = [t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", NS)]
    assert transforms == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    assert reference.find("ds:DigestMethod", NS).get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"
    x509_data = signature.find("ds:KeyInfo/ds:X509Data", NS)
    assert [etree.QName(e).localname for e in x509_data] == ["X509SubjectName", "X509Certificate"]
    assert x509_data[0].text == pki.clerk.cert.subject.rfc4514_string()
    certificate = x509_data[1].text
    assert "\n" not in certificate
    assert base64.b64decode(certificate) == pki.clerk.cert.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("algorithm", "signature_uri_end"),
    [("rsa-sha256", "rsa-sha256"), ("rsa-sha512", "rsa-sha512"), ("rsa-sha1", "#rsa-sha1")],
)
def test_algorithms_are_a_parameter(pki: Pki, algorithm: str, signature_uri_end: str) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem, algorithm=algorithm)
    method = etree.fromstring(signed).find(".//ds:SignatureMethod", NS).get("Algorithm")
    assert method.endswith(signature_uri_end)
    assert verify_package(signed, trusted_certs_pem=[pki.ca_pem]).status == "valid"


def test_ecdsa_key_signs_and_verifies(pki: Pki) -> None:
    signed = sign_package(built(), pki.ec_clerk.key_pem, pki.ec_clerk.cert_pem, algorithm="ecdsa-sha256")
    assert verify_package(signed, trusted_certs_pem=[pki.ca_pem]).status == "valid"


def test_sha1_can_be_refused(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem, algorithm="rsa-sha1")
    check = verify_package(signed, trusted_certs_pem=[pki.ca_pem], allow_sha1=False)
    assert check.status == "untrusted" and not check.intact


def _flip_attachment_byte(signed: bytes) -> bytes:
    start = signed.index(base64.b64encode(DOCX)[:40])
    index = start + 100
    replacement = b"A" if signed[index : index + 1] != b"A" else b"B"
    return signed[:index] + replacement + signed[index + 1 :]


def _flip_after(xml: bytes, marker: bytes) -> bytes:
    index = xml.index(marker) + len(marker) + 5
    replacement = b"A" if xml[index : index + 1] != b"A" else b"B"
    return xml[:index] + replacement + xml[index + 1 :]


TAMPERINGS = {
    "one byte of an attachment's base64": _flip_attachment_byte,
    "the subject": lambda xml: xml.replace("nhiệm kỳ 2021-2026".encode(), "nhiệm kỳ 2026-2031".encode()),
    "a recipient removed": lambda xml: re.sub(
        rb"<edXML:To>\s*<edXML:OrganId>000.00.00.T70</edXML:OrganId>.*?</edXML:To>", b"", xml, flags=re.S
    ),
    "the priority": lambda xml: xml.replace(b"<edXML:Priority>2<", b"<edXML:Priority>0<"),
    "the SignatureValue": lambda xml: _flip_after(xml, b"<SignatureValue>"),
    "the digest value": lambda xml: _flip_after(xml, b"<DigestValue>"),
}


@pytest.mark.parametrize("what", list(TAMPERINGS))
def test_tampering_is_a_checksum_mismatch_and_tampered(pki: Pki, what: str) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    altered = TAMPERINGS[what](signed)
    assert altered != signed
    check = verify_package(altered, trusted_certs_pem=[pki.ca_pem])
    assert check.status == "tampered" and not check.intact
    with expect_error("checksum_mismatch"):
        parse_package(altered)
    assert inspect(altered)["signature"]["status"] == "tampered"


def test_trust_decisions(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    assert verify_package(signed, trusted_certs_pem=[pki.other_ca_pem]).status == "untrusted"
    assert verify_package(signed, trusted_certs_pem=None).status == "untrusted"
    assert verify_package(signed, trusted_certs_pem=[pki.other_ca_pem, pki.ca_pem]).status == "valid"
    # The signer's own certificate may be pinned instead of its authority.
    assert verify_package(signed, trusted_certs_pem=[pki.clerk.cert_pem]).status == "valid"
    later = datetime.now(tz=UTC) + timedelta(days=800)
    expired = verify_package(signed, trusted_certs_pem=[pki.ca_pem], at=later)
    assert expired.status == "untrusted" and expired.intact and "not valid" in expired.detail


def test_self_signed_outsider_is_untrusted_but_intact(pki: Pki) -> None:
    signed = sign_package(built(), pki.outsider.key_pem, pki.outsider.cert_pem)
    check = verify_package(signed, trusted_certs_pem=[pki.ca_pem])
    assert (check.status, check.intact) == ("untrusted", True)
    assert parse_package(signed).signed is True


def test_unsigned_packet_is_unsigned() -> None:
    check = verify_package(built())
    assert check.status == "unsigned" and check.signer_subject is None


def test_signing_refuses_bad_material(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    with expect_error("already_signed"):
        sign_package(signed, pki.clerk.key_pem, pki.clerk.cert_pem)
    with expect_error("bad_key"):
        sign_package(built(), pki.outsider.key_pem, pki.clerk.cert_pem)
    with expect_error("bad_key"):
        sign_package(built(), "-----BEGIN PRIVATE KEY-----\nkhông phải khóa\n".encode(), pki.clerk.cert_pem)
    with expect_error("bad_key"):
        sign_package(built(), pki.ec_clerk.key_pem, pki.ec_clerk.cert_pem, algorithm="rsa-sha256")
    with expect_error("bad_signature"):
        sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem, algorithm="md5")


def _sign_like_the_java_sdk(xml: bytes, signer: Signer) -> bytes:
    """Sign as the VPCP SDK sample declares: inclusive C14N for SignedInfo, unprefixed Signature.

    SignedInfo is canonicalised as a standalone root carrying its in-scope namespaces, which is what a
    correct C14N implementation (Apache Santuario in the Java SDK) produces for it in place.
    """
    root = etree.fromstring(xml)
    digest = base64.b64encode(hashlib.sha256(etree.tostring(root, method="c14n", exclusive=True)).digest()).decode()
    inner = (
        '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
        '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<Reference URI=""><Transforms>'
        '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>'
        '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<DigestValue>{digest}</DigestValue></Reference>"
    )
    standalone = f'<SignedInfo xmlns="{DSIG_NS}" xmlns:edXML="{EDXML_NS}">{inner}</SignedInfo>'
    canonical = etree.tostring(etree.fromstring(standalone.encode()), method="c14n")
    assert isinstance(signer.key, rsa.RSAPrivateKey)
    value = base64.b64encode(signer.key.sign(canonical, padding.PKCS1v15(), hashes.SHA256())).decode()
    certificate = base64.b64encode(signer.cert.public_bytes(serialization.Encoding.DER)).decode()
    signature = etree.fromstring(
        (
            f'<Signature xmlns="{DSIG_NS}"><SignedInfo>{inner}</SignedInfo>'
            f"<SignatureValue>{value}</SignatureValue><KeyInfo><X509Data>"
            f"<X509SubjectName>{signer.cert.subject.rfc4514_string()}</X509SubjectName>"
            f"<X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo></Signature>"
        ).encode()
    )
    root.find("e:edXMLEnvelope/e:edXMLHeader", NS).append(signature)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_packets_signed_like_the_sdk_with_inclusive_c14n_verify(pki: Pki) -> None:
    # libxml2 writes a spurious xmlns="" into inclusive C14N of a nested SignedInfo under edXML's
    # default namespace; without undoing that, every such hub packet would look tampered.
    signed = _sign_like_the_java_sdk(built(), pki.clerk)
    assert b"REC-xml-c14n-20010315" in signed
    check = verify_package(signed, trusted_certs_pem=[pki.ca_pem])
    assert check.status == "valid", check.detail
    assert parse_package(signed).signed is True
    tampered = signed.replace("Quy chế làm việc".encode(), "Quy chế tạm thời".encode(), 1)
    assert verify_package(tampered, trusted_certs_pem=[pki.ca_pem]).status == "tampered"


def test_signature_outside_the_header_or_partial_is_not_accepted(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    partial = signed.replace(b'<Reference URI="">', b'<Reference URI="#x">')
    assert verify_package(partial).status == "tampered"
    with expect_error("bad_signature"):
        parse_package(partial)
    root = etree.fromstring(signed)
    signature = root.find(".//ds:Signature", NS)
    root.append(signature)  # moved to the end of the packet, as signxml would place it by default
    moved = etree.tostring(root)
    assert verify_package(moved).status == "tampered"


# --- hostile input ----------------------------------------------------------------------------------

PASSWD_MARKERS = ("root:x:0", "/bin/bash", "daemon:")
VALID = built()
HEAD = VALID.split(b"\n", 1)[1]  # without the XML declaration

HOSTILE = {
    "xxe file": (
        b'<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + HEAD.replace("Ban hành Quy chế".encode(), b"&xxe;"),
        "forbidden_dtd",
    ),
    "billion laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
        )
        + b"]><edXML xmlns='"
        + EDXML_NS.encode()
        + b"'>&lol9;</edXML>",
        "forbidden_dtd",
    ),
    "external dtd": (b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/edxml.dtd">\n' + HEAD, "forbidden_dtd"),
    "parameter entities": (
        b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY % remote SYSTEM "file:///etc/passwd">'
        b"<!ENTITY % wrap \"<!ENTITY exfil SYSTEM 'http://127.0.0.1:9/?%remote;'>\">%wrap;]>" + HEAD,
        "forbidden_dtd",
    ),
    "doctype after a comment": ("<!-- lịch sử -->\n<!DOCTYPE edXML []>\n".encode() + HEAD, "forbidden_dtd"),
    "not xml": ("Kính gửi Ủy ban nhân dân tỉnh Sơn Hà".encode(), "not_xml"),
    "empty": (b"", "not_xml"),
    "whitespace only": (b"  \n\t ", "not_xml"),
    "gzip": (gzip.compress(VALID), "not_xml"),
    "utf-16": (VALID.decode().replace("UTF-8", "UTF-16").encode("utf-16"), "not_xml"),
    "truncated": (VALID[: len(VALID) // 2], "not_xml"),
    "pdf": (PDF, "not_xml"),
    "legacy eDoc envelope": (
        b'<?xml version="1.0" encoding="UTF-8"?><EdXMLEnvelope xmlns="http://www.go.vn/eDoc">'
        b"<EdXMLHeader/><EdXMLBody/></EdXMLEnvelope>",
        "wrong_namespace",
    ),
    "right name, no namespace": (b"<edXML><edXMLEnvelope/></edXML>", "wrong_namespace"),
    "soap wrapper": (
        b'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body/>'
        b"</SOAP-ENV:Envelope>",
        "wrong_namespace",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_inputs_are_refused(case: str) -> None:
    data, code = HOSTILE[case]
    for reader in (parse_package, parse_status, sniff_kind, inspect, verify_package):
        with pytest.raises(EdxmlError) as caught:
            reader(data)
        assert caught.value.code == code, (reader.__name__, caught.value)
        assert not any(marker in str(caught.value) for marker in PASSWD_MARKERS)


def test_wrong_namespace_names_what_it_found() -> None:
    with expect_error("wrong_namespace") as caught:
        parse_package(HOSTILE["legacy eDoc envelope"][0])
    assert "http://www.go.vn/eDoc" in caught.value.detail


def test_xinclude_is_never_processed() -> None:
    xinclude = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
    data = VALID.replace("Ban hành Quy chế".encode(), xinclude.encode())
    with expect_error("bad_value") as caught:
        parse_package(data)
    assert "Subject" in caught.value.detail
    assert not any(marker in str(caught.value) for marker in PASSWD_MARKERS)


def test_size_limits() -> None:
    with expect_error("too_large"):
        parse_package(VALID, max_bytes=len(VALID) - 1)
    assert parse_package(VALID, max_bytes=len(VALID)).header.code_number == "12"
    # One text node above libxml2's limit (no huge_tree): a single attachment over 7.5 MB.
    big = replace(PACKAGE, attachments=(replace(PACKAGE.attachments[0], data=b"\0" * 7_600_000),))
    with expect_error("too_large"):
        parse_package(build_package(big))


# --- required elements, lengths, values -------------------------------------------------------------


def _drop(xml: bytes, path: str) -> bytes:
    root = etree.fromstring(xml)
    for element in root.findall(path, NS):
        element.getparent().remove(element)
    return etree.tostring(root)


MH = "e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"


@pytest.mark.parametrize(
    ("path", "named"),
    [
        (f"{MH}/e:From", "From"),
        (f"{MH}/e:From/e:OrganId", "From/OrganId"),
        (f"{MH}/e:To", "To"),
        (f"{MH}/e:To/e:OrganId", "To/OrganId"),
        (f"{MH}/e:Code", "Code"),
        (f"{MH}/e:Code/e:CodeNumber", "Code/CodeNumber"),
        (f"{MH}/e:Code/e:CodeNotation", "Code/CodeNotation"),
        (f"{MH}/e:PromulgationInfo", "PromulgationInfo"),
        (f"{MH}/e:PromulgationInfo/e:PromulgationDate", "PromulgationInfo/PromulgationDate"),
        (f"{MH}/e:Subject", "Subject"),
        (MH, "MessageHeader"),
        ("e:edXMLEnvelope/e:edXMLHeader", "edXMLHeader"),
        ("e:edXMLEnvelope", "edXMLEnvelope"),
        ("e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:TraceHeader/e:Timestamp", "TraceHeader/Timestamp"),
        ("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", "ContentTransferEncoded"),
    ],
)
def test_each_required_element_missing_is_named(path: str, named: str) -> None:
    with expect_error("missing_element") as caught:
        parse_package(_drop(VALID, path))
    assert named in caught.value.detail


def test_empty_subject_is_missing() -> None:
    data = VALID.replace(HEADER.subject.encode(), b"   ")
    with expect_error("missing_element"):
        parse_package(data)
    with expect_error("missing_element"):
        build_package(with_header(subject=" "))


@pytest.mark.parametrize(
    ("field", "element", "limit"),
    [
        ("subject", "Subject", 500),
        ("content", "Content", 500),
        ("code_number", "CodeNumber", 11),
        ("code_notation", "CodeNotation", 30),
        ("promulgation_place", "Place", 50),
        ("type_name", "TypeName", 100),
        ("signer_competence", "Competence", 100),
        ("signer_position", "Position", 100),
        ("signer_full_name", "FullName", 50),
        ("sphere_of_promulgation", "SphereOfPromulgation", 100),
        ("typer_notation", "TyperNotation", 10),
    ],
)
def test_too_long_fields_fail_on_build_and_parse(field: str, element: str, limit: int) -> None:
    just_right = "Đ" * limit
    assert getattr(parse_package(build_package(with_header(**{field: just_right}))).header, field) == just_right
    with expect_error("too_long") as caught:
        build_package(with_header(**{field: just_right + "x"}))
    assert element in caught.value.detail
    original = getattr(HEADER, field)
    xml = VALID.replace(
        f"<edXML:{element}>{original}</edXML:{element}>".encode(),
        f"<edXML:{element}>{just_right}x</edXML:{element}>".encode(),
    )
    assert xml != VALID
    with expect_error("too_long"):
        parse_package(xml)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"to_places": ("Đ" * 151,)}, "too_long"),
        ({"appendixes": ("Phụ lục " * 40,)}, "too_long"),
        ({"from_": replace(SON_HA, organ_name="Ủ" * 201)}, "too_long"),
        ({"from_": replace(SON_HA, organ_add="Số " * 90)}, "too_long"),
        ({"from_": replace(SON_HA, telephone="0" * 21)}, "too_long"),
        ({"from_": replace(SON_HA, organ_id="000.00.00.h70")}, "bad_organ_id"),
        ({"from_": replace(SON_HA, organ_id="0" * 36)}, "bad_organ_id"),
        ({"to": (NOI_VU, replace(TINH_UY, organ_id="000.00.00.T70 "))}, "bad_organ_id"),
        ({"to": (NOI_VU, TINH_UY, replace(NOI_VU, organ_name="Sở Nội vụ (bản sao)"))}, "duplicate_recipient"),
        ({"to": ()}, "missing_element"),
        ({"priority": 5}, "bad_value"),
        ({"priority": -1}, "bad_value"),
        ({"page_amount": -3}, "bad_value"),
        ({"subject": "Trích yếu\x07 có ký tự điều khiển"}, "bad_value"),
    ],
)
def test_header_rules_on_build(changes: dict[str, object], code: str) -> None:
    with expect_error(code):
        build_package(with_header(**changes))


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (b"<edXML:OrganId>000.00.01.H70<", b"<edXML:OrganId>000.00.01.h70<", "bad_organ_id"),
        (b"<edXML:OrganId>000.00.01.H70<", b"<edXML:OrganId>" + b"1" * 36 + b"<", "bad_organ_id"),
        (b"<edXML:OrganId>000.00.01.H70<", b"<edXML:OrganId>000.00.00.T70<", "duplicate_recipient"),
        (b"<edXML:Priority>2<", b"<edXML:Priority>5<", "bad_value"),
        (b"<edXML:Priority>2<", b"<edXML:Priority>-1<", "bad_value"),
        (b"<edXML:Priority>2<", "<edXML:Priority>khẩn<".encode(), "bad_value"),
        (b"<edXML:PageAmount>4<", b"<edXML:PageAmount>four<", "bad_value"),
        (b"<edXML:Direction>false<", b"<edXML:Direction>maybe<", "bad_value"),
        (b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>7<", "bad_value"),
        (b"<edXML:PromulgationDate>2025/03/14<", b"<edXML:PromulgationDate>2025/13/01<", "bad_date"),
        (b"<edXML:PromulgationDate>2025/03/14<", b"<edXML:PromulgationDate>31/02/2025<", "bad_date"),
        (b"<edXML:PromulgationDate>2025/03/14<", "<edXML:PromulgationDate>hôm nay<".encode(), "bad_date"),
        (b"<edXML:PromulgationDate>2025/03/14<", b"<edXML:PromulgationDate>2025.03.14<", "bad_date"),
        (b"<edXML:DueDate>2025/03/31<", b"<edXML:DueDate>2025/02/30<", "bad_date"),
        (b"<edXML:Timestamp>2025/03/14 09:30:00<", b"<edXML:Timestamp>2025/03/14 25:61:00<", "bad_date"),
    ],
)
def test_header_rules_on_parse(old: bytes, new: bytes, code: str) -> None:
    assert old in VALID
    with expect_error(code):
        parse_package(VALID.replace(old, new, 1))


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2025/03/14", date(2025, 3, 14)), ("14/03/2025", date(2025, 3, 14)), ("2025-03-14", date(2025, 3, 14))],
)
def test_three_date_shapes_are_accepted(written: str, expected: date) -> None:
    xml = VALID.replace(b"<edXML:PromulgationDate>2025/03/14<", f"<edXML:PromulgationDate>{written}<".encode(), 1)
    assert parse_package(xml).header.promulgation_date == expected


# --- attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\Windows\\system32\\drivers", "Windows_system32_drivers"),
        ("/home/vanthu/Tờ trình.docx", "home_vanthu_Tờ trình.docx"),
        ("Quyết định số 12-QĐ-UBND.pdf", "Quyết định số 12-QĐ-UBND.pdf"),
        ("Công văn\u202efdp.exe", "Công vănfdp.exe"),
        ("bad\x01name\x1f.pdf", "badname.pdf"),
        ("Nghị quyết 57-NQ/TW.pdf", "Nghị quyết 57-NQ_TW.pdf"),
        (".hidden", "hidden"),
        ("..", "attachment-1"),
        ("", "attachment-1"),
        ("Tờ trình " * 40 + ".pdf", ("Tờ trình " * 40)[:196] + ".pdf"),
    ],
)
def test_attachment_names_are_made_safe(name: str, safe: str) -> None:
    result = safe_attachment_name(name, "attachment-1")
    assert result == safe
    assert "/" not in result and "\\" not in result and len(result) <= 200


def test_attachment_named_like_a_path_is_sanitised_on_parse() -> None:
    xml = VALID.replace("Quyết định 12-QĐ-UBND.pdf".encode(), b"../../etc/passwd")
    names = [a.name for a in parse_package(xml).attachments]
    assert names == ["etc_passwd", "Tờ trình 57-TTr-VPTU.docx"]
    # The builder writes safe names too.
    package = replace(PACKAGE, attachments=(replace(PACKAGE.attachments[0], name="../../etc/passwd"),))
    assert b"../../etc/passwd" not in build_package(package)


def test_attachment_problems() -> None:
    encoded = base64.b64encode(PDF)
    with expect_error("bad_attachment"):
        parse_package(VALID.replace(encoded[:20], b"!!not base64 at all!", 1))
    only_reference = _drop(VALID, "e:AttachmentEncoded/e:Attachment[2]")
    with expect_error("missing_attachment") as caught:
        parse_package(only_reference)
    assert "tt-57" in caught.value.detail
    only_attachment = _drop(VALID, "e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference[1]")
    with expect_error("missing_attachment") as caught:
        parse_package(only_attachment)
    assert "qd-12" in caught.value.detail
    twin = replace(PACKAGE.attachments[1], content_id="qd-12")
    duplicate = replace(PACKAGE, attachments=(PACKAGE.attachments[0], twin))
    with expect_error("bad_attachment"):
        build_package(duplicate)


def test_base64_with_line_breaks_is_read() -> None:
    encoded = base64.b64encode(PDF)
    wrapped = b"\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    assert parse_package(VALID.replace(encoded, wrapped)).attachments[0].data == PDF


# --- status packets -------------------------------------------------------------------------------

STATUS = StatusPackage(
    response_for=ResponseFor(
        organ_id="000.00.00.H70",
        code="12/QĐ-UBND",
        promulgation_date=date(2025, 3, 14),
        document_id="000.00.00.H70,2025/03/14,12/QĐ-UBND",
    ),
    from_=NOI_VU,
    status_code="01",
    description="Đã nhận văn bản",
    timestamp=datetime(2025, 3, 14, 10, 5, 0, tzinfo=VIETNAM_TIME),
    staff=StaffInfo(department="Văn thư Sở Nội vụ", staff="Lê Văn An", mobile="0987000002", email="vt@snv.gov.vn"),
)


@pytest.mark.parametrize("code", ["01", "02", "03", "04", "05", "06", "13", "15", "16"])
def test_status_round_trip(code: str) -> None:
    status = replace(STATUS, status_code=code)
    xml = build_status(status)
    assert sniff_kind(xml) == "status"
    assert parse_status(xml) == status
    assert f"<edXML:StatusCode>{code}</edXML:StatusCode>".encode() in xml
    summary = inspect(xml)
    assert summary["kind"] == "status" and summary["status_code"] == code
    assert summary["response_for"]["document_id"] == STATUS.response_for.document_id
    assert summary["from"] == {"id": "000.00.01.H70", "name": "Sở Nội vụ tỉnh Sơn Hà"}
    assert summary["timestamp"] == "2025-03-14T10:05:00+07:00"


@pytest.mark.parametrize("code", ["00", "17", "99", "1a", ""])
def test_status_code_outside_01_16_is_refused(code: str) -> None:
    with pytest.raises(EdxmlError) as caught:
        build_status(replace(STATUS, status_code=code))
    assert caught.value.code == "bad_value"


def test_status_code_written_as_a_number_is_read() -> None:
    xml = build_status(STATUS).replace(b">01<", b">3<")
    assert parse_status(xml).status_code == "03"


def test_kinds_are_not_confused(pki: Pki) -> None:
    with expect_error("wrong_kind"):
        parse_package(build_status(STATUS))
    with expect_error("wrong_kind"):
        parse_status(VALID)
    signed = sign_package(build_status(STATUS), pki.clerk.key_pem, pki.clerk.cert_pem)
    assert parse_status(signed).signed is True
    assert verify_package(signed, trusted_certs_pem=[pki.ca_pem]).status == "valid"
    with expect_error("checksum_mismatch"):
        parse_status(signed.replace("Đã nhận văn bản".encode(), "Từ chối".encode()))


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("e:edXMLEnvelope/e:edXMLHeader/e:Status/e:ResponseFor", "ResponseFor"),
        ("e:edXMLEnvelope/e:edXMLHeader/e:Status/e:From", "From"),
        ("e:edXMLEnvelope/e:edXMLHeader/e:Status/e:StatusCode", "StatusCode"),
        ("e:edXMLEnvelope/e:edXMLHeader/e:Status/e:Timestamp", "Timestamp"),
    ],
)
def test_status_required_elements(path: str, named: str) -> None:
    with expect_error("missing_element") as caught:
        parse_status(_drop(build_status(STATUS), path))
    assert named in caught.value.detail


# --- inspect ------------------------------------------------------------------------------------------


def test_inspect_document(pki: Pki) -> None:
    signed = sign_package(built(), pki.clerk.key_pem, pki.clerk.cert_pem)
    summary = inspect(signed, trusted_certs_pem=[pki.ca_pem])
    assert summary == {
        "kind": "document",
        "from": {"id": "000.00.00.H70", "name": "Văn phòng Ủy ban nhân dân tỉnh Sơn Hà"},
        "to": [
            {"id": "000.00.01.H70", "name": "Sở Nội vụ tỉnh Sơn Hà"},
            {"id": "000.00.00.T70", "name": "Văn phòng Tỉnh ủy Sơn Hà"},
        ],
        "code_number": "12",
        "code_notation": "QĐ-UBND",
        "promulgation_place": "Sơn Hà",
        "promulgation_date": "2025-03-14",
        "document_type": {"type": 2, "detail": 2, "name": "Quyết định"},
        "subject": HEADER.subject,
        "signer": {"competence": "TM. ỦY BAN NHÂN DÂN", "position": "Chủ tịch", "full_name": "Nguyễn Văn Bình"},
        "priority": 2,
        "due_date": "2025-03-31",
        "document_id": "000.00.00.H70,2025/03/14,12/QĐ-UBND",
        "business_doc_type": 0,
        "attachments": [
            {"name": "Quyết định 12-QĐ-UBND.pdf", "content_type": "application/pdf", "size": len(PDF)},
            {
                "name": "Tờ trình 57-TTr-VPTU.docx",
                "content_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "size": len(DOCX),
            },
        ],
        "signature": {
            "status": "valid",
            "intact": True,
            "signer": pki.clerk.cert.subject.rfc4514_string(),
            "algorithm": "rsa-sha256",
            "detail": summary["signature"]["detail"],
        },
    }
    assert inspect(VALID)["signature"]["status"] == "unsigned"


def test_every_error_code_is_declared() -> None:
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)
    assert all(re.fullmatch(r"[a-z_]+", code) for code in ERROR_CODES)
    with pytest.raises(ValueError, match="Unknown edXML error code"):
        EdxmlError("sai_ma", "not a code")


@pytest.mark.parametrize("case", ["xxe file", "billion laughs", "external dtd", "parameter entities"])
def test_dtd_is_refused_by_the_parsed_document_too(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The raw-prolog scan is the first wall; switch it off to prove the second (lxml settings + docinfo).
    monkeypatch.setattr(edxml_model, "_DOCTYPE", re.compile(rb"(?!)"))
    with pytest.raises(EdxmlError) as caught:
        parse_package(HOSTILE[case][0])
    assert caught.value.code == "forbidden_dtd"
    assert not any(marker in str(caught.value) for marker in PASSWD_MARKERS)
