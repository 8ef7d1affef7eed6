from django.urls import path

from . import apis

app_name = "stats"

urlpatterns = [
    path("stats/court-metrics/", apis.CourtMetricsApi.as_view(), name="court-metrics"),
    path("stats/nodes/", apis.NodeStatsApi.as_view(), name="nodes"),
]
