"""Signing identities: PKCS#12/PEM loading, the demo CA and certificate summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vanphong.lib import pki


@pytest.fixture(scope="module")
def ca() -> pki.CertificateAuthority:
    # The demo root standing in for the Government CA.
    return pki.make_ca("Vanphong Demo Root CA", organization="Văn phòng điện tử Sơn Hà")


@pytest.fixture(scope="module")
def chairman(ca: pki.CertificateAuthority) -> pki.SigningIdentity:
    # The provincial chairman who signs decisions.
    return ca.issue_person(
        "Trần Văn Bình", email="tvbinh@sonha.gov.vn", organization="Ủy ban nhân dân tỉnh Sơn Hà", locality="Sơn Hà"
    )


@pytest.fixture(scope="module")
def party_office(ca: pki.CertificateAuthority) -> pki.SigningIdentity:
    # The body's own certificate for the organisation signature.
    return ca.issue_organization("Văn phòng Tỉnh ủy Sơn Hà", locality="Sơn Hà")


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def test_ca_certificate_is_a_signing_root(ca: pki.CertificateAuthority) -> None:
    cert = ca.certificate
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert cert.issuer == cert.subject
    assert ca.common_name == "Vanphong Demo Root CA"


@pytest.mark.parametrize("who", ["chairman", "party_office"])
def test_issued_certificates_allow_document_signing(
    who: str, request: pytest.FixtureRequest, ca: pki.CertificateAuthority
) -> None:
    identity: pki.SigningIdentity = request.getfixturevalue(who)
    cert = identity.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    purposes = set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    assert {pki.DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION} <= purposes
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ca_ski.digest
    assert cert.issuer == ca.certificate.subject
    assert identity.chain == (ca.certificate,)
    assert cert.signature_hash_algorithm is not None and cert.signature_hash_algorithm.name == "sha256"


def test_person_certificate_details(chairman: pki.SigningIdentity) -> None:
    cert = chairman.certificate
    assert chairman.subject_name == "Trần Văn Bình"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Ủy ban nhân dân tỉnh Sơn Hà"
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["tvbinh@sonha.gov.vn"]
    assert isinstance(chairman.private_key, rsa.RSAPrivateKey) and chairman.private_key.key_size == 2048


@pytest.mark.parametrize("name", ["Trần Văn Bình", "Văn phòng Tỉnh ủy Sơn Hà", "Nguyễn Thị Hồng Nhung"])
def test_vietnamese_names_are_utf8_strings(ca: pki.CertificateAuthority, name: str) -> None:
    identity = ca.issue_organization(name) if name.startswith("Văn") else ca.issue_person(name)
    encoded = name.encode("utf-8")
    # DER tag 0x0C is UTF8String: a PrintableString/BMPString encoding would mangle or bloat the name.
    assert b"\x0c" + bytes([len(encoded)]) + encoded in _der(identity.certificate)
    assert identity.subject_name == name


def test_rsa_3072_is_allowed_and_odd_sizes_are_not(ca: pki.CertificateAuthority) -> None:
    strong = ca.issue_person("Lê Minh Tuấn", key_size=3072)
    assert isinstance(strong.private_key, rsa.RSAPrivateKey) and strong.private_key.key_size == 3072
    with pytest.raises(pki.PkiError) as caught:
        ca.issue_person("Lê Minh Tuấn", key_size=1024)
    assert caught.value.code == "bad_key_size"


@pytest.mark.parametrize("passphrase", [b"mat-khau-2025", "Mật khẩu Sơn Hà".encode(), None])
def test_pkcs12_round_trip(chairman: pki.SigningIdentity, passphrase: bytes | None) -> None:
    data = pki.identity_to_pkcs12(chairman, passphrase)
    loaded = pki.load_pkcs12(data, passphrase)
    assert loaded.subject_name == "Trần Văn Bình"
    assert loaded.certificate == chairman.certificate
    assert loaded.chain == chairman.chain
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert loaded.private_key.public_key().public_bytes(serialization.Encoding.DER, public) == (
        chairman.private_key.public_key().public_bytes(serialization.Encoding.DER, public)
    )


@pytest.mark.parametrize(
    ("data", "passphrase"),
    [
        ("wrong-passphrase", b"khong-dung"),
        ("missing-passphrase", None),
        ("not-pkcs12", b"mat-khau-2025"),
    ],
)
def test_bad_pkcs12_is_reported(chairman: pki.SigningIdentity, data: str, passphrase: bytes | None) -> None:
    blob = b"this is not a .p12 file" if data == "not-pkcs12" else pki.identity_to_pkcs12(chairman, b"mat-khau-2025")
    with pytest.raises(pki.PkiError) as caught:
        pki.load_pkcs12(blob, passphrase)
    assert caught.value.code == "bad_pkcs12"
    assert caught.value.code in pki.ERROR_CODES


def test_pkcs12_without_key_is_refused(chairman: pki.SigningIdentity) -> None:
    certificates_only = pkcs12.serialize_key_and_certificates(
        b"ca", None, chairman.certificate, None, serialization.NoEncryption()
    )
    with pytest.raises(pki.PkiError) as caught:
        pki.load_pkcs12(certificates_only, None)
    assert caught.value.code == "no_private_key"


def test_load_pem_with_encrypted_key_and_chain(chairman: pki.SigningIdentity, ca: pki.CertificateAuthority) -> None:
    key_pem = chairman.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"bi-mat"),
    )
    cert_pem = chairman.certificate.public_bytes(serialization.Encoding.PEM)
    chain_pem = ca.certificate.public_bytes(serialization.Encoding.PEM)
    loaded = pki.load_pem(key_pem, cert_pem, [chain_pem], b"bi-mat")
    assert loaded.subject_name == "Trần Văn Bình"
    assert loaded.chain == (ca.certificate,)


@pytest.mark.parametrize(
    ("case", "code"),
    [("key_of_another", "key_mismatch"), ("garbage_key", "bad_pem"), ("garbage_cert", "bad_pem")],
)
def test_load_pem_failures(
    chairman: pki.SigningIdentity, party_office: pki.SigningIdentity, case: str, code: str
) -> None:
    key_pem = chairman.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert_pem = chairman.certificate.public_bytes(serialization.Encoding.PEM)
    if case == "key_of_another":
        cert_pem = party_office.certificate.public_bytes(serialization.Encoding.PEM)
    elif case == "garbage_key":
        key_pem = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    else:
        cert_pem = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(pki.PkiError) as caught:
        pki.load_pem(key_pem, cert_pem)
    assert caught.value.code == code


def test_trust_roots_from_pem_bundle_and_der(ca: pki.CertificateAuthority) -> None:
    other = pki.make_ca("Root CA Ban Cơ yếu (thử nghiệm)")
    bundle = ca.certificate.public_bytes(serialization.Encoding.PEM) + other.certificate.public_bytes(
        serialization.Encoding.PEM
    )
    assert pki.trust_roots_from_pem(bundle) == [ca.certificate, other.certificate]
    assert pki.trust_roots_from_pem(_der(other.certificate)) == [other.certificate]
    with pytest.raises(pki.PkiError) as caught:
        pki.trust_roots_from_pem(b"not a certificate")
    assert caught.value.code == "bad_pem"


def test_certificate_summary(chairman: pki.SigningIdentity) -> None:
    summary = pki.certificate_summary(chairman.certificate)
    assert summary["subject_cn"] == "Trần Văn Bình"
    assert summary["organization"] == "Ủy ban nhân dân tỉnh Sơn Hà"
    assert summary["issuer_cn"] == "Vanphong Demo Root CA"
    assert int(summary["serial_hex"], 16) == chairman.certificate.serial_number
    not_before = dt.datetime.fromisoformat(summary["not_before"])
    not_after = dt.datetime.fromisoformat(summary["not_after"])
    assert not_before.tzinfo is not None and (not_after - not_before).days == 730
    fingerprint = summary["sha256_fingerprint"]
    assert len(fingerprint.split(":")) == 32 and fingerprint == fingerprint.upper()


def test_every_error_code_is_described() -> None:
    assert all(code.islower() and text.endswith(".") for code, text in pki.ERROR_CODES.items())
