"""`vanphong edxml inspect` and `vanphong edxml import`: JSON out, clear refusals, idempotent imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vanphong.documents.edxml_cli import edxml_command
from vanphong.documents.models import Document
from vanphong.documents.tests.conftest import Desk

FIXTURE = Path(__file__).resolve().parents[2] / "lib" / "tests" / "edxml_fixtures" / "vpcp_sdk_shape.edxml"


def test_inspect_prints_the_header_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert edxml_command(["inspect", str(FIXTURE)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["from"]["id"] == "000.00.00.H70"
    assert summary["code_number"] == "12" and summary["code_notation"] == "QĐ-UBND"


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"not xml at all",
        b'<EdXMLEnvelope xmlns="http://www.go.vn/eDoc"><Header/></EdXMLEnvelope>',
    ],
)
def test_inspect_refuses_hostile_and_malformed_packages(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "goi-tin.edxml"
    path.write_bytes(content)
    assert edxml_command(["inspect", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "goi-tin.edxml" in captured.err and "root:" not in captured.err


@pytest.mark.django_db
def test_import_registers_once(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    type(desk.incoming.organization).objects.filter(pk=desk.incoming.organization_id).update(
        identifier_code="000.00.02.H70"
    )
    args = ["import", str(FIXTURE), "--register", str(desk.incoming.pk), "--user", "vanthu"]
    assert edxml_command(args) == 0
    assert edxml_command(args) == 0
    assert Document.objects.filter(register=desk.incoming).count() == 1
    document = Document.objects.get(register=desk.incoming)
    assert document.number_symbol == "12/QĐ-UBND" and document.channel == "edxml"
    assert list(document.exchange_messages.values_list("status_code", flat=True).order_by("id")) == ["", "01", "03"]
