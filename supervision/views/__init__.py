"""Staff pages of supervision: the progress dashboard (「実施済／予定」), a target's year, a
visit and its few-click actions (complete, cancel, postpone), scheduling one visit or a series,
plans and their revisions, the planning calendar, the case-meeting goal, lecturer dispatches
and the block liaison meetings with their cadence; one module per page group (overview,
targets, visits, liaison; shared helpers in common).

Views are wiring: find the object in what the user may see (else 404), check the permission
(else 403), parse a form, call one service, redirect."""
