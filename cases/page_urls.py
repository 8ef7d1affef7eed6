from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("register/", views.register_case, name="register"),
]
