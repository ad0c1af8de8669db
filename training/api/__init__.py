"""The training API under /api/training/.

Public (no account): ``GET /events`` and ``GET /events/{id}`` (published trainings, no private
field), ``POST /events/{id}/registrations`` (a web registration, or a phone/fax one when the
caller is authenticated staff), ``POST /registrations/confirm`` and ``POST /registrations/me``
(with the token of the emailed link), ``POST /registrations/{id}/cancel`` (staff, or the
registrant with the token of their management link).

Staff: ``POST /events``, ``GET /all-events``, ``GET|PATCH /events/{id}/manage``,
``POST /events/{id}/publish``, ``POST /events/{id}/cancel``, ``GET /events/{id}/registrations``,
``POST /registrations/{id}/promote``, ``GET|POST /courses``, ``GET /events/{id}/emails``,
``GET|POST /lecturers``, ``POST /events/{id}/parts``, ``DELETE /events/{id}/parts/{part_id}``;
public ``GET /events/{id}/parts`` (the parts and their lecturers).

Datetimes without an offset are taken as Asia/Tokyo time. The lists (``/events``,
``/all-events``, registrations, emails, ``/lecturers``, ``/courses``) are paginated
(``core.pagination``: ``limit``/``offset``, ``{"items": [...], "count": N}``).

One router (``common.router``), its operations in ``public`` and ``staff`` (an operation's
path may have a public GET and a staff POST, so they share the router); schemas in
``schemas``.
"""

from training.api import public, staff  # noqa: F401  (they add their operations to the router)
from training.api.common import router

__all__ = ["router"]
