"""Rules shared by every free-text field of the domain: length and forbidden control characters."""

from __future__ import annotations

import re

# Tab, line feed and carriage return are text; other C0 controls and DEL are not (and NUL breaks
# PostgreSQL text columns).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: str, *, max_length: int, single_line: bool = False) -> str:
    """Return `value` unchanged if it is acceptable text; raise ValueError(reason) otherwise."""
    if len(value) > max_length:
        raise ValueError(f"longer than {max_length} characters ({len(value)})")
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    if single_line and ("\n" in value or "\r" in value):
        raise ValueError("must be a single line")
    return value


def check_name(value: str, *, max_length: int = 200) -> str:
    """Strip a name or identifier and check it is a non-empty single line."""
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return check_text(value, max_length=max_length, single_line=True)
