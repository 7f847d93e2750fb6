import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "vanphong.documents"
    label = "documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vanphong.documents import actions, panels  # noqa: F401  (panels: registers the home-page baskets)
        from vanphong.documents.services import archive
        from vanphong.documents.services.exports import remove_old
        from vanphong.registry import Job, registry

        actions.register()
        # Decree 30 Appendix VI: the 30-day hand-over alert for archive files (idempotent by notice key).
        registry.job(Job("documents.handover_reminders", archive.remind_hand_over, every=datetime.timedelta(hours=1)))
        # Register exports prepared in the background: their files are removed after a few days.
        registry.job(Job("documents.register_exports", remove_old, every=datetime.timedelta(hours=1)))
