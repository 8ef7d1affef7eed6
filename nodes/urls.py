from django.urls import path

from nodes import apis

app_name = "nodes"

urlpatterns = [
    path("nodes/catalog/", apis.CatalogListApi.as_view(), name="catalog"),
    path("calendar/due/", apis.DueDateApi.as_view(), name="due"),
]
