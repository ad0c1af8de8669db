"""The JSON API: one NinjaAPI at /api/, its routers, and the one mapping of errors to answers.

Errors are JSON in the user's language: ``{"detail": [{"loc": [...], "msg": "...", "type":
"..."}]}`` for 422 (the field is the last element of ``loc``), ``{"detail": "..."}`` for
400/401/403/404/409. A body that is not JSON (malformed, a form, a multipart body without its
boundary) is 400 naming the problem; an empty body is an empty object, so a POST whose body is
optional may send none. The OpenAPI document lists these answers with their schemas on every
operation that can give them (``SasaeruAPI.get_openapi_schema``).
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from attendance.api import router as attendance_router
from config.audit_api import router as audit_router
from core.errors import Conflict, RateLimited
from core.limits import retry_after_minutes
from directory.api import router as directory_router
from feeds.api import router as feeds_router
from notifications.api import router as notifications_router
from privacy.api import router as privacy_router
from reports.api import router as reports_router
from supervision.api import router as supervision_router
from surveys.api import router as surveys_router
from training.api import router as training_router


class BodyError(Exception):
    """A request body the API cannot read; its message says why (400)."""


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BodyParser(Parser):
    """JSON bodies only, with a message that names the problem; an empty body (or a form
    without any field) is an empty object."""

    def parse_body(self, request):
        body = request.body
        if not body.strip():
            return {}
        if request.content_type in FORM_TYPES:
            try:
                has_fields = bool(request.POST) or bool(request.FILES)
            except MultiPartParserError:
                raise BodyError(gettext(MULTIPART_MESSAGE)) from None
            if not has_fields:
                return {}
            raise BodyError(gettext("Send the request body as JSON (application/json)."))
        try:
            return json.loads(body)
        except UnicodeDecodeError:
            raise BodyError(gettext("The request body is not UTF-8 text.")) from None
        except json.JSONDecodeError as error:
            raise BodyError(
                gettext("The request body is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from None


MULTIPART_MESSAGE = _("The multipart request body cannot be read (is its boundary missing?).")


class SasaeruAPI(NinjaAPI):
    def create_temporal_response(self, request):
        """Called before the parameters are read: an empty body of a write is the empty object
        ``{}`` (as the README says), so a missing field is named (django-ninja would call the
        whole body missing: 「payload: このフィールドは必須です。」)."""
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type not in FORM_TYPES
            and not request.body.strip()
        ):
            request._body = b"{}"
        return super().create_temporal_response(request)

    def get_openapi_schema(self, *args, **kwargs):
        from config.openapi import document_errors

        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = SasaeruAPI(
    parser=BodyParser(),
    title="Sasaeru API",
    version="1",
    description="ひきこもり支援者人材養成・関係機関支援のスケジュール管理 API",
    urls_namespace="api",
)

api.add_router("/directory/", directory_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/training/", training_router)
api.add_router("/training/", surveys_router)
api.add_router("/attendance/", attendance_router)
api.add_router("/feeds/", feeds_router)
api.add_router("/audit", audit_router)
api.add_router("/reports/", reports_router)
api.add_router("/privacy/", privacy_router)


def _sent_fields(request) -> set[str]:
    if request.content_type != "application/json":
        return set()
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RawPostDataException):
        return set()
    return set(body) if isinstance(body, dict) else set()


def _validation_items(exc: ValidationError, sent: frozenset[str] = frozenset()) -> list[dict]:
    """A service names the model's field (``municipality``); the request sent its id
    (``municipality_id``): the answer names the field as sent."""

    def name(field: str) -> str:
        return f"{field}_id" if field not in sent and f"{field}_id" in sent else field

    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", name(field)], "msg": str(message), "type": error.code or "invalid"}
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
    items = _validation_items(exc, frozenset(_sent_fields(request)))
    return api.create_response(request, {"detail": items}, status=422)


# The request parser's own errors (wrong types, missing fields) in the user's language; the
# types raised by core.inputs carry their own message; any other type gets a general one.
PARSER_MESSAGES = {
    "extra_forbidden": _("This field is not accepted here."),
    "url_parsing": _("Enter a valid URL."),
    "url_scheme": _("Enter a valid URL."),
    "dict_type": _("Enter an object."),
    "too_short": _("Enter at least one item."),
    "finite_number": _("Enter a number."),
    "uuid_parsing": _("Enter a valid value."),
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


# Messages that say the bound (pydantic's context names it).
BOUND_MESSAGES = {
    "string_too_long": ("max_length", _("Enter at most %(bound)s characters.")),
    "too_long": ("max_length", _("Enter at most %(bound)s items.")),
    "greater_than_equal": ("ge", _("Enter a value of at least %(bound)s.")),
    "less_than_equal": ("le", _("Enter a value of at most %(bound)s.")),
}
# The types core.inputs raises: their message is already in the user's language.
OWN_TYPES = {
    "fiscal_year_range",
    "date_range",
    "int_range",
    "number_range",
    "text",
    "not_a_number",
    "float_finite",
    "blank",
    "not_null",
    "audit_filter",  # config/audit_api.py
}


def parser_message(error: dict) -> str:
    kind = error.get("type")
    if kind in OWN_TYPES:
        return str(error.get("msg", ""))
    context = error.get("ctx") or {}
    if kind in BOUND_MESSAGES and BOUND_MESSAGES[kind][0] in context:
        key, message = BOUND_MESSAGES[kind]
        return str(message) % {"bound": context[key]}
    return str(PARSER_MESSAGES.get(kind, _("Enter a valid value.")))


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request, exc):
    items = [
        {"loc": list(error.get("loc", [])), "msg": parser_message(error), "type": error.get("type")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """The body parser's errors (ninja wraps them as "Cannot parse request body") with our
    message; any other HttpError as it is."""
    if isinstance(exc.__cause__, BodyError):
        return api.create_response(request, {"detail": str(exc.__cause__)}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
def unreadable_multipart(request, exc):
    return api.create_response(request, {"detail": str(MULTIPART_MESSAGE)}, status=400)


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
