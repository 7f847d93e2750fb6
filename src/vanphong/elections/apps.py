from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "vanphong.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from vanphong.elections import actions, panels  # noqa: F401  (panels: register the home-page panel)

        actions.register()
