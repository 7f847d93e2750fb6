"""The demo congress of ``vanphong demo``: built through the services with the demo's logins as the
counting committee, the figures of a provincial congress, and a sealed first round."""

from __future__ import annotations

import pytest

from vanphong.core import audit
from vanphong.core.models import Account
from vanphong.elections import demo, services
from vanphong.elections.models import ReconciledBallot, RoundStatus
from vanphong.testing import Office, make_account, make_person

pytestmark = pytest.mark.django_db


def test_the_demo_congress_is_counted_and_sealed(office: Office) -> None:
    logins = (("truongphong", "Đặng Minh Khoa"), ("photruongphong", "Ngô Thị Hồng Nhung"),
              ("chuyenvienchinh", "Bùi Thị Thanh Thủy"), ("chuyenvien", "Hoàng Văn Nam"))  # fmt: skip
    for username, full_name in logins:
        if not Account.objects.filter(username=username).exists():  # the office personas hold some
            make_account(make_person(full_name, office.party_office), username)
    said: list[str] = []
    congress = demo.build(office.province_party, say=said.append)
    assert said and congress.kind == "delegates"
    registry = services.registry_of(congress)
    assert (registry.summoned, registry.present, registry.base.value) == (348, 340, 344)
    assert congress.committee.count() == 4
    executive, national = congress.elections.order_by("sort_order")
    assert (executive.seats, executive.candidates.count()) == (50, 55)
    assert (national.seats, national.alternate_seats, national.candidates.count()) == (13, 2, 17)
    round_ = executive.rounds.get()
    assert round_.status == RoundStatus.SEALED and round_.present == 340 and round_.ballots_issued == 340
    result = round_.result or {}
    assert result["base"] == 344 and result["votes_needed"] == 173
    assert result["ballots"] == {"collected": 338, "valid": 336, "invalid": 2,
                                 "invalid_by_reason": {"no_name_kept": 1, "not_issued": 1}}  # fmt: skip
    assert 1 <= len(result["elected"]) <= 50
    assert ReconciledBallot.objects.filter(round=round_, status="resolved").count() == 1
    checked, problems = audit.verify()
    assert checked > 1000 and problems == []  # 676 entries, 340 check-ins, the set-up
