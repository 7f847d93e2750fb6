"""Every page renders for the people who may see it (a quick net before the permission matrix)."""

import pytest
from django.urls import reverse

from vanphong.testing import Office

pytestmark = pytest.mark.django_db


def test_pages_render_for_the_installation_administrator(office: Office, login) -> None:  # type: ignore[no-untyped-def]
    client = login(office.root_admin)
    person = office.chief.person
    grant = person.role_grants.first()
    urls = [
        reverse("core:home"),
        reverse("core:profile"),
        reverse("core:organization_list"),
        reverse("core:organization_list") + "?q=van+phong&status=all&as_of=2024-01-01",
        reverse("core:organization_create"),
        reverse("core:organization_detail", args=[office.party_office.pk]),
        reverse("core:organization_edit", args=[office.party_office.pk]),
        reverse("core:organization_restructure", args=[office.party_office.pk]),
        reverse("core:organization_history", args=[office.party_office.pk]),
        reverse("core:person_list"),
        reverse("core:person_list") + f"?q=binh&organization={office.party_office.pk}",
        reverse("core:person_create"),
        reverse("core:person_detail", args=[person.pk]),
        reverse("core:person_edit", args=[person.pk]),
        reverse("core:person_history", args=[person.pk]),
        reverse("core:position_assign", args=[person.pk]),
        reverse("core:position_end", args=[person.holdings.first().pk]),
        reverse("core:role_grant", args=[person.pk]),
        reverse("core:account_list"),
        reverse("core:account_detail", args=[office.chief.pk]),
        reverse("core:account_create", args=[office.general_unit.members.first().pk]),
        reverse("core:delegation_list"),
        reverse("core:delegation_create"),
        reverse("core:audit_list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert grant is not None


def test_login_page_is_in_vietnamese_by_default(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    assert b'lang="vi"' in response.content


def test_reading_a_persons_confidential_fields_is_audited(office: Office, login) -> None:  # type: ignore[no-untyped-def]
    from vanphong.core.models import AuditEntry

    person = office.clerk.person
    url = reverse("core:person_detail", args=[person.pk])
    # The person themself and someone without rights over them: nothing recorded.
    login(office.clerk).get(url)
    response = login(office.specialist).get(url)
    assert b"clearance" not in response.content.lower()
    assert not AuditEntry.objects.filter(action="person.read_confidential").exists()
    # An administrator over them reads the clearance: recorded, with who and from where.
    response = login(office.party_admin).get(url)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="person.read_confidential")
    assert entry.actor == office.party_admin and entry.object_id == str(person.pk) and entry.ip == "127.0.0.1"


def test_account_search_ignores_accents_like_every_other_list(office: Office, login) -> None:  # type: ignore[no-untyped-def]
    client = login(office.root_admin)
    for query in ["Trần Văn Bình", "tran van binh", "TRẦN BÌNH"]:
        response = client.get(reverse("core:account_list"), {"q": query})
        assert response.status_code == 200
        assert [a.username for a in response.context["page"]] == ["chanhvp"], query
