from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "stats"

urlpatterns = [
    path("", views.metrics_page, name="metrics"),
    path("court-metrics.csv", views.metrics_csv, name="metrics-csv"),
    path("court-metrics.xlsx", views.metrics_xlsx, name="metrics-xlsx"),
    path("audit.<fmt:fmt>", views.audit_extract, name="audit-export"),
    path("nodes/", views.node_stats_page, name="nodes"),
    path("quotas/", views.quotas_page, name="quotas"),
    path("board/", views.board_page, name="board"),
    path("reports/", views.reports_page, name="reports"),
    path("quality/", views.quality_page, name="quality"),
    path("indicators/", views.indicators_page, name="indicators"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/<int:job_id>/", views.export_download, name="export-download"),
    path("nodes/export.<fmt:fmt>", views.node_stats_export, name="nodes-export"),
    path("nodes/instances.<fmt:fmt>", views.node_instances_export, name="instances-export"),
]
