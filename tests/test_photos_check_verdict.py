"""check is the build's verdict on photos (issue 12): every reason the build
refuses a photo is found by check too, with the same code at the same line;
the decode check is cached, so a second check decodes nothing."""

from __future__ import annotations

import io
import re
import zipfile

from PIL import Image
from test_photos_helpers import SLUG, build_photos, jpeg_bytes, scene, set_gallery

from builder.kernel.build import Options
from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import check


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    return buf.getvalue()


def _bomb_png() -> bytes:
    # a tiny file that says it is 20,000 × 20,000 (400 megapixels, over the 89 MP limit)
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    return buf.getvalue()


BROKEN = {
    "empty.jpg": b"",
    "text.jpg": "这不是照片，是一段文字。\n".encode(),
    "archive.jpg": _zip(),
    "drawing.jpg": b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>',
    "cut.jpg": jpeg_bytes(scene(640, 480))[:2000],
    "bomb.png": _bomb_png(),
}


def _photo_codes(diags) -> dict[int, str]:
    return {d.line: d.code for d in diags if d.code.startswith("photo-")}


def _lines(vfile) -> dict[str, int]:
    out = {}
    for i, line in enumerate(vfile.read_text("utf-8").splitlines(), 1):
        m = re.match(r"\s*- file: photos/(.+)$", line)
        if m:
            out[m.group(1)] = i
    return out


def test_check_refuses_what_the_build_refuses(sample_copy, tmp_path):
    vfile = set_gallery(sample_copy, {**BROKEN, "good.jpg": jpeg_bytes(scene(800, 600))})
    lines = _lines(vfile)
    _, check_diags = check(sample_copy, sample_copy.parent, Options(cache_dir=tmp_path / "check-cache"))
    by_check = _photo_codes(check_diags)
    assert set(by_check) == {lines[n] for n in BROKEN}, check_diags.format("text")  # all broken, not good.jpg
    # the build alone (its own fresh cache and diagnostics), compared case by case
    content, _ = check(sample_copy, sample_copy.parent, Options(cache_dir=tmp_path / "other-check-cache"))
    content.villages = {SLUG: content.villages[SLUG]}
    from builder.photos.produce import derive_photos

    build_diags = Diagnostics()
    derive_photos(content, Options({"photos_workers": 1}, cache_dir=tmp_path / "build-cache", build=True), build_diags)
    assert _photo_codes(build_diags) == by_check
    assert by_check[lines["bomb.png"]] == "photo-bomb"
    assert by_check[lines["cut.jpg"]] == "photo-corrupt"


def test_a_second_check_decodes_nothing(sample_copy, tmp_path, monkeypatch):
    set_gallery(sample_copy, {"cut.jpg": jpeg_bytes(scene(640, 480))[:2000], "good.jpg": jpeg_bytes(scene(800, 600))})
    opts = Options(cache_dir=tmp_path / "cache")
    _, first = check(sample_copy, sample_copy.parent, opts)
    import builder.photos.pipeline as pipeline

    def no_decoding(*_a, **_k):
        raise AssertionError("decoded again although nothing changed")

    monkeypatch.setattr(pipeline, "verify_file", no_decoding)
    _, second = check(sample_copy, sample_copy.parent, opts)
    assert _photo_codes(second) == _photo_codes(first) and _photo_codes(first)


def test_check_reuses_the_build_cache(sample_copy, tmp_path, monkeypatch):
    """After a build, check reads the build's verdicts instead of decoding."""
    set_gallery(sample_copy, {"good.jpg": jpeg_bytes(scene(800, 600))})
    build_photos(sample_copy, tmp_path / "cache")
    import builder.photos.pipeline as pipeline

    decoded: list[str] = []
    real = pipeline.verify_file
    monkeypatch.setattr(pipeline, "verify_file", lambda path, s: decoded.append(str(path)) or real(path, s))
    (tmp_path / "cache" / "photos" / "verdicts.json").unlink(missing_ok=True)
    _, diags = check(sample_copy, sample_copy.parent, Options(cache_dir=tmp_path / "cache"))
    assert not _photo_codes(diags)
    assert decoded  # the other villages' photos were not built: check decoded those
    assert not [p for p in decoded if p.endswith(f"{SLUG}/photos/good.jpg")]
