"""What the training API's modules share: the one router and who is acting."""

from django.http import Http404
from ninja import Router
from ninja.utils import check_csrf

from directory.auth import StaffTokenAuth
from directory.permissions import has_role

router = Router(tags=["training"])


def acting_staff(request):
    """The staff user behind a request to a public endpoint (token, or session with a valid
    CSRF token), else None: the caller is treated as the public."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        try:
            return StaffTokenAuth().authenticate(request, header[7:].strip())
        except Http404:
            return None
    user = request.user
    if has_role(user) and check_csrf(request) is None:
        return user
    return None
