"""Atomic output folder: failing and killed builds leave site/ byte-for-byte intact.

These tests drive builder.kernel.atomic directly with small build functions
(fast, no MkDocs); tests/test_build_safety_site.py does the same with the real
`python -m builder build`.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from builder.kernel import atomic
from builder.kernel.atomic import BuildFailed, atomic_output, build_atomically, clean_stale

ROOT = Path(__file__).resolve().parent.parent


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file (and '<dir>' for folders)."""
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def make_old_site(parent: Path) -> Path:
    site = parent / "site"
    (site / "villages").mkdir(parents=True)
    (site / "index.html").write_text("<h1>旧网站</h1>", encoding="utf-8")
    (site / "villages" / "a.html").write_bytes(os.urandom(4096))
    return site


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name != "site")


def test_successful_build_replaces_site(tmp_path):
    site = make_old_site(tmp_path)

    def build(out: Path):
        (out / "new.html").write_text("新", encoding="utf-8")
        return 0

    assert build_atomically(build, site) == 0
    assert tree_digest(site) == {"new.html": hashlib.sha256("新".encode()).hexdigest()}
    assert leftovers(tmp_path) == []
    assert site.stat().st_mode & 0o755 == 0o755  # readable by a web server


@pytest.mark.parametrize("failure", ["exit-code", "exception", "false"])
def test_failing_build_leaves_site_intact(tmp_path, failure):
    site = make_old_site(tmp_path)
    before = tree_digest(site)

    def build(out: Path):
        (out / "index.html").write_text("半成品", encoding="utf-8")
        if failure == "exception":
            raise ValueError("内容有错误")
        return 1 if failure == "exit-code" else False

    with pytest.raises((BuildFailed, ValueError)):
        build_atomically(build, site)
    assert tree_digest(site) == before
    assert leftovers(tmp_path) == []


def test_first_build_without_previous_site(tmp_path):
    with atomic_output(tmp_path / "site") as out:
        (out / "x").write_text("1")
    assert (tmp_path / "site" / "x").read_text() == "1"


def test_fallback_swap_without_renameat2(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    site = make_old_site(tmp_path)
    build_atomically(lambda out: (out / "n").write_text("n") and 0, site)
    assert tree_digest(site).keys() == {"n"}
    assert leftovers(tmp_path) == []


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_killed_between_fallback_renames_is_repaired(tmp_path):
    # The state a SIGKILL between the two renames of the fallback swap leaves:
    # no site/, the old site under .site-old-<dead pid>-*, a complete tmp folder.
    site = make_old_site(tmp_path)
    before = tree_digest(site)
    pid = _dead_pid()
    os.rename(site, tmp_path / f".site-old-{pid}-abc")
    (tmp_path / f".site-tmp-{pid}-def").mkdir()
    clean_stale(site)
    assert tree_digest(site) == before
    assert leftovers(tmp_path) == []


def test_stale_folders_of_live_builds_are_kept(tmp_path):
    site = make_old_site(tmp_path)
    live = tmp_path / f".site-tmp-{os.getpid()}-zzz"
    live.mkdir()
    dead = tmp_path / f".site-tmp-{_dead_pid()}-yyy"
    dead.mkdir()
    removed = clean_stale(site)
    assert removed == [dead]
    assert live.is_dir()


# A child process that builds slowly (many files), so it can be killed half-way.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from builder.kernel.atomic import build_atomically
    flag = Path(sys.argv[2])
    def build(out):
        for i in range(100000):
            (out / f"page{i}.html").write_text("x" * 1000)
            if i == 50:
                flag.write_text("writing")
            time.sleep(0.001)
        return 0
    build_atomically(build, Path(sys.argv[1]))
""")


def _run_child_until(args: list[str], flag: Path, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 120  # safety net against a hang, not a performance limit
    while not flag.exists():
        if proc.poll() is not None:
            pytest.fail(f"child exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("child never reached the kill point")
        time.sleep(0.01)
    return proc


def test_build_killed_while_writing_leaves_site_intact(tmp_path):
    site = make_old_site(tmp_path)
    before = tree_digest(site)
    flag = tmp_path / "flag"
    proc = _run_child_until(["-c", CHILD, str(site), str(flag)], flag)
    tmps = [p for p in tmp_path.iterdir() if p.name.startswith(".site-tmp-")]
    assert tmps and any(tmps[0].iterdir()), "the build was writing into a temp folder beside site/"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree_digest(site) == before
    # The next run cleans up what the killed build left behind.
    assert clean_stale(site) == tmps
    assert leftovers(tmp_path) == ["flag"]
    assert tree_digest(site) == before


def test_build_killed_just_before_swap_leaves_site_intact(tmp_path):
    site = make_old_site(tmp_path)
    before = tree_digest(site)
    flag = tmp_path / "hold"
    code = (
        "import sys; from pathlib import Path; from builder.kernel.atomic import build_atomically;"
        "build_atomically(lambda out: (out / 'index.html').write_text('new') and 0, Path(sys.argv[1]))"
    )
    proc = _run_child_until(["-c", code, str(site)], flag, {atomic.HOLD_ENV: str(flag)})
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree_digest(site) == before
    build_atomically(lambda out: (out / "ok").write_text("ok") and 0, site)  # next build cleans up
    assert tree_digest(site).keys() == {"ok"}
    assert leftovers(tmp_path) == ["hold"]


# -- one file, atomically (office commands, photo cache indexes, QR cache) ---------------


def test_write_file_is_whole_or_absent(tmp_path):
    from builder.kernel.atomic import write_file

    target = tmp_path / "sub" / "a.yml"
    assert write_file(target, "甲: 1\r\n乙: 2\n")
    assert target.read_bytes() == "甲: 1\r\n乙: 2\n".encode()  # line endings kept as given
    assert write_file(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.yml"]  # no temporary file left


def test_write_file_failure_leaves_no_temporary(tmp_path):
    from builder.kernel.atomic import write_file

    # the rename fails: a folder (with a file in it) stands where the file should go
    target = tmp_path / "cache.json"
    target.mkdir()
    (target / "keep").write_text("old", encoding="utf-8")
    assert write_file(target, "new", best_effort=True) is False
    with pytest.raises((IsADirectoryError, OSError), match=r"cache\.json"):
        write_file(target, b"new")
    assert (target / "keep").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.json"]
