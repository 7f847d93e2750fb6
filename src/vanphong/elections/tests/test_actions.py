"""Every audit action the counting room records has a readable, translated label on history pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from vanphong.core.models import AuditEntry
from vanphong.elections.actions import ACTION_LABELS
from vanphong.elections.tests.conftest import Counting


def test_every_action_the_services_record_has_a_label() -> None:
    source = (Path(__file__).resolve().parent.parent / "services.py").read_text()
    recorded = set(re.findall(r'"(elections\.[a-z_]+\.[a-z_]+)"', source))
    assert len(recorded) >= 16, "no audit actions found: the pattern above is stale"
    assert sorted(recorded - set(ACTION_LABELS)) == []
    assert sorted(set(ACTION_LABELS) - recorded) == [], "labels for actions no service records"


@pytest.mark.django_db
def test_history_pages_show_the_label_not_the_code(counting: Counting) -> None:
    entry = AuditEntry.objects.filter(action="elections.summoned.add").get()
    with translation.override("en"):
        assert entry.action_label == "Persons summoned added to the registry"
    assert AuditEntry.objects.filter(action__startswith="elections.").count() >= 7
    for action in AuditEntry.objects.filter(action__startswith="elections.").values_list("action", flat=True):
        assert AuditEntry(action=action).action_label != action
