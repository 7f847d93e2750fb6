import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "vanphong.directives"
    label = "directives"
    verbose_name = _("Directions and tasks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vanphong.directives import actions, panels  # noqa: F401  (panels: register the home-page panel)
        from vanphong.directives.services.reminders import run_reminders
        from vanphong.registry import DocumentSection, Job, registry

        actions.register()
        registry.document_section(DocumentSection("tasks", _("Tasks"), "directives:document_tasks", order=20))
        registry.job(Job("directives.reminders", run_reminders, every=datetime.timedelta(hours=1)))
