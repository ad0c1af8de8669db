from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/series/", views.series_new, name="series_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/complete/", views.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/postpone/", views.visit_postpone, name="visit_postpone"),
    path("visits/<int:pk>/details/", views.visit_revise, name="visit_revise"),
    path("visits/<int:pk>/reopen/", views.visit_reopen, name="visit_reopen"),
    path("calendar/", views.planning_calendar, name="planning"),
    path("case-meetings/", views.case_meeting_goal, name="case_meetings"),
    path("dispatches/new/", views.dispatch_new, name="dispatch_new"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="dispatch"),
    path("liaison-meetings/", views.liaison_meetings, name="liaison_meetings"),
    path("liaison-meetings/new/", views.liaison_meeting_new, name="liaison_meeting_new"),
    path(
        "liaison-meetings/expected/<int:block_id>/",
        views.liaison_expected,
        name="liaison_expected",
    ),
]
