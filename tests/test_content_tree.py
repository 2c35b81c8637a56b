"""The content tree is closed (issue 10): loading never follows a symbolic
link, never opens a FIFO, socket or device, and a folder where a file is
expected is a located error. Every case runs the real `python -m builder
check` in a subprocess (with a timeout, so a FIFO that blocks fails the test
instead of hanging it) on a copy of the sample content, and asserts the
diagnostic, the exit code and that content/ is unchanged."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.textfile import read_text
from builder.kernel.loading.tree import DIR, FILE, LINK, SPECIAL, scan_tree

ROOT = Path(__file__).resolve().parent.parent
WJZ = "content/villages/wangjiazhuang"
PASSWD_MARK = "root:x:0:0"

pytestmark = pytest.mark.skipif(
    not hasattr(os, "symlink") or sys.platform == "win32", reason="symbolic links and FIFOs need a POSIX system"
)


def snapshot(content: Path) -> dict[str, str]:
    """Every entry of content/ without following links: files by their bytes,
    links by their target, FIFOs and folders by their kind."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(content).as_posix()
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(p)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "dir"
            elif stat.S_ISREG(st.st_mode):
                out[rel] = "file:" + p.read_bytes().hex()[:64] + f":{st.st_size}"
            else:
                out[rel] = f"special:{stat.S_IFMT(st.st_mode)}"
    return out


def run_check(project: Path, timeout: float = 120) -> tuple[int, list[dict], str]:
    """`python -m builder check --format json` in project/ (its content/)."""
    proc = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    diags = json.loads(proc.stdout) if proc.stdout.strip() else []
    return proc.returncode, diags, proc.stderr


def checked(project: Path, timeout: float = 120) -> list[dict]:
    """Run check; assert it fails (exit 1) and leaves content/ unchanged."""
    before = snapshot(project / "content")
    code, diags, err = run_check(project, timeout)
    assert code == 1, (code, err, diags)
    assert snapshot(project / "content") == before
    return diags


def of(diags: list[dict], code: str) -> list[dict]:
    return [d for d in diags if d["code"] == code]


@pytest.fixture
def project(sample_copy: Path) -> Path:
    """A project folder holding a private copy of the sample content/."""
    return sample_copy.parent


def test_sample_copy_passes(project):
    code, diags, _ = run_check(project)
    assert code == 0 and not of(diags, "symlink") and not of(diags, "special-file")


def test_index_md_linked_to_etc_passwd(project, tmp_path):
    index = project / WJZ / "index.md"
    index.unlink()
    index.symlink_to("/etc/passwd")
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert (d["file"], d["line"], d["column"], d["severity"]) == (f"{WJZ}/index.md", 1, 1, "error")
    assert f"{WJZ}/index.md" in d["message"] and "/etc/passwd" in d["message"]
    assert "内容文件夹以外" in d["message"] and "真实存在的文件" in d["hint"]
    assert not any(PASSWD_MARK in d["message"] for d in diags)
    # nothing of /etc/passwd is ever written out
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--out", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert PASSWD_MARK not in proc.stdout + proc.stderr
    assert not out.exists() or not any(
        PASSWD_MARK in p.read_text("utf-8", "replace") for p in out.rglob("*") if p.is_file()
    )


def test_loader_never_reads_a_linked_index(project):
    """In-process: the village loads, without the linked prose."""
    from builder.pipeline import check

    index = project / WJZ / "index.md"
    index.unlink()
    index.symlink_to("/etc/passwd")
    content, diags = check(project / "content", project)
    v = content.villages["wangjiazhuang"]
    assert v.prose is None and v.prose_file is None
    assert [d.file for d in diags if d.code == "symlink"] == [f"{WJZ}/index.md"]


def test_photo_linked_outside(project, tmp_path):
    secret = tmp_path / "secret.jpg"
    shutil.copy(project / WJZ / "photos/dangqun.jpg", secret)
    photo = project / WJZ / "photos/dangqun.jpg"
    photo.unlink()
    photo.symlink_to(secret)
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert d["file"] == f"{WJZ}/photos/dangqun.jpg" and d["line"] == 1
    assert str(secret) in d["message"] and "内容文件夹以外" in d["message"]
    # the linked photo is not published, and its references are not reported
    # a second time as missing: one mistake, one message
    assert not of(diags, "missing-photo")


def test_photos_folder_linked_outside(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project / WJZ / "photos", elsewhere)
    shutil.rmtree(project / WJZ / "photos")
    (project / WJZ / "photos").symlink_to(elsewhere, target_is_directory=True)
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert d["file"] == f"{WJZ}/photos" and str(elsewhere) in d["message"]
    assert not any(str(elsewhere) in m["file"] for m in diags)
    assert not of(diags, "missing-photo")


def test_photos_folder_linked_to_root(project):
    """Used to walk the whole file system and end in a traceback."""
    shutil.rmtree(project / WJZ / "photos")
    (project / WJZ / "photos").symlink_to("/", target_is_directory=True)
    diags = checked(project, timeout=60)
    [d] = of(diags, "symlink")
    assert d["file"] == f"{WJZ}/photos" and "“/”" in d["message"]
    assert all(m["file"].startswith("content/") for m in diags)
    assert not of(diags, "io-error") and not of(diags, "special-file")


def test_village_folder_linked_from_outside(project, tmp_path):
    outside = tmp_path / "outside-village"
    shutil.copytree(project / WJZ, outside)
    (project / "content/villages/xinzhuang").symlink_to(outside, target_is_directory=True)
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert d["file"] == "content/villages/xinzhuang" and str(outside) in d["message"]
    assert not any("xinzhuang/" in m["file"] for m in diags)  # nothing inside it was read


def test_linked_village_is_not_loaded_and_does_not_cascade(project, tmp_path):
    """The real wangjiazhuang moved outside and linked back: not loaded, and
    the projects that name it are not also reported as unknown."""
    from builder.pipeline import check

    outside = tmp_path / "outside-village"
    shutil.move(project / WJZ, outside)
    (project / WJZ).symlink_to(outside, target_is_directory=True)
    content, diags = check(project / "content", project)
    assert "wangjiazhuang" not in content.villages
    assert "wangjiazhuang" in content.failed_villages
    assert [d.file for d in diags if d.code == "symlink"] == [WJZ]
    assert not [d for d in diags if d.code == "unknown-village" and d.file.startswith("content/projects/")]


def test_village_yml_is_a_folder(project):
    vfile = project / WJZ / "village.yml"
    vfile.unlink()
    vfile.mkdir()
    diags = checked(project)
    [d] = [d for d in of(diags, "io-error") if d["file"] == f"{WJZ}/village.yml"]
    assert (d["line"], d["column"]) == (1, 1)
    assert "文件夹" in d["message"] and f"{WJZ}/village.yml" in d["message"]


def test_site_yml_is_a_folder(project):
    site = project / "content/site.yml"
    site.unlink()
    site.mkdir()
    diags = checked(project)
    [d] = [d for d in of(diags, "io-error") if d["file"] == "content/site.yml"]
    assert "应该是一个文件，但这里是一个文件夹" in d["message"]


def test_fifo_as_index_md(project):
    index = project / WJZ / "index.md"
    index.unlink()
    os.mkfifo(index)
    diags = checked(project, timeout=60)  # blocks forever if the FIFO is opened
    [d] = of(diags, "special-file")
    assert (d["file"], d["line"]) == (f"{WJZ}/index.md", 1)
    assert "命名管道" in d["message"] and f"{WJZ}/index.md" in d["message"]


def test_fifo_as_photo(project):
    photo = project / WJZ / "photos/dangqun.jpg"
    photo.unlink()
    os.mkfifo(photo)
    diags = checked(project, timeout=60)
    [d] = of(diags, "special-file")
    assert d["file"] == f"{WJZ}/photos/dangqun.jpg" and "命名管道" in d["message"]


def test_fifo_as_tour_file(project):
    os.mkfifo(project / "content/tours/2099-fifo.yml")
    diags = checked(project, timeout=60)
    [d] = of(diags, "special-file")
    assert d["file"] == "content/tours/2099-fifo.yml"


def test_link_inside_content_is_still_reported(project):
    """Even a link that stays inside content/ is reported (and not followed)."""
    photo = project / WJZ / "photos/dangqun.jpg"
    photo.unlink()
    photo.symlink_to("piandai.jpg")
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert d["file"] == f"{WJZ}/photos/dangqun.jpg"
    assert "在内容文件夹里" in d["message"] and "villages/wangjiazhuang/photos/piandai.jpg" in d["message"]


def test_linked_project_file(project, tmp_path):
    outside = tmp_path / "p.yml"
    shutil.copy(project / "content/projects/2022-wangjiazhuang-malingshu.yml", outside)
    (project / "content/projects/2099-linked.yml").symlink_to(outside)
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert d["file"] == "content/projects/2099-linked.yml"
    assert not of(diags, "duplicate-name") and not [m for m in diags if "2099-linked" in m["file"] and m is not d]


def test_dangling_link(project):
    (project / WJZ / "photos/gone.jpg").symlink_to("/nonexistent/gone.jpg")
    diags = checked(project)
    [d] = of(diags, "symlink")
    assert "目标不存在" in d["message"]


# -- the walk and the reader in-process ------------------------------------------------


def test_scan_tree_never_follows(tmp_path):
    root = tmp_path / "content"
    (root / "a/b").mkdir(parents=True)
    (root / "a/b/x.txt").write_text("x")
    (root / "a/up").symlink_to(tmp_path, target_is_directory=True)  # a loop through the parent
    (root / "a/root").symlink_to("/", target_is_directory=True)
    os.mkfifo(root / "a/pipe")
    diags = Diagnostics()
    tree = scan_tree(root, diags, lambda p: p.relative_to(tmp_path).as_posix())
    assert tree.kind("a") == DIR and tree.kind("a/b/x.txt") == FILE
    assert tree.kind("a/up") == LINK and tree.kind("a/root") == LINK and tree.kind("a/pipe") == SPECIAL
    assert tree.files_under("a") == ["b/x.txt"]
    assert tree.entries("a") == [("b", DIR), ("pipe", SPECIAL), ("root", LINK), ("up", LINK)]
    assert sorted(d.code for d in diags) == ["special-file", "symlink", "symlink"]


def test_read_text_refuses_links_fifos_and_folders(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("正文", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    diags = Diagnostics()
    assert read_text(real, "real.md", diags) == "正文"
    assert read_text(link, "link.md", diags) is None
    assert read_text(fifo, "fifo.md", diags) is None  # would block if opened for reading
    assert read_text(folder, "folder.md", diags) is None
    assert [(d.file, d.code) for d in diags] == [
        ("fifo.md", "special-file"),
        ("folder.md", "io-error"),
        ("link.md", "symlink"),
    ]
