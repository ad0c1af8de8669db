"""Secret tokens for links and API access: made here, stored only as their SHA-256, compared
in constant time."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A fresh secret: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_match(given: str, expected: str) -> bool:
    """Whether two tokens (or two hashes) are equal, in time that does not depend on where they
    differ."""
    return hmac.compare_digest(given.encode(), expected.encode())


def derive_token(secret_key: str, *parts: str) -> str:
    """A token derived from a server secret and public parts (HMAC-SHA256, URL-safe), so that a
    link can be sent again later without storing the token itself."""
    message = "|".join(parts).encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return secrets.base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
