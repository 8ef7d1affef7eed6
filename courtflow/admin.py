from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_tools import ReadOnlyAdmin
from .errors import DomainError
from .models import ApiToken, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read-only and scoped to the user's court."""

    list_display = ["at", "actor_name", "action", "object_repr", "source", "reason"]
    list_filter = ["action", "source"]
    search_fields = ["object_repr", "actor_name", "reason", "action"]
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False


@admin.action(description=gettext_lazy("Revoke the selected tokens"))
def revoke_selected(modeladmin, request, queryset):
    """Each token is revoked by the service (audited); refusals are reported, not raised."""
    from .tokens import api_token_revoke

    done = 0
    for token in queryset.select_related("user"):
        try:
            api_token_revoke(actor=request.user, token=token)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{token}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(
            request, _("%(count)s tokens revoked.") % {"count": done}, messages.SUCCESS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """System-to-system tokens: listed and revoked here, made with ``manage.py
    api_token_create`` (the key is shown once, so it cannot come back from a list)."""

    court_lookup = "user__person__court_id"
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["key_hash"]
    actions = [revoke_selected]

    def has_change_permission(self, request, obj=None):
        return False
