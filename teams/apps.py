from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs) -> None:
    # Permissions are created app by app after migrating (only apps with models get the
    # signal); sync once the last such app has them.
    with_models = [a for a in apps.get_app_configs() if a.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from .services import roles_sync_groups

    roles_sync_groups()


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        post_migrate.connect(_sync_role_groups, dispatch_uid="teams.sync_role_groups")
