from django.urls import path

from cases import apis

app_name = "cases"

urlpatterns = [
    path("cases/", apis.CaseListApi.as_view(), name="list"),
    path("cases/<int:case_id>/", apis.CaseDetailApi.as_view(), name="detail"),
    path("cases/<int:case_id>/nodes/", apis.CaseNodesApi.as_view(), name="nodes"),
    path("cases/<int:case_id>/actions/", apis.CaseActionsApi.as_view(), name="actions"),
    path("cases/<int:case_id>/unlock/", apis.CaseUnlockApi.as_view(), name="unlock"),
    path(
        "cases/<int:case_id>/hearings/", apis.HearingScheduleApi.as_view(), name="hearing-schedule"
    ),
    path(
        "cases/<int:case_id>/assignments/replay/", apis.AssignmentReplayApi.as_view(), name="replay"
    ),
    path("hearings/<int:hearing_id>/held/", apis.HearingHeldApi.as_view(), name="hearing-held"),
    path(
        "hearings/<int:hearing_id>/adjourn/",
        apis.HearingAdjournApi.as_view(),
        name="hearing-adjourn",
    ),
    path("approvals/", apis.ApprovalListApi.as_view(), name="approvals"),
    path(
        "approvals/<int:approval_id>/decide/",
        apis.ApprovalDecideApi.as_view(),
        name="approval-decide",
    ),
    path("service-requests/", apis.ServiceRequestListApi.as_view(), name="service-requests"),
    path(
        "service-requests/<int:request_id>/attempts/",
        apis.ServiceAttemptApi.as_view(),
        name="service-attempt",
    ),
]
