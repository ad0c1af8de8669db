"""The supervision API at /api/supervision/: targets, yearly plans and their revisions, visits
(schedule, series, complete, cancel, postpone), progress, the case-meeting goal, lecturer
dispatches, scheduling warnings, block liaison meetings and their cadence, and the planning
calendar. Confidential notes are null for everyone but center staff.

One module per group of endpoints; this package assembles their routers into ``router``
(mounted by config/api.py). Schemas are in ``schemas``, the lists' typed filters in
``filters``, shared checks in ``common``. The lists that grow are paginated
(``core.pagination``)."""

from ninja import Router

from directory.auth import staff_auth
from supervision.api import calendar, dispatches, liaison, plans, targets, visits

router = Router(auth=staff_auth, tags=["supervision"])
for module in (targets, plans, visits, dispatches, liaison, calendar):
    router.add_router("", module.router)
