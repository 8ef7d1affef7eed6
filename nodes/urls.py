from django.urls import path

from nodes import apis

app_name = "nodes"

urlpatterns = [
    path("nodes/catalog/", apis.CatalogListApi.as_view(), name="catalog"),
    path("calendar/due/", apis.DueDateApi.as_view(), name="due"),
    path("supervision/daily/", apis.SupervisionDailyApi.as_view(), name="supervision-daily"),
    path("notifications/", apis.NotificationListApi.as_view(), name="notifications"),
    path(
        "notifications/<str:notification_id>/read/",
        apis.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
