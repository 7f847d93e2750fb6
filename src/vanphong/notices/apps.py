import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "vanphong.notices"
    label = "notices"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vanphong.notices.services import send_digests
        from vanphong.registry import Job, registry

        registry.job(Job("notices.digest", send_digests, every=datetime.timedelta(minutes=30)))
