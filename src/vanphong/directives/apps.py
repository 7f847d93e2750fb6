from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "vanphong.directives"
    label = "directives"
    verbose_name = _("Directions and tasks")
    default_auto_field = "django.db.models.BigAutoField"
