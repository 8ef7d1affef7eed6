from django.urls import path

from nodes import views

app_name = "nodes"

urlpatterns = [
    path("catalog/", views.catalog_page, name="catalog"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("calendar/", views.calendar_page, name="calendar"),
]
