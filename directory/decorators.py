"""View decorators for staff pages, built on directory.permissions."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from directory.permissions import has_role, is_center_staff


def staff_required(view):
    """Anonymous visitors go to the login page; a logged-in user without a role gets 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def center_staff_required(view):
    """Like staff_required; other roles get 404 too (the page does not exist for them)."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not is_center_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
