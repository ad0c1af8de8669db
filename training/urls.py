from django.urls import path

from training import staff_views, views

app_name = "training"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/registered/", views.registered, name="registered"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path("r/<str:token>/event.ics", views.manage_ics, name="manage_ics"),
    path("r/<str:token>/join/", views.manage_join, name="manage_join"),
    # staff
    path("staff/", staff_views.event_list, name="staff_events"),
    path("staff/courses/", staff_views.course_list, name="staff_courses"),
    path("staff/courses/new/", staff_views.course_edit, name="staff_course_new"),
    path("staff/courses/<int:pk>/", staff_views.course_edit, name="staff_course_edit"),
    path("staff/lecturers/", staff_views.lecturer_list, name="staff_lecturers"),
    path("staff/lecturers/new/", staff_views.lecturer_edit, name="staff_lecturer_new"),
    path("staff/lecturers/<int:pk>/", staff_views.lecturer_edit, name="staff_lecturer_edit"),
    path("staff/events/<int:pk>/parts/new/", staff_views.event_part_new, name="staff_part_new"),
    path(
        "staff/events/<int:pk>/parts/<int:part_pk>/remove/",
        staff_views.event_part_remove,
        name="staff_part_remove",
    ),
    path("staff/events/new/", staff_views.event_edit, name="staff_event_new"),
    path("staff/events/<int:pk>/", staff_views.event_detail, name="staff_event"),
    path("staff/events/<int:pk>/edit/", staff_views.event_edit, name="staff_event_edit"),
    path("staff/events/<int:pk>/publish/", staff_views.event_publish, name="staff_event_publish"),
    path("staff/events/<int:pk>/cancel/", staff_views.event_cancel, name="staff_event_cancel"),
    path(
        "staff/events/<int:pk>/registrations/new/",
        staff_views.registration_new,
        name="staff_registration_new",
    ),
    path(
        "staff/events/<int:pk>/registrations.csv",
        staff_views.registrations_csv,
        name="staff_registrations_csv",
    ),
    path(
        "staff/registrations/<int:pk>/promote/",
        staff_views.registration_promote,
        name="staff_registration_promote",
    ),
    path(
        "staff/registrations/<int:pk>/cancel/",
        staff_views.registration_cancel,
        name="staff_registration_cancel",
    ),
]
