"""A person's request through the API (center staff only; anyone else with a role 404, the
anonymous 401): ``POST /api/privacy/search`` answers every record of an email address or a
name, ``POST /api/privacy/erasures`` erases them now. POST, so the address and the name stay
out of URLs and access logs. Both call one service function (privacy.person)."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema

from core.inputs import InputSchema, Text
from directory.auth import staff_auth
from privacy.permissions import can_handle_requests
from privacy.person import EMAIL_MAX, NAME_MAX, erase_person, find_records

router = Router(auth=staff_auth, tags=["privacy"])


class PersonIn(InputSchema):
    email: Text(EMAIL_MAX) | None = Field(None, description="the person's email address")
    name: Text(NAME_MAX) | None = Field(None, description="the person's name (spaces ignored)")


class RecordsOut(Schema):
    count: int
    records: dict[str, list[dict]] = Field(
        description="per kind (registrations, roster_entries, dispatches, contacts, …) its rows"
    )


class ErasureOut(Schema):
    id: int
    finished_at: dt.datetime | None
    total: int
    counts: dict[str, int]


def _check(request) -> None:
    if not can_handle_requests(request.auth):
        raise Http404


@router.post("/search", response=RecordsOut, summary="Every record of a person")
def search(request, body: PersonIn):
    """Find every record of the email address or the name (at least one; 422 otherwise)."""
    _check(request)
    records = find_records(email=body.email, name=body.name)
    return {"count": sum(len(rows) for rows in records.values()), "records": records}


@router.post("/erasures", response=ErasureOut, summary="Erase a person's records now")
def erase(request, body: PersonIn):
    """Erase the personal fields of every record of the person; audited with counts only."""
    _check(request)
    run = erase_person(email=body.email, name=body.name, by=request.auth)
    return {"id": run.pk, "finished_at": run.finished_at, "total": run.total, "counts": run.counts}
