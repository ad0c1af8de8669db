"""The one small domain error the services raise besides Django's ValidationError and
PermissionDenied. The API maps all three to HTTP answers in one place (config/api.py)."""


class Conflict(Exception):
    """The request is valid but contradicts the current state (HTTP 409)."""

    def __init__(self, message, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class RateLimited(Exception):
    """Too many requests from one client or for one address (HTTP 429 with Retry-After)."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = max(int(retry_after), 1)
