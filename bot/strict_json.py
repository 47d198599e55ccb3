"""JSON from outside, read strictly: what the database or a handler would choke on is refused here.

`loads_strict(raw)` returns the parsed value or raises `NotAcceptable` with a short reason:
nesting deeper than `MAX_DEPTH`, `NaN`/`Infinity` (and numbers that overflow to them, `1e999`),
lone surrogates (`"\\ud800"`, not valid UTF-8) and NUL characters (PostgreSQL's text and jsonb
refuse `\\u0000`) anywhere, in keys as in values.
"""

from __future__ import annotations

import json
import math
import re

# Zalo's events nest a few levels; 32 leaves room and keeps every walk of them short.
MAX_DEPTH = 32
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


class NotAcceptable(ValueError):
    """The body is not JSON this application takes; the message says why (for the log)."""


def _refuse_constant(name: str):
    raise NotAcceptable(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise NotAcceptable(f"the number {text[:20]} is out of range")
    return value


def _bracket_depth(raw: str) -> int:
    """Upper bound of the nesting depth (brackets inside strings count too: it only errs high)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[{\]}]", raw):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_strings(value) -> None:
    """Walk the parsed value iteratively (its depth is already bounded) for forbidden characters."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _BAD_CHARACTERS.search(item):
                raise NotAcceptable("a string holds a NUL or a lone surrogate")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def loads_strict(raw: bytes | str):
    """Parse `raw` (UTF-8 bytes or text) under the rules of the module doc."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise NotAcceptable("the body is not UTF-8") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and _bracket_depth(text) > MAX_DEPTH:
        raise NotAcceptable(f"JSON nested deeper than {MAX_DEPTH}")
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except NotAcceptable:
        raise
    except (ValueError, RecursionError):
        raise NotAcceptable("the body is not JSON") from None
    _check_strings(value)
    return value
