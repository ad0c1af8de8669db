from django.urls import path

from supervision.views import dispatches, liaison, overview, targets, visits

app_name = "supervision"

urlpatterns = [
    path("", overview.dashboard, name="dashboard"),
    path("targets/<int:pk>/", targets.target_detail, name="target"),
    path("plans/new/", targets.plan_new, name="plan_new"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/series/", visits.series_new, name="series_new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("visits/<int:pk>/complete/", visits.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/postpone/", visits.visit_postpone, name="visit_postpone"),
    path("visits/<int:pk>/details/", visits.visit_revise, name="visit_revise"),
    path("visits/<int:pk>/reopen/", visits.visit_reopen, name="visit_reopen"),
    path("calendar/", overview.planning_calendar, name="planning"),
    path("case-meetings/", overview.case_meeting_goal, name="case_meetings"),
    path("dispatches/new/", dispatches.dispatch_new, name="dispatch_new"),
    path("dispatches/<int:pk>/", dispatches.dispatch_detail, name="dispatch"),
    path("dispatches/<int:pk>/edit/", dispatches.dispatch_revise, name="dispatch_revise"),
    path("dispatches/<int:pk>/cancel/", dispatches.dispatch_cancel, name="dispatch_cancel"),
    path("liaison-meetings/", liaison.liaison_meetings, name="liaison_meetings"),
    path("liaison-meetings/new/", liaison.liaison_meeting_new, name="liaison_meeting_new"),
    path(
        "liaison-meetings/expected/<int:block_id>/",
        liaison.liaison_expected,
        name="liaison_expected",
    ),
]
