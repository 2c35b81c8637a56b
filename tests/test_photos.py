"""Photo galleries (issue #4): the pipeline, cache, diagnostics and HTML."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path

import pytest
from PIL import Image
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from test_photos_helpers import (
    SLUG,
    VILLAGE_NAME,
    build_photos,
    identifying_exif,
    jpeg_bytes,
    photo_diags,
    scene,
    set_gallery,
    srgb_icc,
)

from builder.photos import pipeline
from builder.photos.html import base_for, picture_html
from builder.photos.produce import PhotoIndex
from builder.photos.settings import PhotoSettings


def _line_of(vfile: Path, needle: str) -> int:
    for i, line in enumerate(vfile.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def _open(path: str) -> Image.Image:
    im = Image.open(path)
    im.load()
    return im


# ------------------------------------------------------------------------------------------
# derivatives, privacy, orientation
def test_derivatives_widths_formats_and_sizes(sample_copy, tmp_path):
    set_gallery(
        sample_copy,
        {
            "big.jpg": jpeg_bytes(scene(2400, 1600)),
            "mid.jpg": jpeg_bytes(scene(1200, 900)),
            "small.png": _png(scene(300, 200)),
            "tall.jpg": jpeg_bytes(scene(1200, 2000)),
            # stored landscape, shown portrait (EXIF orientation 6)
            "turned.jpg": jpeg_bytes(scene(1200, 2000).transpose(Image.Transpose.ROTATE_90), exif=identifying_exif(6)),
        },
    )
    ctx, files, diags = build_photos(sample_copy, tmp_path / "cache")
    assert not photo_diags(diags)
    idx = ctx.derived.get(PhotoIndex).entries[SLUG]
    expect = {
        "photos/big.jpg": [(480, 320), (960, 640), (1600, 1067)],
        # 1600 would upscale: the original width is the largest
        "photos/mid.jpg": [(480, 360), (960, 720), (1200, 900)],
        "photos/small.png": [(300, 200)],
        # portrait: each size bounds the long side, here the height
        "photos/tall.jpg": [(288, 480), (576, 960), (960, 1600)],
        "photos/turned.jpg": [(288, 480), (576, 960), (960, 1600)],
    }
    by_path = {f.path: f for f in files}
    for file, sizes in expect.items():
        e = idx[file]
        assert [(d.width, d.height) for d in e.derivatives] == sizes
        for d in e.derivatives:
            assert d.webp.startswith(f"assets/photos/{SLUG}/") and d.webp.endswith(f"-{d.width}.webp")
            for site_path, fmt in ((d.webp, "WEBP"), (d.jpg, "JPEG")):
                im = _open(by_path[site_path].abs_src_path)
                assert im.format == fmt and im.size == (d.width, d.height)
    assert len(files) == 2 * (3 + 3 + 1 + 3 + 3)
    assert sorted(f.path for f in files)[0] == f"assets/photos/{SLUG}/big-1600.jpg"


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def test_identifying_exif_removed_icc_kept(sample_copy, tmp_path):
    icc = srgb_icc()
    src = jpeg_bytes(
        scene(1000, 700),
        exif=identifying_exif(),
        icc=icc,
        comment="拍摄者 王建国 13800000001",
        xmp=b"<x:xmpmeta><exif:GPSLatitude>35,34N</exif:GPSLatitude></x:xmpmeta>",
    )
    assert 0x8825 in Image.open(io.BytesIO(src)).getexif()  # the source does carry GPS
    set_gallery(sample_copy, {"gps.jpg": src})
    _ctx, files, _diags = build_photos(sample_copy, tmp_path / "cache")
    assert files
    for f in files:
        raw = Path(f.abs_src_path).read_bytes()
        im = _open(f.abs_src_path)
        assert 0x8825 not in im.getexif() and len(im.getexif()) == 0, f.path
        assert "exif" not in im.info and "xmp" not in im.info and "comment" not in im.info
        for secret in (b"SN-1234567890", b"MAKERNOTE", "王建国".encode(), b"Xiaomi", b"GPSLatitude", b"13800000001"):
            assert secret not in raw, (f.path, secret)
        assert im.info.get("icc_profile") == icc, f.path


@pytest.mark.parametrize("orientation", range(1, 9))
def test_all_eight_exif_orientations(sample_copy, tmp_path, orientation):
    """A picture stored rotated/flipped with orientation n comes out upright."""
    upright = scene(800, 500)
    # The inverse of what a viewer does for each orientation.
    store = {
        1: lambda i: i,
        2: lambda i: i.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        3: lambda i: i.transpose(Image.Transpose.ROTATE_180),
        4: lambda i: i.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        5: lambda i: i.transpose(Image.Transpose.TRANSPOSE),
        6: lambda i: i.transpose(Image.Transpose.ROTATE_90),
        7: lambda i: i.transpose(Image.Transpose.TRANSVERSE),
        8: lambda i: i.transpose(Image.Transpose.ROTATE_270),
    }[orientation]
    ex = Image.Exif()
    ex[0x0112] = orientation
    set_gallery(sample_copy, {"o.jpg": jpeg_bytes(store(upright), exif=ex)})
    ctx, _files, _ = build_photos(sample_copy, tmp_path / "cache")
    e = ctx.derived.get(PhotoIndex).entries[SLUG]["photos/o.jpg"]
    assert (e.width, e.height) == (800, 500)
    out = _open(e.sources[e.largest.jpg]).convert("RGB")
    assert out.size == (800, 500)
    assert _mean_diff(out, upright) < 6
    if orientation != 1:  # the comparison can fail: the stored pixels differ
        stored = store(upright)
        if stored.size == upright.size:
            assert _mean_diff(stored, upright) > 20


def _mean_diff(a: Image.Image, b: Image.Image) -> float:
    from PIL import ImageChops, ImageStat

    b = b.convert("RGB").resize(a.size)
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b)).mean) / 3


def test_modes_are_converted(tmp_path):
    s = PhotoSettings()
    cases = {
        "cmyk": Image.new("CMYK", (40, 30), (0, 255, 255, 0)),
        "p": Image.new("P", (40, 30), 3),
        "la": Image.new("LA", (40, 30), (100, 128)),
        "i16": Image.new("I;16", (40, 30), 40000),
        "l": Image.new("L", (40, 30), 77),
        "1": Image.new("1", (40, 30), 1),
        "rgba": Image.new("RGBA", (40, 30), (10, 20, 30, 100)),
    }
    for name, im in cases.items():
        buf = io.BytesIO()
        im.save(buf, "TIFF")
        meta, files = pipeline.render(buf.getvalue(), PhotoSettings(formats=("tif",)), ".tif")
        out = Image.open(io.BytesIO(files["40.jpg"]))
        assert out.mode == "RGB", name
        webp = Image.open(io.BytesIO(files["40.webp"]))
        assert webp.mode in ("RGB", "RGBA"), name
        if name == "i16":  # 16-bit data scaled, not clipped to white
            assert 150 <= out.getpixel((5, 5))[0] <= 160
        if name == "cmyk":
            r, g, b = out.getpixel((5, 5))
            assert r > 200 and g < 60 and b < 60  # C=0 M=Y=full: red
        if name in ("la", "rgba"):
            assert meta["alpha"] and webp.mode == "RGBA"
    assert s.widths == (480, 960, 1600)


def test_placeholder_colour_and_preview(sample_copy, tmp_path):
    set_gallery(sample_copy, {"blue.jpg": jpeg_bytes(Image.new("RGB", (900, 600), (30, 60, 200)))})
    ctx, _, _ = build_photos(sample_copy, tmp_path / "cache")
    e = ctx.derived.get(PhotoIndex).entries[SLUG]["photos/blue.jpg"]
    r, g, b = (int(e.color[i : i + 2], 16) for i in (1, 3, 5))
    assert abs(r - 30) < 8 and abs(g - 60) < 8 and abs(b - 200) < 8
    assert e.lqip.startswith("data:image/webp;base64,")
    tiny = Image.open(io.BytesIO(base64.b64decode(e.lqip.split(",", 1)[1])))
    assert tiny.size == (16, 11)
    assert len(e.lqip) < 400


def test_output_is_deterministic(sample_copy, tmp_path):
    set_gallery(
        sample_copy,
        {f"p{i}.jpg": jpeg_bytes(scene(1700, 1000, seed=i), exif=identifying_exif(6)) for i in range(3)}
        | {"a.png": _png(scene(500, 400).convert("RGBA"))},
    )
    _, f1, _ = build_photos(sample_copy, tmp_path / "c1", photos_workers=1)
    _, f2, _ = build_photos(sample_copy, tmp_path / "c2", photos_workers=2)  # pool: other scheduling
    b1 = {f.path: f.read_bytes() for f in f1}
    b2 = {f.path: f.read_bytes() for f in f2}
    # rotated 1000 px wide: 480, 960, 1000 (×2 formats); the png: 480, 500
    assert b1 == b2 and len(b1) == 3 * 3 * 2 + 2 * 2


# ------------------------------------------------------------------------------------------
# cache
def test_cache_warm_one_changed_quality_changed(sample_copy, tmp_path):
    photos = {f"p{i}.jpg": jpeg_bytes(scene(700, 500, seed=i)) for i in range(4)}
    set_gallery(sample_copy, photos)
    cache = tmp_path / "cache"
    ctx, files, _ = build_photos(sample_copy, cache)
    assert ctx.derived.get(PhotoIndex).stats.processed == 4
    ctx, files2, _ = build_photos(sample_copy, cache)
    st = ctx.derived.get(PhotoIndex).stats
    assert (st.processed, st.cached) == (0, 4)
    assert [f.abs_src_path for f in files2] == [f.abs_src_path for f in files]
    # change one photo's bytes
    (sample_copy / "villages" / SLUG / "photos" / "p2.jpg").write_bytes(jpeg_bytes(scene(700, 500, seed=42)))
    ctx, _, _ = build_photos(sample_copy, cache)
    st = ctx.derived.get(PhotoIndex).stats
    assert (st.processed, st.cached) == (1, 3)
    # change the quality: everything again
    ctx, _, _ = build_photos(sample_copy, cache, photos_quality=60)
    st = ctx.derived.get(PhotoIndex).stats
    assert (st.processed, st.cached) == (4, 0)
    # widths also count
    ctx, _, _ = build_photos(sample_copy, cache, photos_quality=60, photos_widths="320,640")
    assert ctx.derived.get(PhotoIndex).stats.processed == 4


def test_prune_removes_only_unused(sample_copy, tmp_path):
    from builder.photos.cli import prune
    from builder.pipeline import check

    photos = {f"p{i}.jpg": jpeg_bytes(scene(600, 400, seed=i)) for i in range(3)}
    set_gallery(sample_copy, photos)
    cache = tmp_path / "cache"
    build_photos(sample_copy, cache)
    build_photos(sample_copy, cache, photos_quality=50)  # 3 entries for another setting

    def entries():
        return sorted(p.name for p in (cache / "photos").glob("??/*"))

    assert len(entries()) == 6
    # drop p1 from the village and build again: its entry and the quality-50 ones are unused
    set_gallery(sample_copy, {k: v for k, v in photos.items() if k != "p1.jpg"})
    build_photos(sample_copy, cache)
    content, _ = check(sample_copy, sample_copy.parent)
    removed, kept = prune(content, PhotoSettings(), cache / "photos")
    assert kept == 2 and len(removed) == 4
    ctx, _, _ = build_photos(sample_copy, cache)
    assert ctx.derived.get(PhotoIndex).stats.processed == 0  # what is used survived
    assert len(entries()) == 2


def test_prune_keeps_what_the_last_build_used(sample_copy, tmp_path):
    """A build configured elsewhere (mkdocs.yml options) is not pruned by a
    prune that runs with the default settings."""
    from builder.photos.cli import prune
    from builder.pipeline import check

    set_gallery(sample_copy, {"a.jpg": jpeg_bytes(scene(400, 300))})
    cache = tmp_path / "cache"
    build_photos(sample_copy, cache)
    build_photos(sample_copy, cache, photos_quality=55)
    content, _ = check(sample_copy, sample_copy.parent)
    removed, kept = prune(content, PhotoSettings(), cache / "photos")
    assert (len(removed), kept) == (0, 2)
    ctx, _, _ = build_photos(sample_copy, cache, photos_quality=55)
    assert ctx.derived.get(PhotoIndex).stats.processed == 0


def test_prune_command(sample_copy, tmp_path):
    from tests.conftest import run_cli

    set_gallery(sample_copy, {"a.jpg": jpeg_bytes(scene(500, 300))})
    cache = tmp_path / "cache"
    build_photos(sample_copy, cache)
    stale = cache / "photos" / "ab" / ("ab" + "0" * 62)
    stale.mkdir(parents=True)
    (stale / "meta.json").write_text("{}")
    r = run_cli("photos", "prune", "--content", str(sample_copy), "--cache", str(cache), cwd=sample_copy.parent)
    assert r.returncode == 0, r.stderr
    assert "已删除 1 项，保留 1 项" in r.stdout
    assert not stale.exists()


# ------------------------------------------------------------------------------------------
# bad photos
def test_truncated_photo_stops_build_with_located_message(sample_copy, tmp_path):
    good = jpeg_bytes(scene(600, 400))
    bad = jpeg_bytes(scene(900, 700, seed=3))[:5000]
    vfile = set_gallery(sample_copy, {"ok.jpg": good, "cut.jpg": bad})
    ctx, _files, diags = build_photos(sample_copy, tmp_path / "cache")
    [d] = photo_diags(diags)
    assert d.is_error and d.code == "photo-corrupt"
    assert d.file.endswith(f"villages/{SLUG}/village.yml")
    assert d.line == _line_of(vfile, "photos/cut.jpg")
    assert VILLAGE_NAME in d.message and "photos/cut.jpg" in d.message and "不完整" in d.message
    assert diags.has_errors
    assert "photos/ok.jpg" in ctx.derived.get(PhotoIndex).entries[SLUG]  # the others are still done


def test_skip_option_leaves_photo_out_with_warning(sample_copy, tmp_path, monkeypatch):
    bad = b"\xff\xd8\xff\xe0" + b"garbage" * 50
    set_gallery(sample_copy, {"ok.jpg": jpeg_bytes(scene(600, 400)), "bad.jpg": bad})
    for how in ("option", "env"):
        opts = {"photos_on_error": "skip"} if how == "option" else {}
        if how == "env":
            monkeypatch.setenv("VILLAGES_PHOTOS_ON_ERROR", "skip")
        ctx, files, diags = build_photos(sample_copy, tmp_path / f"cache-{how}", **opts)
        [d] = photo_diags(diags)
        assert not d.is_error and "photos/bad.jpg" in d.message and "跳过" in d.message
        assert not [x for x in diags if x.is_error]
        assert set(ctx.derived.get(PhotoIndex).entries[SLUG]) == {"photos/ok.jpg"}
        assert picture_html(ctx, SLUG, "photos/bad.jpg", alt="a", caption="b") == ""
        assert not any("bad-" in f.path for f in files)


def test_decompression_bomb_is_an_error(sample_copy, tmp_path):
    set_gallery(sample_copy, {"huge.png": _png(Image.new("RGB", (400, 300)))})
    _, files, diags = build_photos(sample_copy, tmp_path / "cache", photos_max_pixels=100_000)
    [d] = photo_diags(diags)
    assert d.code == "photo-bomb" and d.is_error and "photos/huge.png" in d.message
    assert not files
    # between the limit and twice the limit Pillow only warns: still an error here
    meta_err = None
    try:
        pipeline.render(_png(Image.new("L", (400, 300))), PhotoSettings(max_pixels=100_000), ".png")
    except pipeline.PhotoError as exc:
        meta_err = exc.kind
    assert meta_err == "bomb"


def test_real_decompression_bomb_file(tmp_path):
    # 14000×14000 one-bit PNG: a few kB on disk, 196 Mpx decoded.
    im = Image.new("1", (14000, 14000))
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    assert len(buf.getvalue()) < 200_000
    with pytest.raises(pipeline.PhotoError) as ei:
        pipeline.render(buf.getvalue(), PhotoSettings(), ".png")
    assert ei.value.kind == "bomb"


def test_only_configured_formats_are_opened(sample_copy, tmp_path, monkeypatch):
    bmp = io.BytesIO()
    scene(300, 200).save(bmp, "BMP")
    gif_as_jpg = io.BytesIO()
    scene(300, 200).convert("P").save(gif_as_jpg, "GIF")
    vfile = set_gallery(sample_copy, {"a.bmp": bmp.getvalue(), "b.jpg": gif_as_jpg.getvalue()})
    _, files, diags = build_photos(sample_copy, tmp_path / "cache")
    ds = {d.line: d for d in photo_diags(diags)}
    a, b = ds[_line_of(vfile, "photos/a.bmp")], ds[_line_of(vfile, "photos/b.jpg")]
    assert a.code == b.code == "photo-format"
    assert "BMP" in a.message and "GIF" in b.message and VILLAGE_NAME in b.message
    assert not files
    # allowed when configured (env: seen by check and build alike)
    monkeypatch.setenv("VILLAGES_PHOTOS_FORMATS", "jpg,bmp,gif")
    ctx, files, diags = build_photos(sample_copy, tmp_path / "cache")
    assert not photo_diags(diags) and len(ctx.derived.get(PhotoIndex).entries[SLUG]) == 2


def test_check_reports_formats(sample_copy, monkeypatch):
    from builder.pipeline import check

    set_gallery(sample_copy, {"a.tif": b"II*\x00" + b"\x00" * 100, "b.jpg": jpeg_bytes(scene(100, 80))})
    _, diags = check(sample_copy, sample_copy.parent)
    [d] = photo_diags(diags)
    assert d.code == "photo-format" and "photos/a.tif" in d.message and d.line > 0


def _heic(im: Image.Image) -> bytes:
    import pillow_heif

    buf = io.BytesIO()
    pillow_heif.from_pillow(im).save(buf, quality=80)
    return buf.getvalue()


def test_heic_accepted(sample_copy, tmp_path):
    set_gallery(sample_copy, {"iphone.heic": _heic(scene(640, 480))})
    ctx, _files, diags = build_photos(sample_copy, tmp_path / "cache")
    assert not photo_diags(diags)
    e = ctx.derived.get(PhotoIndex).entries[SLUG]["photos/iphone.heic"]
    assert [d.width for d in e.derivatives] == [480, 640]
    out = _open(e.sources[e.largest.jpg])
    assert out.size == (640, 480) and _mean_diff(out, scene(640, 480)) < 8


def test_heic_rejected_when_disabled(sample_copy, tmp_path, monkeypatch):
    from builder.pipeline import check

    set_gallery(sample_copy, {"iphone.heic": _heic(scene(300, 200)), "disguised.jpg": _heic(scene(300, 200))})
    _, files, diags = build_photos(sample_copy, tmp_path / "cache", photos_heic=False)
    ds = photo_diags(diags)
    assert {d.code for d in ds} == {"photo-heic"} and len(ds) == 2
    assert all("兼容性最佳" in d.hint and "heif-convert" in d.hint for d in ds)
    assert not files
    monkeypatch.setenv("VILLAGES_PHOTOS_HEIC", "0")
    _, diags = check(sample_copy, sample_copy.parent)
    assert len([d for d in diags if d.code == "photo-heic"]) == 2


def test_missing_and_unreferenced_photos_reported(sample_copy, tmp_path):
    vfile = set_gallery(sample_copy, {"there.jpg": jpeg_bytes(scene(200, 100)), "gone.jpg": None})
    (sample_copy / "villages" / SLUG / "photos" / "extra.jpg").write_bytes(jpeg_bytes(scene(200, 100)))
    ctx, _files, diags = build_photos(sample_copy, tmp_path / "cache")
    [missing] = [d for d in diags if d.code == "missing-photo"]
    assert missing.is_error and missing.line == _line_of(vfile, "photos/gone.jpg")
    assert "photos/gone.jpg" in missing.message
    [extra] = [d for d in diags if d.code == "unreferenced-photo"]
    assert not extra.is_error and extra.file.endswith("photos/extra.jpg")
    assert set(ctx.derived.get(PhotoIndex).entries[SLUG]) == {"photos/there.jpg"}


def test_all_reference_kinds_are_processed(sample_copy, tmp_path):
    import yaml

    vfile = set_gallery(
        sample_copy,
        {
            "g.jpg": jpeg_bytes(scene(300, 200, 1)),
            "logo.png": _png(scene(200, 200, 2)),
            "h.jpg": jpeg_bytes(scene(300, 200, 3)),
            "ev.jpg": jpeg_bytes(scene(300, 200, 4)),
        },
        entries=[{"file": "photos/g.jpg", "caption": "说明"}],
    )
    data = yaml.safe_load(vfile.read_text("utf-8"))
    data["brand"]["logo"] = "photos/logo.png"
    data["highlights"][0]["photo"] = "photos/h.jpg"
    next(iter(next(iter(data["assessments"].values()))["items"].values()))["photos"] = ["photos/ev.jpg"]
    vfile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    ctx, _, diags = build_photos(sample_copy, tmp_path / "cache")
    assert not [d for d in diags if d.is_error]
    assert set(ctx.derived.get(PhotoIndex).entries[SLUG]) == {
        "photos/g.jpg",
        "photos/logo.png",
        "photos/h.jpg",
        "photos/ev.jpg",
    }


# ------------------------------------------------------------------------------------------
# pool, watchdog, progress
def _jobs(tmp_path, n=3):
    paths = []
    for i in range(n):
        p = tmp_path / f"p{i}.jpg"
        p.write_bytes(jpeg_bytes(scene(300, 200, seed=i)))
        paths.append(p)
    return paths


@pytest.mark.slow
def test_worker_timeout_and_hang_and_crash_cost_one_photo(tmp_path):
    paths = _jobs(tmp_path, 4)
    dbg = {"sleep": {"p1.jpg": 30, "p2.jpg": 600}, "block_alarm": ["p2.jpg"], "crash": ["p3.jpg"]}
    s = PhotoSettings(workers=2, timeout=1, extra={"debug": dbg})
    res, st = pipeline.process_all(paths, s, tmp_path / "cache")
    kinds = {p.name: m.get("kind", "ok") for p, (k, m) in res.items()}
    # p1: SIGALRM in the worker; p2 ignores it and is killed by the watchdog; p3 kills its process.
    assert kinds == {"p0.jpg": "ok", "p1.jpg": "timeout", "p2.jpg": "timeout", "p3.jpg": "crash"}
    assert st.processed == 4 and st.failed == 3
    # transient failures are not cached: the next run tries them again
    res, st = pipeline.process_all(paths, PhotoSettings(workers=2), tmp_path / "cache")
    assert st.cached == 1 and st.processed == 3 and st.failed == 0


def test_progress_in_build_log(sample_copy, tmp_path, caplog):
    set_gallery(sample_copy, {f"p{i}.jpg": jpeg_bytes(scene(300, 200, seed=i)) for i in range(3)})
    seen = []
    from builder.photos.produce import log

    with caplog.at_level(logging.INFO, logger=log.name):
        build_photos(sample_copy, tmp_path / "cache", photos_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert "照片处理 3/3" in caplog.text


def test_bad_settings_are_reported(sample_copy, tmp_path):
    set_gallery(sample_copy, {"a.jpg": jpeg_bytes(scene(300, 200))})
    _, files, diags = build_photos(sample_copy, tmp_path / "cache", photos_quality=500)
    [d] = [d for d in diags if d.code == "bad-value"]
    assert "photos_quality" in d.message and not files


# ------------------------------------------------------------------------------------------
# HTML
def test_picture_html(sample_copy, tmp_path):
    set_gallery(sample_copy, {"dang qun.jpg": jpeg_bytes(scene(2000, 1000))})
    ctx, _, _ = build_photos(sample_copy, tmp_path / "cache")
    caption = '党群服务中心 "新" <script>alert(1)</script>'
    html = picture_html(ctx, SLUG, "photos/dang qun.jpg", alt="替代 & 文字", caption=caption)
    tree = HTMLParser(html)
    assert not tree.css("script")
    a = tree.css_first("a.glightbox")
    assert a.attributes["href"] == f"../../assets/photos/{SLUG}/dang-qun-1600.jpg"
    # GLightbox shows data-title with innerHTML: the attribute holds the
    # caption escaped once more, so the lightbox shows it as text.
    import html as _html

    assert a.attributes["data-title"] == _html.escape(caption, quote=True)
    assert "<script" not in a.attributes["data-title"]
    src = tree.css_first("picture > source")
    assert src.attributes["type"] == "image/webp"
    assert [c.rsplit(" ", 1)[1] for c in src.attributes["srcset"].split(", ")] == ["480w", "960w", "1600w"]
    img = tree.css_first("picture > img")
    assert img.attributes["alt"] == "替代 & 文字"
    assert (img.attributes["width"], img.attributes["height"]) == ("1600", "800")
    assert img.attributes["loading"] == "lazy" and img.attributes["decoding"] == "async"
    assert img.attributes["sizes"] == "(max-width: 600px) 100vw, 50vw"
    assert len(tree.css("a.glightbox")) == 1 and "class" not in img.attributes
    assert re.match(r"background:#[0-9a-f]{6} url\(data:image/webp;base64,[A-Za-z0-9+/=]+\)", img.attributes["style"])
    for url in [img.attributes["src"]] + [c.split(" ")[0] for c in img.attributes["srcset"].split(", ")]:
        assert url.startswith("../../assets/photos/") and url.endswith(".jpg")
    eager = HTMLParser(
        picture_html(ctx, SLUG, "photos/dang qun.jpg", alt="", caption="c", eager=True, lightbox=False, base="../")
    )
    assert not eager.css("a") and "loading" not in eager.css_first("img").attributes
    assert eager.css_first("img").attributes["alt"] == "c"
    assert eager.css_first("img").attributes["src"].startswith("../assets/")
    assert picture_html(ctx, SLUG, "photos/nothere.jpg", alt="a", caption="b") == ""


def test_base_for_pages():
    assert base_for("villages/x.md", True) == "../../"
    assert base_for("villages/x.md", False) == "../"
    assert base_for("index.md", True) == ""
    assert base_for("compare/shitiao.md", True) == "../../"
    assert base_for("compare/index.md", True) == "../"


def test_photo_index_is_derived_before_any_page_is_produced(sample_copy, tmp_path):
    """Pages read the photo index from the derive phase, which ends before
    the first page is produced: no producer order to get wrong."""
    from builder.features import FEATURES
    from builder.photos.feature import FEATURE
    from testkit.pipeline import built

    assert FEATURE in FEATURES
    set_gallery(sample_copy, {"a.jpg": jpeg_bytes(scene(600, 400))})
    _, derived, diags = built(sample_copy, cache_dir=tmp_path / "cache", photos_workers=1)
    assert not diags.has_errors, diags.format("text")
    assert set(derived.get(PhotoIndex).entries[SLUG]) == {"photos/a.jpg"}


@pytest.mark.slow
def test_sample_content_photos_all_publish(sample_copy, tmp_path):
    ctx, files, diags = build_photos(sample_copy, tmp_path / "cache", only=None, photos_workers=2)
    assert not photo_diags(diags) and not [d for d in diags if d.code == "missing-photo"]
    # every photo file once (the county cover is one of the village photos: published twice, processed once)
    n = sum(len(v) for slug, v in ctx.derived.get(PhotoIndex).entries.items() if slug != "_site")
    assert n == ctx.derived.get(PhotoIndex).stats.total and n > 0
    assert all(Path(f.abs_src_path).is_file() for f in files)
    for f in files:  # the sample's phone-like photos carry EXIF; nothing of it is published
        im = Image.open(f.abs_src_path)
        assert len(im.getexif()) == 0 and "xmp" not in im.info, f.path


def test_unusable_cache_is_a_diagnostic_not_a_traceback(sample_copy, tmp_path):
    set_gallery(sample_copy, {"a.jpg": jpeg_bytes(scene(300, 200))})
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    _ctx, files, diags = build_photos(sample_copy, blocker)
    [d] = [d for d in diags if d.code == "io-error"]
    assert d.is_error and "照片缓存" in d.message and not files


def test_oversized_file_is_not_read(sample_copy, tmp_path, monkeypatch):
    big, small = jpeg_bytes(scene(600, 400)), jpeg_bytes(scene(100, 80))
    set_gallery(sample_copy, {"big.jpg": big, "small.jpg": small})
    monkeypatch.setattr(pipeline, "MAX_FILE_BYTES", len(big) - 1)
    ctx, _files, diags = build_photos(sample_copy, tmp_path / "cache")
    [d] = photo_diags(diags)
    assert d.code == "photo-bomb" and "photos/big.jpg" in d.message
    assert set(ctx.derived.get(PhotoIndex).entries[SLUG]) == {"photos/small.jpg"}


# ------------------------------------------------------------------------------------------
# encoder settings of pipeline v5 (bench_photos measures their speed)
def test_encoder_settings_and_cache_key(monkeypatch):
    from PIL import JpegImagePlugin

    from builder.photos import settings as settings_mod

    data = jpeg_bytes(scene(2000, 1200, seed=7), exif=identifying_exif(1))
    timings: dict[str, float] = {}
    meta, files = pipeline.render(data, PhotoSettings(), ".jpg", timings=timings)
    # the per-stage CPU hook sees every stage and does not change the output
    assert set(timings) == {"decode", "orient+convert", "resize", "webp", "jpeg", "placeholder"}
    assert all(v >= 0 for v in timings.values())
    assert pipeline.render(data, PhotoSettings(), ".jpg")[1] == files
    assert [d["w"] for d in meta["derivatives"]] == [480, 960, 1600]
    for d in meta["derivatives"]:
        jpg = Image.open(io.BytesIO(files[d["jpg"]]))
        assert jpg.size == (d["w"], d["h"])
        assert JpegImagePlugin.get_sampling(jpg) == 2  # 4:2:0
        assert not jpg.info.get("progressive") and "exif" not in jpg.info
        webp = Image.open(io.BytesIO(files[d["webp"]]))
        assert webp.size == (d["w"], d["h"]) and "exif" not in webp.info
    # another WebP effort gives other bytes, so it is part of the cache key …
    base = PhotoSettings().fingerprint()
    assert PhotoSettings(webp_method=2).fingerprint() != base
    assert pipeline.render(data, PhotoSettings(webp_method=2), ".jpg")[1]["1600.webp"] != files["1600.webp"]
    # … and so is the pipeline version (bumped when the output changes)
    monkeypatch.setattr(settings_mod, "_FINGERPRINTS", {})
    monkeypatch.setattr(settings_mod, "PIPELINE_VERSION", settings_mod.PIPELINE_VERSION + 1)
    assert PhotoSettings().fingerprint() != base


# ------------------------------------------------------------------------------------------
# decoding JPEGs at a reduced scale (libjpeg-turbo's n/8 DCT scaling via simplejpeg)
def _psnr(a: Image.Image, b: Image.Image) -> float:
    import math

    from PIL import ImageChops, ImageStat

    st = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB")))
    mse = sum(st.sum2) / (3 * a.width * a.height)
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def _textured(w: int, h: int) -> Image.Image:
    """scene() plus fine detail, so that a poor resampler would show."""
    from PIL import ImageChops

    noise = Image.effect_noise((w, h), 15).convert("RGB")
    return ImageChops.add(scene(w, h), noise, scale=1.0, offset=-15)


@pytest.mark.parametrize("orientation", [1, 6, 3])
def test_large_jpeg_decoded_at_dct_scale_and_faithful(monkeypatch, orientation):
    upright = _textured(2560, 1600)
    stored = {
        1: upright,
        3: upright.transpose(Image.Transpose.ROTATE_180),
        6: upright.transpose(Image.Transpose.ROTATE_90),
    }[orientation]
    ex = Image.Exif()
    ex[0x0112] = orientation
    data = jpeg_bytes(stored, exif=ex, quality=92)
    calls = []
    real = pipeline._jpeg_scaled_decode

    def spy(*a):
        im = real(*a)
        calls.append(im.size)
        return im

    monkeypatch.setattr(pipeline, "_jpeg_scaled_decode", spy)
    meta, files = pipeline.render(data, PhotoSettings(), ".jpg")
    # 2,560 → 1,600 is 5/8: the decoder gives exactly the largest derivative
    assert calls == [(1600, 1000) if orientation != 6 else (1000, 1600)]
    assert (meta["width"], meta["height"]) == (2560, 1600)
    assert [(d["w"], d["h"]) for d in meta["derivatives"]] == [(480, 300), (960, 600), (1600, 1000)]
    # as close to an ideal resize (full decode, Lanczos) as Pillow's own path
    plain_meta, plain = pipeline.render(data, PhotoSettings(extra={"dct_scale": False}), ".jpg")
    assert plain_meta["derivatives"] == meta["derivatives"]
    for d in meta["derivatives"]:
        for name in (d["webp"], d["jpg"]):
            out = Image.open(io.BytesIO(files[name]))
            ideal = upright.resize(out.size, Image.Resampling.LANCZOS)
            fast, slow = _psnr(out, ideal), _psnr(Image.open(io.BytesIO(plain[name])), ideal)
            assert fast > 25 and fast >= slow - 0.5, (name, fast, slow)
            assert _mean_diff(out, upright) < 8  # upright, not turned or flipped


def test_dct_scale_covers_grey_and_leaves_cmyk_to_pillow(monkeypatch):
    calls = []
    real = pipeline._jpeg_scaled_decode
    monkeypatch.setattr(pipeline, "_jpeg_scaled_decode", lambda *a: calls.append(a[1]) or real(*a))
    for mode in ("L", "CMYK"):
        im = scene(2000, 1250).convert(mode)
        meta, files = pipeline.render(jpeg_bytes(im), PhotoSettings(), ".jpg")
        assert [(d["w"], d["h"]) for d in meta["derivatives"]] == [(480, 300), (960, 600), (1600, 1000)]
        out = Image.open(io.BytesIO(files["1600.jpg"])).convert("RGB")
        assert _mean_diff(out, im.convert("RGB")) < 6
    assert calls == ["L"]  # CMYK went through Pillow (draft mode)


def test_jpeg_the_scaled_decoder_refuses_falls_back_to_pillow():
    good = jpeg_bytes(scene(2000, 1250))
    i = good.index(b"\xff\xdb")
    # stray bytes before a marker: libjpeg warns ("extraneous bytes"), strict
    # simplejpeg refuses, Pillow decodes it as before
    odd = good[:i] + b"\x00\x00" + good[i:]
    assert pipeline._jpeg_scaled_decode(odd, "RGB", (1600, 1000)) is None
    meta, _files = pipeline.render(odd, PhotoSettings(), ".jpg")
    assert meta["derivatives"][-1]["w"] == 1600
    # a truncated large JPEG is still reported as truncated/corrupt, never a traceback
    with pytest.raises(pipeline.PhotoError) as err:
        pipeline.render(good[: len(good) // 2], PhotoSettings(), ".jpg")
    assert err.value.kind in ("truncated", "corrupt")
