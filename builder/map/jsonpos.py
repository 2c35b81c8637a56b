"""Line and column of a value inside a JSON text, by its path (keys and
indexes). The standard json module returns values without positions, and a
GeoJSON file can be megabytes: only the path asked for is followed, the rest
is skipped by a bracket/string scanner. Used only when reporting a mistake.

Written by hand: no maintained library returns source positions for JSON
values (json.JSONDecoder keeps none)."""

from __future__ import annotations

_WS = " \t\r\n"


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in _WS:
        i += 1
    return i


def _skip_string(s: str, i: int) -> int:
    i += 1
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        i += 1
    return i


def _skip_value(s: str, i: int) -> int:
    i = _skip_ws(s, i)
    if i >= len(s):
        return i
    if s[i] == '"':
        return _skip_string(s, i)
    if s[i] in "[{":
        depth = 0
        while i < len(s):
            c = s[i]
            if c == '"':
                i = _skip_string(s, i)
                continue
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i
    while i < len(s) and s[i] not in ",]}" + _WS:
        i += 1
    return i


def offset_of(s: str, path: tuple) -> int:
    """Character offset of the value at path (the nearest enclosing value if
    the path cannot be followed)."""
    i = _skip_ws(s, 0)
    for step in path:
        if i >= len(s) or s[i] not in "[{":
            return i
        opening = s[i]
        j = _skip_ws(s, i + 1)
        idx = 0
        found = None
        while j < len(s) and s[j] not in "]}":
            if opening == "{":
                k_end = _skip_string(s, j)
                key = s[j + 1 : k_end - 1]
                j = _skip_ws(s, k_end)
                j = _skip_ws(s, j + 1)  # past ':'
                if key == step:
                    found = j
                    break
            else:
                if idx == step:
                    found = j
                    break
                idx += 1
            j = _skip_ws(s, _skip_value(s, j))
            if j < len(s) and s[j] == ",":
                j = _skip_ws(s, j + 1)
        if found is None:
            return i
        i = found
    return i


def line_col(s: str, path: tuple) -> tuple[int, int]:
    off = offset_of(s, path)
    line = s.count("\n", 0, off) + 1
    col = off - (s.rfind("\n", 0, off) + 1) + 1
    return line, col
