from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("register/", views.register_case, name="register"),
    path("interference/", views.interference_page, name="interference"),
    path("exports/locks.csv", views.lock_records_export, {"fmt": "csv"}, name="locks-csv"),
    path("exports/locks.xlsx", views.lock_records_export, {"fmt": "xlsx"}, name="locks-xlsx"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("<int:case_id>/act/", views.case_act, name="act"),
    path("<int:case_id>/unlock/", views.case_unlock_view, name="unlock"),
    path("<int:case_id>/supervise/", views.case_supervise_view, name="supervise"),
    path("approvals/<int:approval_id>/decide/", views.approval_decide_view, name="decide"),
    path("hearings/<int:hearing_id>/", views.hearing_act, name="hearing"),
]
