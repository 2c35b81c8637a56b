"""`check` at scale (issue #2).

* villages per second and cost per village at 1,000 and 2,000 generated
  villages; the per-village cost must stay flat as the count doubles;
* `check` on 1,000 villages against building their site (`python -m builder
  build`, MkDocs + the villages plugin) on the same content, both run as
  subprocesses side by side: check must cost well under a tenth.

Content comes from testkit.synthetic.generate_county (no photos).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, Section

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1000, 2000)
REPEAT = 2


def _in_process(content: Path) -> tuple[float, float]:
    """(best wall, best CPU) seconds of check() over REPEAT runs."""
    from builder.pipeline import check

    walls, cpus = [], []
    for _ in range(REPEAT):
        t0, c0 = time.perf_counter(), time.process_time()
        _, diags = check(content, content.parent)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if diags.has_errors:
            raise RuntimeError("generated content has errors:\n" + diags.format("text")[:2000])
    return min(walls), min(cpus)


def _subprocess(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU of the child) seconds of one subprocess run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise RuntimeError(f"{args} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run() -> Section:
    from testkit.synthetic import generate_county

    section = Section("内容检查 check（issue #2）", "python -m benchmarks check")
    tmp = Path(tempfile.mkdtemp(prefix="bench-check-"))
    try:
        dirs = {}
        for n in SIZES:
            d = tmp / f"c{n}"
            generate_county(d / "content", n, seed=n)
            dirs[n] = d / "content"
        # Interleave the sizes so machine noise hits both alike.
        results = {n: (float("inf"), float("inf")) for n in SIZES}
        for _ in range(2):
            for n in SIZES:
                w, c = _in_process(dirs[n])
                results[n] = (min(results[n][0], w), min(results[n][1], c))
        per = {n: results[n][1] / n for n in SIZES}
        for n in SIZES:
            section.figures.append(
                Figure(
                    f"check {n} 村：每秒村数（CPU）",
                    n / results[n][1],
                    "村/秒",
                    "",
                    None,
                    f"CPU {results[n][1]:.2f} s，墙钟 {results[n][0]:.2f} s，每村 {1000 * per[n]:.2f} ms（CPU）",
                )
            )
        ratio = per[SIZES[1]] / per[SIZES[0]]
        section.figures.append(
            Figure(
                f"每村成本 {SIZES[1]} 村 / {SIZES[0]} 村",
                ratio,
                "×",
                "≤ 1.25（线性）",
                ratio <= 1.25,
                f"{1000 * per[SIZES[1]]:.2f} ms vs {1000 * per[SIZES[0]]:.2f} ms 每村（CPU，best of {2 * REPEAT}）",
            )
        )

        # check vs build of the same 1,000 villages, both as the commands editors/CI run.
        site_root = dirs[SIZES[0]].parent
        shutil.copy(ROOT / "mkdocs.yml", site_root / "mkdocs.yml")
        for name in ("docs", "theme_overrides"):
            if (ROOT / name).exists():
                os.symlink(ROOT / name, site_root / name)
        check_wall, check_cpu = _subprocess(["check", "--content", "content"], site_root)
        build_wall, build_cpu = _subprocess(
            ["build", "--config", "mkdocs.yml", "--site-dir", str(site_root / "site")], site_root
        )
        check_wall2, check_cpu2 = _subprocess(["check", "--content", "content"], site_root)
        check_wall, check_cpu = min(check_wall, check_wall2), min(check_cpu, check_cpu2)
        section.figures.append(
            Figure(
                f"check / build，{SIZES[0]} 村（CPU）",
                check_cpu / build_cpu,
                "×",
                "≤ 0.1",
                check_cpu / build_cpu <= 0.1,
                f"python -m builder check {check_cpu:.1f} s vs python -m builder build "
                f"{build_cpu:.1f} s（子进程 CPU 时间，含解释器启动）",
            )
        )
        section.figures.append(
            Figure(
                f"check / build，{SIZES[0]} 村（墙钟）",
                check_wall / build_wall,
                "×",
                "≤ 0.1",
                check_wall / build_wall <= 0.1,
                f"{check_wall:.1f} s vs {build_wall:.1f} s",
            )
        )
        section.notes.append(
            "内容由 testkit.synthetic.generate_county 生成（无照片，每村两套标准逐条自评，每 4 村一个项目）。"
            "每村成本取 check() 的进程 CPU 时间（机器被多人共用，CPU 时间比墙钟稳定）。"
        )
        section.notes.append(
            "build 为完整的 python -m builder build（MkDocs + villages 插件 + Material 主题 + 搜索索引），"
            "与 check 在同一次运行中、同一份内容上先后测量。"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return section
