from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.index, name="index"),
    path("events/<int:event_id>/", views.roster, name="roster"),
    path("events/<int:event_id>/counts/", views.event_counts, name="event_counts"),
    path("events/<int:event_id>/build/", views.build, name="build"),
    path("events/<int:event_id>/close/", views.close, name="close"),
    path("events/<int:event_id>/minimum/", views.minimum, name="minimum"),
    path("events/<int:event_id>/check-in/", views.check_in, name="check_in"),
    path("events/<int:event_id>/paper/", views.paper, name="paper"),
    path("events/<int:event_id>/walk-in/", views.walk_in, name="walk_in"),
    path("events/<int:event_id>/import/", views.import_report, name="import"),
    path("events/<int:event_id>/sign-in-sheet.pdf", views.sign_in_sheet, name="sign_in_sheet"),
    path("events/<int:event_id>/roster.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("events/<int:event_id>/roster.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("entries/<int:entry_id>/status/", views.record, name="record"),
    path("entries/<int:entry_id>/certificate.pdf", views.certificate, name="certificate"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imported/<int:attendee_id>/resolve/", views.resolve, name="resolve"),
    path("certificate/<str:token>/", views.trainee_certificate, name="trainee_certificate"),
]
