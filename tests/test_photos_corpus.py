"""Every file of ../shared/corpora/pillow-test-images through the photo
pipeline, inside one village's gallery (issue #4, "Safety")."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from test_photos_helpers import SLUG, VILLAGE_NAME, build_photos, set_gallery

from builder.photos.pipeline import _icc_space
from builder.photos.produce import PhotoIndex

pytestmark = pytest.mark.slow

ALL_FORMATS = "jpg,jpeg,png,webp,gif,tif,tiff,bmp,heic,heif,avif"
WIDTHS = (480, 960, 1600)
PROBLEM_CODES = {"photo-format", "photo-heic", "photo-bomb", "photo-corrupt", "photo-timeout", "io-error"}


@pytest.fixture(scope="module")
def corpus(shared_dir) -> Path:
    d = shared_dir / "corpora" / "pillow-test-images"
    if not d.is_dir():
        pytest.skip("pillow-test-images corpus not present")
    return d


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory):
    """The corpus as one village's gallery (photos/<path in corpus>), built
    twice with cold caches: the process pool on all cores, then in-process."""
    from tests.conftest import CONTENT

    base = tmp_path_factory.mktemp("corpus")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    vfile = set_gallery(content, {f: corpus / f for f in files})
    with pytest.MonkeyPatch.context() as mp:
        # open as many decoders as we can; env, so that check agrees with the build
        mp.setenv("VILLAGES_PHOTOS_FORMATS", ALL_FORMATS)
        mp.setenv("VILLAGES_PHOTOS_ON_ERROR", "skip")
        pool = build_photos(content, base / "cache-pool", photos_workers=0)
        inproc = build_photos(content, base / "cache-inproc", photos_workers=1)
    lines = {}
    for i, line in enumerate(vfile.read_text("utf-8").splitlines(), 1):
        m = re.match(r"\s*- file: (.+)$", line)
        if m:
            lines[m.group(1).strip("'\"")] = i
    return {"files": files, "pool": pool, "inproc": inproc, "lines": lines, "corpus": corpus, "content": content}


def test_corpus_is_complete(runs):
    assert len(runs["files"]) >= 727


def test_each_file_published_or_rejected_cleanly(runs):
    ctx, _gen, diags = runs["pool"]
    index = ctx.derived.get(PhotoIndex).entries.get(SLUG, {})
    by_line: dict[int, list] = {}
    for d in diags:
        if d.code in PROBLEM_CODES:
            by_line.setdefault(d.line, []).append(d)
    published = rejected = 0
    for f in runs["files"]:
        ref = f"photos/{f}"
        ds = by_line.get(runs["lines"][ref], [])
        if ref in index:
            assert not ds, (f, ds)
            published += 1
        else:
            assert len(ds) == 1, (f, ds)
            d = ds[0]
            assert d.file.endswith(f"villages/{SLUG}/village.yml")
            assert VILLAGE_NAME in d.message and ref in d.message, d.message
            assert "Traceback" not in d.message and d.hint
            assert not d.is_error  # photos_on_error: skip → warning
            rejected += 1
    st = ctx.derived.get(PhotoIndex).stats
    assert published + rejected == len(runs["files"])
    assert published >= 600, published  # the corpus is mostly valid images
    assert st.processed + st.cached == st.total
    print(f"\ncorpus: {published} published, {rejected} rejected")


def test_check_gives_the_build_verdict_on_every_file(runs, monkeypatch):
    """check (one decode, its own verdict cache) and the build (derivatives
    in worker processes) refuse the same files with the same code at the
    same line (issue 12: check is the build's verdict)."""
    from builder.kernel.build import Options
    from builder.kernel.diagnostics import Diagnostics
    from builder.photos.produce import derive_photos
    from builder.pipeline import check

    monkeypatch.setenv("VILLAGES_PHOTOS_FORMATS", ALL_FORMATS)
    monkeypatch.setenv("VILLAGES_PHOTOS_ON_ERROR", "skip")
    content_dir = runs["content"]
    content, check_diags = check(content_dir, content_dir.parent)
    by_check = {
        (d.code, d.line) for d in check_diags if d.code in PROBLEM_CODES and d.file.endswith(f"{SLUG}/village.yml")
    }
    content.villages = {SLUG: content.villages[SLUG]}
    build_diags = Diagnostics()
    opts = Options({"photos_workers": 1}, cache_dir=content_dir.parent / "cache-inproc", build=True)
    derive_photos(content, opts, build_diags)
    by_build = {(d.code, d.line) for d in build_diags if d.code in PROBLEM_CODES}
    assert len(by_build) >= 20  # the corpus has its share of broken files
    assert by_check == by_build, (sorted(by_check - by_build), sorted(by_build - by_check))


def test_known_bad_files_get_the_right_code(runs):
    _ctx, _, diags = runs["pool"]
    codes = {}
    for d in diags:
        m = re.search(r"照片 (photos/\S+) ", d.message)
        if m and d.code in PROBLEM_CODES:
            codes[m.group(1)] = d.code
    expect = {
        "decompression_bomb.gif": "photo-bomb",
        "bmp/b/reallybig.bmp": "photo-bomb",
        "truncated_jpeg.jpg": "photo-corrupt",
        "truncated_image.png": "photo-corrupt",
        "frozenpond.mpo": "photo-format",
        "LICENSE": "photo-format",
    }
    for f, code in expect.items():
        if (runs["corpus"] / f).exists():
            assert codes.get(f"photos/{f}") == code, (f, codes.get(f"photos/{f}"))


def _outputs(runs, key="pool"):
    ctx, gen, _ = runs[key]
    return ctx.derived.get(PhotoIndex).entries[SLUG], {g.path: g for g in gen}


def test_derivatives_decode_with_right_sizes_never_upscaled(runs):
    index, gen = _outputs(runs)
    for file, e in index.items():
        widths = [d.width for d in e.derivatives]
        assert widths == sorted(set(widths))
        assert widths[-1] <= e.width and e.derivatives[-1].height <= e.height, file  # never upscaled
        # Each configured size is a box the photo fits into: the long side is
        # that size; a box the photo already fits in gives its own size, once.
        long = max(e.width, e.height)
        expect = [b for b in WIDTHS if b < long] + ([long] if long <= WIDTHS[-1] else [])
        assert [max(d.width, d.height) for d in e.derivatives] == expect, file
        for d in e.derivatives:  # the shape is kept (to rounding)
            assert abs(d.width * e.height - d.height * e.width) <= max(e.width, e.height), (file, d)
        for d in e.derivatives:
            for path, fmt in ((d.webp, "WEBP"), (d.jpg, "JPEG")):
                im = Image.open(gen[path].abs_src_path)
                im.load()
                assert im.format == fmt and im.size == (d.width, d.height), (file, path)
        assert re.fullmatch(r"#[0-9a-f]{6}", e.color)
        tiny = Image.open(io.BytesIO(base64.b64decode(e.lqip.split(",", 1)[1])))
        tiny.load()
        assert tiny.width <= 16


def test_no_output_carries_gps_or_any_exif(runs):
    index, gen = _outputs(runs)
    # the check is meaningful: corpus sources with GPS data are published
    with_gps = []
    for file in index:
        try:
            if 0x8825 in Image.open(runs["corpus"] / file[len("photos/") :]).getexif():
                with_gps.append(file)
        except Exception:
            pass
    assert "photos/exif_gps.jpg" in with_gps
    for g in gen.values():
        im = Image.open(g.abs_src_path)
        exif = im.getexif()
        assert 0x8825 not in exif and len(exif) == 0, g.path
        assert "exif" not in im.info and "xmp" not in im.info, g.path


def test_icc_profile_preserved(runs):
    index, gen = _outputs(runs)
    checked = 0
    for file, e in index.items():
        try:
            src = Image.open(runs["corpus"] / file[len("photos/") :])
            icc = src.info.get("icc_profile")
        except Exception:
            continue
        if not icc or _icc_space(icc) != "RGB" or src.mode not in ("RGB", "RGBA", "P"):
            continue
        for d in e.derivatives:
            for path in (d.webp, d.jpg):
                assert Image.open(gen[path].abs_src_path).info.get("icc_profile") == icc, path
        checked += 1
    assert checked >= 5


def _mean_diff(a, b) -> float:
    a, b = a.convert("RGB"), b.convert("RGB").resize(a.size)
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_hopper_orientations_match_hopper(runs):
    index, gen = _outputs(runs)
    ref = Image.open(gen[index["photos/hopper.jpg"].largest.jpg].abs_src_path)
    names = sorted(f for f in index if re.fullmatch(r"photos/hopper_orientation_\d\.(jpg|webp)", f))
    assert len([n for n in names if n.endswith(".jpg")]) >= 7  # orientations 2…8
    for f in names:
        e = index[f]
        out = Image.open(gen[e.largest.jpg].abs_src_path)
        assert out.size == ref.size, f
        assert _mean_diff(out, ref) < 8, f
        # and the stored pixels really are turned: the test could fail
        raw = Image.open(runs["corpus"] / f[len("photos/") :])
        assert _mean_diff(raw.convert("RGB").resize(ref.size), ref) > 15, f


def test_pool_and_in_process_give_identical_bytes(runs):
    _, gen_pool, d1 = runs["pool"]
    _, gen_one, d2 = runs["inproc"]
    a = {g.path: g.read_bytes() for g in gen_pool}
    b = {g.path: g.read_bytes() for g in gen_one}
    assert a.keys() == b.keys() and len(a) > 1000
    assert [k for k in a if a[k] != b[k]] == []
    assert [(d.line, d.code) for d in d1 if d.code in PROBLEM_CODES] == [
        (d.line, d.code) for d in d2 if d.code in PROBLEM_CODES
    ]


def test_scaled_jpeg_decode_agrees_with_pillow_on_every_corpus_jpeg(corpus, monkeypatch):
    """Every JPEG of the corpus (odd, broken and malicious ones included),
    with sizes small enough that each is decoded at a reduced DCT scale:
    the outcome (published at the same size, or rejected for the same
    reason) is the one of Pillow's own decoding, and the pixels match."""
    from builder.photos import pipeline
    from builder.photos.settings import PhotoSettings

    calls = []
    real = pipeline._jpeg_scaled_decode
    monkeypatch.setattr(pipeline, "_jpeg_scaled_decode", lambda *a: calls.append(a) or real(*a))
    fast = PhotoSettings(widths=(16, 32), formats=("jpg", "jpeg"))
    plain = PhotoSettings(widths=(16, 32), formats=("jpg", "jpeg"), extra={"dct_scale": False})
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and pipeline.sniff(p.read_bytes()[:64]) == "jpg"]
    assert len(files) >= 50
    published = 0
    for p in files:
        data = p.read_bytes()
        out = []
        for s in (fast, plain):
            try:
                meta, got = pipeline.render(data, s, ".jpg")
                out.append(("ok", meta["derivatives"], got))
            except pipeline.PhotoError as e:
                out.append(("error", e.kind, None))
        assert out[0][:2] == out[1][:2], p.name
        if out[0][0] == "ok":
            published += 1
            big = out[0][1][-1]["jpg"]
            a, b = (Image.open(io.BytesIO(o[2][big])).convert("RGB") for o in out)
            assert sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3 < 12, p.name
    assert published >= 40 and len(calls) >= 40  # the scaled decode really ran on most of them
