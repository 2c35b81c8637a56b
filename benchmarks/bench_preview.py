"""Preview latency (issue 17): from saving a file to the reloaded page in Chromium.

For a synthetic county of 450 and of 2,000 villages (+ one tour), runs
``python -m builder serve`` (one full build, then updates), opens the page an
edit concerns in Chromium (Playwright) and, for each of seven edits of
different kinds (a village.yml's 简介 ×2, a village's index.md ×2, a project,
a tour, a village's name, which every list shows), measures the time from
the file write to the moment the page shows the new text after its automatic
reload. Goal: median ≤ 1 s at 450 villages, ≤ 2 s at 2,000. The full build
the preview starts with is timed in the same run as the reference (what
every change cost with ``mkdocs serve``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import Figure, Section

ROOT = Path(__file__).resolve().parent.parent
# villages, goal in seconds; BENCH_PREVIEW_SIZES=450 runs one size
SIZES = tuple(
    (n, goal)
    for n, goal in ((450, 1.0), (2000, 2.0))
    if str(n) in os.environ.get("BENCH_PREVIEW_SIZES", "450 2000").split()
)  # villages, goal in seconds
TIMEOUT = 300.0

TOUR = """title: 合成县预览基准观摩
date: 2025-10-15
organiser: 中共合成县委组织部
start: {{name: 县委党校, system: WGS-84, lat: 35.30, lng: 104.30}}
end: {{name: 县委党校, system: WGS-84, lat: 35.30, lng: 104.30}}
depart: "09:00"
return_by: "17:00"
dwell: 40
stops:
{stops}
speed_kmh: 40
order: fixed
"""


def _project(base: Path, n: int) -> Path:
    from benchmarks.bench_pages import _mkdocs_config
    from testkit.synthetic import generate_county

    proj = base / f"preview-{n}"
    proj.mkdir()
    (proj / "mkdocs.yml").write_text(_mkdocs_config(True), encoding="utf-8")
    shutil.copytree(ROOT / "docs", proj / "docs")
    if (ROOT / "theme_overrides").is_dir():
        shutil.copytree(ROOT / "theme_overrides", proj / "theme_overrides")
    generate_county(proj / "content", n, seed=42)
    (proj / "content" / "tours").mkdir()
    stops = "\n".join(f"  - {{village: cun{i:05d}}}" for i in (1, 2, 5))
    (proj / "content" / "tours" / "2025-bench.yml").write_text(TOUR.format(stops=stops), encoding="utf-8")
    return proj


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _edits(proj: Path) -> list[tuple[str, str, Path, str, str]]:
    """(kind, page URL path, file, regex, replacement); the replacement's text is what the page must show."""
    c = proj / "content"
    project = sorted((c / "projects").glob("*.yml"))[0]
    v7, v19 = c / "villages/cun00007/village.yml", c / "villages/cun00019/village.yml"
    return [
        ("village.yml", "villages/cun00007/", v7, r'^summary: "', 'summary: "预览基准甲，'),
        ("index.md", "villages/cun00011/", c / "villages/cun00011/index.md", r"\Z", "\n\n预览基准乙。\n"),
        ("项目", f"projects/{project.stem}/", project, r'^title: "', 'title: "预览基准丙'),
        ("观摩拉练", "tours/2025-bench/", c / "tours/2025-bench.yml", r"^title: ", "title: 预览基准丁"),
        ("village.yml", "villages/cun00019/", v19, r'^summary: "', 'summary: "预览基准戊，'),
        ("index.md", "villages/cun00023/", c / "villages/cun00023/index.md", r"\Z", "\n\n预览基准己。\n"),
        # a name: every list, the comparison, the ranking, the map and its town's village pages show it
        ("village.yml 村名", "villages/", c / "villages/cun00031/village.yml", r"^name: ", "name: 预览基准庚"),
    ]


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(n: int, base: Path) -> tuple[float, list[tuple[str, float, float]], str]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    proj = _project(base, n)
    port = _free_port()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1795132800", NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    env.pop("OFFLINE", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=proj,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            if "预览地址" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(900) or proc.poll() is not None:
            raise RuntimeError("preview did not start:\n" + "".join(log)[-3000:])
        full = time.perf_counter() - t0
        out: list[tuple[str, float, float]] = []  # kind, wall seconds, CPU seconds of the preview
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            for kind, url, path, pattern, repl in _edits(proj):
                page.goto(f"http://127.0.0.1:{port}/{url}")
                page.wait_for_function("() => document.readyState === 'complete'")
                time.sleep(0.5)  # the live-reload script has asked the server
                marker = re.sub(r"[^\u4e00-\u9fff]", "", repl)
                text = path.read_text(encoding="utf-8")
                new = re.sub(pattern, repl, text, count=1, flags=re.M)
                assert new != text, (path, pattern)
                cpu = _cpu(proc.pid)
                start = time.perf_counter()
                path.write_text(new, encoding="utf-8")
                try:
                    shown = "m => document.body && document.body.textContent.includes(m)"
                    page.wait_for_function(shown, arg=marker, timeout=TIMEOUT * 1000)
                except Exception as exc:
                    raise RuntimeError(f"{kind} {url}: not shown\n" + "".join(log)[-3000:]) from exc
                wall = time.perf_counter() - start
                # the update's non-page files (Excel/Word, the search index) finish before the next edit;
                # the CPU figure is the whole update's, those included
                deadline = time.perf_counter() + TIMEOUT
                while sum(ln.startswith("已更新") for ln in log) < len(out) + 1 and time.perf_counter() < deadline:
                    time.sleep(0.05)
                out.append((kind, wall, _cpu(proc.pid) - cpu))
                print(f"  n={n} {kind}: {out[-1][1]:.2f} s (CPU {out[-1][2]:.2f} s)", flush=True)
            browser.close()
        updates = [ln.strip() for ln in log if ln.startswith("已更新")]
        return full, out, updates[-1] if updates else ""
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def run() -> Section:
    sec = Section("预览：改动到浏览器刷新（issue #17）", "python -m benchmarks preview")
    base = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    try:
        for n, goal in SIZES:
            full, edits, last = _measure(n, base)
            times = [t for _, t, _ in edits]
            med = statistics.median(times)
            cpu = statistics.median(c for _, _, c in edits)
            sec.figures.append(
                Figure(
                    f"预览延迟 {n} 村（中位数，{len(times)} 次改动）",
                    med,
                    "秒",
                    f"≤ {goal:g}",
                    med <= goal,
                    "从写入文件到 Chromium 里刷新后的页面显示新文字；" + "、".join(f"{k} {t:.2f}" for k, t, _ in edits),
                )
            )
            sec.figures.append(
                Figure(
                    f"预览进程 CPU 时间 {n} 村（中位数）",
                    cpu,
                    "秒",
                    f"（参照：墙钟目标 ≤ {goal:g}）",
                    None,
                    "每次改动预览进程用的 CPU（user+sys，直到这次更新全部完成，"
                    "含页面刷新后才写的 Excel/Word 导出和搜索索引）：" + "、".join(f"{k} {c:.2f}" for k, _, c in edits),
                )
            )
            sec.figures.append(
                Figure(
                    f"预览延迟 {n} 村 / 整站构建 {n} 村",
                    med / full,
                    "×",
                    "（参照）",
                    None,
                    f"整站构建（预览启动时的一次，墙钟）{full:.1f} s，同一次运行；改动前每次都要这么久",
                )
            )
            if last:
                sec.notes.append(f"{n} 村，最后一次改动的终端输出：{last}")
        sec.notes.append(
            "合成县（testkit.synthetic，seed 42，无照片）加一个观摩拉练；python -m builder serve 在子进程里运行，"
            "Chromium（Playwright）打开受影响的页面，等页面自动刷新并显示新文字。墙钟时间：这台 2 核机器由多人共用。"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return sec
