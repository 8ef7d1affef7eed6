from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from teams.forms import AdminSignInForm, SignInForm

from . import views
from .apidocs import api_docs

admin.site.login_form = AdminSignInForm  # throttled against password guessing, as /login/

api_patterns = [
    path("teams/", include("teams.urls")),
    path("", include("nodes.urls")),
    path("", include("cases.urls")),
    path("", include("assessment.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("home/<slug:role>/", views.role_home, name="role-home"),
    path("nodes/", include("nodes.page_urls")),
    path("cases/", include("cases.page_urls")),
    path("stats/", include("assessment.page_urls")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached answers 503 even when the error is raised outside a view.
handler500 = "courtflow.views.server_error"

# Under /api/ an address that matches no endpoint answers the JSON error body.
handler404 = "courtflow.api.not_found"
