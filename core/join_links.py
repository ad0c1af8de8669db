"""Does a public text carry a way into an online meeting? ``join_link_in(text)`` answers the
piece it found, or ``""``.

What people paste, not only ``https://``: the text is NFKC-normalised first (full-width
``ｈｔｔｐｓ：／／`` becomes ``https://``), then it looks for a scheme, ``www.``, a known meeting
host (Zoom, Teams, Webex, Google Meet, Jitsi, …) with or without a path, any host name followed
by a path (``meet.example/j/1``), and the meeting ID and passcode phrases of invitations in
Japanese and English (「ミーティングID: 812 3456 7890」「パスコード: 1234」「Zoom ID … / PW …」)."""

import re
import unicodedata

MEETING_HOSTS = (
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "meet.google.com",
    "meet.jit.si",
    "8x8.vc",
    "whereby.com",
    "gotomeeting.com",
    "chime.aws",
    "line.me",
)

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
_NOT_AFTER_WORD = r"(?<![a-z0-9@._-])"
_DIGITS = r"\d{3,4}[\s-]?\d{3,4}[\s-]?\d{3,5}"
_PATTERNS = (
    # a scheme (https://, zoommtg://) or www.
    r"[a-z][a-z0-9+.-]*://",
    r"(?<![a-z0-9])www\.",
    # a known meeting service's host, with or without a path
    _NOT_AFTER_WORD
    + r"(?:[a-z0-9-]+\.)*(?:"
    + "|".join(re.escape(host) for host in MEETING_HOSTS)
    + r")(?![a-z0-9-])",
    # any host name followed by a path: meet.example/j/1, example.jp/join
    _NOT_AFTER_WORD + _HOST + r"(?::\d+)?/",
    # a meeting ID or number: ミーティングID: 812 3456 7890, Zoom ID 812…, 会議番号 2511 234 5678
    r"(?:id|会議番号|ミーティング番号|ウェビナー番号|meeting\s*number|webinar\s*number"
    r"|アクセスコード|access\s*code)\s*[:=]?\s*" + _DIGITS,
    # a passcode: パスコード: 1234, PW abc123, password=xyz
    r"(?:パスコード|パスワード|暗証番号|(?<![a-z0-9])(?:passcode|password|pwd|pw)(?![a-z0-9]))"
    r"\s*[:=]?\s*[a-z0-9!#$%&*+.?@^_~-]{3,}",
)
_JOIN_LINK = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS), re.IGNORECASE)


def normalized(text: str) -> str:
    """NFKC (full-width letters, digits, colons and slashes become ASCII), lower case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def join_link_in(text: str) -> str:
    """The first piece of ``text`` that leads into a meeting, or ``""``."""
    found = _JOIN_LINK.search(normalized(text))
    return found.group(0) if found else ""
