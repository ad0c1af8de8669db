from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:dispatch_id>/retry/", views.retry, name="retry"),
    path("reminder-days/", views.reminder_days, name="reminder_days"),
]
