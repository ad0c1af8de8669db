"""The JSON API: one NinjaAPI at /api/, its routers, and the one mapping of errors to answers.

Errors are JSON: ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`` for 422 (the
field is the last element of ``loc``), ``{"detail": "..."}`` for 401/403/404/409.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from attendance.api import router as attendance_router
from config.audit_api import router as audit_router
from core.errors import Conflict, RateLimited
from core.limits import retry_after_minutes
from directory.api import router as directory_router
from feeds.api import router as feeds_router
from notifications.api import router as notifications_router
from reports.api import router as reports_router
from supervision.api import router as supervision_router
from training.api import router as training_router

api = NinjaAPI(
    title="Sasaeru API",
    version="1",
    description="ひきこもり支援者人材養成・関係機関支援のスケジュール管理 API",
    urls_namespace="api",
)

api.add_router("/directory/", directory_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/training/", training_router)
api.add_router("/attendance/", attendance_router)
api.add_router("/feeds/", feeds_router)
api.add_router("/audit", audit_router)
api.add_router("/reports/", reports_router)


def _validation_items(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "msg": str(message), "type": error.code or "invalid"}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [
        {"loc": ["body"], "msg": str(message), "type": exc.code or "invalid"}
        for message in exc.messages
    ]


@api.exception_handler(ValidationError)
def django_validation_error(request, exc):
    return api.create_response(request, {"detail": _validation_items(exc)}, status=422)


# The request parser's own errors (wrong types, missing fields) in the user's language; any
# other type keeps the parser's English text.
PARSER_MESSAGES = {
    "missing": _("This field is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "string_type": _("Enter text."),
    "string_too_short": _("This value is too short."),
    "string_too_long": _("This value is too long."),
    "datetime_parsing": _("Enter a date and time such as 2021-06-10T13:30+09:00."),
    "datetime_from_date_parsing": _("Enter a date and time such as 2021-06-10T13:30+09:00."),
    "datetime_type": _("Enter a date and time such as 2021-06-10T13:30+09:00."),
    "date_parsing": _("Enter a date such as 2021-06-10."),
    "date_from_datetime_parsing": _("Enter a date such as 2021-06-10."),
    "date_type": _("Enter a date such as 2021-06-10."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "greater_than": _("This value is too small."),
    "greater_than_equal": _("This value is too small."),
    "less_than": _("This value is too large."),
    "less_than_equal": _("This value is too large."),
    "list_type": _("Enter a list."),
    "json_invalid": _("The request body is not valid JSON."),
    "model_attributes_type": _("The request body must be a JSON object."),
}


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request, exc):
    items = [
        {
            "loc": list(error.get("loc", [])),
            "msg": str(PARSER_MESSAGES.get(error.get("type"), error.get("msg", ""))),
            "type": error.get("type"),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or str(_("You may not do this."))}, status=403
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(_("Not found."))}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": str(_("Authentication required."))}, status=401)


@api.exception_handler(Conflict)
def conflict(request, exc):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=409)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    minutes = retry_after_minutes(exc)
    response = api.create_response(
        request,
        {
            "detail": ngettext(
                "Too many requests. Try again in %(minutes)d minute.",
                "Too many requests. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response
