"""Build cost per village with three years of self-assessment history
(issue 16): the same synthetic county (testkit.synthetic, seed 42) built with
the `villages` plugin with one year per village and with three (village.yml
and two assessments/<year>.yml each), in one run.

Per-village cost is the slope between a small and a large county, so MkDocs'
fixed start-up cost does not flatter the ratio: (CPU(large) − CPU(small)) ÷
(large − small villages), for 1 year and for 3 years. Goal: ≤ 1.2×."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.bench_pages import ROOT, _finish_builds, _mkdocs_config, _start_build
from benchmarks.common import Figure, Section

SIZES = (100, 500)
YEARS = (1, 3)
GOAL = 1.2


def _project(base: Path, n: int, years: int) -> Path:
    from testkit.synthetic import generate_county

    proj = base / f"years{years}-{n}"
    proj.mkdir()
    (proj / "mkdocs.yml").write_text(_mkdocs_config(True), encoding="utf-8")
    shutil.copytree(ROOT / "docs", proj / "docs")
    if (ROOT / "theme_overrides").is_dir():
        shutil.copytree(ROOT / "theme_overrides", proj / "theme_overrides")
    generate_county(proj / "content", n, seed=42, years=years)
    return proj


def run() -> Section:
    sec = Section("历年自评的生成成本（issue 16）", "python -m benchmarks years")
    base = Path(tempfile.mkdtemp(prefix="bench-years-"))
    try:
        cpu: dict[tuple[int, int], float] = {}
        for n in SIZES:
            for years in YEARS:
                proj = _project(base, n, years)
                # one build at a time: two side by side would share the two cores
                (secs, _bytes, _wall) = _finish_builds([(proj, _start_build(proj))])[0]
                cpu[(years, n)] = secs
                shutil.rmtree(proj / "site", ignore_errors=True)
        small, large = SIZES
        per = {y: (cpu[(y, large)] - cpu[(y, small)]) / (large - small) for y in YEARS}
        ratio = per[3] / per[1]
        sec.figures.append(
            Figure(
                "每村生成成本：3 年 / 1 年",
                ratio,
                "×",
                f"≤ {GOAL}",
                ratio <= GOAL,
                f"每村 CPU 秒（{small}→{large} 村的斜率）：1 年 {per[1] * 1000:.1f} ms，3 年 {per[3] * 1000:.1f} ms",
            )
        )
        sec.notes.append(
            "构建 CPU 秒："
            + "；".join(f"{y} 年 {n} 村 {cpu[(y, n)]:.1f} s" for n in SIZES for y in YEARS)
            + "。同一次运行中依次构建（不并行）。"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return sec
