"""Tour pages (parsed, not grepped), the `tour` command, and the printed
itinerary: A4, at most two pages for eight stops, Chinese text in the PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from builder.pipeline import check
from builder.tours.pages import itinerary_html, produce_tours, standalone_html
from tests.conftest import run_cli

SITE = "https://portal.example.org/"
TOUR = "2025-q3-quanxian"


def generate(content: Path) -> dict[str, str]:
    from testkit.pipeline import built, context

    c, derived, d = built(content, site_url=SITE)
    files = list(produce_tours(context(c, d, derived)))
    assert all(not f.in_nav for f in files)  # tour pages stay out of the navigation
    return {f.path: f.content for f in files}


def body(md: str) -> HTMLParser:
    assert md.startswith("---\n")
    meta_end = md.index("\n---\n", 4)
    json.loads(md[4:meta_end])  # front matter is JSON (valid YAML)
    return HTMLParser(md[meta_end + 5 :])


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from tests.conftest import CONTENT

    dst = tmp_path_factory.mktemp("c") / "content"
    shutil.copytree(CONTENT, dst)
    return generate(dst)


def test_itinerary_timetable(pages):
    html = body(pages[f"tours/{TOUR}/index.md"])
    heads = [th.text(strip=True) for th in html.css("table.tour-timetable thead th")]
    assert heads[:6] == ["时间", "观摩点", "看点", "讲解人", "车程/里程", "联系人"]
    rows = html.css("table.tour-timetable tbody tr")
    kinds = [r.attributes["class"].split()[-1] for r in rows]
    assert kinds[0] == "tour-row-start" and kinds[-1] == "tour-row-end"
    assert kinds.count("tour-row-stop") == 8 and kinds.count("tour-row-lunch") == 1
    stop_rows = [r for r in rows if "tour-row-stop" in r.attributes["class"]]
    for r in stop_rows:
        link = r.css_first("td.c-name a").attributes["href"]
        assert link.startswith("../../villages/") and link.endswith("/")
        assert r.css_first("td.c-qr svg") is not None
        assert r.css_first("td.c-look li") is not None  # 看点
    # totals and notes
    totals = {
        tr.css_first("th").text(strip=True): tr.css_first("td").text(strip=True)
        for tr in html.css("table.tour-totals tr")
    }
    assert totals["观摩点"] == "8 个" and totals["总里程"].endswith("公里")
    km = sum(
        float(td.text(strip=True).split("/")[1].replace("公里", "").replace("（实测）", ""))
        for td in html.css("td.c-leg")
        if "/" in td.text()
    )
    assert f"{km:.1f} 公里" == totals["总里程"]
    assert "7:45" in html.css_first("section.tour-notes").text()


def test_phone_only_when_public(pages):
    text = body(pages[f"tours/{TOUR}/index.md"]).body.text()
    assert "13800000001" not in text  # 王建国: phone_public false
    assert "0931-0000001" in text  # 李红梅: phone_public true


def test_qr_codes_are_standard_qr_pointing_at_village_pages(pages):
    """Each stop's QR code shows the modules of the standard QR code (never
    Micro QR) of its village page's URL: read back from the SVG path."""
    from testkit.qr import segno_matrix, svg_matrix

    html = body(pages[f"tours/{TOUR}/index.md"])
    rows = html.css("tr.tour-row-stop")
    assert len(rows) == 8
    for r in rows:
        slug = r.css_first("td.c-name a").attributes["href"].split("/")[-2]
        svg = r.css_first("td.c-qr svg")
        url = SITE + f"villages/{slug}/"
        expected = segno.make_qr(url, error="m", mask=0, boost_error=False)
        assert not expected.is_micro and expected.designator.endswith("-M")
        shown = svg_matrix(svg.css_first("path").attributes["d"], border=2)
        assert shown == segno_matrix(expected)
        assert len(shown) >= 21  # Micro QR is at most 17 modules
        assert url in svg.css_first("title").text() and svg.css_first("desc").text() == url
        assert svg.attributes.get("role") == "img" and "tour-qr" in svg.attributes["class"]


def test_route_map_is_inline_svg_from_coordinates(pages):
    html = body(pages[f"tours/{TOUR}/index.md"])
    svg = html.css_first("figure.tour-map svg")
    assert svg is not None and svg.attributes.get("role") == "img"
    assert len(svg.css("line.tour-map-leg")) == 10  # start → 8 stops + lunch → end
    assert len(svg.css("circle.tour-map-stop")) == 8
    for node in html.css("[src], [href]"):
        for attr in ("src", "href"):
            v = node.attributes.get(attr) or ""
            if attr == "href" and "vp-nav-link" in (node.attributes.get("class") or ""):
                # one-tap navigation (issue 14): plain links to 高德/百度, loaded only when tapped
                assert v.startswith(("https://uri.amap.com/navigation?", "https://api.map.baidu.com/direction?")), v
                continue
            assert not v.startswith(("http:", "https:", "//")), v  # no outside tiles or links


def test_score_sheet(pages):
    html = body(pages[f"tours/{TOUR}/scoresheet.md"])
    sheets = html.css("section.tour-sheet")
    assert len(sheets) == 9  # 8 stops + summary
    first = sheets[0]
    heads = [th.text(strip=True) for th in first.css("thead th")]
    assert heads[1:] == ["指标", "测评内容", "测评方法", "分值", "得分"]
    assert len(first.css("tbody tr")) == 10 + 1  # ten standards + total
    assert "评委（签名）" in first.css_first(".tour-sign").text()
    summary = sheets[-1]
    assert "汇总" in summary.css_first("h2").text()
    assert len(summary.css("tbody tr")) == 8


def test_results_page(pages):
    html = body(pages[f"tours/{TOUR}/results.md"])
    rows = html.css("table.tour-ranking tbody tr")
    assert len(rows) == 8
    totals = [float(r.css("td")[-2].text(strip=True)) for r in rows]
    assert totals == sorted(totals, reverse=True)
    proposed = [r for r in rows if "tour-proposed" in (r.attributes.get("class") or "")]
    assert len(proposed) == 4  # top half of 8
    assert len(html.css("section.tour-publicity ol li")) == 4
    assert len(html.css("table.tour-items tbody tr")) == 10


def test_index_lists_tours_and_suggested_routes(pages):
    html = body(pages["tours/index.md"])
    hrefs = [a.attributes["href"] for a in html.css("a")]
    assert f"{TOUR}/" in hrefs and "2025-baishui-xiang/" in hrefs
    assert any(h.startswith("town-") for h in hrefs)


def test_without_tour_files_each_town_gets_a_suggested_route(sample_copy):
    shutil.rmtree(sample_copy / "tours")
    files = generate(sample_copy)
    c, _ = check(sample_copy, sample_copy.parent)
    towns = {v.model.town for v in c.villages.values() if v.model.is_designated}
    routes = [p for p in files if p.startswith("tours/town-")]
    assert len(routes) == len(towns) >= 2
    for p in routes:
        html = body(files[p])
        stops = html.css("tr.tour-row-stop")
        assert stops and all(
            c.villages[r.css_first("a").attributes["href"].split("/")[-2]].model.is_designated for r in stops
        )


def test_editor_text_is_escaped(sample_copy):
    vy = sample_copy / "villages" / "liushuwan" / "village.yml"
    text = vy.read_text(encoding="utf-8")
    vy.write_text(text.replace("name: 柳树湾村", 'name: "柳树湾<script>alert(1)</script>村"', 1), encoding="utf-8")
    tour = sample_copy / "tours" / f"{TOUR}.yml"
    t = tour.read_text(encoding="utf-8").replace("notes: |\n", "notes: |\n  <img src=x onerror=alert(2)>\n")
    tour.write_text(t, encoding="utf-8")
    files = generate(sample_copy)
    for path in (f"tours/{TOUR}/index.md", f"tours/{TOUR}/scoresheet.md", f"tours/{TOUR}/results.md"):
        html = body(files[path])
        assert not html.css("script") and not html.css("img"), path
        assert "<script>" in html.body.text() or path.endswith("results.md")


def test_tour_command_text_and_json():
    r = run_cli("tour", f"content/tours/{TOUR}.yml")
    assert r.returncode == 0, r.stderr
    assert "县委大院" in r.stdout and "合计" in r.stdout
    r = run_cli("tour", f"content/tours/{TOUR}.yml", "--format", "json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert data["method"] == "exact" and data["ok"] is True
    rows = data["rows"]
    assert sum(1 for x in rows if x["kind"] == "stop") == 8
    assert round(sum(x["leg_km"] for x in rows), 1) == data["total_km"]
    assert sum(x["leg_minutes"] for x in rows) == data["travel_minutes"]


def test_tour_command_bad_file_and_usage(tmp_path, sample_copy):
    bad = sample_copy / "tours" / "bad.yml"
    bad.write_text(
        'title: 坏\nstart: {name: A, lat: 35.5, lng: 104.6}\ndepart: "08:00"\nreturn_by: "18:00"\nstops: [nowhere]\n',
        encoding="utf-8",
    )
    r = run_cli("tour", "--content", str(sample_copy), str(bad))
    assert r.returncode == 1
    assert "bad.yml:5:" in r.stderr and "unknown-village" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_cli("tour", str(tmp_path / "missing.yml"))
    assert r.returncode == 2 and "用法错误" in r.stderr
    r = run_cli("tour")
    assert r.returncode == 2


# -- print -----------------------------------------------------------------------------------


def _pdf(browser, html: str, tmp_path: Path) -> Path:
    src = tmp_path / "page.html"
    src.write_text(html, encoding="utf-8")
    out = tmp_path / "page.pdf"
    page = browser.new_page()
    try:
        page.goto(src.as_uri())
        page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    return out


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.mark.browser
def test_printed_itinerary_is_a4_two_pages_with_chinese_text(tmp_path, browser):
    from testkit.pipeline import built, tours

    c, derived, _ = built(Path("content"), Path("."))
    e = tours(derived)[TOUR]
    assert len(e.plan.stops) == 8
    pdf = _pdf(browser, standalone_html(itinerary_html(e, c, f"tours/{TOUR}/index.md", True, SITE), e.title), tmp_path)
    info = _pdfinfo(pdf)
    w, h = (float(x) for x in info["Page size"].split("pts")[0].split("x"))
    assert abs(w - 595) < 1.5 and abs(h - 842) < 1.5  # A4 portrait in points
    assert 1 <= int(info["Pages"]) <= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("观摩", "县委大院", "柳树湾村", "讲解人", "组织者备注"):
        assert word in text
    # the header row repeats on the second page
    if int(info["Pages"]) == 2:
        p2 = subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "看点" in p2 and "联系人" in p2


@pytest.mark.browser
def test_printed_score_sheet_has_one_page_per_stop_plus_summary(tmp_path, browser):
    from builder.tours.pages import scoresheet_html
    from testkit.pipeline import built, tours

    c, derived, _ = built(Path("content"), Path("."))
    e = tours(derived)[TOUR]
    pdf = _pdf(browser, standalone_html(scoresheet_html(e, c, "../"), e.title), tmp_path)
    info = _pdfinfo(pdf)
    assert int(info["Pages"]) == 9 and "A4" in info["Page size"]


@pytest.mark.browser
@pytest.mark.slow
def test_printed_tour_page_of_the_built_site(tmp_path, browser):
    """The same page inside the MkDocs/Material site: the print CSS hides the
    site's header, navigation and footer, and it still fits two A4 pages."""
    site = tmp_path / "site"
    r = run_cli("build", "--site-dir", str(site))
    assert r.returncode == 0, r.stderr[-2000:]
    page_file = site / "tours" / TOUR / "index.html"
    assert page_file.exists()
    out = tmp_path / "site.pdf"
    page = browser.new_page()
    phone = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(page_file.as_uri())
        page.pdf(path=str(out), prefer_css_page_size=True)
        # a phone: no horizontal scrolling on any tour page
        for rel in ("index.html", f"{TOUR}/index.html", f"{TOUR}/scoresheet/index.html", f"{TOUR}/results/index.html"):
            phone.goto((site / "tours" / rel).as_uri())
            sw, cw = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert sw <= cw, (rel, sw, cw)
    finally:
        page.close()
        phone.close()
    info = _pdfinfo(out)
    assert "A4" in info["Page size"] and 1 <= int(info["Pages"]) <= 2
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "柳树湾村" in text and "行程安排" in text
    assert "Material for MkDocs" not in text  # footer hidden
    html = page_file.read_text(encoding="utf-8")
    assert "展示门户" in html and "展示门户" not in text  # the header with the site name is hidden
