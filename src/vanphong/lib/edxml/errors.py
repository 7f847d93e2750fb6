"""Errors raised while building, parsing, signing or verifying edXML packets (QCVN 102:2016/BTTTT).

Every error carries a stable snake_case ``code`` and an English ``detail``; the Django layer translates
the code for the user. ``ERROR_CODES`` lists every code this package can raise, so that layer can map
all of them.
"""

from __future__ import annotations

ERROR_CODES: tuple[str, ...] = (
    "too_large",  # the input is bigger than the size limit, checked before parsing
    "not_xml",  # empty, binary (gzip, PDF, ...), not UTF-8, or not well-formed XML
    "forbidden_dtd",  # any DOCTYPE or DTD at all (XXE, billion laughs, external or parameter entities)
    "wrong_namespace",  # the root is not edXML in http://www.mic.gov.vn/TBT/QCVN_102_2016
    "wrong_kind",  # a status packet given to the document parser, or the other way round
    "missing_element",  # a required element is absent or empty; the detail names it
    "too_long",  # a field is longer than the limit of QCVN 102 section 1b
    "bad_date",  # a date or timestamp that is not a real date in an accepted format
    "bad_value",  # a number, priority, code or flag outside its allowed values, or markup inside a text field
    "bad_attachment",  # attachment base64 that does not decode, a duplicate ContentId, an empty attachment
    "missing_attachment",  # a manifest Reference without its Attachment, or an Attachment not in the manifest
    "duplicate_recipient",  # the same OrganId twice among the To elements
    "bad_organ_id",  # an identifier code that is not 1-35 characters of 0-9, A-Z and dots
    "checksum_mismatch",  # the packet is signed and its content no longer matches the signature
    "bad_signature",  # the Signature element is malformed or uses an algorithm we refuse
    "already_signed",  # sign_package was given a packet that already carries a signature
    "bad_key",  # the private key or certificate given to sign_package cannot be used
)


class EdxmlError(ValueError):
    """An edXML packet or model value breaks a rule; ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: str, detail: str) -> None:
        if code not in ERROR_CODES:
            # A typo in a code would silently escape the Django layer's translation table.
            raise ValueError(f"Unknown edXML error code {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
