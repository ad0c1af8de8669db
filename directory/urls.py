from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("center/", views.center_profile, name="center"),
    path("areas/", views.areas_page, name="areas"),
    path("areas/<str:which>.csv", views.areas_export, name="areas_export"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
]
