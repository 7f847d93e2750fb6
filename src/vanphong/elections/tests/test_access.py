"""Who sees and does what: the counting room is the committee's alone; the head decides; an operator
enters on their own station."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from vanphong.elections import access, policy
from vanphong.elections.models import ReconciledBallot, Summoned
from vanphong.elections.tests.conftest import Counting

pytestmark = pytest.mark.django_db


def test_lists_show_congresses_to_their_administrators_and_committee_only(counting: Counting) -> None:
    pk = counting.congress.pk
    for account in (counting.admin, counting.head, counting.member, counting.operator1, counting.office.root_admin):
        assert list(access.congresses_visible_to(account).values_list("pk", flat=True)) == [pk]
    assert not access.congresses_visible_to(counting.outsider).exists()
    assert list(access.congresses_counted_by(counting.operator2)) == [counting.congress]
    assert not access.congresses_counted_by(counting.admin).exists()


def test_the_counting_room_is_not_found_outside_the_committee(counting: Counting) -> None:
    pk = counting.congress.pk
    assert access.access_congress(counting.admin, pk, write=True) == counting.congress
    with pytest.raises(Http404):
        access.access_counting_room(counting.admin, pk)  # administrators do not see the ballots
    with pytest.raises(Http404):
        access.access_congress(counting.outsider, pk)
    with pytest.raises(PermissionDenied):
        access.access_congress(counting.member, pk, write=True)
    assert access.access_counting_room(counting.member, pk) == counting.congress
    with pytest.raises(PermissionDenied):
        access.access_counting_room(counting.member, pk, decide=True)
    assert access.access_counting_room(counting.head, pk, decide=True) == counting.congress


def test_only_the_operator_of_a_station_enters_on_it(counting: Counting) -> None:
    round_ = counting.open_round()
    assert access.access_station(counting.operator1, round_.pk, 1) == round_
    with pytest.raises(PermissionDenied):
        access.access_station(counting.operator1, round_.pk, 2)
    with pytest.raises(PermissionDenied):
        access.access_station(counting.head, round_.pk, 1)
    with pytest.raises(Http404):
        access.access_station(counting.operator1, round_.pk, 3)  # this round has two stations
    with pytest.raises(Http404):
        access.access_station(counting.admin, round_.pk, 1)
    assert policy.operator_station(counting.operator2, counting.congress) == 2
    assert policy.operator_station(counting.head, counting.congress) is None


def test_the_head_alone_rules_on_ballots_and_exclusions(counting: Counting) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["1"], stations=(1,))
    counting.enter(round_, ["2"], stations=(2,))
    disputed = ReconciledBallot.objects.get(round=round_)
    assert access.access_reconciled(counting.head, disputed.pk) == disputed
    with pytest.raises(PermissionDenied):
        access.access_reconciled(counting.member, disputed.pk)
    with pytest.raises(Http404):
        access.access_reconciled(counting.outsider, disputed.pk)
    person = Summoned.objects.filter(congress=counting.congress).first()
    assert person is not None
    assert access.access_summoned(counting.operator1, person.pk) == person  # anyone on the committee checks in
    with pytest.raises(PermissionDenied):
        access.access_summoned(counting.operator1, person.pk, exclude=True)
    assert access.access_summoned(counting.head, person.pk, exclude=True) == person
