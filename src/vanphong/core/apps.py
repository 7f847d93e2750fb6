from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vanphong.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from vanphong.core import panels, signals  # noqa: F401  (connect receivers, register panels)
