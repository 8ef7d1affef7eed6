from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courtflow"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
