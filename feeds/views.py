"""Calendar feeds over HTTP, and the pages to subscribe and to issue and revoke links.

A feed answers what calendar apps need (the ical_check checker's rules): ``text/calendar; charset=utf-8``,
no attachment disposition, no cookies, an ETag (the data version) and a Last-Modified (when
this server first served that version), ``304`` to a conditional request whose validators are
current, and HEAD. A revoked or unknown link answers 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.middleware import keep_own_cache_rules
from directory.decorators import staff_required
from feeds import calendars, links, services
from feeds.forms import IssueForm, RegistrantLinkForm
from feeds.ical import Feed, feed_cache, feed_cache_key, hot_files
from feeds.models import Subscription, feed_urls
from feeds.permissions import can_issue_subscription, can_revoke_subscription
from training.models import Registration

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 15 * 60


def serve_feed(request, feed: Feed, *, private: bool) -> HttpResponse:
    """The feed's file, or 304 when the client's copy is current. At most one query when
    nothing changed (the version, kept for ``FEEDS_VERSION_SECONDS``); the file comes from the
    cache."""
    keep_own_cache_rules(request)
    version = feed.version()
    etag = quote_etag(version)
    key = feed_cache_key(feed.identity, version)
    entry = hot_files.get(key)
    if entry is None:
        cache = feed_cache()
        entry = cache.get(key)
        if entry is None:
            if etag in request.headers.get("If-None-Match", ""):
                # The client holds this very version: no need to render it to say so.
                return _not_modified(etag, private=private)
            entry = (int(timezone.now().timestamp()), feed.render())
            cache.set(key, entry)
        hot_files.put(key, entry)
    modified, body = entry
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=CONTENT_TYPE)
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    _cache_headers(response, private=private)
    # The response itself when no condition holds, else a 304 with its validators.
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response)


def _not_modified(etag: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    _cache_headers(response, private=private)
    return response


def _cache_headers(response, *, private: bool) -> None:
    """A secret link's feed: only the calendar app may keep it, and it asks every time (a 304
    when nothing changed). The public feed: anyone may keep it for MAX_AGE."""
    if private:
        patch_cache_control(response, private=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex"
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)


@require_safe
def public_feed(request):
    """/calendar/trainings.ics: published trainings and awareness events."""
    return serve_feed(request, calendars.public_feed(), private=False)


@require_safe
def subscription_feed(request, token: str):
    """/calendar/s/<token>.ics: the feed of one secret link. The link and its fetch count go
    through the ``feeds`` cache (feeds/links.py): a revoked link is dead at once."""
    link = links.live_link(token)
    if link is None or not links.record_fetch(link):
        raise Http404
    return serve_feed(request, calendars.feed_for(link.scope), private=True)


# --- pages --------------------------------------------------------------------------------


def _links(raw_token: str | None = None) -> dict:
    """The https:// and webcal:// forms of a secret link, or of the public feed."""
    if raw_token is None:
        https_url = settings.SITE_URL + reverse("feeds:public_feed")
        return {"https_url": https_url, "webcal_url": "webcal://" + https_url.split("://", 1)[1]}
    https_url, webcal_url = feed_urls(raw_token)
    return {"https_url": https_url, "webcal_url": webcal_url}


def subscribe(request):
    """How to subscribe to the public training calendar, for everyone."""
    return render(request, "feeds/subscribe.html", {"links": _links()})


@staff_required
def subscription_list(request):
    """The links the user may see, and the form to issue a new one."""
    form = IssueForm(request.user, request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        if not can_issue_subscription(request.user, target):
            raise PermissionDenied
        try:
            subscription, raw = services.issue_subscription(
                target=target, label=form.cleaned_data["label"], issued_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            issued = {"subscription": subscription, **_links(raw)}
            form = IssueForm(request.user)
    rows = (
        Subscription.objects.visible_to(request.user)
        .select_related("municipality", "district", "block", "user", "created_by")
        .order_by("revoked_at", "-created_at", "-id")
    )
    return render(
        request,
        "feeds/subscription_list.html",
        {
            "form": form,
            "issued": issued,
            "subscriptions": rows,
            "public_links": _links(),
            "revocable": {row.pk for row in rows if can_revoke_subscription(request.user, row)},
        },
        status=201 if issued else 200,
    )


@staff_required
@require_POST
def subscription_revoke(request, pk: int):
    subscription = get_object_or_404(Subscription.objects.visible_to(request.user), pk=pk)
    if not can_revoke_subscription(request.user, subscription):
        raise PermissionDenied
    services.revoke_subscription(subscription=subscription, revoked_by=request.user)
    messages.success(request, _("The link has been revoked. Calendars using it stop updating."))
    return redirect("feeds:subscriptions")


def registrant_links(request, token: str):
    """/calendar/my/<management token>/: a registrant's calendar of all their registrations,
    reachable from the management link of any of them."""
    registration = get_object_or_404(
        Registration.objects.for_token(token).exclude(status=Registration.Status.PENDING)
    )
    form = RegistrantLinkForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            _subscription, raw = services.issue_registrant_subscription(
                email=registration.email, label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            issued = _links(raw)
            form = RegistrantLinkForm()
    existing = (
        Subscription.objects.active()
        .filter(kind=Subscription.Kind.REGISTRANT, registrant_email=registration.email)
        .order_by("-created_at")
        if registration.email
        else Subscription.objects.none()
    )
    return render(
        request,
        "feeds/registrant_links.html",
        {
            "registration": registration,
            "token": token,
            "form": form,
            "issued": issued,
            "existing": existing,
        },
    )


@require_POST
def registrant_revoke(request, token: str, pk: int):
    registration = get_object_or_404(Registration.objects.for_token(token))
    subscription = get_object_or_404(
        Subscription.objects.filter(
            kind=Subscription.Kind.REGISTRANT, registrant_email=registration.email or "-"
        ),
        pk=pk,
    )
    services.revoke_subscription(subscription=subscription, revoked_by=None)
    messages.success(request, _("The link has been revoked. Calendars using it stop updating."))
    return redirect("feeds:registrant_links", token=token)
