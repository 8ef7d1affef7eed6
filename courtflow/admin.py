from django.contrib import admin

from .admin_tools import ReadOnlyAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read-only and scoped to the user's court."""

    list_display = ["at", "actor_name", "action", "object_repr", "source", "reason"]
    list_filter = ["action", "source"]
    search_fields = ["object_repr", "actor_name", "reason", "action"]
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False
