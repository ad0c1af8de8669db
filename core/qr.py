"""QR codes drawn on the server (segno): PNG bytes for emails and PDFs, an SVG data URI for
pages. The text is whatever the caller encodes; nothing here knows what it means."""

import io

import segno


def qr_png(text: str, *, scale: int = 8, border: int = 4) -> bytes:
    """A PNG of ``text`` (error correction M, the quiet zone of 4 modules a scanner needs)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg_data_uri(text: str, *, scale: int = 6, border: int = 4) -> str:
    """An SVG data URI of ``text``, for an ``<img>`` on a page (no script, no extra request)."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=scale, border=border)
