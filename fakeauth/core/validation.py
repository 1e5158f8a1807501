"""class-validator's rules and messages, as the real service's NestJS ValidationPipe applies them.

A DTO is a table: each field with its rules in the order class-validator reports
their messages. Values may come untyped (REST JSON) or typed (GraphQL): both go
through the same rules.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# validator.js's isEmail, simplified: a local part, an "@", a domain with a TLD.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
# validator.js's isURL defaults: optional http/https/ftp scheme, a host with a TLD or an IP.
_URL = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?:[^\s/@]+@)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:?#]+)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<rest>[/?#]\S*)?"
)
_HOST_LABEL = re.compile(r"[^\W_](?:[^\W_]|-){0,61}(?<!-)")
_TLD = re.compile(r"[^\W\d_]{2,}|xn--[A-Za-z0-9-]+")


@dataclass(frozen=True, slots=True)
class Rule:
    """One decorator: values it accepts, and its message (``$field`` stands for the name)."""

    accepts: Callable[[Any], bool]
    message: str


Dto = Mapping[str, Sequence[Rule]]


def problems(data: Mapping[str, Any], dto: Dto, *, optional: Iterable[str] = ()) -> list[str]:
    """One message per failed rule, in the DTO's order. A field that is absent or null is
    skipped when it is optional (IsOptional), and otherwise checked as null."""
    skipped = frozenset(optional)
    found: list[str] = []
    for name, rules in dto.items():
        value = data.get(name)
        if value is None and name in skipped:
            continue
        found.extend(r.message.replace("$field", name) for r in rules if not r.accepts(value))
    return found


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


IS_STRING = Rule(_is_string, "$field must be a string")
NOT_EMPTY = Rule(lambda value: value is not None and value != "", "$field should not be empty")
IS_EMAIL = Rule(
    lambda v: isinstance(v, str) and bool(_EMAIL.fullmatch(v)), "$field must be an email"
)
IS_URL = Rule(lambda v: isinstance(v, str) and is_url(v), "$field must be a URL address")
IS_ALPHANUMERIC = Rule(
    lambda v: isinstance(v, str) and bool(_ALPHANUMERIC.fullmatch(v)),
    "$field must contain only letters and numbers",
)
IS_NUMBER = Rule(_is_number, "$field must be a number conforming to the specified constraints")
IS_POSITIVE = Rule(lambda v: _is_number(v) and v > 0, "$field must be a positive number")
IS_ARRAY = Rule(lambda v: isinstance(v, list), "$field must be an array")
EACH_URL = Rule(
    lambda v: isinstance(v, list) and all(isinstance(i, str) and is_url(i) for i in v),
    "each value in $field must be a URL address",
)


def min_length(size: int) -> Rule:
    return Rule(
        lambda v: isinstance(v, str) and len(v) >= size,
        f"$field must be longer than or equal to {size} characters",
    )


def array_min_size(size: int) -> Rule:
    return Rule(
        lambda v: isinstance(v, list) and len(v) >= size,
        f"$field must contain at least {size} elements",
    )


def one_of(values: Iterable[str]) -> Rule:
    allowed = tuple(values)
    return Rule(
        lambda v: v in allowed,
        "$field must be one of the following values: " + ", ".join(sorted(allowed)),
    )


def is_url(value: str) -> bool:
    """class-validator's IsUrl with its defaults: http, https, ftp or no scheme; a TLD or an IP."""
    match = _URL.fullmatch(value)
    if match is None or len(value) > 2083:
        return False
    scheme = match["scheme"]
    if scheme is not None and scheme.lower() not in ("http", "https", "ftp"):
        return False
    if match["port"] is not None and not 0 < int(match["port"]) <= 65535:
        return False
    host = match["host"].strip("[]")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or not _TLD.fullmatch(labels[-1]):
        return False
    return all(_HOST_LABEL.fullmatch(label) and len(label) <= 63 for label in labels)


def min_value(least: float) -> Rule:
    # class-validator's Min: any number at least ``least`` (Infinity too), never NaN.
    return Rule(
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= least,
        f"$field must not be less than {least:g}",
    )


# What class-transformer's enableImplicitConversion makes of untyped (REST) values.
_JS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}


def js_number(value: Any) -> Any:
    """JavaScript's ``Number(value)``, as class-transformer converts a number-typed field.

    null stays null and an array stays an array (class-transformer maps arrays first).
    """
    if value is None or isinstance(value, list):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return math.nan
    text = value.strip()
    if not text:
        return 0
    if _JS_DECIMAL.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if text.lstrip("+-") == "Infinity":
        return -math.inf if text.startswith("-") else math.inf
    radix = _JS_RADIX.get(text[:2].lower())
    if radix is not None:
        try:
            return int(text[2:], radix)
        except ValueError:
            return math.nan
    return math.nan


def js_string(value: Any) -> Any:
    """JavaScript's ``String(value)``, as class-transformer converts a string-typed field."""
    if value is None or isinstance(value, str | list):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return "[object Object]"


def implicit_conversion(
    data: Mapping[str, Any], *, numbers: Iterable[str] = (), strings: Iterable[str] = ()
) -> dict[str, Any]:
    """The fields a DTO declares, converted as the real service's ValidationPipe does;
    other fields are dropped (``whitelist: true``)."""
    converted: dict[str, Any] = {}
    for names, convert in ((numbers, js_number), (strings, js_string)):
        for name in names:
            if name in data:
                converted[name] = convert(data[name])
    return converted
