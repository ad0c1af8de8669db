"""Staff pages of attendance: rosters, check-in at the door, entry from paper, walk-ins,
online imports, counts, sign-in sheets, exports and certificates; one module per page group
(rosters, door, paper_entry, imports, documents; shared helpers in common).

Every page works without JavaScript (plain forms, redirect after POST); the check-in page
adds a script that records each tap with fetch() and retries over a poor connection.
"""
