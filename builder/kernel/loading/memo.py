"""Load results kept between runs of one process (the preview), per entity.

``keep_loaded()`` turns it on (``builder.preview`` does; a build or check
never does). ``loaded(key, sig, diags, load, copy)`` then returns what
``load`` returned the last time for ``key`` when the entity's files have
the same signature (``signature``: each file's kind, size, times and
inode, plus whatever else the loader read, e.g. a folder's listing) and
were not reported changed since (``forget``), and replays the diagnostics
it emitted, so a run sees exactly what loading the files again would give.
``copy`` hands each run its own mutable parts (a YAML document's
``reported`` set); the rest is shared and must never be changed after
loading (the pipeline's rule: validate never mutates).
``pure(key, make)`` keeps the result of a pure function of ``key``."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from builder.kernel.diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")

_memo: dict[Hashable, tuple[Hashable, Any, list[Diagnostic]]] | None = None
_scopes: dict[Hashable, str] = {}  # key → the file or folder its result was loaded from


def keep_loaded(on: bool = True) -> None:
    """Turn the memo on (emptied) or off."""
    global _memo
    _memo = {} if on else None
    _scopes.clear()


def enabled() -> bool:
    return _memo is not None


def signature(paths: Iterable[Path], *extra: Hashable) -> Hashable:
    """What identifies the files' contents without reading them: kind, size,
    times and inode. Two saves within one tick of the file system's clock
    can leave them equal, so the caller also says which files changed
    (``forget``: the preview's file watcher reports every save)."""
    out: list[Hashable] = []
    for p in paths:
        try:
            st = os.lstat(p)
        except OSError:
            out.append(None)
            continue
        out.append((st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return (tuple(out), extra)


def forget(paths: Iterable[Path]) -> None:
    """Drop what was kept for these files and for the folders they are in
    (an entity's key names its file or folder: ``loaded(..., scope=)``)."""
    if _memo is None:
        return
    changed = [str(Path(p)) for p in paths]
    for key in [k for k, v in _scopes.items() if any(c == v or c.startswith(v + os.sep) for c in changed)]:
        _memo.pop(key, None)
        _scopes.pop(key, None)


def bound(limit: int = 50_000) -> None:
    """Empty the memo when it grew past its bound (old texts of edited files pile up)."""
    if _memo is not None and len(_memo) > limit:
        _memo.clear()
        _scopes.clear()


def loaded(
    key: Hashable,
    sig: Hashable,
    diags: Diagnostics,
    load: Callable[[Diagnostics], T],
    copy: Callable[[T], T],
    only_clean: bool = False,
    scope: Path | None = None,
) -> T:
    """``load(diags)``, or the last result for ``key`` if ``sig`` is unchanged
    (see the module docstring). ``only_clean``: a result that came with
    diagnostics is not kept (their text may depend on other files: "是不是想写…").
    ``scope``: the file or folder the result comes from (``forget``)."""
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
        if scope is not None:
            _scopes[key] = str(Path(scope).resolve())
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
