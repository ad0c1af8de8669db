"""Passkeys through django-otp-webauthn, as a second factor after the password (passwordless
login is off): the relying party is this site's own host, as the request names it (ALLOWED_HOSTS
and the proxy's scheme header vouch for it), so a passkey works on whatever address the
installation serves. The ceremonies' JSON endpoints are the library's, with the follow-up of
mfa.services after a passkey is added or used."""

from django.http import JsonResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from mfa import policy, services


def relying_party_id(request) -> str:
    """The host without its port (WebAuthn's relying party id is a domain)."""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class CompleteRegistration(views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = WebAuthnCredential.objects.get(
                pk=_json(response)["id"], user=self.request.user
            )
            codes = services.passkey_added(self.request, device)
            if codes:
                # Shown once on the next page (mfa.views.recovery_codes).
                self.request.session["mfa_new_codes"] = codes
        return response


class CompleteAuthentication(views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        policy.mark_verified(self.request)


def _json(response: JsonResponse) -> dict:
    import json

    return json.loads(response.content)


# Named as the library's own (its script configuration reverses "otp_webauthn:...").
app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn", "mfa"]),
        name="js-i18n-catalog",
    ),
]
