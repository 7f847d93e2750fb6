"""Enveloped XML-DSig for edXML packets (QCVN 102:2016/BTTTT section 1b "Signature").

The signature sits in ``edXML:edXMLHeader`` after TraceHeaderList, as in the VPCP SDK sample, written
as ``<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">`` (unprefixed, like the sample, because some
hub clients look it up by the bare name). It has one ``Reference URI=""`` with the enveloped-signature
and exclusive-C14N transforms, so it covers the whole packet, attachments included, and ends with
``KeyInfo/X509Data`` (``X509SubjectName``, ``X509Certificate``).

Canonicalisation is exclusive C14N for both SignedInfo and the reference. The sample names inclusive
C14N for SignedInfo, but with an unprefixed Signature under edXML's own default namespace libxml2
writes spurious ``xmlns=""`` into inclusive C14N of SignedInfo, and signxml then cannot verify its own
signature. Packets from other systems that use inclusive C14N are still verified: the verifier drops
those spurious declarations, which is what a correct C14N produces.

Trust (decided here, documented for the admin screen): a signature is "valid" when it is intact and
its certificate either is one of the trusted certificates (pinned) or chains to one of them through
the certificates carried in X509Data, checked offline with ``cryptography``'s path validation at the
verification time (a CA certificate needs BasicConstraints ca=True and keyCertSign; the signer needs
KeyUsage digitalSignature or nonRepudiation). No CRL or OCSP is fetched. "untrusted" = intact but not
issued by a trusted certificate, expired, no trust anchors configured, or a refused algorithm.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import verification
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import SignXMLException

from vanphong.lib.edxml.errors import EdxmlError
from vanphong.lib.edxml.model import (
    DEFAULT_MAX_BYTES,
    DSIG_NS,
    EDXML_NS,
    SignatureCheck,
    SignatureStatus,
    load_root,
)

# Name -> (signature method, digest). rsa-sha1 is what the VPCP SDK sample uses; it is weak and only
# for hubs that still require it.
SIGNATURE_ALGORITHMS: dict[str, tuple[SignatureMethod, DigestAlgorithm]] = {
    "rsa-sha256": (SignatureMethod.RSA_SHA256, DigestAlgorithm.SHA256),
    "rsa-sha512": (SignatureMethod.RSA_SHA512, DigestAlgorithm.SHA512),
    "ecdsa-sha256": (SignatureMethod.ECDSA_SHA256, DigestAlgorithm.SHA256),
    "rsa-sha1": (SignatureMethod.RSA_SHA1, DigestAlgorithm.SHA1),
}

_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
_HEADER_PATH = f"./{{{EDXML_NS}}}edXMLEnvelope/{{{EDXML_NS}}}edXMLHeader"
_DS_SIGNATURE = f"{{{DSIG_NS}}}Signature"


def _ds(name: str) -> str:
    return f"{{{DSIG_NS}}}{name}"


class _Sha1Signer(XMLSigner):
    """signxml refuses SHA-1 outright; this signer exists only for hubs that demand rsa-sha1."""

    def check_deprecated_methods(self) -> None:
        return None


def _safe_parser() -> Any:
    # signxml re-parses the tree several times; give it the same locked-down parser as load_root.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _single_line_base64(der: bytes) -> str:
    return base64.b64encode(der).decode("ascii")


def _load_signing_material(key_pem: bytes, cert_pem: bytes, key_password: bytes | None) -> tuple[Any, x509.Certificate]:
    try:
        key = serialization.load_pem_private_key(key_pem, password=key_password)
    except (ValueError, TypeError) as exc:
        raise EdxmlError("bad_key", f"The private key cannot be loaded ({exc}).") from None
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        raise EdxmlError("bad_key", f"The certificate cannot be loaded ({exc}).") from None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise EdxmlError("bad_key", "The private key does not belong to the certificate.")
    return key, cert


def sign_package(
    xml: bytes,
    key_pem: bytes,
    cert_pem: bytes,
    *,
    algorithm: str = "rsa-sha256",
    key_password: bytes | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bytes:
    """Add an enveloped XML-DSig signature to an edXML document or status packet (QCVN 102 section 1b).

    ``algorithm`` is one of ``SIGNATURE_ALGORITHMS``: RSA-SHA256 with SHA-256 digests by default,
    ``rsa-sha1`` as in the VPCP SDK sample for hubs that still demand it. The packet must not be signed
    already. The result must not be re-indented: whitespace is part of what is signed.
    """
    if algorithm not in SIGNATURE_ALGORITHMS:
        raise EdxmlError("bad_signature", f"Unknown signature algorithm {algorithm!r}.")
    key, cert = _load_signing_material(key_pem, cert_pem, key_password)
    method, digest = SIGNATURE_ALGORITHMS[algorithm]
    if method.name.startswith("RSA_") != isinstance(key, rsa.RSAPrivateKey) or (
        method.name.startswith("ECDSA_") != isinstance(key, ec.EllipticCurvePrivateKey)
    ):
        raise EdxmlError("bad_key", f"The key type does not match the algorithm {algorithm}.")
    root = load_root(xml, max_bytes=max_bytes)
    header = root.find(_HEADER_PATH)
    if header is None:
        raise EdxmlError("missing_element", "edXMLEnvelope/edXMLHeader is required to place the signature.")
    if next(root.iter(_DS_SIGNATURE), None) is not None:
        raise EdxmlError("already_signed", "The packet already carries an XML-DSig signature.")
    # signxml puts an enveloped signature at the root unless it finds this placeholder.
    etree.SubElement(header, _DS_SIGNATURE, nsmap={None: DSIG_NS}, Id="placeholder")

    signer_class = _Sha1Signer if algorithm == "rsa-sha1" else XMLSigner
    signer = signer_class(signature_algorithm=method, digest_algorithm=digest, c14n_algorithm=_C14N)
    signer.namespaces = {None: DSIG_NS}  # type: ignore[dict-item]  # signxml supports a default namespace
    subject = cert.subject.rfc4514_string()
    certificate_text = _single_line_base64(cert.public_bytes(serialization.Encoding.DER))

    def add_subject_name(sig_root: Any, signing_settings: Any) -> None:
        # KeyInfo is outside SignedInfo, so shaping it like the SDK sample does not touch the signature.
        for element in list(sig_root.iter()):
            local = etree.QName(element).localname
            if local == "X509Certificate":
                element.text = certificate_text
            elif local == "X509Data":
                # Same namespace form as its siblings (signxml leaves them unqualified in memory).
                name = etree.Element(etree.QName(etree.QName(element).namespace, "X509SubjectName"))
                name.text = subject
                element.insert(0, name)

    signer.signature_annotators.append(add_subject_name)
    try:
        signed = signer.sign(root, key=key, cert=[cert])
    except SignXMLException as exc:
        raise EdxmlError("bad_signature", f"signxml could not sign the packet ({exc}).") from None
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


@dataclass(frozen=True)
class Integrity:
    """What the signature says about the content, before any question of trust."""

    present: bool
    intact: bool = False
    broken: bool = False  # malformed or not covering the whole packet
    refused: bool = False  # an algorithm we do not accept
    signer: x509.Certificate | None = None
    chain: tuple[x509.Certificate, ...] = ()
    algorithm: str | None = None
    detail: str = ""


def _algorithm_name(signature: Any) -> str | None:
    method = signature.find(f"{_ds('SignedInfo')}/{_ds('SignatureMethod')}")
    if method is None:
        return None
    uri = method.get("Algorithm") or ""
    return uri.rpartition("#")[2] or uri


def check_integrity(root: Any, *, allow_sha1: bool = True) -> Integrity:
    """Check that a parsed packet still matches its XML-DSig signature, with the key in X509Data.

    The signature must be the only one, sit in edXMLHeader and have a single ``Reference URI=""``, so
    that nothing in the packet escapes it. SHA-1 is accepted by default because the national hub's SDK
    signs with rsa-sha1.
    """
    signatures = list(root.iter(_DS_SIGNATURE))
    if not signatures:
        return Integrity(present=False, detail="The packet has no XML-DSig signature.")
    signature = signatures[0]
    algorithm = _algorithm_name(signature)
    if len(signatures) > 1:
        return Integrity(present=True, broken=True, algorithm=algorithm, detail="More than one signature.")
    if signature.getparent() is not root.find(_HEADER_PATH):
        return Integrity(present=True, broken=True, algorithm=algorithm, detail="The signature is not in edXMLHeader.")
    references = signature.findall(f"{_ds('SignedInfo')}/{_ds('Reference')}")
    if len(references) != 1 or references[0].get("URI") != "":
        return Integrity(
            present=True,
            broken=True,
            algorithm=algorithm,
            detail='The signature does not cover the whole packet (one Reference URI="" is required).',
        )
    try:
        chain = tuple(
            x509.load_der_x509_certificate(base64.b64decode("".join((element.text or "").split()), validate=True))
            for element in signature.iterfind(f"{_ds('KeyInfo')}/{_ds('X509Data')}/{_ds('X509Certificate')}")
        )
    except (ValueError, binascii.Error):
        return Integrity(present=True, broken=True, algorithm=algorithm, detail="X509Certificate cannot be read.")
    if not chain:
        return Integrity(present=True, broken=True, algorithm=algorithm, detail="KeyInfo has no X509Certificate.")

    methods = frozenset(m for m in SignatureMethod if allow_sha1 or "SHA1" not in m.name)
    digests = frozenset(d for d in DigestAlgorithm if allow_sha1 or "SHA1" not in d.name)
    config = SignatureConfiguration(
        location=_HEADER_PATH + "/", expect_references=1, signature_methods=methods, digest_algorithms=digests
    )
    for certificate in chain:
        verifier = XMLVerifier()
        # Undo libxml2's spurious xmlns="" in inclusive C14N (see the module docstring).
        verifier.excise_empty_xmlns_declarations = True
        try:
            verifier.verify(
                root,
                x509_cert=certificate,
                parser=_safe_parser(),
                # Integrity only: the validity period is judged with trust, not here.
                expect_config=replace(config, verification_time=certificate.not_valid_before_utc),
            )
        except InvalidDigest:
            return Integrity(
                present=True,
                algorithm=algorithm,
                chain=chain,
                detail="The content no longer matches the signed digest: the header or an attachment changed.",
            )
        except InvalidCertificate as exc:
            return Integrity(present=True, broken=True, algorithm=algorithm, chain=chain, detail=str(exc)[:200])
        except InvalidSignature:
            continue  # not this certificate's key, or a bad SignatureValue; try the next one
        except InvalidInput as exc:
            refused = "forbidden by configuration" in str(exc)
            return Integrity(
                present=True,
                broken=not refused,
                refused=refused,
                algorithm=algorithm,
                chain=chain,
                detail=f"The signature cannot be checked ({str(exc)[:200]}).",
            )
        return Integrity(present=True, intact=True, signer=certificate, chain=chain, algorithm=algorithm)
    return Integrity(
        present=True,
        algorithm=algorithm,
        chain=chain,
        detail="The SignatureValue does not match SignedInfo with the key of any certificate in X509Data.",
    )


def _key_usage_allows_signing(policy: Any, certificate: x509.Certificate, usage: x509.KeyUsage | None) -> None:
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise ValueError("the signer certificate's KeyUsage allows neither digitalSignature nor nonRepudiation")


def _load_trusted(trusted_certs_pem: list[bytes]) -> list[x509.Certificate]:
    anchors: list[x509.Certificate] = []
    for pem in trusted_certs_pem:
        try:
            anchors.extend(x509.load_pem_x509_certificates(pem))
        except ValueError as exc:
            raise EdxmlError("bad_key", f"A trusted certificate cannot be loaded ({exc}).") from None
    return anchors


def _trust(
    signer: x509.Certificate, chain: tuple[x509.Certificate, ...], anchors: list[x509.Certificate], at: datetime
) -> tuple[bool, str]:
    if not anchors:
        return False, "No trusted certificates are configured, so the signer cannot be trusted."
    if not signer.not_valid_before_utc <= at <= signer.not_valid_after_utc:
        return False, f"The signer certificate is not valid at {at.isoformat()} (expired or not yet valid)."
    fingerprint = signer.fingerprint(hashes.SHA256())
    if any(anchor.fingerprint(hashes.SHA256()) == fingerprint for anchor in anchors):
        return True, "The signer certificate is itself trusted."
    ee_policy = verification.ExtensionPolicy.permit_all().require_present(
        x509.KeyUsage, verification.Criticality.AGNOSTIC, _key_usage_allows_signing
    )
    builder = (
        verification.PolicyBuilder()
        .store(verification.Store(anchors))
        .time(at)
        .extension_policies(ee_policy=ee_policy, ca_policy=verification.ExtensionPolicy.webpki_defaults_ca())
    )
    intermediates = [certificate for certificate in chain if certificate != signer]
    try:
        path = builder.build_client_verifier().verify(signer, intermediates).chain
    except verification.VerificationError as exc:
        return False, f"The signer certificate is not issued by a trusted certificate ({str(exc)[:160]})."
    return True, f"Issued by the trusted certificate {path[-1].subject.rfc4514_string()}."


def verify_package(
    xml: bytes,
    *,
    trusted_certs_pem: list[bytes] | None = None,
    at: datetime | None = None,
    allow_sha1: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SignatureCheck:
    """Check the XML-DSig signature of an edXML packet and whether we trust its signer.

    valid: intact and the certificate is trusted (see the module docstring); tampered: a digest or
    SignatureValue mismatch, or a broken signature; untrusted: intact but not trusted, expired at ``at``
    (default now), no trust anchors given, or a refused algorithm; unsigned: no XML-DSig signature.
    Raises EdxmlError only when the input is not a readable edXML packet.
    """
    root = load_root(xml, max_bytes=max_bytes)
    return verify_root(root, trusted_certs_pem=trusted_certs_pem, at=at, allow_sha1=allow_sha1)


def verify_root(
    root: Any, *, trusted_certs_pem: list[bytes] | None = None, at: datetime | None = None, allow_sha1: bool = True
) -> SignatureCheck:
    """verify_package for a packet already read with ``model.load_root``."""
    integrity = check_integrity(root, allow_sha1=allow_sha1)
    if not integrity.present:
        detail = integrity.detail
        if root.find(f"{_HEADER_PATH}/{{{EDXML_NS}}}Signature") is not None:
            detail = "The header has a Signature element outside the XML-DSig namespace; it cannot be checked."
        return SignatureCheck(status="unsigned", detail=detail)
    signer = integrity.signer or (integrity.chain[0] if integrity.chain else None)

    def result(status: SignatureStatus, detail: str) -> SignatureCheck:
        return SignatureCheck(
            status=status,
            intact=integrity.intact,
            signer_subject=signer.subject.rfc4514_string() if signer is not None else None,
            signer_fingerprint=signer.fingerprint(hashes.SHA256()).hex() if signer is not None else None,
            signature_algorithm=integrity.algorithm,
            detail=detail,
        )

    if integrity.refused:
        return result("untrusted", integrity.detail)
    if not integrity.intact or integrity.signer is None:
        return result("tampered", integrity.detail)
    when = at or datetime.now(tz=UTC)
    if when.tzinfo is None:
        raise EdxmlError("bad_date", "The verification time must be timezone-aware.")
    trusted, detail = _trust(integrity.signer, integrity.chain, _load_trusted(trusted_certs_pem or []), when)
    return result("valid" if trusted else "untrusted", detail)
