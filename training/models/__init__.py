"""Training: courses, lecturers, events (every gathering the center holds) and registrations.

Shape (other apps build on it; attendance and supervision may read it, never the reverse):

- ``Course``: one yearly program, e.g. 令和3年度 ひきこもり支援者人材養成研修 (``fiscal_year``,
  ``title``). Its events are its parts ア・イ・ウ・エ (``Event.label``).
- ``Lecturer``: name, kana, affiliation (所属) and title (職名), e.g. 山田 太郎, ○○県立精神保健福祉
  センター, 所長.
- ``Event``: any gathering with a time, a place or an online meeting, and people who come.
  ``kind`` is one of ``Event.Kind`` (lecture, dialogue, online_lecture, case_study, awareness,
  liaison_meeting). ``course`` is optional (liaison meetings and awareness events have none).
  ``status`` is draft / published / cancelled. Calendar facts for feeds: ``ical_uid``
  (``event-{pk}@sasaeru``), ``sequence`` (raised by the services that change time or place or
  cancel), ``updated_at``, ``cancelled_at``. ``join_url`` is private: it is never shown on a public
  page, in an export, in a feed or in an email; confirmed registrants reach it only through the
  in-app redirect of their management page (``Registration.can_join``).
  ``capacity`` None means no limit. The registration window is ``registration_opens_at`` ..
  ``registration_closes_at`` (None: open from publication / until the start).
  ``audiences`` is a JSON list of ``Audience`` values, ``invited_organization_kinds`` a JSON
  list of ``directory.PartnerOrganization.Kind`` values (for liaison meetings), ``block`` and
  ``co_host_district`` are set for liaison meetings. ``staff`` are the center staff assigned.
  ``promotion_cutoff``: until ``starts_at - promotion_cutoff`` a freed seat goes to the first
  waitlisted person automatically; after it staff promote by hand.
- ``EventPart``: the parts of one session in ``order`` (イ: a lecture then a dialogue), each with
  lecturers through ``EventPartLecturer`` and their role (講師 / 対談者).
- ``Registration``: a person's place at an event, without an account. ``status`` is
  pending_confirmation (a web registration until its email link is followed; holds no seat),
  confirmed (holds a seat), waitlisted (queued by ``waitlisted_at``, then id) or cancelled.
  The waitlist position is not stored: it is the rank among the event's waitlisted rows
  (``RegistrationQuerySet.with_position()`` / ``Registration.position``), so it can never have
  gaps. One active (non-cancelled) registration per event and email (a DB constraint).
  Secrets: ``management_token_hash`` and ``confirmation_token_hash`` hold SHA-256 hashes; the raw
  tokens are HMACs of ``secret_nonce`` with SECRET_KEY (``Registration.management_token``), so
  emails rendered later can still carry the links while the database alone reveals none.
  The check-in code of the QR at the door (``Registration.checkin_code``) is derived the same
  way (with ``checkin_round``, raised when a cancelled registration is restored) and looked up
  by its hash ``checkin_hash``; it is good for nothing but checking in to that event.
"""

from training.models.events import (
    CONFIRMATION_VALIDITY,
    DEFAULT_PROMOTION_CUTOFF,
    JOIN_OPENS_BEFORE,
    Audience,
    Course,
    Event,
    EventPart,
    EventPartLecturer,
    EventQuerySet,
    Lecturer,
)
from training.models.people import PERSON_FIELDS, PersonFields
from training.models.registrations import (
    CHECKIN_PREFIX,
    Registration,
    RegistrationQuerySet,
    checkin_code_for,
)

__all__ = [
    "CHECKIN_PREFIX",
    "CONFIRMATION_VALIDITY",
    "DEFAULT_PROMOTION_CUTOFF",
    "JOIN_OPENS_BEFORE",
    "PERSON_FIELDS",
    "Audience",
    "Course",
    "Event",
    "EventPart",
    "EventPartLecturer",
    "EventQuerySet",
    "Lecturer",
    "PersonFields",
    "Registration",
    "RegistrationQuerySet",
    "checkin_code_for",
]
