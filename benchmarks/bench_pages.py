"""Portal build cost (issues 3 and 17).

Builds a generated county of 1,000 and then 2,000 villages (no photos) with
the `villages` plugin, and, in the same run, plain MkDocs + Material — the
stock setup a MkDocs site has: the same theme, overrides and nav, Material's
search plugin (lang zh, with jieba) and tags, no villages plugin — building the
same pages: what ``python -m builder generate`` writes for that content.
Goals: plugin build ≤ 0.4× the plain build's CPU at 2,000 (issue 17; the
issue-3 goal was ≤ 1.3×); 2,000/1,000 ratio ≤ 2.1 for both time and output
bytes; bytes per village page flat. With BENCH_LARGE=1 also 5,000 and 10,000
villages (plugin only): CPU per village flat against 2,000 (≤ 1.15×) and peak
memory of the 10,000-village build < 1.5 GB.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import Figure, Section

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1000, 2000)
LARGE = (5000, 10000)


def _env() -> dict:
    e = dict(os.environ)
    e.update({"SOURCE_DATE_EPOCH": "1795132800", "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"})
    e.pop("OFFLINE", None)
    # this checkout's builder, whatever checkout the venv's editable install points at
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), e.get("PYTHONPATH", "")]))
    return e


def _mkdocs_config(with_plugin: bool) -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = yaml.load(text, Loader=_loader())
    if not with_plugin:
        # The stock setup: Material's own search (zh, jieba) and tags.
        cfg["plugins"] = [{"search": {"lang": "zh", "separator": STOCK_SEPARATOR}}, "tags"]
    cfg["site_url"] = "https://portal.example.org/"
    for p in cfg["plugins"]:
        if isinstance(p, dict) and "offline" in p:
            p["offline"]["enabled"] = False
    return yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False)


# Material's default separator for zh, as our mkdocs.yml had it.
STOCK_SEPARATOR = "[\\s\\u200b\\u3000\\-、。，．？！；·]+"


def _loader():
    class L(yaml.SafeLoader):
        pass

    def env_tag(loader, node):  # !ENV [NAME, default] → default
        seq = loader.construct_sequence(node)
        return seq[-1] if isinstance(seq, list) else None

    L.add_constructor("!ENV", env_tag)
    return L


def _dir_bytes(d: Path) -> int:
    return sum(f.stat().st_size for f in d.rglob("*") if f.is_file())


def _start_build(proj: Path):
    # Not a `with`: the log must stay open while the build runs in the
    # background; _finish_builds closes it once the process has exited.
    log = open(proj / "build.log", "w")  # noqa: SIM115
    t0 = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(proj / "mkdocs.yml"), "-d", str(proj / "site")],
        cwd=proj,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return p, t0, log


def _finish_builds(items: list[tuple[Path, tuple]]) -> list[tuple[float, int, float, int]]:
    """Wait for side-by-side builds; for each: (CPU seconds of that build
    process, output bytes, wall seconds, peak resident memory in bytes). CPU
    time is what the goals use: on a shared 2-core machine wall time mostly
    measures the neighbours. os.wait4 gives the rusage of exactly that child
    (ru_maxrss in KiB on Linux)."""
    pending = {started[0].pid: i for i, (_, started) in enumerate(items)}
    out: list = [None] * len(items)
    while pending:
        pid, status, ru = os.wait4(-1, 0)
        if pid not in pending:
            continue
        i = pending.pop(pid)
        proj, (p, t0, log) = items[i]
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        log.close()
        if p.returncode != 0:
            raise RuntimeError(f"build failed in {proj}:\n{(proj / 'build.log').read_text()[-3000:]}")
        out[i] = (ru.ru_utime + ru.ru_stime, _dir_bytes(proj / "site"), wall, ru.ru_maxrss * 1024)
    return out


def _make_plugin_project(base: Path, n: int) -> tuple[Path, str]:
    proj = base / f"plugin-{n}"
    proj.mkdir()
    (proj / "mkdocs.yml").write_text(_mkdocs_config(True), encoding="utf-8")
    shutil.copytree(ROOT / "docs", proj / "docs")
    if (ROOT / "theme_overrides").is_dir():
        shutil.copytree(ROOT / "theme_overrides", proj / "theme_overrides")
    note = ""
    try:
        from testkit.synthetic import generate_county
    except ImportError:  # pragma: no cover - the scaffold part is in the repo
        raise
    generate_county(proj / "content", n, seed=42)
    return proj, note


def _make_plain_project(base: Path, n: int, plugin_proj: Path) -> Path:
    """The same pages for plain MkDocs: what the core generates for the
    plugin project's content (``python -m builder generate --out``) laid over
    the hand-written docs/, built with the stock configuration."""
    proj = base / f"plain-{n}"
    proj.mkdir()
    (proj / "mkdocs.yml").write_text(_mkdocs_config(False), encoding="utf-8")
    shutil.copytree(ROOT / "docs", proj / "docs")
    if (ROOT / "theme_overrides").is_dir():
        shutil.copytree(ROOT / "theme_overrides", proj / "theme_overrides")
    gen = base / f"gen-{n}"
    subprocess.run(
        [sys.executable, "-m", "builder", "generate", "--content", str(plugin_proj / "content"), "--out", str(gen)],
        cwd=plugin_proj,
        env=_env(),
        check=True,
        capture_output=True,
    )
    shutil.copytree(gen, proj / "docs", dirs_exist_ok=True)
    shutil.rmtree(gen)
    return proj


def _village_page_bytes(site: Path) -> float:
    pages = list((site / "villages").glob("cun*/index.html"))
    return sum(p.stat().st_size for p in pages) / max(1, len(pages))


def _large(sec: Section, base: Path, res: dict) -> None:
    """Plugin builds at 5,000 and 10,000 villages, one at a time: CPU per
    village against the 2,000-village build of this run, and peak memory."""
    per2 = res[("plugin", 2000)][0] / 2000
    for n in LARGE:
        proj, _ = _make_plugin_project(base, n)
        [got] = _finish_builds([(proj, _start_build(proj))])
        res[("plugin", n)] = got
        print(f"  n={n}: plugin CPU {got[0]:.1f}s (wall {got[2]:.1f}s) peak {got[3] / 2**20:.0f} MB", flush=True)
        per = got[0] / n
        sec.figures.append(
            Figure(
                f"每村构建 CPU {n} 村 / 2000 村",
                per / per2,
                "×",
                "≤ 1.15（持平）",
                per / per2 <= 1.15,
                f"{per * 1000:.1f} ms vs {per2 * 1000:.1f} ms 每村",
            )
        )
        shutil.rmtree(proj, ignore_errors=True)
    mem = res[("plugin", LARGE[-1])][3]
    sec.figures.append(
        Figure(
            f"插件构建 {LARGE[-1]} 村 峰值内存",
            mem / 2**30,
            "GB",
            "< 1.5",
            mem < 1.5 * 2**30,
            "构建进程的 ru_maxrss",
        )
    )


def run() -> Section:
    sec = Section("门户页面生成（issue #3、#17）", "python -m benchmarks pages")
    base = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        res: dict[tuple[str, int], tuple[float, int, float, int]] = {}
        vpage: dict[int, float] = {}
        for n in SIZES:
            proj, _ = _make_plugin_project(base, n)
            plain = _make_plain_project(base, n, proj)
            # plain and plugin builds run side by side (one per core), so
            # machine noise hits both alike and the benchmark takes half as long
            # Best of two pairs: the 2,000/1,000 goal (≤ 2.1) sits within 5 % of
            # perfectly linear (2.0), so one noisy build must not decide it.
            for _ in range(2):
                started = [(plain, _start_build(plain)), (proj, _start_build(proj))]
                got = dict(zip(("plain", "plugin"), _finish_builds(started), strict=True))
                for kind, r in got.items():
                    if (kind, n) not in res or r[0] < res[(kind, n)][0]:
                        res[(kind, n)] = r
            vpage[n] = _village_page_bytes(proj / "site")
            print(
                f"  n={n}: plugin CPU {res[('plugin', n)][0]:.1f}s (wall {res[('plugin', n)][2]:.1f}s) "
                f"{res[('plugin', n)][1] / 1e6:.1f} MB; plain CPU {res[('plain', n)][0]:.1f}s "
                f"(wall {res[('plain', n)][2]:.1f}s) {res[('plain', n)][1] / 1e6:.1f} MB",
                flush=True,
            )
            shutil.rmtree(plain / "site", ignore_errors=True)
        a, b = SIZES
        for n in SIZES:
            r = res[("plugin", n)][0] / res[("plain", n)][0]
            goal, ok = ("≤ 0.4", r <= 0.4) if n == 2000 else ("（参照）", None)
            sec.figures.append(
                Figure(
                    f"插件构建 {n} 村 / 普通 MkDocs {n} 页（CPU）",
                    r,
                    "×",
                    goal,
                    ok,
                    f"CPU {res[('plugin', n)][0]:.1f} s vs {res[('plain', n)][0]:.1f} s"
                    f"（墙钟 {res[('plugin', n)][2]:.1f} s vs {res[('plain', n)][2]:.1f} s），同一次运行",
                )
            )
        for kind, label in (("plugin", "插件"), ("plain", "普通 MkDocs")):
            rt = res[(kind, b)][0] / res[(kind, a)][0]
            rb = res[(kind, b)][1] / res[(kind, a)][1]
            # The goal binds the plugin build; the plain build's scaling is shown for reference.
            goal, ok_t, ok_b = ("≤ 2.1", rt <= 2.1, rb <= 2.1) if kind == "plugin" else ("（参照）", None, None)
            sec.figures.append(
                Figure(
                    f"{label} {b}/{a}（时间）",
                    rt,
                    "×",
                    goal,
                    ok_t,
                    f"CPU {res[(kind, b)][0]:.1f} s vs {res[(kind, a)][0]:.1f} s",
                )
            )
            sec.figures.append(
                Figure(
                    f"{label} {b}/{a}（输出字节）",
                    rb,
                    "×",
                    goal,
                    ok_b,
                    f"{res[(kind, b)][1] / 1e6:.1f} MB vs {res[(kind, a)][1] / 1e6:.1f} MB",
                )
            )
        rv = vpage[b] / vpage[a]
        sec.figures.append(
            Figure(
                f"每个村页面 HTML 字节 {b} 村 / {a} 村",
                rv,
                "×",
                "≈ 1.0",
                abs(rv - 1) <= 0.05,
                f"{vpage[b] / 1024:.1f} KiB vs {vpage[a] / 1024:.1f} KiB",
            )
        )
        mem2 = res[("plugin", b)][3]
        sec.figures.append(
            Figure(
                f"插件构建 {b} 村 峰值内存",
                mem2 / 2**20,
                "MB",
                "（参照）",
                None,
                f"普通 MkDocs {b} 页 {res[('plain', b)][3] / 2**20:.0f} MB",
            )
        )
        if os.environ.get("BENCH_LARGE") == "1":
            _large(sec, base, res)
        else:
            sec.notes.append(
                "5,000 和 10,000 村（每村成本、峰值内存）只在 BENCH_LARGE=1 时运行："
                "BENCH_LARGE=1 python -m benchmarks pages（约 20 分钟）。"
            )
        sec.notes.append(
            "普通 MkDocs 构建的是同样的页面：python -m builder generate 为同一份内容生成的全部页面"
            "（村页、一页纸简介、列表、对比、项目、观摩……）加上 docs/ 里的指南；用同一主题和覆盖模板、"
            "同一导航，插件换成 Material 自带的 search（lang: zh，装了 jieba 即用 jieba 分词）和 tags——"
            "一个 MkDocs 站点的常规配置。插件构建用项目的 mkdocs.yml。"
        )
        sec.notes.append(
            "时间为构建进程的 CPU 时间（user+sys，含 Python 启动和 jieba 词典加载，两边相同）；"
            "墙钟时间一并列出，但这台 2 核机器由多个进程共用，墙钟主要反映邻居的负载。"
            "每个规模下普通与插件两个构建同时运行（各占一个核）。"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return sec
