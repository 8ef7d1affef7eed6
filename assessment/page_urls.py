from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.metrics_page, name="metrics"),
    path("court-metrics.csv", views.metrics_csv, name="metrics-csv"),
]
