"""The site's own search (issue 17, builder/search) in Chromium, on synthetic
counties of 450 and 2,000 villages (testkit.synthetic), each built with the
real command (`python -m builder build`):

- bytes of a first page view (a village page, every file it loads) and of a
  first query (what typing it loads: manifest, term shards, page chunks),
  each file counted gzip-compressed (level 6, what a server sends);
- the browser's CPU per page view: CDP ``Performance.getMetrics``
  ``TaskDuration`` (main-thread task time of the renderer) from navigation to
  network idle, median of RUNS views, with the search script and as a ratio
  to the same page with vp-search.js answered empty (search removed);
- the index's build time as a share of the build: CPU of making the index
  (documents + postings + files, in this process, from the same content)
  over the CPU of the whole build (the build subprocess's user+sys)."""

from __future__ import annotations

import gzip
import resource
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, Section

SIZES = (450, 2000)
RUNS = 5
PAGE = "villages/cun00001/"
FIRST_QUERY_GOAL = 300_000  # bytes, gzip, at 2,000 villages
CPU_GOAL = 0.5  # s of browser CPU per page view at 2,000 villages
SHARE_GOAL = 0.15


def _gz(site: Path, url: str, base: str) -> int:
    rel = url[len(base) :].split("?", 1)[0].split("#", 1)[0]
    f = site / rel
    if rel == "" or rel.endswith("/"):
        f = f / "index.html"
    return len(gzip.compress(f.read_bytes(), 6)) if f.is_file() else 0


def _task_seconds(browser, url: str, block_search: bool) -> float:
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    if block_search:
        ctx.route("**/vp-search.js", lambda r: r.fulfill(status=200, body="", content_type="text/javascript"))
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    ctx.close()
    return float(metrics["TaskDuration"])


def _measure(browser, site: Path, base: str, query: str) -> dict[str, float]:
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(base + PAGE, wait_until="load")
    page.wait_for_load_state("networkidle")
    view = sum(_gz(site, u, base) for u in urls)
    view_index = sum(_gz(site, u, base) for u in urls if "/assets/search/" in u)
    n = len(urls)
    page.locator("label.md-header__button[for='__search']").click()
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item > a")
    page.wait_for_load_state("networkidle")
    first = page.eval_on_selector(".md-search-result__item > a", "a => a.getAttribute('href')")
    q_urls = urls[n:]
    q_bytes = sum(_gz(site, u, base) for u in q_urls)
    ctx.close()
    with_s, without = [], []
    for _ in range(RUNS):
        with_s.append(_task_seconds(browser, base + PAGE, False))
        without.append(_task_seconds(browser, base + PAGE, True))
    return {
        "view": view,
        "view_index": view_index,
        "query": q_bytes,
        "query_files": len(q_urls),
        "first_ok": float(first.rstrip("/").endswith("cun00001")),
        "cpu": statistics.median(with_s),
        "cpu_without": statistics.median(without),
    }


def _index_cpu(content: Path, project: Path) -> tuple[float, int, int]:
    from builder.kernel.build import Options
    from builder.pipeline import run
    from builder.search.documents import documents
    from builder.search.index import build, files

    c, derived, _ = run(content, project, Options({"use_directory_urls": True}))
    t0 = time.process_time()
    index = build(documents(c, derived, project / "docs"))
    out = list(files(index, True))
    return time.process_time() - t0, len(index.docs), sum(len(t.encode()) for _, t in out)


def _worst_query(site: Path) -> int:
    """The most any first query can load (gzip): the manifest, the MAX_TERMS + 1
    largest term shards and the 10 largest page chunks."""
    from builder.search.index import MAX_TERMS

    d = site / "assets" / "search"

    def sizes(sub: str) -> list[int]:
        return sorted((len(gzip.compress(f.read_bytes(), 6)) for f in (d / sub).glob("*.js")), reverse=True)

    manifest = len(gzip.compress((d / "index.js").read_bytes(), 6))
    return manifest + sum(sizes("t")[: MAX_TERMS + 1]) + sum(sizes("d")[:10])


def _village_name(content: Path) -> str:
    import yaml

    return yaml.safe_load((content / "villages" / "cun00001" / "village.yml").read_text("utf-8"))["name"]


def run() -> Section:
    from playwright.sync_api import sync_playwright

    from testkit.synthetic import generate_county
    from tests.conftest import CHROMIUM_ARGS
    from tests.e2e.conftest import serve
    from tests.e2e.site import build_site

    sec = Section("访客搜索（issue 17：自建分片索引）", "python -m benchmarks bench_search")
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            content = Path(tmp) / f"c{n}" / "content"
            generate_county(content, n)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            site = build_site(Path(tmp) / f"b{n}", content=content)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            build_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            idx_cpu, ndocs, raw = _index_cpu(content, site.parent)
            worst = _worst_query(site)
            httpd, base = serve(site)
            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                    m = _measure(browser, site, base, _village_name(content))
                    browser.close()
            finally:
                httpd.shutdown()
                httpd.server_close()
            big = n == max(SIZES)
            sec.figures += [
                Figure(
                    f"{n} 村：首次浏览一个村页面的传输量（gzip）",
                    m["view"] / 1024,
                    "KiB",
                    "索引 0 字节",
                    m["view_index"] == 0,
                    f"其中搜索索引 {m['view_index']} 字节（改造前 2000 村 0.96 MB gzip，98 % 是索引）",
                ),
                Figure(
                    f"{n} 村：第一次搜索（村名）的传输量（gzip）",
                    m["query"] / 1024,
                    "KiB",
                    f"≤ {FIRST_QUERY_GOAL // 1000} KB" if big else "",
                    (m["query"] <= FIRST_QUERY_GOAL and m["first_ok"] == 1.0) if big else None,
                    f"{m['query_files']} 个文件；第一条结果{'正确' if m['first_ok'] else '错误'}；"
                    f"索引共 {raw / 1e6:.2f} MB（未压缩，{ndocs} 个页面）",
                ),
                Figure(
                    f"{n} 村：任何第一次搜索的上限（gzip）",
                    worst / 1024,
                    "KiB",
                    f"≤ {FIRST_QUERY_GOAL // 1000} KB" if big else "",
                    worst <= FIRST_QUERY_GOAL if big else None,
                    "清单 + 最大的 17 个词分片（一次查询最多查 16 个词 + 整词）+ 最大的 10 个页面块",
                ),
                Figure(
                    f"{n} 村：浏览器每次浏览村页面的 CPU",
                    m["cpu"],
                    "s",
                    f"≤ {CPU_GOAL} s" if big else "",
                    m["cpu"] <= CPU_GOAL if big else None,
                    f"去掉搜索脚本 {m['cpu_without']:.3f} s，比值 {m['cpu'] / m['cpu_without']:.2f}×"
                    f"（改造前 2000 村 6–7 s）",
                ),
                Figure(
                    f"{n} 村：建索引占构建的比例",
                    idx_cpu / build_cpu,
                    "×",
                    f"≤ {SHARE_GOAL}",
                    idx_cpu / build_cpu <= SHARE_GOAL,
                    f"建索引 CPU {idx_cpu:.2f} s / 构建 CPU {build_cpu:.1f} s（python -m builder build）",
                ),
            ]
    sec.notes += [
        "CPU：Chromium（Playwright）CDP Performance.getMetrics 的 TaskDuration（渲染进程主线程任务时间），"
        f"375 px 手机视口，从导航到网络空闲，{RUNS} 次取中位数；对照组把 vp-search.js 换成空文件。",
        "字节数：页面请求的每个文件按 gzip -6 压缩后计（服务器压缩传输时的量）；测试服务器本身不压缩。",
        "合成县由 testkit.synthetic 生成（没有照片）；索引的分片数随县的大小翻倍，单个分片的大小不随县增长。",
    ]
    return sec
