"""Check-in by QR code over JSON, under /api/attendance/ (the 「QRで受付」 page uses it):
the device's copy of the roster for the day, and the scans and undos it sends, one at a time
or all at once when its network comes back. Center staff who may record attendance only."""

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Router, Schema
from pydantic import Field

from attendance import services
from core.inputs import (
    MAX_CHECK_IN_BATCH,
    MAX_DEVICE_ID,
    MAX_SCANNED_TEXT,
    DateTime,
    Id,
    InputSchema,
    Text,
)
from directory.auth import staff_auth

router = Router(auth=staff_auth, tags=["attendance"])


class DoorPersonOut(Schema):
    code_hash: str
    name: str
    kana: str
    status: str
    entry_id: int | None
    checked_in_at: dt.datetime | None


class DoorRosterOut(Schema):
    event_id: int
    event: str
    expires_at: dt.datetime
    people: list[DoorPersonOut]


class OperationIn(InputSchema):
    client_id: uuid.UUID
    kind: Literal["scan", "undo"]
    at: DateTime | None = None
    code: Text(MAX_SCANNED_TEXT) = ""
    undoes: uuid.UUID | None = None


class OperationsIn(InputSchema):
    device: Text(MAX_DEVICE_ID, required=True)
    operations: Annotated[list[OperationIn], Field(max_length=MAX_CHECK_IN_BATCH)]


class AnswerOut(Schema):
    client_id: uuid.UUID
    kind: str
    result: str
    message: str
    name: str
    kana: str
    entry_id: int | None
    checked_in_at: dt.datetime | None
    undoes: uuid.UUID | None
    undoable: bool


class AnswersOut(Schema):
    answers: list[AnswerOut]


@router.get("/events/{event_id}/door", response=DoorRosterOut)
def door_roster(request, event_id: Id):
    """The device's copy of the roster: hashes of the codes, names, kana and statuses only."""
    event, people, expires_at = services.door_roster(user=request.auth, event_id=event_id)
    return {"event_id": event.pk, "event": str(event), "expires_at": expires_at, "people": people}


@router.post("/events/{event_id}/door/scans", response=AnswersOut)
def record_scans(request, event_id: Id, payload: OperationsIn):
    """Scans and undos (at most MAX_CHECK_IN_BATCH, 500), each counted once by its client_id:
    sent again, an operation answers what it answered the first time."""
    operations = [services.Operation(**operation.dict()) for operation in payload.operations]
    answers = services.record_door_operations(
        user=request.auth, event_id=event_id, device=payload.device, operations=operations
    )
    return {"answers": answers}
