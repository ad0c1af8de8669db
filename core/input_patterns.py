"""The rules of ``core.inputs`` as JSON Schema patterns (ECMA regex, read the same by Python's
``re``), so that the OpenAPI document states what the server accepts: no control character
(line breaks only in multi-line text), something besides spaces when a text is required, dates
within 2000-04-01 to 2101-03-31 and UTC offsets within −12:00 to +14:00.
``tests/inputs/test_patterns.py`` checks them against the checks they describe."""

# Lone surrogates (refused too) are left out: JSON Schema validators cannot name them.
_SINGLE_LINE_CLASS = r"\x00-\x1f\x7f-\x9f\ufffe\uffff"
_MULTI_LINE_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_MONTH = r"(0[1-9]|1[0-2])"
DATE_PATTERN = (
    rf"^(2000-(0[4-9]|1[0-2])-{_DAY}|20(0[1-9]|[1-9][0-9])-{_MONTH}-{_DAY}"
    rf"|2100-{_MONTH}-{_DAY}|2101-0[1-3]-{_DAY})$"
)
"""2000-04-01 to 2101-03-31 (``format: date`` refuses the impossible days)."""
DATETIME_PATTERN = (
    r"^(2000-04-(0[2-9]|[12][0-9]|30)|2000-(0[5-9]|1[0-2])-"
    + _DAY
    + r"|20(0[1-9]|[1-9][0-9])-"
    + _MONTH
    + "-"
    + _DAY
    + r"|2100-"
    + _MONTH
    + "-"
    + _DAY
    + r"|2101-0[12]-"
    + _DAY
    + r"|2101-03-(0[1-9]|[12][0-9]|30))"
    + r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    + r"(Z|[+-](0[0-9]|1[01]):[0-5][0-9]|[+-]12:00|\+1[23]:[0-5][0-9]|\+14:00)$"
)
"""A datetime whose date is 2000-04-02 to 2101-03-30 whatever its offset (so its Tokyo date is
within the range) and whose offset is −12:00 to +14:00: one day inside the exact bound at each
end, which depends on the offset."""


def text_pattern(*, multiline: bool = False, required: bool = False, visible: int = 1) -> str:
    """Text without control characters; ``required``: with at least ``visible`` characters
    besides spaces."""
    allowed = "[^" + (_MULTI_LINE_CLASS if multiline else _SINGLE_LINE_CLASS) + "]"
    if not required:
        return f"^{allowed}*$"
    shown = "[^\\s" + (_MULTI_LINE_CLASS if multiline else _SINGLE_LINE_CLASS) + "]"
    return "^" + f"{allowed}*{shown}" * visible + f"{allowed}*$"
