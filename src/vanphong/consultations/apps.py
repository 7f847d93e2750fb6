import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "vanphong.consultations"
    label = "consultations"
    verbose_name = _("Written consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vanphong.consultations import actions, panels, services  # noqa: F401  (panels: the home-page panel)
        from vanphong.registry import Job, registry

        actions.register()
        registry.job(Job("consultations.reminders", services.deadline_round, every=datetime.timedelta(hours=1)))
