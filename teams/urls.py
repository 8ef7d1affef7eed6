from django.urls import path

from . import apis

app_name = "teams"

urlpatterns = [
    path("courts/", apis.CourtListApi.as_view(), name="courts"),
    path("divisions/", apis.DivisionListApi.as_view(), name="divisions"),
    path("people/", apis.PersonListApi.as_view(), name="people"),
    path("people/<int:person_id>/move/", apis.PersonMoveApi.as_view(), name="person-move"),
    path(
        "people/<int:person_id>/memberships/",
        apis.PersonMembershipsApi.as_view(),
        name="person-memberships",
    ),
    path("teams/", apis.TeamListApi.as_view(), name="teams"),
    path("teams/<int:team_id>/", apis.TeamDetailApi.as_view(), name="team-detail"),
    path("teams/<int:team_id>/members/", apis.TeamMemberAddApi.as_view(), name="team-member-add"),
    path(
        "memberships/<int:membership_id>/end/",
        apis.MembershipEndApi.as_view(),
        name="membership-end",
    ),
    path("coefficients/", apis.CoefficientListApi.as_view(), name="coefficients"),
    path("coefficients/<str:category>/", apis.CoefficientSetApi.as_view(), name="coefficient-set"),
    path("team-types/", apis.TeamTypeListApi.as_view(), name="team-types"),
    path(
        "team-types/<int:team_type_id>/", apis.TeamTypeUpdateApi.as_view(), name="team-type-update"
    ),
    path("clerk-pool/", apis.ClerkPoolApi.as_view(), name="clerk-pool"),
]
