"""Notices: one per person and fact, in the person's language, batched by e-mail, read and cleared."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.services import accounts
from vanphong.notices import services
from vanphong.notices.models import Notification
from vanphong.testing import SYSTEM, Office

pytestmark = pytest.mark.django_db


def subjects(account: object) -> list[str]:
    return list(Notification.objects.filter(recipient=account).values_list("subject", flat=True))


def test_each_person_reads_the_notice_in_their_own_language(office: Office) -> None:
    office.chief.language = "vi"
    office.chief.save(update_fields=["language"])
    office.deputy.language = "en"
    office.deputy.save(update_fields=["language"])
    with transaction.atomic():
        made = services.notify([office.chief, office.deputy], kind="test", subject=_("Documents"))
        services.notify([office.chief], kind="test", subject="Số {number}", params={"number": "57-NQ/TW"})
    assert made == 2
    assert subjects(office.chief) == ["Số 57-NQ/TW", "Văn bản"]
    assert subjects(office.deputy) == ["Documents"]


def test_the_same_key_reaches_a_person_once(office: Office) -> None:
    key = "directives.task:42:overdue:2026-12-07"
    with transaction.atomic():
        first = services.notify([office.chief, office.chief, office.clerk], kind="reminder", subject="Quá hạn", key=key)
        again = services.notify(
            [office.chief, office.clerk, office.deputy], kind="reminder", subject="Quá hạn", key=key
        )
    assert (first, again) == (2, 1)
    assert Notification.objects.filter(key=key).count() == 3


def test_inactive_accounts_and_none_get_nothing(office: Office) -> None:
    office.uncleared.is_active = False
    office.uncleared.save(update_fields=["is_active"])
    with transaction.atomic():
        assert services.notify([office.uncleared, None], kind="x", subject="Mời họp") == 0


def test_a_notice_rolls_back_with_the_act_it_reports(office: Office) -> None:
    with pytest.raises(ValidationError), transaction.atomic():
        services.notify([office.chief], kind="x", subject="Giao nhiệm vụ")
        raise ValidationError("the act failed")
    assert not Notification.objects.exists()


def test_marking_read_touches_only_ones_own(office: Office) -> None:
    with transaction.atomic():
        services.notify([office.chief, office.clerk], kind="x", subject="Lịch công tác tuần đã điều chỉnh")
    assert services.mark_read(office.chief) == 1
    assert Notification.objects.filter(recipient=office.clerk, read_at__isnull=True).count() == 1
    assert services.mark_read(office.chief) == 0


def _with_email(office: Office, *pairs: tuple[object, str]) -> None:
    for account, address in pairs:
        person = account.person  # type: ignore[attr-defined]
        person.email = address
        person.save(update_fields=["email"])


def test_the_digest_sends_one_message_per_person_then_nothing(office: Office, settings: object) -> None:
    settings.NOTICES_EMAIL = True  # type: ignore[attr-defined]
    _with_email(office, (office.chief, "binh.tv@tinhuy.sonha.vn"))
    with transaction.atomic():
        services.notify([office.chief, office.clerk], kind="x", subject="Nhiệm vụ sắp đến hạn", url="/tasks/1/")
        services.notify([office.chief], kind="x", subject="Nhiệm vụ quá hạn", url="/tasks/2/")
    now = timezone.now() + datetime.timedelta(seconds=1)
    assert services.send_digests(now) == "1 digests sent, 0 failed"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["binh.tv@tinhuy.sonha.vn"]
    assert "Nhiệm vụ sắp đến hạn" in message.body and "Nhiệm vụ quá hạn" in message.body
    assert "/tasks/2/" in message.body
    assert services.send_digests(now) == "0 digests sent, 0 failed"
    assert len(mail.outbox) == 1  # the clerk has no address: in the app only


def test_no_mail_without_a_server(office: Office, settings: object) -> None:
    settings.NOTICES_EMAIL = False  # type: ignore[attr-defined]
    _with_email(office, (office.chief, "binh.tv@tinhuy.sonha.vn"))
    with transaction.atomic():
        services.notify([office.chief], kind="x", subject="Giấy mời họp")
    assert services.send_digests(timezone.now()) == "e-mail is not configured"
    assert mail.outbox == []


def test_read_notices_are_not_mailed(office: Office, settings: object) -> None:
    settings.NOTICES_EMAIL = True  # type: ignore[attr-defined]
    _with_email(office, (office.chief, "binh.tv@tinhuy.sonha.vn"))
    with transaction.atomic():
        services.notify([office.chief], kind="x", subject="Giấy mời họp")
    services.mark_read(office.chief)
    services.send_digests(timezone.now() + datetime.timedelta(seconds=1))
    assert mail.outbox == []


# --- pages and API ---------------------------------------------------------------------------------------


def _one(
    office: Office, account: object, text: str = "Văn bản mới cần xử lý", url: str = "/documents/"
) -> Notification:
    with transaction.atomic():
        services.notify([account], kind="x", subject=text, url=url)  # type: ignore[list-item]
    return Notification.objects.filter(recipient=account).latest("pk")  # type: ignore[misc]


def test_the_list_shows_only_my_notices_and_the_count(office: Office, client: Client) -> None:
    _one(office, office.chief, "Của chánh văn phòng")
    _one(office, office.clerk, "Của văn thư")
    client.force_login(office.chief)
    page = client.get(reverse("notices:list")).content.decode()
    assert "Của chánh văn phòng" in page and "Của văn thư" not in page
    assert 'class="badge"' in page  # the unread count in the top bar


def test_opening_a_notice_marks_it_read_and_follows_its_link(office: Office, client: Client) -> None:
    notice = _one(office, office.chief, url="/documents/")
    client.force_login(office.chief)
    response = client.post(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/documents/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_an_outside_link_is_not_followed(office: Office, client: Client) -> None:
    notice = _one(office, office.chief, url="https://example.invalid/phishing")
    client.force_login(office.chief)
    response = client.post(reverse("notices:open", args=[notice.pk]))
    assert response["Location"] == reverse("notices:list")


@pytest.mark.parametrize(
    ("persona", "method", "name", "own", "expected"),
    [
        ("anonymous", "get", "notices:list", False, 302),
        ("chief", "get", "notices:list", False, 200),
        ("chief", "post", "notices:list", False, 405),
        ("anonymous", "post", "notices:open", True, 302),
        ("chief", "post", "notices:open", True, 302),
        ("clerk", "post", "notices:open", True, 404),  # the chief's notice
        ("chief", "get", "notices:open", True, 405),
        ("anonymous", "post", "notices:read_all", False, 302),
        ("chief", "post", "notices:read_all", False, 302),
        ("chief", "get", "notices:read_all", False, 405),
    ],
)
def test_page_matrix(
    office: Office, client: Client, persona: str, method: str, name: str, own: bool, expected: int
) -> None:
    notice = _one(office, office.chief)
    if persona != "anonymous":
        client.force_login(getattr(office, persona))
    url = reverse(name, args=[notice.pk]) if own else reverse(name)
    response = getattr(client, method)(url)
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("core:login"))


def _bearer(account: object) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Ứng dụng di động")  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_lists_and_marks_my_notices(office: Office, client: Client) -> None:
    notice = _one(office, office.chief, "Lịch họp thay đổi")
    _one(office, office.clerk, "Không phải của tôi")
    headers = _bearer(office.chief)
    body = client.get("/api/notices", **headers).json()  # type: ignore[arg-type]
    assert body["unread"] == 1 and [item["subject"] for item in body["items"]] == ["Lịch họp thay đổi"]
    assert client.post(f"/api/notices/{notice.pk}/read", **headers).json() == {"marked": 1}  # type: ignore[arg-type]
    assert client.get("/api/notices?unread=true", **headers).json()["items"] == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("persona", "method", "path", "expected"),
    [
        ("anonymous", "get", "/api/notices", 401),
        ("anonymous", "post", "/api/notices/{pk}/read", 401),
        ("anonymous", "post", "/api/notices/read-all", 401),
        ("chief", "get", "/api/notices", 200),
        ("chief", "post", "/api/notices/{pk}/read", 200),
        ("clerk", "post", "/api/notices/{pk}/read", 404),
        ("chief", "post", "/api/notices/read-all", 200),
        ("chief", "get", "/api/notices/read-all", 405),
    ],
)
def test_api_matrix(office: Office, client: Client, persona: str, method: str, path: str, expected: int) -> None:
    notice = _one(office, office.chief)
    headers = {} if persona == "anonymous" else _bearer(getattr(office, persona))
    response = getattr(client, method)(path.format(pk=notice.pk), **headers)
    assert response.status_code == expected
