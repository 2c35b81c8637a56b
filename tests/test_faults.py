"""Faults of the machine end cleanly (issue 10, "Faults end cleanly").

A read-only project folder, a full disk while writing pages or the photo
cache, an output folder that cannot be created: one Chinese line naming the
folder and the cause, exit 1, no traceback, and site/ and content/ exactly
as they were. A build killed with SIGKILL while photos are being processed
leaves no worker, fork-server or resource-tracker process behind.

How the faults are provoked, honestly:
- read-only: a read-only bind mount (``mount --bind`` + ``mount -o
  remount,ro,bind``) of the project; the tests run as root, and file modes do
  not stop root, a read-only mount does (EROFS);
- disk full: the project (or the output folder) on a small tmpfs
  (``mount -t tmpfs -o size=…``, then ``remount,size=…`` to leave just the
  room wanted) gives a real ENOSPC;
- where mounting is not allowed (not root, no CAP_SYS_ADMIN, no mount(8)),
  those tests are skipped with the reason. RLIMIT_FSIZE (EFBIG, not ENOSPC)
  is only an extra test here, never a stand-in for a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from builder.kernel.treediff import digest
from tests.e2e.site import build_env, run_build
from tests.portal_site import make_project
from tests.test_build_safety_site import snapshot  # one copy of the tree snapshot

ROOT = Path(__file__).resolve().parent.parent


# -- helpers ----------------------------------------------------------------------------------


def builder(*args: str, cwd: Path, timeout: int = 900, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_clean_fault(r: subprocess.CompletedProcess, *needles: str) -> None:
    """Exit 1, one Chinese “错误：无法…” line containing every needle, no traceback."""
    err = r.stderr
    assert r.returncode == 1, (r.returncode, err[-3000:])
    assert "Traceback" not in err and "内部错误" not in err, err[-3000:]
    lines = [ln for ln in err.splitlines() if ln.startswith("错误：无法")]
    assert len(lines) == 1, err[-3000:]
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert "[Errno" not in err, err[-3000:]  # MkDocs' English lines about the same error are not shown


def leftovers(folder: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}-"))


# -- mounts -----------------------------------------------------------------------------------
_MOUNT_PROBE: dict[str, str | None] = {}


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=60)


def _mount_problem(kind: str, scratch: Path) -> str | None:
    """None when this machine lets us make a tmpfs / read-only bind mount, else why not."""
    if kind in _MOUNT_PROBE:
        return _MOUNT_PROBE[kind]
    why = None
    if os.geteuid() != 0:
        why = "not running as root: mount needs root (CAP_SYS_ADMIN)"
    elif not shutil.which("mount") or not shutil.which("umount"):
        why = "mount(8)/umount(8) not installed"
    else:
        target = scratch / f"probe-{kind}"
        target.mkdir(parents=True)
        if kind == "tmpfs":
            cmds = [
                ("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(target)),
                ("mount", "-o", "remount,size=2m", str(target)),
            ]
        else:
            src = scratch / "probe-src"
            src.mkdir()
            cmds = [("mount", "--bind", str(src), str(target)), ("mount", "-o", "remount,ro,bind", str(target))]
        for cmd in cmds:
            r = _run(*cmd)
            if r.returncode != 0:
                why = f"this machine does not allow `{' '.join(cmd[:-1])}`: {r.stderr.strip() or r.returncode}"
                break
        if kind == "bind" and why is None and os.access(target, os.W_OK) and _writable(target):
            why = "a read-only bind mount is still writable here"
        _run("umount", str(target))
    _MOUNT_PROBE[kind] = why
    return why


def _writable(d: Path) -> bool:
    try:
        (d / ".w").write_text("x")
    except OSError:
        return False
    (d / ".w").unlink()
    return True


class Mounts:
    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.points: list[Path] = []

    def tmpfs(self, target: Path, size: str) -> Path:
        why = _mount_problem("tmpfs", self.scratch)
        if why:
            pytest.skip(f"disk full is provoked with a small tmpfs, but {why}")
        target.mkdir(parents=True, exist_ok=True)
        r = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(target))
        assert r.returncode == 0, r.stderr
        self.points.append(target)
        return target

    def shrink_to_free(self, target: Path, free_bytes: int) -> None:
        """Resize a tmpfs so that about free_bytes are left."""
        st = os.statvfs(target)
        used = (st.f_blocks - st.f_bfree) * st.f_frsize
        kib = (used + free_bytes + 1023) // 1024
        r = _run("mount", "-o", f"remount,size={kib}k", str(target))
        assert r.returncode == 0, r.stderr

    def read_only_view(self, src: Path, target: Path) -> Path:
        why = _mount_problem("bind", self.scratch)
        if why:
            pytest.skip(f"read-only folder is a read-only bind mount, but {why}")
        target.mkdir(parents=True, exist_ok=True)
        r = _run("mount", "--bind", str(src), str(target))
        assert r.returncode == 0, r.stderr
        self.points.append(target)
        r = _run("mount", "-o", "remount,ro,bind", str(target))
        assert r.returncode == 0, r.stderr
        return target

    def release(self) -> None:
        for p in reversed(self.points):
            if _run("umount", str(p)).returncode != 0:
                _run("umount", "-l", str(p))
        self.points = []


@pytest.fixture
def mounts(tmp_path):
    m = Mounts(tmp_path / "mount-probe")
    m.scratch.mkdir()
    try:
        yield m
    finally:
        m.release()


def _prose(project: Path) -> Path:
    return sorted((project / "content" / "villages").glob("*/index.md"))[0]


def _change_content(project: Path) -> None:
    """So a finished build would differ from the site it would replace."""
    p = _prose(project)
    p.write_text(p.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")


# -- an output folder that cannot be created -----------------------------------------------
@pytest.mark.parametrize("where", ["proc", "under-a-file"])
def test_generate_into_a_folder_that_cannot_be_created(tmp_path, where):
    project = make_project(tmp_path / "project")
    if where == "proc":
        out = named = Path("/proc/x")
        cause = "不存在"
    else:
        (tmp_path / "a-file").write_text("not a folder")
        out, named, cause = tmp_path / "a-file" / "out", tmp_path / "a-file", "同名的文件"
    before = snapshot(project / "content")
    r = builder("generate", "--content", str(project / "content"), "--out", str(out), cwd=project)
    assert_clean_fault(r, f"文件夹 {named}", cause)
    assert not out.exists()
    assert snapshot(project / "content") == before


def test_generate_refuses_to_replace_the_project(tmp_path):
    project = make_project(tmp_path / "project")
    before = snapshot(project)
    for out in (".", "content", "content/x"):
        r = builder("generate", "--out", out, cwd=project)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr[-2000:]
        assert "请换一个单独的文件夹" in r.stderr
    assert snapshot(project) == before


# -- read-only project folder --------------------------------------------------------------
@pytest.mark.slow
def test_read_only_project_folder(tmp_path, mounts):
    project = make_project(tmp_path / "project")
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    _change_content(project)
    site_before, content_before = digest(project / "site"), snapshot(project / "content")
    cache_before = snapshot(project / ".cache")
    view = mounts.read_only_view(project, tmp_path / "ro")

    r = run_build(view)
    assert_clean_fault(r, str(view / "site"), "只读")
    assert "保持原样" in r.stderr

    r = builder("generate", "--out", str(view / "gen"), cwd=view)
    assert_clean_fault(r, str(view / "gen"), "只读")

    shutil.rmtree(project / ".cache" / "photos")  # so the photo cache must be written
    cache_before = snapshot(project / ".cache")
    r = builder("photos", "build", cwd=view)
    assert_clean_fault(r, str(view / ".cache" / "photos"), "只读")

    assert digest(project / "site") == site_before
    assert snapshot(project / "content") == content_before
    assert snapshot(project / ".cache") == cache_before
    assert leftovers(project) == [] and not (project / "gen").exists()


# -- disk full -----------------------------------------------------------------------------
def _site_bytes_without_pages(site: Path) -> int:
    """What MkDocs copies before it writes the first page (theme assets, photos…),
    rounded up to tmpfs pages."""
    page = 4096
    return sum(
        (p.stat().st_size + page - 1) // page * page for p in site.rglob("*") if p.is_file() and p.suffix != ".html"
    )


@pytest.mark.slow
def test_disk_full_while_writing_pages(tmp_path, mounts):
    disk = mounts.tmpfs(tmp_path / "disk", "96m")
    project = make_project(disk / "project")
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    _change_content(project)
    site, before = project / "site", digest(project / "site")
    content_before, cache_before = snapshot(project / "content"), snapshot(project / ".cache")
    # Room for the assets and photos MkDocs copies first, not for the pages.
    mounts.shrink_to_free(disk, _site_bytes_without_pages(site) + 512 * 1024)

    r = run_build(project)
    assert_clean_fault(r, str(site), "磁盘空间已满")
    assert f"{site}/ 保持原样" in r.stderr
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("错误："))
    assert "出错时正在生成页面" in line, f"meant to fail on a page: {line}"
    assert digest(site) == before
    assert snapshot(project / "content") == content_before
    assert snapshot(project / ".cache") == cache_before
    assert leftovers(project) == []  # the half-written temporary site is gone: the room is back

    mounts.shrink_to_free(disk, 64 * 1024 * 1024)
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    assert digest(site) != before


def _cache_entries_complete(photos: Path) -> int:
    """Every entry folder has a meta.json listing files that all exist; no
    temporary folder or file is left. Returns the number of entries."""
    stray = [p.name for p in photos.iterdir() if p.name.startswith((".tmp-", ".running-")) or p.name.endswith(".tmp")]
    assert stray == [], stray
    n = 0
    for entry in photos.glob("??/*"):
        meta = json.loads((entry / "meta.json").read_text("utf-8"))
        names = {"meta.json"} | {d[k] for d in meta.get("derivatives", []) for k in ("webp", "jpg")}
        assert {p.name for p in entry.iterdir()} == names, entry
        for p in entry.iterdir():
            assert p.stat().st_size > 0, p
        n += 1
    return n


@pytest.mark.slow
def test_disk_full_while_writing_the_photo_cache(tmp_path, mounts):
    disk = mounts.tmpfs(tmp_path / "disk", "96m")
    project = make_project(disk / "project")
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    photos = project / ".cache" / "photos"
    total = len(list(photos.glob("??/*")))
    shutil.rmtree(photos)
    _change_content(project)
    site, before = project / "site", digest(project / "site")
    content_before = snapshot(project / "content")
    mounts.shrink_to_free(disk, 600 * 1024)  # a few photos fit, not all of them

    r = run_build(project, VILLAGES_PHOTOS_WORKERS="2")
    assert_clean_fault(r, str(photos), "磁盘空间已满")
    assert digest(site) == before
    assert snapshot(project / "content") == content_before
    assert leftovers(project) == []
    done = _cache_entries_complete(photos)
    assert done < total, "the disk was meant to fill up before every photo was cached"

    r = builder("photos", "build", cwd=project, VILLAGES_PHOTOS_WORKERS="1")  # in-process path
    assert_clean_fault(r, str(photos), "磁盘空间已满")
    assert _cache_entries_complete(photos) < total

    mounts.shrink_to_free(disk, 64 * 1024 * 1024)
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-3000:]
    assert _cache_entries_complete(photos) == total


@pytest.mark.slow
def test_disk_full_while_generating(tmp_path, mounts):
    project = make_project(tmp_path / "project")
    disk = mounts.tmpfs(tmp_path / "disk", "512k")
    out = disk / "gen"
    out.mkdir()
    (out / "old.md").write_text("上一次生成的结果", encoding="utf-8")
    before = digest(out)
    r = builder("generate", "--out", str(out), cwd=project)
    assert_clean_fault(r, str(out), "磁盘空间已满")
    assert f"输出文件夹 {out} 保持原样" in r.stderr
    assert digest(out) == before
    assert leftovers(disk, "gen") == []


def _limit_file_size(limit: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return pre


@pytest.mark.slow
def test_file_size_limit_while_generating(tmp_path):
    """Extra (not a stand-in for a full disk): RLIMIT_FSIZE makes write() fail
    with EFBIG on any machine, mounts or not."""
    project = make_project(tmp_path / "project")
    r = builder("generate", "--out", str(tmp_path / "warm"), cwd=project)  # photo cache filled first
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path / "gen"
    out.mkdir()
    (out / "old.md").write_text("旧", encoding="utf-8")
    before = digest(out)
    r = subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--out", str(out)],
        cwd=project,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=_limit_file_size(16 * 1024),
    )
    assert_clean_fault(r, str(out), "文件超过了系统允许的大小")
    assert digest(out) == before
    assert leftovers(tmp_path, "gen") == []


# -- partial photo-cache entries (any machine) ----------------------------------------------
def _jpeg(w: int = 640, h: int = 480) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (120, 60, 30)).save(buf, "JPEG")
    return buf.getvalue()


def test_failed_cache_write_leaves_no_partial_entry(tmp_path, monkeypatch):
    from builder.photos import pipeline
    from builder.photos.settings import PhotoSettings

    src = tmp_path / "a.jpg"
    src.write_bytes(_jpeg())
    cache = tmp_path / "cache"
    real = Path.write_bytes
    calls = []

    def full_after_one(self, data):
        calls.append(self)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # like write(): no file name
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_after_one)
    s = PhotoSettings(workers=1)
    # No `match=`: the errno and the file name are checked just below, which says more than the text.
    with pytest.raises(OSError) as ei:  # noqa: PT011
        pipeline.process_all([src], s, cache)
    assert ei.value.errno == errno.ENOSPC and ei.value.filename == str(cache.resolve())
    assert len(calls) == 2, "failed half-way through the entry"
    assert [p.name for p in cache.iterdir() if p.name.startswith((".tmp-", ".running-"))] == []
    assert list(cache.glob("??/*")) == []
    monkeypatch.setattr(Path, "write_bytes", real)
    results, stats = pipeline.process_all([src], s, cache)
    assert stats.processed == 1 and results[src][1]["ok"]
    assert _cache_entries_complete(cache) == 1


def test_cache_fault_is_one_line_from_the_commands(tmp_path):
    project = make_project(tmp_path / "project")
    (project / ".cache").write_text("a file where the cache folder should be")
    r = builder("photos", "build", cwd=project)
    assert_clean_fault(r, str(project / ".cache"))


# -- source photos: never through a symlink, only regular files -----------------------------
def test_source_photos_are_opened_without_following_links(tmp_path):
    from builder.photos import pipeline
    from builder.photos.settings import PhotoSettings

    real = tmp_path / "outside.jpg"
    real.write_bytes(_jpeg())
    link = tmp_path / "link.jpg"
    link.symlink_to(real)
    fifo = tmp_path / "fifo.jpg"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    for p in (link, fifo, folder):
        with pytest.raises(pipeline.NotAPhotoFile):
            pipeline.open_source(p)
    with pipeline.open_source(real) as f:
        assert f.read(3) == b"\xff\xd8\xff"
    results, _ = pipeline.process_all([link, fifo, real], PhotoSettings(workers=1), tmp_path / "cache")
    assert "符号链接" in results[link][1]["detail"] and not results[link][1]["ok"]
    assert "不是普通文件" in results[fifo][1]["detail"]
    assert results[real][1]["ok"]
    # The worker reads with the same guard (the index said nothing about it).
    meta = pipeline.work(str(link), "k" * 64, "0" * 64, str(tmp_path / "cache"), PhotoSettings().to_worker())
    assert not meta["ok"] and "符号链接" in meta["detail"]


# -- SIGKILL: nothing keeps running -----------------------------------------------------------
TAG = "VILLAGE_FAULT_TEST_TAG"


def _tagged(tag: str) -> dict[int, str]:
    """Live (not zombie) processes whose environment carries TAG=tag → command line."""
    out = {}
    want = f"{TAG}={tag}".encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{d}/stat", encoding="utf-8", errors="replace") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, IndexError):
            continue
        if want in env and state != "Z":
            out[int(d)] = cmd
    return out


@pytest.mark.slow
def test_sigkill_during_photo_processing_leaves_no_process(tmp_path):
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc to list processes")
    project = make_project(tmp_path / "project")
    tag = uuid.uuid4().hex
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "build"],
        cwd=project,
        env=build_env(**{TAG: tag, "VILLAGES_PHOTOS_WORKERS": "2"}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    photos = project / ".cache" / "photos"
    seen: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 600  # against a hang, not a speed limit
        while not any(photos.glob(".running-*/*")):  # a worker is decoding a photo
            if proc.poll() is not None:
                pytest.fail(
                    f"build ended (exit {proc.returncode}) before photo processing: {proc.stderr.read()[-2000:]!r}"
                )
            assert time.monotonic() < deadline, "photo processing never started"
            time.sleep(0.002)
        seen = _tagged(tag)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kinds = " ".join(seen.values())
        assert "multiprocessing.forkserver" in kinds and "multiprocessing.resource_tracker" in kinds, seen
        assert sum("multiprocessing.forkserver" in c for c in seen.values()) >= 2, "server and a worker"
        deadline = time.monotonic() + 15
        while (left := _tagged(tag)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert left == {}, f"still running after the build was killed: {left}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in _tagged(tag):  # only what this test started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert not (project / "site").exists()


# -- messages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.ENOSPC, "磁盘空间已满"),
        (errno.EROFS, "只读"),
        (errno.EACCES, "没有权限"),
        (errno.EDQUOT, "配额"),
        (errno.ENOENT, "不存在"),
    ],
)
def test_fault_message_names_folder_and_cause(tmp_path, code, cause):
    from builder.cli import fault_message

    msg = fault_message(OSError(code, os.strerror(code), str(tmp_path)))
    assert str(tmp_path) in msg and cause in msg and msg.startswith("错误：")
    assert "\n" not in msg and "Errno" not in msg
    if code == errno.ENOENT:
        return
    f = tmp_path / "page.html"
    f.write_text("x")
    msg = fault_message(OSError(code, os.strerror(code), str(f)))
    assert f"文件夹 {tmp_path}" in msg and "page.html" in msg


def test_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    from builder import cli

    def boom(args):
        raise RuntimeError("测试用的程序错误")

    monkeypatch.setattr(cli, "cmd_check", boom)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "内部错误" in err and "测试用的程序错误" in err and "Traceback" not in err
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    assert cli.main(["check"]) == 1
    assert "Traceback" in capsys.readouterr().err
