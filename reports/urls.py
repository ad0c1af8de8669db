from django.urls import path

from reports import settings_views, views

app_name = "reports"

urlpatterns = [
    path("", views.current_report, name="current"),
    path("<int:fiscal_year>/", views.fiscal_year_report, name="fiscal_year"),
    path("<int:fiscal_year>/report.txt", views.fiscal_year_report_text, name="fiscal_year_text"),
    path("<int:fiscal_year>/report.xlsx", views.fiscal_year_report_xlsx, name="fiscal_year_xlsx"),
    path("<int:fiscal_year>/report.pdf", views.fiscal_year_report_pdf, name="fiscal_year_pdf"),
    path("<int:fiscal_year>/dispatches/", views.dispatches, name="dispatches"),
    path("<int:fiscal_year>/direct-support/", views.direct_support, name="direct_support"),
    path("<int:fiscal_year>/settings/", settings_views.report_settings, name="settings"),
]
