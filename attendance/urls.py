from django.urls import path

from attendance.views import documents, door, imports, paper_entry, rosters

app_name = "attendance"

urlpatterns = [
    path("", rosters.index, name="index"),
    path("events/<int:event_id>/", rosters.roster, name="roster"),
    path("events/<int:event_id>/counts/", rosters.event_counts, name="event_counts"),
    path("events/<int:event_id>/build/", rosters.build, name="build"),
    path("events/<int:event_id>/close/", rosters.close, name="close"),
    path("events/<int:event_id>/minimum/", rosters.minimum, name="minimum"),
    path("events/<int:event_id>/check-in/", door.check_in, name="check_in"),
    path("events/<int:event_id>/check-in/qr/", door.qr_check_in, name="qr_check_in"),
    path("events/<int:event_id>/paper/", paper_entry.paper, name="paper"),
    path("events/<int:event_id>/walk-in/", paper_entry.walk_in, name="walk_in"),
    path("events/<int:event_id>/import/", imports.import_report, name="import"),
    path("events/<int:event_id>/sign-in-sheet.pdf", documents.sign_in_sheet, name="sign_in_sheet"),
    path("events/<int:event_id>/roster.csv", documents.export, {"fmt": "csv"}, name="export_csv"),
    path(
        "events/<int:event_id>/roster.xlsx", documents.export, {"fmt": "xlsx"}, name="export_xlsx"
    ),
    path("entries/<int:entry_id>/", door.entry_detail, name="entry"),
    path("entries/<int:entry_id>/status/", door.record, name="record"),
    path("entries/<int:entry_id>/certificate.pdf", documents.certificate, name="certificate"),
    path("imports/<int:import_id>/", imports.import_detail, name="import_detail"),
    path("imported/<int:attendee_id>/resolve/", imports.resolve, name="resolve"),
    path("certificate/<str:token>/", documents.trainee_certificate, name="trainee_certificate"),
    path("admission/<str:token>.pdf", documents.admission_ticket, name="admission_ticket"),
]
