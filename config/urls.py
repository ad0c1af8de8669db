from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.api import api
from mfa.views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/second-factor/", include("mfa.urls")),
    # passkeys' JSON ceremonies (django-otp-webauthn), under the factor pages' prefix
    path("account/second-factor/webauthn/", include("mfa.webauthn")),
    path("account/", include("directory.urls")),
    path("training/", include("training.urls")),
    path("outbox/", include("notifications.urls")),
    path("supervision/", include("supervision.urls")),
    path("attendance/", include("attendance.urls")),
    path("surveys/", include("surveys.urls")),
    path("calendar/", include("feeds.urls")),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
