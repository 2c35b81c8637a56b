"""Helpers for the photo tests: put photos into a village's gallery in a
private copy of the sample content, and run the photo producer."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import yaml
from PIL import Image, ImageCms, ImageDraw

from builder.kernel.build import BuildContext
from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import check
from testkit.synthetic import strip_news_photos, strip_photo_references

SLUG = "wangjiazhuang"
VILLAGE_NAME = "王家庄村"


def set_gallery(
    content_dir: Path, photos: dict[str, bytes | Path | None], slug: str = SLUG, entries: list[dict] | None = None
) -> Path:
    """Replace the village's photos/ folder by `photos` (name → bytes, a file
    to copy, or None for "referenced but not there") and its gallery by one
    entry per photo; other photo references are removed. Returns village.yml."""
    vdir = content_dir / "villages" / slug
    vfile = vdir / "village.yml"
    data = strip_photo_references(yaml.safe_load(vfile.read_text("utf-8")))
    shutil.rmtree(vdir / "photos", ignore_errors=True)
    (vdir / "photos").mkdir()
    gallery = []
    for name, src in photos.items():
        (vdir / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, Path):
            shutil.copyfile(src, vdir / "photos" / name)
        elif src is not None:
            (vdir / "photos" / name).write_bytes(src)
        gallery.append({"file": f"photos/{name}", "caption": f"说明 {name}"})
    data["gallery"] = entries if entries is not None else gallery
    vfile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), "utf-8")
    strip_news_photos(content_dir)  # news items show gallery photos: they name none any more
    # only these photos: the county cover (site.yml cover:, another village's photo) is left out
    site = content_dir / "site.yml"
    site.write_text(re.sub(r"(?m)^cover:.*\n", "", site.read_text("utf-8")), "utf-8")
    return vfile


def build_photos(content_dir: Path, cache: Path, only: str | None = SLUG, **options):
    """check + the photo feature's derive and produce steps (for the village
    `only`; None: all villages). Returns (ctx, generated files, diagnostics);
    the index is ctx.derived.get(PhotoIndex)."""
    from builder.kernel.build import Derived, Options
    from builder.photos.produce import derive_photos, produce

    options.setdefault("photos_workers", 1)
    # check with the build's photo settings: its verdicts then agree with the build's
    content, checked = check(content_dir, content_dir.parent, Options(dict(options), cache_dir=Path(cache)))
    # check judged every village's photos under these settings; keep what it
    # said about the village under test (and everything not about a photo)
    diags = Diagnostics(
        d for d in checked if not only or not d.code.startswith("photo-") or f"/villages/{only}/" in f"/{d.file}"
    )
    if only:
        content.villages = {only: content.villages[only]}
    opts = Options(dict(options), cache_dir=Path(cache), build=True)
    derived = Derived(opts)
    derived.put(derive_photos(content, opts, diags))
    ctx = BuildContext(content, diags, derived)
    files = list(produce(ctx))
    return ctx, files, diags


def photo_diags(diags: Diagnostics, prefix: str = "photo-") -> list:
    return [d for d in diags if d.code.startswith(prefix)]


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def scene(w: int = 1200, h: int = 800, seed: int = 0) -> Image.Image:
    """A photo-like test picture with an asymmetric mark (top-left red block)."""
    im = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    r = Image.radial_gradient("L").resize((w, h))
    im = Image.merge("RGB", (im.getchannel(0), r, Image.new("L", (w, h), 90 + seed % 100)))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w // 4, h // 5], fill=(220, 20, 20))
    d.ellipse([w // 2, h // 2, w // 2 + w // 6, h // 2 + h // 6], fill=(20, 200, 40))
    return im


def jpeg_bytes(im: Image.Image, exif: Image.Exif | None = None, icc: bytes | None = None, **kw) -> bytes:
    buf = io.BytesIO()
    args = {"quality": 90}
    if exif is not None:
        args["exif"] = exif
    if icc:
        args["icc_profile"] = icc
    args.update(kw)
    im.save(buf, "JPEG", **args)
    return buf.getvalue()


def identifying_exif(orientation: int = 1) -> Image.Exif:
    ex = Image.Exif()
    ex[0x010F] = "Xiaomi"  # Make
    ex[0x0110] = "Redmi Note 12"  # Model
    ex[0x013B] = "王建国"  # Artist
    ex[0x8298] = "王建国 版权所有"  # Copyright
    ex[0x0112] = orientation
    ifd = ex.get_ifd(0x8769)  # Exif IFD
    ifd[0xA431] = "SN-1234567890"  # BodySerialNumber
    ifd[0xA430] = "王建国"  # CameraOwnerName
    ifd[0x927C] = b"MAKERNOTE-SECRET"
    gps = ex.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (35.0, 34.0, 16.32)
    gps[3] = "E"
    gps[4] = (104.0, 38.0, 30.48)
    return ex
