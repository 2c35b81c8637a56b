"""Generate the sample villages' photos (reproducible illustrations).

Reads every content/villages/*/village.yml and draws a small ~800x600 JPEG for
each photos/... file its gallery, highlights, brand logo or assessments name,
so the sample site has real pictures without shipping anyone's photographs.
The scene is chosen from the file name (dangqun = service centre, caiyuan =
vegetable plots, ...). A few files get EXIF on purpose so the photo pipeline
has something to handle: an Orientation tag (rotated) and fake GPS + camera
metadata (must be stripped before publishing).

    .venv/bin/python scripts/make_sample_photos.py [--content content] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

W, H = 800, 600

# Files that carry EXIF for the photo pipeline to deal with.
ORIENTED = {("wangjiazhuang", "photos/caiwa.jpg"): 6, ("baishui", "photos/jifen.jpg"): 8}
WITH_GPS = {("wangjiazhuang", "photos/zhutidangri.jpg")}


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def sky(d: ImageDraw.ImageDraw, r: random.Random, horizon: int) -> None:
    top = (110 + r.randint(-20, 20), 170 + r.randint(-20, 20), 230)
    for y in range(horizon):
        t = y / max(horizon, 1)
        d.line([(0, y), (W, y)], fill=tuple(int(c + (255 - c) * t * 0.6) for c in top))
    cx = r.randint(80, W - 80)
    d.ellipse([cx - 35, 50, cx + 35, 120], fill=(255, 236, 150))
    for _ in range(r.randint(1, 3)):
        x, y = r.randint(0, W - 160), r.randint(30, max(40, horizon - 120))
        for k in range(3):
            d.ellipse([x + k * 40, y, x + k * 40 + 80, y + 40], fill=(250, 250, 252))


def ground(d, r, horizon, colour):
    d.rectangle([0, horizon, W, H], fill=colour)


def hills(d, r, horizon):
    for k in range(3):
        x0 = r.randint(-200, W)
        g = 120 + 25 * k
        d.polygon([(x0 - 250, horizon), (x0, horizon - r.randint(60, 140)), (x0 + 250, horizon)], fill=(70, g, 80))


def building(d, r, x, y, w, h, wall=(235, 225, 205), roof=(170, 40, 40), flag=True):
    d.rectangle([x, y, x + w, y + h], fill=wall, outline=(120, 110, 100))
    d.polygon([(x - 12, y), (x + w // 2, y - h // 3), (x + w + 12, y)], fill=roof)
    for i in range(1, 4):
        wx = x + i * w // 4 - 15
        d.rectangle([wx, y + h // 4, wx + 30, y + h // 4 + 35], fill=(150, 190, 220), outline=(90, 90, 90))
    d.rectangle([x + w // 2 - 22, y + h - 70, x + w // 2 + 22, y + h], fill=(120, 70, 40))
    d.rectangle([x + 20, y + 8, x + w - 20, y + 30], fill=(200, 30, 30))  # red banner
    if flag:
        px = x + w + 40
        d.line([(px, y + h), (px, y - 120)], fill=(90, 90, 90), width=5)
        d.polygon([(px, y - 120), (px + 70, y - 100), (px, y - 80)], fill=(220, 20, 30))


def rows(d, r, horizon, colour, film=False):
    for k in range(14):
        y = horizon + 10 + k * (H - horizon) // 14
        d.rectangle([0, y, W, y + 10 + k], fill=(30, 30, 35) if film else colour)
        if not film:
            for x in range(r.randint(0, 30), W, 45):
                d.ellipse([x, y - 8, x + 18 + k, y + 8], fill=(50, 140 + r.randint(0, 40), 60))


def trees(d, r, horizon, n=6, willow=False):
    for _ in range(n):
        x = r.randint(20, W - 40)
        y = horizon + r.randint(-10, 40)
        d.rectangle([x, y - 60, x + 10, y], fill=(110, 80, 50))
        if willow:
            for k in range(7):
                d.line([(x + 5, y - 90), (x - 30 + k * 12, y - 20)], fill=(90, 170, 80), width=4)
        else:
            d.ellipse([x - 30, y - 120, x + 40, y - 50], fill=(60, 140 + r.randint(0, 50), 60))


def people(d, r, y, n=8):
    for _ in range(n):
        x = r.randint(60, W - 60)
        c = r.choice([(200, 40, 40), (40, 70, 150), (60, 60, 60), (230, 180, 60)])
        d.ellipse([x - 10, y - 70, x + 10, y - 50], fill=(240, 200, 170))
        d.rectangle([x - 14, y - 50, x + 14, y], fill=c)


def river(d, r, horizon):
    pts = [(0, horizon + 60)]
    for x in range(0, W + 1, 100):
        pts.append((x, horizon + 60 + r.randint(-20, 20)))
    pts += [(W, H), (0, H)]
    d.polygon(pts, fill=(90, 150, 200))


def scene(name: str, key: str) -> Image.Image:
    r = _rng(key)
    img = Image.new("RGB", (W, H), (200, 220, 240))
    d = ImageDraw.Draw(img)
    horizon = r.randint(250, 320)
    sky(d, r, horizon)
    hills(d, r, horizon)
    stem = Path(name).stem
    if stem in ("piandai",):
        ground(d, r, horizon, (150, 120, 80))
        rows(d, r, horizon, (0, 0, 0), film=True)
    elif stem in ("caiwa", "caiyuan", "huajiao", "taoyuan"):
        ground(d, r, horizon, (160, 130, 90))
        rows(d, r, horizon, (140, 110, 70))
        if stem == "caiwa":
            people(d, r, H - 60, 6)
        if stem in ("huajiao", "taoyuan"):
            trees(d, r, horizon + 80, 8)
    elif stem in ("liuan", "youyuan"):
        ground(d, r, horizon, (110, 170, 90))
        river(d, r, horizon) if stem == "liuan" else None
        trees(d, r, horizon + 30, 7, willow=(stem == "liuan"))
    elif stem in ("cunrong", "xiang", "tingyuan", "nongjiale"):
        ground(d, r, horizon, (190, 185, 170))
        for k in range(r.randint(3, 4)):
            building(d, r, 40 + k * 190, horizon - 60, 150, 120, roof=(90, 90, 110), flag=False)
        trees(d, r, horizon + 120, 4)
    elif stem in ("huodong", "huiyi", "zhutidangri", "jifen", "chengnuo", "zhongxinhu", "daiban"):
        d.rectangle([0, 0, W, H], fill=(245, 238, 225))
        d.rectangle([60, 40, W - 60, 200], fill=(190, 25, 30))  # banner / wall
        d.rectangle([W // 2 - 40, 70, W // 2 + 40, 170], fill=(250, 215, 60))
        d.rectangle([0, 420, W, H], fill=(170, 120, 80))  # floor / table
        people(d, r, 470, 10)
    elif stem == "yangzhi":
        ground(d, r, horizon, (170, 150, 100))
        building(d, r, 80, horizon - 40, 300, 100, roof=(80, 80, 80), flag=False)
        for _ in range(12):
            x, y = r.randint(40, W - 80), r.randint(horizon + 80, H - 40)
            d.ellipse([x, y, x + 60, y + 35], fill=(245, 245, 240))
            d.ellipse([x + 50, y - 5, x + 70, y + 15], fill=(60, 60, 60))
    else:  # dangqun and anything else: the service centre
        ground(d, r, horizon, (200, 195, 180))
        building(d, r, 180, horizon - 80, 380, 180)
        trees(d, r, horizon + 150, 3)
    # a little noise so JPEG sizes are realistic
    for _ in range(3000):
        x, y = r.randrange(W), r.randrange(H)
        px = img.getpixel((x, y))
        img.putpixel((x, y), tuple(max(0, min(255, c + r.randint(-25, 25))) for c in px))
    return img


def referenced(data: dict) -> list[str]:
    out: list[str] = []
    for ph in data.get("gallery") or []:
        out.append(ph.get("file"))
    for h in data.get("highlights") or []:
        out.append(h.get("photo"))
    out.append((data.get("brand") or {}).get("logo"))
    for a in (data.get("assessments") or {}).values():
        for ia in (a.get("items") or {}).values():
            out += list((ia or {}).get("photos") or [])
    seen, result = set(), []
    for f in out:
        if f and f.startswith("photos/") and f not in seen:
            seen.add(f)
            result.append(f)
    return result


def save(img: Image.Image, path: Path, slug: str, rel: str) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "Demo-1"  # Model
    exif[0x0132] = "2024:05:10 09:30:00"  # DateTime
    orientation = ORIENTED.get((slug, rel))
    if orientation:
        # Store the pixels rotated the way a phone would, with the tag that undoes it.
        img = img.transpose(Image.Transpose.ROTATE_90 if orientation == 6 else Image.Transpose.ROTATE_270)
        exif[0x0112] = orientation
    if (slug, rel) in WITH_GPS:
        gps = exif.get_ifd(0x8825)
        gps[1] = "N"
        gps[2] = (35.0, 34.0, 16.5)
        gps[3] = "E"
        gps[4] = (104.0, 38.0, 30.2)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=72, optimize=True, exif=exif.tobytes())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", default=str(Path(__file__).resolve().parent.parent / "content"))
    ap.add_argument("--force", action="store_true", help="overwrite existing photos")
    args = ap.parse_args(argv)
    made = 0
    for vfile in sorted(Path(args.content).glob("villages/*/village.yml")):
        slug = vfile.parent.name
        data = yaml.safe_load(vfile.read_text(encoding="utf-8")) or {}
        for rel in referenced(data):
            dst = vfile.parent / rel
            if dst.exists() and not args.force:
                continue
            save(scene(rel, f"{slug}/{rel}"), dst, slug, rel)
            made += 1
    print(f"wrote {made} photos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
