"""Atomic output folder for ``make build``.

The site is written into a fresh temporary folder beside ``site/`` (same
file system, so a rename is atomic) and swapped in only when the build
function returned normally. A failing build (exception, non-zero result) or a
killed process never touches the previous ``site/``.

The swap uses Linux ``renameat2(RENAME_EXCHANGE)`` when available: the old and
the new folder trade names in one step, so there is no moment without a
``site/``. Elsewhere it falls back to two renames, and a build killed between
them is repaired by the next run (the old folder is renamed back).

Folders left behind by a killed build (``.site-tmp-<pid>-*``,
``.site-old-<pid>-*``) are removed on the next run once their process is gone.

An OSError (disk full, read-only disk, no permission) propagates with its
``filename`` pointing at ``site/`` (or the file inside it) rather than at the
temporary folder, which is already gone: the message the user sees names the
folder they asked for. A write error often carries no file name at all (a
full disk is noticed by ``write()``, after ``open()``); then it is ``site/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

# Test hook: when set to a file path, the build writes that file after the
# new site is complete and then waits (before the swap) so a test can SIGKILL
# it at the worst moment. Never set in normal use.
HOLD_ENV = "VILLAGE_BUILD_HOLD_BEFORE_SWAP"


class BuildFailed(Exception):
    """The build function reported failure; site/ was left as it was."""


def _prefix(site_dir: Path, kind: str) -> str:
    return f".{site_dir.name}-{kind}-"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_pid(name: str, prefix: str) -> int:
    try:
        return int(name[len(prefix) :].split("-", 1)[0])
    except ValueError:
        return -1


def clean_stale(site_dir: Path) -> list[Path]:
    """Remove temp/old folders of builds whose process is gone; restore an
    old site/ if a build died between the two renames of the fallback swap.
    Returns the folders removed."""
    site_dir = Path(site_dir)
    parent = site_dir.parent
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    tmp_p, old_p = _prefix(site_dir, "tmp"), _prefix(site_dir, "old")
    for child in sorted(parent.iterdir()):
        name = child.name
        for prefix in (tmp_p, old_p):
            if name.startswith(prefix) and child.is_dir() and not _pid_alive(_owner_pid(name, prefix)):
                if prefix == old_p and not site_dir.exists():
                    os.rename(child, site_dir)  # killed mid-swap: bring the old site back
                else:
                    shutil.rmtree(child, ignore_errors=True)
                    removed.append(child)
    return removed


_libc: ctypes.CDLL | Literal[False] | None = None  # False: no libc to ask


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False if unsupported."""
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        except OSError:
            _libc = False
    fn = getattr(_libc, "renameat2", None) if _libc else None
    if fn is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _swap_in(tmp: Path, site_dir: Path) -> None:
    if not site_dir.exists():
        os.rename(tmp, site_dir)
        return
    if _exchange(tmp, site_dir):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old site
        return
    old = Path(tempfile.mkdtemp(prefix=f"{_prefix(site_dir, 'old')}{os.getpid()}-", dir=site_dir.parent))
    os.rmdir(old)
    os.rename(site_dir, old)
    os.rename(tmp, site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _hold_for_tests() -> None:
    flag = os.environ.get(HOLD_ENV)
    if not flag:
        return
    Path(flag).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:  # the test kills us here
        time.sleep(0.05)


def _blame(exc: BaseException, tmp: Path | None, site_dir: Path) -> None:
    """Point an OSError at site_dir (or the file inside it) instead of tmp."""
    if not isinstance(exc, OSError):
        return

    def inside(filename: str | bytes | None) -> str | None:
        if not filename:
            return None
        name = os.path.abspath(os.fsdecode(filename))
        if tmp is not None and (name == str(tmp) or name.startswith(str(tmp) + os.sep)):
            rel = os.path.relpath(name, tmp)
            return str(site_dir) if rel == "." else str(site_dir / rel)
        base = os.path.basename(name)
        if base.startswith((_prefix(site_dir, "tmp"), _prefix(site_dir, "old"))):
            return str(site_dir)
        return None

    # A copy (shutil.copyfile) names the source first and the destination second.
    mapped = inside(exc.filename2) or inside(exc.filename)
    if mapped:
        exc.filename, exc.filename2 = mapped, None
    elif not exc.filename:
        exc.filename = str(site_dir)


@contextlib.contextmanager
def atomic_output(site_dir: Path | str) -> Iterator[Path]:
    """``with atomic_output("site") as out: build into out`` — swapped in on
    normal exit, discarded on an exception (which propagates)."""
    site_dir = Path(site_dir).absolute()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(site_dir)
        tmp = Path(tempfile.mkdtemp(prefix=f"{_prefix(site_dir, 'tmp')}{os.getpid()}-", dir=site_dir.parent))
    except OSError as exc:
        _blame(exc, None, site_dir)
        raise
    try:
        yield tmp
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _blame(exc, tmp, site_dir)
        raise
    _hold_for_tests()
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        _swap_in(tmp, site_dir)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _blame(exc, tmp, site_dir)
        raise


def build_atomically(build_fn: Callable[[Path], object], site_dir: Path | str) -> object:
    """Run ``build_fn(tmp_dir)``; swap tmp_dir in as site_dir when it returns a
    result that is not a failure (False or a non-zero int). Returns its result."""
    with atomic_output(site_dir) as tmp:
        result = build_fn(tmp)
        if result is False or (isinstance(result, int) and not isinstance(result, bool) and result != 0):
            raise BuildFailed(result)
    return result


def write_file(path: Path | str, data: bytes | str, *, best_effort: bool = False) -> bool:
    """Write one file atomically: a temporary file beside it, then a rename, so
    a reader (or a killed process) never sees half a file. Text is UTF-8 with
    line endings kept as given. With ``best_effort`` (caches: a read-only or
    full disk only costs speed) an OSError returns False instead of raising;
    either way no temporary file is left behind."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8", newline="")
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if best_effort:
            return False
        raise
    return True
