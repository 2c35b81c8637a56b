"""The real `python -m builder build`: a content error and a SIGKILL half-way
both leave the previous site/ byte-for-byte intact; the builder never writes
inside content/ (snapshot before/after, and with content/ made read-only)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.kernel.atomic import HOLD_ENV
from builder.kernel.treediff import digest
from tests.e2e.site import build_env, run_build
from tests.portal_site import make_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("safety") / "project")
    r = run_build(project)
    assert r.returncode == 0, r.stderr[-4000:]
    return project


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


def test_content_error_leaves_previous_site_intact(built_project):
    site = built_project / "site"
    before = digest(site)
    assert len(before) > 50
    vfile = sorted((built_project / "content" / "villages").glob("*/village.yml"))[0]
    good = vfile.read_text(encoding="utf-8")
    try:
        vfile.write_text(good.replace("\ntown: ", "\ntown: 不存在的镇", 1), encoding="utf-8")
        r = run_build(built_project)
        assert r.returncode == 1, r.stderr[-3000:]
        assert "Traceback" not in r.stderr
        assert vfile.name in r.stderr and "不存在的镇" in r.stderr, r.stderr[-2000:]
    finally:
        vfile.write_text(good, encoding="utf-8")
    assert digest(site) == before
    assert leftovers(built_project) == []


def _start_build(project: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "--config", str(project / "mkdocs.yml")],
        cwd=project,
        env=build_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(cond, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 900  # guard against a hang, not a speed limit
    while not cond():
        if proc.poll() is not None:
            pytest.fail(f"build ended (exit {proc.returncode}) before {what}: {proc.stderr.read()[-2000:]!r}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"never reached {what}")
        time.sleep(0.005)


def test_build_killed_while_writing_leaves_previous_site_intact(built_project, tmp_path):
    site = built_project / "site"
    before = digest(site)
    # Change the content so a finished build would differ.
    prose = sorted((built_project / "content" / "villages").glob("*/index.md"))[0]
    old = prose.read_text(encoding="utf-8")
    prose.write_text(old + "\n新增一段。\n", encoding="utf-8")
    flag = tmp_path / "held"

    def writing() -> bool:
        return any(any(d.rglob("*.html")) for d in built_project.glob(".site-tmp-*"))

    proc = _start_build(built_project, **{HOLD_ENV: str(flag)})  # the hold is a backstop: never swap
    try:
        _wait_for(writing, proc, "MkDocs writing pages into the temp folder")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        prose.write_text(old, encoding="utf-8")
    assert digest(site) == before
    assert leftovers(built_project), "the killed build left its temp folder"
    # The next build cleans up and succeeds.
    r = run_build(built_project)
    assert r.returncode == 0, r.stderr[-3000:]
    assert leftovers(built_project) == []


def test_build_killed_just_before_the_swap_leaves_previous_site_intact(built_project, tmp_path):
    site = built_project / "site"
    before = digest(site)
    flag = tmp_path / "held"
    proc = _start_build(built_project, **{HOLD_ENV: str(flag)})
    _wait_for(flag.exists, proc, "the complete new site waiting for its swap")
    tmp = list(built_project.glob(".site-tmp-*"))
    assert len(tmp) == 1 and (tmp[0] / "index.html").is_file(), "the whole new site was in the temp folder"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert digest(site) == before


# -- content/ is never written -------------------------------------------------------------
def snapshot(root: Path) -> dict[str, tuple]:
    """Path -> (kind, size, mtime_ns, sha256) of everything under root."""
    out = {}
    for p in sorted([root, *root.rglob("*")]):
        st = p.lstat()
        rel = p.relative_to(root).as_posix()
        if stat.S_ISDIR(st.st_mode):
            out[rel] = ("dir", st.st_mtime_ns)
        else:
            out[rel] = ("file", st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def _commands(project: Path, out: Path) -> list[list[str]]:
    content = str(project / "content")
    return [
        ["check", "--content", content],
        ["generate", "--content", content, "--out", str(out)],
        ["build", "--config", str(project / "mkdocs.yml")],
    ]


def test_check_generate_and_build_never_write_inside_content(tmp_path):
    project = make_project(tmp_path / "project")
    before = snapshot(project / "content")
    time.sleep(0.01)  # so a rewrite would get a different mtime
    for cmd in _commands(project, tmp_path / "gen"):
        r = subprocess.run(
            [sys.executable, "-m", "builder", *cmd],
            cwd=project,
            env=build_env(),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert r.returncode == 0, (cmd, r.stderr[-3000:])
    assert snapshot(project / "content") == before
    assert (project / "site" / "index.html").is_file() and any((tmp_path / "gen").rglob("*.md"))


def _read_only_runner() -> list[str]:
    """Prefix that runs a command unable to write read-only files. Root ignores
    file modes, so for root drop CAP_DAC_OVERRIDE/CAP_FOWNER with setpriv."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv (util-linux): cannot make content/ read-only for root")
    caps = "-dac_override,-fowner,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


def test_builder_works_with_read_only_content(tmp_path):
    project = make_project(tmp_path / "project")
    content = project / "content"
    before = snapshot(content)
    for p in [content, *content.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    prefix = _read_only_runner()
    probe = subprocess.run([*prefix, "sh", "-c", f"echo x >> '{next(content.rglob('*.yml'))}'"], capture_output=True)
    assert probe.returncode != 0, "the read-only set-up really forbids writing"
    try:
        for cmd in _commands(project, tmp_path / "gen"):
            r = subprocess.run(
                [*prefix, sys.executable, "-m", "builder", *cmd],
                cwd=project,
                env=build_env(),
                capture_output=True,
                text=True,
                timeout=1800,
            )
            assert r.returncode == 0, (cmd, r.stderr[-3000:])
            assert "Traceback" not in r.stderr
    finally:
        for p in [content, *content.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert snapshot(content) == dict(before)
