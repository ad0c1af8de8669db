from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.current_report, name="current"),
    path("<int:fiscal_year>/", views.fiscal_year_report, name="fiscal_year"),
    path("<int:fiscal_year>/report.txt", views.fiscal_year_report_text, name="fiscal_year_text"),
]
