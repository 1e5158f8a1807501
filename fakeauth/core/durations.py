"""Durations as people write them: 20d, 10h, 15m, 90s, 1h30m, 250ms, or plain seconds."""

from __future__ import annotations

import math
import re

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_SIZES = {**_UNITS, "ms": 0.001}
# "ms" first, so 250ms is not read as 250 minutes and a stray "s".
_PART = re.compile(r"([0-9]{1,15}(?:\.[0-9]{1,9})?)(ms|[dhms])")
_WHOLE = re.compile(r"(?:[0-9]{1,15}(?:\.[0-9]{1,9})?(?:ms|[dhms])){1,8}")
_NUMBER = re.compile(r"[-+]?[0-9]{1,15}(\.[0-9]{1,9})?")
# Longer than the whole range of instants a clock may show (1970 to 9999).
LONGEST = 8100 * 365.25 * 86400


def parse_duration(value: str | int | float) -> float:
    """Seconds in a duration; raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().lower()
        if _NUMBER.fullmatch(text):
            seconds = float(text)
        elif _WHOLE.fullmatch(text):
            seconds = sum(float(n) * _SIZES[unit] for n, unit in _PART.findall(text))
        else:
            shown = repr(value) if len(value) <= 40 else repr(value[:37] + "...")
            raise ValueError(
                f"not a duration: {shown}; use e.g. 20d, 10h, 15m, 90s, 1h30m or seconds"
            )
    if not math.isfinite(seconds) or abs(seconds) > LONGEST:
        raise ValueError(f"not a duration: {value!r}; at most {LONGEST:.0f} seconds (8,100 years)")
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact spelling: 1728000 -> '20d', 5400 -> '1h30m'."""
    if seconds != int(seconds) or seconds <= 0:
        return f"{seconds:g}s"
    rest = int(seconds)
    parts = []
    for unit, size in _UNITS.items():
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
