from django.urls import path

from mfa import views

app_name = "mfa"

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("app/", views.add_app, name="add_app"),
    path("passkey/", views.add_passkey, name="add_passkey"),
    path("passkey/added/", views.added, name="added"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_codes, name="new_codes"),
    path("remove/<str:kind>/<int:device_id>/", views.remove, name="remove"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:user_id>/reset/", views.reset, name="reset"),
]
