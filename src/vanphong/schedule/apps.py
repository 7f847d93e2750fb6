from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "vanphong.schedule"
    label = "schedule"
    verbose_name = _("Weekly schedule")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vanphong.schedule import actions, panels  # noqa: F401  (panels: register the home-page panel)

        actions.register()
