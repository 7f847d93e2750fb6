"""Signing keys and certificates for digital signatures on documents (Decree 30/2020, Art. 8 and Appendix I).

An office signs with certificates issued by a certification authority (for State bodies the Government CA,
"Ban Cơ yếu Chính phủ"); they arrive as PKCS#12 files (.p12/.pfx) or PEM key + certificate files. Two kinds of
certificate sign a document: the competent person's (the signer) and the body's own (the "organisation
signature" that stands in for the red seal). This module loads them into a `SigningIdentity` and also runs a
small certification authority for tests and the demo office (`make_ca`).

All objects are `cryptography` objects; `vanphong.lib.pdfsign` converts them for pyHanko.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

# RSA and EC keys are what Vietnamese CAs issue and what pyHanko signs PAdES with.
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

ERROR_CODES: dict[str, str] = {
    "bad_pkcs12": "The PKCS#12 (.p12/.pfx) file cannot be read, or the passphrase is wrong.",
    "bad_pem": "The PEM data holds no readable key or certificate.",
    "no_private_key": "The file holds no private key.",
    "no_certificate": "The file holds no certificate.",
    "key_mismatch": "The private key does not belong to the certificate.",
    "unsupported_key": "Only RSA and elliptic-curve keys can sign.",
    "no_common_name": "The certificate's subject has no common name (CN).",
    "bad_key_size": "RSA keys must have 2048, 3072 or 4096 bits.",
}

# RFC 9336 id-kp-documentSigning; older readers (Adobe) also look for Microsoft's Document Signing purpose.
DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
MS_DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")
# emailProtection too: NSS (poppler's pdfsig, Firefox's PDF viewer) rejects a PDF signer certificate without it.
SIGNING_EKUS = (DOCUMENT_SIGNING_EKU, MS_DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION)
ALLOWED_RSA_BITS = (2048, 3072, 4096)


class PkiError(Exception):
    """A key or certificate problem; ``code`` is one of `ERROR_CODES`, ``detail`` is English for logs."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail or ERROR_CODES[code]}")
        self.code = code
        self.detail = detail or ERROR_CODES[code]


@dataclass(frozen=True)
class SigningIdentity:
    """A private key with its certificate and the issuing chain (nearest issuer first, root possibly last)."""

    private_key: SigningKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    subject_name: str  # the certificate's CN: "Trần Văn Bình", "Văn phòng Tỉnh ủy Sơn Hà"


def _common_name(name: x509.Name) -> str:
    attributes = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not attributes:
        return ""
    value = attributes[0].value
    return value if isinstance(value, str) else value.decode("utf-8")


def _organization(name: x509.Name) -> str:
    attributes = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if not attributes:
        return ""
    value = attributes[0].value
    return value if isinstance(value, str) else value.decode("utf-8")


def _public_der(key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey | object) -> bytes:
    if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return b""


def _identity(key: object, certificate: x509.Certificate | None, chain: Sequence[x509.Certificate]) -> SigningIdentity:
    """Check that key and certificate form a usable pair and wrap them."""
    if key is None:
        raise PkiError("no_private_key")
    if certificate is None:
        raise PkiError("no_certificate")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise PkiError("unsupported_key", f"Key type {type(key).__name__} cannot sign PAdES documents here.")
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise PkiError("key_mismatch")
    subject_name = _common_name(certificate.subject)
    if not subject_name:
        raise PkiError("no_common_name")
    # PKCS#12 files often repeat the end-entity certificate among the "additional" ones.
    others = tuple(cert for cert in chain if cert != certificate)
    return SigningIdentity(private_key=key, certificate=certificate, chain=others, subject_name=subject_name)


def load_pkcs12(data: bytes, passphrase: bytes | None) -> SigningIdentity:
    """Load a .p12/.pfx file (PKCS#12, RFC 7292) as issued by the CA to a person or a body."""
    try:
        key, certificate, additional = pkcs12.load_key_and_certificates(data, passphrase)
    except (ValueError, TypeError) as error:
        # cryptography does not tell a wrong passphrase from a damaged file apart.
        raise PkiError("bad_pkcs12", str(error)) from error
    return _identity(key, certificate, additional)


def load_pem(
    key_pem: bytes, cert_pem: bytes, chain_pems: Sequence[bytes] = (), passphrase: bytes | None = None
) -> SigningIdentity:
    """Load a PEM private key (optionally encrypted), its certificate and the issuing chain (RFC 7468)."""
    try:
        key = serialization.load_pem_private_key(key_pem, passphrase)
    except (ValueError, TypeError) as error:
        raise PkiError("bad_pem", f"Private key: {error}") from error
    try:
        certificate = x509.load_pem_x509_certificate(cert_pem)
        chain = [cert for pem in chain_pems for cert in x509.load_pem_x509_certificates(pem)]
    except ValueError as error:
        raise PkiError("bad_pem", f"Certificate: {error}") from error
    return _identity(key, certificate, chain)


def identity_to_pkcs12(identity: SigningIdentity, passphrase: bytes | None) -> bytes:
    """Export an identity as a PKCS#12 file, encrypted with the passphrase (AES-256/PBKDF2) when one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        identity.subject_name.encode("utf-8"),
        identity.private_key,
        identity.certificate,
        list(identity.chain) or None,
        encryption,
    )


def trust_roots_from_pem(data: bytes) -> list[x509.Certificate]:
    """Read an office's trusted root certificates (e.g. the Government CA root) from PEM, or one DER certificate."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise PkiError("bad_pem", f"Trust roots: {error}") from error


def certificate_summary(cert: x509.Certificate) -> dict[str, str]:
    """What an office shows about a certificate: who, issued by whom, serial, validity and SHA-256 fingerprint."""
    fingerprint = cert.fingerprint(hashes.SHA256()).hex().upper()
    return {
        "subject_cn": _common_name(cert.subject),
        "organization": _organization(cert.subject),
        "issuer_cn": _common_name(cert.issuer),
        "serial_hex": format(cert.serial_number, "X"),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "sha256_fingerprint": ":".join(fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2)),
    }


def _new_rsa_key(key_size: int) -> rsa.RSAPrivateKey:
    if key_size not in ALLOWED_RSA_BITS:
        raise PkiError("bad_key_size", f"{key_size} bits requested.")
    return rsa.generate_private_key(public_exponent=65537, key_size=key_size)


def _subject(
    common_name: str, *, organization: str | None, locality: str | None, email: str | None = None
) -> x509.Name:
    # cryptography encodes CN, O and L as UTF8String, so "Trần Văn Bình" survives byte for byte.
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if locality:
        attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


@dataclass(frozen=True)
class CertificateAuthority:
    """A self-signed root that issues signing certificates; for tests and the demo office only."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def common_name(self) -> str:
        return _common_name(self.certificate.subject)

    def _issue(
        self,
        subject: x509.Name,
        *,
        email: str | None,
        extended_usages: list[ObjectIdentifier],
        valid_days: int,
        key_size: int,
    ) -> SigningIdentity:
        key = _new_rsa_key(key_size)
        now = dt.datetime.now(dt.UTC)
        issuer_ski = self.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))  # tolerate clock skew between machines
            .not_valid_after(now + dt.timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # nonRepudiation: pyHanko requires it for document signatures
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage(extended_usages), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False)
        )
        if email:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        certificate = builder.sign(self.private_key, hashes.SHA256())
        return _identity(key, certificate, [self.certificate])

    def issue_person(
        self,
        common_name: str,
        *,
        email: str | None = None,
        organization: str | None = None,
        locality: str | None = None,
        valid_days: int = 730,
        key_size: int = 2048,
    ) -> SigningIdentity:
        """A competent person's signing certificate (the leader who signs documents of the body)."""
        return self._issue(
            _subject(common_name, organization=organization, locality=locality, email=email),
            email=email,
            extended_usages=list(SIGNING_EKUS),
            valid_days=valid_days,
            key_size=key_size,
        )

    def issue_organization(
        self,
        common_name: str,
        *,
        email: str | None = None,
        organization: str | None = None,
        locality: str | None = None,
        valid_days: int = 1825,
        key_size: int = 2048,
    ) -> SigningIdentity:
        """The body's own certificate, used for the "organisation signature" in place of the seal."""
        return self._issue(
            _subject(common_name, organization=organization or common_name, locality=locality, email=email),
            email=email,
            extended_usages=list(SIGNING_EKUS),
            valid_days=valid_days,
            key_size=key_size,
        )


def make_ca(
    common_name: str,
    *,
    organization: str = "Vanphong demo CA",
    valid_days: int = 3650,
    key_size: int = 2048,
) -> CertificateAuthority:
    """Create a self-signed root CA (RFC 5280: BasicConstraints CA, keyCertSign, cRLSign, SKI/AKI)."""
    key = _new_rsa_key(key_size)
    name = _subject(common_name, organization=organization, locality=None)
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        # pyhanko-certvalidator builds paths by key identifiers, so the root carries AKI = its own SKI.
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(private_key=key, certificate=certificate)
