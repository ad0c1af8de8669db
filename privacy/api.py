"""A person's request through the API (center staff only; anyone else with a role 404, the
anonymous 401): ``POST /api/privacy/search`` answers every record of an email address or a
name, ``POST /api/privacy/erasures`` erases them now. POST, so the address and the name stay
out of URLs and access logs. Both call one service function (privacy.person)."""

import datetime as dt
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema
from pydantic import ConfigDict, WithJsonSchema

from core.input_patterns import text_pattern
from core.inputs import Email, InputSchema, Text
from directory.auth import staff_auth
from privacy.permissions import can_handle_requests
from privacy.person import EMAIL_MAX, NAME_MAX, erase_person, find_records

router = Router(auth=staff_auth, tags=["privacy"])


NAME_SCHEMA = {
    "type": "string",
    "maxLength": NAME_MAX,
    "pattern": text_pattern(required=True, visible=2),
}


class PersonIn(InputSchema):
    """An address, a name (two characters or more besides spaces) or both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["email"], "properties": {"email": {"type": "string"}}},
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
            ]
        },
    )

    email: Email(EMAIL_MAX) | None = Field(None, description="the person's email address")
    name: Annotated[Text(NAME_MAX), WithJsonSchema(NAME_SCHEMA)] | None = Field(
        None, description="the person's name (spaces ignored)"
    )


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
