"""Load results kept between runs of one process (the preview), per entity.

``keep_loaded()`` turns it on (``builder.preview`` does; a build or check
never does). ``loaded(key, sig, diags, load, copy)`` then returns what
``load`` returned the last time for ``key`` when the entity's files have
the same signature (``signature``: each file's kind and a digest of its
bytes, plus whatever else the loader read, e.g. a folder's listing), and
replays the diagnostics it emitted, so a run sees exactly what loading the
files again would give. ``copy`` hands each run its own mutable parts (a
YAML document's ``reported`` set); the rest is shared and must never be
changed after loading (the pipeline's rule: validate never mutates).
``pure(key, make)`` keeps the result of a pure function of ``key``."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from builder.kernel.diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")

MAX_SIGNED_BYTES = 4 << 20  # larger files are known by size, time and inode

_memo: dict[Hashable, tuple[Hashable, Any, list[Diagnostic]]] | None = None


def keep_loaded(on: bool = True) -> None:
    """Turn the memo on (emptied) or off."""
    global _memo
    _memo = {} if on else None


def enabled() -> bool:
    return _memo is not None


def signature(paths: Iterable[Path], *extra: Hashable) -> Hashable:
    """What identifies the files' contents: their kind and a digest of their
    bytes (small text files; a modification time can stay the same across
    two quick saves)."""
    out: list[Hashable] = []
    for p in paths:
        try:
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SIGNED_BYTES:
                out.append((st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino))
                continue
            data = Path(p).read_bytes()
        except OSError:
            out.append(None)
            continue
        out.append((st.st_mode, hashlib.blake2b(data, digest_size=16).digest()))
    return (tuple(out), extra)


def bound(limit: int = 50_000) -> None:
    """Empty the memo when it grew past its bound (old texts of edited files pile up)."""
    if _memo is not None and len(_memo) > limit:
        _memo.clear()


def loaded(
    key: Hashable,
    sig: Hashable,
    diags: Diagnostics,
    load: Callable[[Diagnostics], T],
    copy: Callable[[T], T],
    only_clean: bool = False,
) -> T:
    """``load(diags)``, or the last result for ``key`` if ``sig`` is unchanged
    (see the module docstring). ``only_clean``: a result that came with
    diagnostics is not kept (their text may depend on other files: "是不是想写…")."""
    if _memo is None:
        return load(diags)
    hit = _memo.get(key)
    if hit is not None and hit[0] == sig:
        diags.extend(hit[2])
        return copy(hit[1])
    sub = Diagnostics(catalogue=diags.catalogue)
    value = load(sub)
    diags.extend(sub)
    if only_clean and len(sub):
        _memo.pop(key, None)
    else:
        _memo[key] = (sig, copy(value), list(sub))
    return value


def pure(key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, kept for ``key`` while the memo is on: for a pure function
    of what ``key`` holds (a prose text rendered and sanitized)."""
    if _memo is None:
        return make()
    hit = _memo.get(("pure", key))
    if hit is None:
        hit = _memo[("pure", key)] = (None, make(), [])
    return hit[1]
