"""The photo pipeline: one source photo → responsive, private derivatives.

For each photo: open it with only the configured Pillow formats, treat the
decompression-bomb limit as an error, decode (a large JPEG straight at the
smallest n/8 DCT scale that still covers the largest derivative, see
_jpeg_scaled_decode; other formats with Pillow), apply the EXIF orientation,
convert any mode to RGB(A) (with the ICC profile when colour spaces differ),
then write WebP and JPEG at the configured sizes (each a box for the long
side, never upscaled: derivative_sizes) with NO EXIF/XMP/comments at all but
the RGB ICC profile kept, plus a tiny placeholder (average colour and a 16-px
WebP preview as a data: URI).

Knobs in PhotoSettings.extra, for tests and bench_photos only (not part of
the documented options): dct_scale=False decodes with Pillow alone (draft
mode 1/2, 1/4, 1/8), draft_gap=g decodes at least g × the largest size.

Results live in an on-disk cache keyed by sha256(settings fingerprint +
source bytes); :func:`process_all` fills it in parallel (one process per
core), with a per-photo timeout and a watchdog so a hanging or crashing
decoder costs one photo, never the build.

A cache that cannot be written (disk full, read-only, no permission) is a
fault of the machine, not of a photo: process_all raises one OSError naming
the cache folder, and no half-written entry stays behind (an entry is built
in a temporary folder and renamed into place; the temporary folder is
removed on any failure).

Worker processes (and the fork server that starts them) die with their
parent (Linux prctl PR_SET_PDEATHSIG): a build killed with SIGKILL leaves no
process behind, and the resource tracker, which exits once the last holder
of its pipe is gone, follows.

Source photos are opened with O_NOFOLLOW and must be regular files (the
loaders already refuse symlinks; this is defence in depth).

Everything here is plain Python; diagnostics are made by produce.py.
"""

from __future__ import annotations

import base64
import concurrent.futures as cf
import contextlib
import errno
import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.kernel.atomic import write_file
from builder.kernel.loading.textfile import SAFE_OPEN_FLAGS
from builder.photos.settings import HEIC_EXTS, PhotoSettings

if TYPE_CHECKING:
    from types import FrameType

log = logging.getLogger("builder.photos")

META = "meta.json"
# No photo file is read beyond this size (a phone photo is < 50 MB).
MAX_FILE_BYTES = 256 * 1024 * 1024
# Hard limits of the output formats (WebP: 16383 px a side; JPEG: 65535).
WEBP_MAX = 16383


class PhotoError(Exception):
    """A photo that cannot be published. kind is one of: format, heic,
    bomb, truncated, corrupt, dimensions, timeout, crash, io."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class _Timeout(BaseException):
    pass


# ------------------------------------------------------------------------------------------
# format sniffing (cheap; used by validate.py too)
def sniff(head: bytes) -> str | None:
    """The real format of a file from its first bytes, as a lower-case
    extension-like name (jpg, png, webp, gif, bmp, tif, heic, avif), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tif"
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, min(len(head), 64) - 3, 4)}
        if brands & {b"avif", b"avis"}:
            return "avif"
        if brands & {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}:
            return "heic"
    return None


# ------------------------------------------------------------------------------------------
# the pure image transformation
def _scaled_height(w: int, W: int, H: int) -> int:
    return max(1, round(w * H / W))


def derivative_sizes(W: int, H: int, bounds: Iterable[int]) -> list[tuple[int, int]]:
    """(width, height) of each derivative of a W×H photo, smallest first.

    Each configured size b is a b×b box the photo is scaled to fit, so the
    long side is b: a landscape photo gets width b, a portrait one height b
    (as photo sites size their "large" images; a 1600-wide portrait would be
    2,100–2,850 px tall, more than any screen shows in the lightbox, and
    1.8–3× the pixels to make and to download). A box the photo already fits
    gives the photo's own size, once: never upscaled."""
    out: list[tuple[int, int]] = []
    for b in sorted(set(bounds)):
        if max(W, H) <= b:
            out.append((W, H))
            break
        out.append((b, _scaled_height(b, W, H)) if W >= H else (_scaled_height(b, H, W), b))
    return out


_TRANSPOSE = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # EXIF orientation → Image.Transpose


def _orientation(im) -> int:
    """The EXIF orientation (1–8; 1 when missing or unreadable), the same
    value ImageOps.exif_transpose would use."""
    try:
        o = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1
    return o if 1 <= o <= 8 else 1


def _upright(im, orientation: int):
    from PIL import Image

    if orientation in _TRANSPOSE:
        return im.transpose(Image.Transpose(_TRANSPOSE[orientation]))
    return im


def _jpeg_scaled_decode(data: bytes, mode: str, least: tuple[int, int]):
    """Decode a JPEG with libjpeg-turbo's DCT scaling at the smallest of its
    scale factors n/8 (n = 1…8) that still gives at least `least` pixels, or
    None when simplejpeg cannot decode it strictly (then Pillow decodes it
    and reports what is wrong).

    Why not Pillow: its draft mode only asks libjpeg for 1/2, 1/4 and 1/8,
    and a 2,560-px photo → 1,600 px needs 5/8. Scaling inside the IDCT
    costs less than decoding at full size and then resampling (bench_photos:
    the whole pipeline ≈ 25 % less CPU) and is as close to an ideal Lanczos
    resize (PSNR of the published files within a few tenths of a dB)."""
    import simplejpeg
    from PIL import Image

    try:
        arr = simplejpeg.decode_jpeg(
            data, "RGB" if mode == "RGB" else "GRAY", min_width=least[0], min_height=least[1], strict=True
        )
    except (ValueError, RuntimeError, MemoryError):
        return None
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    return Image.fromarray(arr)


def _icc_space(icc: bytes | None) -> str | None:
    if not icc:
        return None
    try:
        from PIL import ImageCms

        return ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except Exception:
        return None


def _to_8bit(im):
    """I;16*, I, F → L with a sensible scale (16-bit data → /256)."""
    if im.mode.startswith("I;16"):
        im = im.convert("I")
    lo, hi = im.getextrema()
    if lo >= 0 and hi <= 255:
        return im.convert("L")
    if im.mode == "I" and lo >= 0 and hi <= 65535:
        return im.point(lambda v: v / 256).convert("L")
    span = (hi - lo) or 1
    return im.point(lambda v: (v - lo) * 255.0 / span).convert("L")


def normalise_mode(im, icc: bytes | None):
    """Return (image in RGB or RGBA, ICC profile to embed or None)."""

    space = _icc_space(icc)
    mode = im.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        im, mode = _to_8bit(im), "L"
    if mode == "CMYK":
        if space == "CMYK":
            assert icc is not None  # the profile's colour space was read from it
            try:
                from PIL import ImageCms

                im = ImageCms.profileToProfile(
                    im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
                return im, None
            except Exception:
                pass
        return im.convert("RGB"), None
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode in ("P", "L", "RGB", "1") and "transparency" in im.info
    )
    if has_alpha:
        im = im.convert("RGBA")
        a_lo, _ = im.getchannel("A").getextrema()
        if a_lo == 255:
            im = im.convert("RGB")
    elif mode != "RGB":
        im = im.convert("RGB")
    # An ICC profile is kept only when it describes RGB data.
    return im, (icc if space == "RGB" else None)


def _flatten(im):
    from PIL import Image

    if im.mode == "RGBA":
        bg = Image.new("RGB", im.size, (255, 255, 255))
        bg.paste(im, mask=im.getchannel("A"))
        return bg
    return im


def render(
    data: bytes,
    settings: PhotoSettings,
    ext: str = "",
    timings: dict[str, float] | None = None,
    verify_only: bool = False,
) -> tuple[dict, dict[str, bytes]]:
    """Decode one photo and make every derivative, in memory.

    Returns (meta, files) where files maps "480.webp"/"480.jpg"… to bytes.
    Raises PhotoError for anything that cannot be published.
    timings: when given, CPU seconds per stage are added to it (decode,
    orient+convert, resize, webp, jpeg, placeholder); bench_photos uses it.
    """
    from PIL import Image

    ext = ext.lower().lstrip(".")
    if ext and not settings.accepts_ext(ext):
        raise PhotoError("heic" if ext in HEIC_EXTS else "format", ext)
    real = sniff(data[:64])
    if real == "heic" and not settings.heic:
        raise PhotoError("heic", "heic")
    if settings.heic and any(f in settings.formats for f in HEIC_EXTS):
        _register_heif()
    Image.init()  # load every plugin so that formats= can name them
    formats = [f for f in settings.pil_formats() if f in Image.OPEN]
    old_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # decoder chatter; real problems raise
            # A decompression bomb is an error, not a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _render(data, settings, formats, real, _Clock(timings), verify_only)
    except PhotoError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoError("bomb", str(exc)) from None
    except Image.UnidentifiedImageError:
        if real and settings.accepts_real(real):  # a format we take, but unreadable
            raise PhotoError("corrupt", f"unidentified {real} data") from None
        raise PhotoError("format", real or "unknown") from None
    except MemoryError:
        raise PhotoError("bomb", "out of memory") from None
    except _Timeout:
        raise
    except Exception as exc:  # any decoder failure: corrupt or truncated data
        msg = f"{type(exc).__name__}: {exc}"
        if "truncated" in msg.lower() or isinstance(exc, EOFError) or "premature end" in msg.lower():
            raise PhotoError("truncated", msg) from None
        raise PhotoError("corrupt", msg) from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit


class _Clock:
    """Adds the CPU time since the previous lap to timings[stage] (no-op without timings)."""

    def __init__(self, timings: dict[str, float] | None):
        self.t = timings
        self.last = time.process_time() if timings is not None else 0.0

    def lap(self, stage: str) -> None:
        if self.t is not None:
            now = time.process_time()
            self.t[stage] = self.t.get(stage, 0.0) + now - self.last
            self.last = now


def _render(
    data: bytes, s: PhotoSettings, formats: list[str], real: str | None, clock: _Clock, verify_only: bool = False
):
    from PIL import Image

    im = Image.open(io.BytesIO(data), formats=formats)
    W0, H0 = im.size
    if W0 < 1 or H0 < 1:
        raise PhotoError("corrupt", f"size {W0}x{H0}")
    if s.max_pixels < W0 * H0:
        raise PhotoError("bomb", f"{W0}x{H0} > {s.max_pixels}")
    orientation = _orientation(im)
    swapped = orientation in (5, 6, 7, 8)
    W, H = (H0, W0) if swapped else (W0, H0)  # as the photo will be shown
    sizes = derivative_sizes(W, H, s.widths)
    icc = im.info.get("icc_profile")
    src_format = im.format
    # Decode no larger than needed: at least `gap` × the largest derivative
    # (the same idea as Image.thumbnail's reducing_gap; 1.0 by default, the
    # resampling below then starts from at least the target size).
    gap = float(s.extra.get("draft_gap", 1.0))
    least = (max(1, int(sizes[-1][0] * gap)), max(1, int(sizes[-1][1] * gap)))
    if swapped:
        least = (least[1], least[0])  # in the stored (not yet rotated) orientation
    if verify_only:
        # check's verdict (builder/photos/validate.py): the whole file decoded
        # with the same limits, so anything the build would refuse is found
        im.load()
        if max(max(w, h) for w, h in sizes) > WEBP_MAX:
            raise PhotoError("dimensions", f"{W}x{H}")
        return {"ok": True}, {}
    shrink_jpeg = least[0] < W0 and least[1] < H0 and src_format in ("JPEG", "MPO")
    scaled = None
    if shrink_jpeg and im.mode in ("RGB", "L") and s.extra.get("dct_scale", True):
        scaled = _jpeg_scaled_decode(data, im.mode, least)
    if scaled is not None:
        im = scaled
    else:
        if shrink_jpeg and im.mode in ("RGB", "L", "CMYK"):
            im.draft(None, least)  # 1/2, 1/4, 1/8 (CMYK, or what simplejpeg refused)
        im.load()
    clock.lap("decode")
    im = _upright(im, orientation)
    im, icc = normalise_mode(im, icc)
    clock.lap("orient+convert")
    im.info = {}  # nothing of the source's metadata (EXIF, XMP, comments) travels on
    W, H = im.size  # smaller than the original after a scaled decode, never below sizes[-1]
    files: dict[str, bytes] = {}
    derivs = []
    src = im
    for w, h in reversed(sizes):
        if max(w, h) > WEBP_MAX:
            raise PhotoError("dimensions", f"{W}x{H}")
        # Bicubic with a reducing gap: for these ≤ 2× steps (plus a box pre-reduce on
        # larger ones) indistinguishable from Lanczos (mean difference < 0.1/255)
        # at about 60 % of its cost.
        d = src if (w, h) == src.size else src.resize((w, h), Image.Resampling.BICUBIC, reducing_gap=2.0)
        d.info = {}
        clock.lap("resize")
        files[f"{w}.webp"] = _encode(d, "WEBP", s, icc)
        clock.lap("webp")
        files[f"{w}.jpg"] = _encode(_flatten(d), "JPEG", s, icc)
        clock.lap("jpeg")
        derivs.append({"w": w, "h": h, "webp": f"{w}.webp", "jpg": f"{w}.jpg"})
        src = d  # cascade: each smaller size from the previous one
    derivs.reverse()
    orig_w, orig_h = (H0, W0) if swapped else (W0, H0)
    meta = {
        "ok": True,
        "width": orig_w,
        "height": orig_h,
        "derivatives": derivs,
        "alpha": im.mode == "RGBA",
        "icc": bool(icc),
        "source_format": src_format,
        "orientation": orientation,
    }
    meta.update(_placeholder(src, s))
    clock.lap("placeholder")
    return meta, files


def _encode(im, fmt: str, s: PhotoSettings, icc: bytes | None) -> bytes:
    buf = io.BytesIO()
    if fmt == "WEBP":
        im.save(buf, "WEBP", quality=s.quality, method=s.webp_method, icc_profile=icc or "", exif=b"", xmp=b"")
    else:
        # Standard Huffman tables, 4:2:0: optimize=True would make the JPEG
        # fallback (served only to browsers without WebP) 4 % smaller for 1.8×
        # its encoding CPU (bench_photos, pipeline v5). Not progressive: the
        # placeholder covers loading, and progressive encoding costs 2×.
        im.save(buf, "JPEG", quality=s.quality, optimize=False, subsampling="4:2:0", icc_profile=icc or None, exif=b"")
    return buf.getvalue()


def _placeholder(im, s: PhotoSettings) -> dict:
    from PIL import Image

    rgb = _flatten(im)
    r, g, b = rgb.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    pw = min(s.placeholder_width, rgb.width)
    ph = min(4 * s.placeholder_width, _scaled_height(pw, rgb.width, rgb.height))
    tiny = rgb.resize((pw, ph), Image.Resampling.BOX)
    buf = io.BytesIO()
    tiny.save(buf, "WEBP", quality=40, method=6, exif=b"", xmp=b"")
    return {
        "color": f"#{r:02x}{g:02x}{b:02x}",
        "lqip": "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii"),
    }


_HEIF_DONE = False


def _register_heif() -> None:
    global _HEIF_DONE
    if not _HEIF_DONE:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _HEIF_DONE = True


# ------------------------------------------------------------------------------------------
# the cache
def entry_key(fingerprint: str, source_sha: str) -> str:
    return hashlib.sha256(f"{fingerprint}\n{source_sha}".encode()).hexdigest()


def entry_dir(cache_root: Path, key: str) -> Path:
    return Path(cache_root) / key[:2] / key


def read_entry(cache_root: Path, key: str) -> dict | None:
    """The entry's meta, or None when there is none. Entries appear by an
    atomic rename of a complete folder, so a readable meta.json means every
    file listed in it is there."""
    try:
        with open(os.path.join(cache_root, key[:2], key, META), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


_SOURCE_FLAGS = SAFE_OPEN_FLAGS  # as the content readers: never a link, never blocking on a FIFO


class NotAPhotoFile(OSError):
    """The source is a symlink, a folder, a FIFO or a device: never read."""


def open_source(path: Path | str):
    """Open a source photo for reading: never through a symbolic link
    (O_NOFOLLOW), never a FIFO/device/folder (fstat S_ISREG; O_NONBLOCK so a
    FIFO cannot block the open). Returns a binary file object."""
    try:
        fd = os.open(path, _SOURCE_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise NotAPhotoFile(errno.ELOOP, "symlink", str(path)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAPhotoFile(errno.EINVAL, "not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_problem(exc: OSError) -> str:
    """A source photo that cannot be read, in Chinese (for messages.py's io)."""
    if isinstance(exc, NotAPhotoFile):
        if exc.errno == errno.ELOOP:
            return "它是一个符号链接（快捷方式），门户只发布内容文件夹里的真实文件。"
        return "它不是普通文件（是文件夹、管道或设备），门户只发布真实的照片文件。"
    from builder.cli import fault_cause

    return fault_cause(exc) + "。"


class SourceIndex:
    """path → sha256 of the source, trusted while (size, mtime_ns, inode)
    are unchanged (like git's index), so a warm build does not re-read every
    photo. Stored as sources.json in the cache root."""

    def __init__(self, cache_root: Path):
        self.file = Path(cache_root) / "sources.json"
        try:
            self.data: dict[str, list] = json.loads(self.file.read_text("utf-8"))
        except (OSError, ValueError):
            self.data = {}
        self.dirty = False

    def sha(self, path: Path) -> str:
        st = path.stat()
        sig = [st.st_size, st.st_mtime_ns, st.st_ino]
        k = os.path.abspath(path)
        hit = self.data.get(k)
        if hit and hit[:3] == sig:
            return hit[3]
        h = hashlib.sha256()
        with open_source(path) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        self.data[k] = [*sig, h.hexdigest()]
        self.dirty = True
        return h.hexdigest()

    def save(self) -> None:
        if not self.dirty:
            return
        # only a speed-up: if it cannot be written, the photos are hashed again next time
        write_file(self.file, json.dumps(self.data, sort_keys=True), best_effort=True)
        self.dirty = False


LAST_BUILD = "last-build.json"


def write_last_build(cache_root: Path, entries: dict[str, dict]) -> None:
    """Remember the entries (key → meta) the latest build used: the next
    build reads this one file instead of one meta.json per photo, and
    ``photos prune`` keeps them even when it runs with other settings."""
    write_file(Path(cache_root) / LAST_BUILD, json.dumps(entries, sort_keys=True, ensure_ascii=False), best_effort=True)


def _unlink_quietly(p: Path) -> None:
    with contextlib.suppress(OSError):
        p.unlink()


def read_last_build(cache_root: Path) -> dict[str, dict]:
    try:
        data = json.loads((Path(cache_root) / LAST_BUILD).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_entry(cache_root: Path, key: str, meta: dict, files: dict[str, bytes]) -> None:
    """Write one entry: every file into a temporary folder in the cache
    root, then one rename. On any failure (disk full…) the temporary folder
    is removed and an OSError naming the cache folder is raised."""
    final = entry_dir(cache_root, key)
    tmp = Path(cache_root) / f".tmp-{key}-{os.getpid()}-{threading.get_ident()}"
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        for name, b in sorted(files.items()):
            (tmp / name).write_bytes(b)
        (tmp / META).write_text(json.dumps(meta, sort_keys=True, ensure_ascii=False), "utf-8")
        final.parent.mkdir(parents=True, exist_ok=True)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            # write() errors carry no file name; the temporary name means nothing to a user
            exc.filename, exc.filename2 = str(cache_root), None
        raise
    if final.exists():
        shutil.rmtree(final, ignore_errors=True)
    try:
        os.rename(tmp, final)
    except OSError:  # another process won the race with identical content
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# worker
CACHE_FAULT = "cache"  # meta kind: the cache could not be written (process_all raises)


def _cache_fault(exc: OSError, cache_root: str | Path) -> dict:
    return {
        "ok": False,
        "kind": CACHE_FAULT,
        "transient": True,
        "errno": exc.errno or errno.EIO,
        "filename": str(exc.filename or cache_root),
        "detail": str(exc)[:300],
    }


def raise_cache_fault(meta: dict) -> None:
    """Raise the OSError a worker met while writing the cache."""
    e = int(meta.get("errno") or errno.EIO)
    raise OSError(e, os.strerror(e), meta.get("filename") or None)


def _alarm(signum, frame):
    raise _Timeout()


def work(path: str, key: str, source_sha: str, cache_root: str, settings: dict, marker_dir: str | None = None) -> dict:
    """Process one photo into the cache (runs in a worker process).
    Returns the entry's meta (ok or error); never raises. While it runs,
    marker_dir/<pid> names the photo, so the parent knows which photo was
    being decoded if this process dies or hangs."""
    s = PhotoSettings.from_worker(settings)
    marker = Path(marker_dir) / str(os.getpid()) if marker_dir else None
    if marker:
        try:
            marker.write_text(key)
        except OSError as exc:
            _unlink_quietly(marker)
            marker = None
            return _cache_fault(exc, cache_root)
    dbg = s.extra.get("debug", {}) if isinstance(s.extra, dict) else {}
    try:
        with _time_limit(s):
            return _work(path, key, source_sha, cache_root, s, dbg)
    finally:
        if marker:
            marker.unlink(missing_ok=True)


def _work(path: str, key: str, source_sha: str, cache_root: str, s: PhotoSettings, dbg: dict) -> dict:
    try:
        if Path(path).name in dbg.get("block_alarm", ()):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        if Path(path).name in dbg.get("sleep", {}):
            time.sleep(dbg["sleep"][Path(path).name])
        if Path(path).name in dbg.get("crash", ()):
            os.kill(os.getpid(), signal.SIGKILL)
        data = _read_source(path)
        if isinstance(data, dict):
            return data
        if hashlib.sha256(data).hexdigest() != source_sha:
            return {"ok": False, "kind": "io", "detail": "changed while building", "transient": True}
        try:
            meta, files = render(data, s, Path(path).suffix)
        except PhotoError as exc:
            meta, files = {"ok": False, "kind": exc.kind, "detail": exc.detail[:500]}, {}
        try:
            _write_entry(Path(cache_root), key, meta, files)
        except OSError as exc:
            return _cache_fault(exc, cache_root)
        return meta
    except _Timeout:
        return {"ok": False, "kind": "timeout", "detail": f"> {s.timeout:g} s", "transient": True}


def verify_file(path: Path, s: PhotoSettings) -> dict:
    """check's verdict on one source photo, in this process: {"ok": True} or
    {"ok": False, "kind", "detail"} exactly as the build's worker (work())
    would record it, without making derivatives. Bounded like the workers:
    the pixel limit before decoding, the file-size limit, the time limit."""
    with _time_limit(s):
        try:
            data = _read_source(path)
            if isinstance(data, dict):
                return data
            try:
                meta, _ = render(data, s, Path(path).suffix, verify_only=True)
            except PhotoError as exc:
                return {"ok": False, "kind": exc.kind, "detail": exc.detail[:500]}
            return meta
        except _Timeout:
            return {"ok": False, "kind": "timeout", "detail": f"> {s.timeout:g} s", "transient": True}


def _read_source(path: Path | str) -> bytes | dict:
    """A source photo's bytes, or the failed entry's meta when it cannot be
    read or is over the size limit."""
    try:
        with open_source(path) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return {"ok": False, "kind": "io", "detail": read_problem(exc), "transient": True}
    if len(data) > MAX_FILE_BYTES:
        return {"ok": False, "kind": "toolarge", "detail": str(len(data))}
    return data


@contextlib.contextmanager
def _time_limit(s: PhotoSettings) -> Iterator[None]:
    """SIGALRM after s.timeout seconds raises _Timeout in the block (main thread only)."""
    use_alarm = threading.current_thread() is threading.main_thread() and s.timeout > 0
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, s.timeout)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})


# ------------------------------------------------------------------------------------------
# running many photos
@dataclass
class Job:
    path: Path
    key: str
    sha: str


@dataclass
class RunStats:
    total: int = 0  # distinct source photos
    cached: int = 0  # served from the cache
    processed: int = 0  # decoded and encoded in this run
    failed: int = 0  # processed with an error (included in processed)


def process_all(
    paths: Iterable[Path],
    settings: PhotoSettings,
    cache_root: Path,
    progress: Callable[[int, int], None] | None = None,
    known: dict[str, dict] | None = None,
) -> tuple[dict[Path, tuple[str, dict]], RunStats]:
    """Make sure every photo has a cache entry. Returns {path: (key, meta)}
    (meta["ok"] False for a photo that cannot be published) and stats.
    known: metas already read (read_last_build), trusted while the entry's
    folder exists."""
    cache_root = Path(cache_root).resolve()
    cache_root.mkdir(parents=True, exist_ok=True)  # OSError (read-only, no space…) names the folder
    fp = settings.fingerprint()
    index = SourceIndex(cache_root)
    results: dict[Path, tuple[str, dict]] = {}
    jobs: list[Job] = []
    stats = RunStats()
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p in seen:
            continue
        seen.add(p)
        stats.total += 1
        try:
            st = p.lstat()  # a symlink is refused by open_source below, whatever it points to
            if stat.S_ISREG(st.st_mode) and st.st_size > MAX_FILE_BYTES:
                results[p] = ("", {"ok": False, "kind": "toolarge", "detail": str(st.st_size)})
                continue
            sha = index.sha(p)
        except OSError as exc:
            results[p] = ("", {"ok": False, "kind": "io", "detail": read_problem(exc)})
            continue
        key = entry_key(fp, sha)
        meta = known.get(key) if known else None
        if meta is None or not os.path.isdir(os.path.join(cache_root, key[:2], key)):
            meta = read_entry(cache_root, key)
        if meta is not None:
            results[p] = (key, meta)
            stats.cached += 1
        else:
            jobs.append(Job(p, key, sha))
    index.save()
    if jobs:
        done = _execute(jobs, settings, cache_root, progress)
        for meta in done.values():
            if meta.get("kind") == CACHE_FAULT:
                raise_cache_fault(meta)
        for j in jobs:
            meta = done[j.key]
            results[j.path] = (j.key, meta)
            stats.processed += 1
            stats.failed += 0 if meta.get("ok") else 1
    return results, stats


def _execute(
    jobs: list[Job], s: PhotoSettings, cache_root: Path, progress: Callable[[int, int], None] | None
) -> dict[str, dict]:
    total = len(jobs)
    out: dict[str, dict] = {}
    counter = [0]

    def report(key: str, meta: dict):
        if key not in out:
            out[key] = meta
            counter[0] += 1
            if progress:
                progress(counter[0], total)

    sd = s.to_worker()
    if s.workers == 1 and threading.current_thread() is threading.main_thread() and not s.extra.get("force_pool"):
        for j in jobs:  # in-process: simplest, still guarded by SIGALRM
            report(j.key, work(str(j.path), j.key, j.sha, str(cache_root), sd))
        return out

    # Largest files first, so that no big photo is left running alone at the
    # end (longest-processing-time-first scheduling). Output does not depend on it.
    def size(j: Job) -> int:
        try:
            return j.path.stat().st_size
        except OSError:
            return 0

    queue = sorted(jobs, key=lambda j: (-size(j), str(j.path)))
    while queue:
        suspects, leftover = _pool_round(queue, min(s.worker_count, len(queue)), s, sd, cache_root, report)
        # Each suspect (its worker crashed or hung) is retried alone: an
        # innocent one succeeds, the guilty one is reported as crash/timeout.
        for j, _why in suspects:
            if j.key in out:
                continue
            again, _ = _pool_round([j], 1, s, sd, cache_root, report)
            for _j, why in again:
                report(
                    j.key,
                    {
                        "ok": False,
                        "kind": why,
                        "transient": why == "timeout",
                        "detail": "decoder crashed" if why == "crash" else f"> {s.timeout:g} s",
                    },
                )
            if j.key not in out:  # pragma: no cover - defensive
                report(j.key, {"ok": False, "kind": "crash", "detail": "no result", "transient": True})
        queue = [j for j in leftover if j.key not in out]
    return out


PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> bool:
    """Ask Linux to SIGKILL this process when its parent dies (prctl
    PR_SET_PDEATHSIG). When expected_parent is given and the parent is
    already someone else (it died before the call), exit at once.
    False where prctl is not available (then nothing changes).

    Note that "parent" is the thread that started this process: the fork
    server is started by the thread that first runs photos (the main thread
    of a build; a long-lived build thread in ``mkdocs serve``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)
    return True


def _in_forkserver() -> bool:
    """True while multiprocessing's fork server imports its preload modules."""
    f: FrameType | None = sys._getframe(1)
    while f is not None:
        if f.f_code.co_name == "main" and f.f_globals.get("__name__") == "multiprocessing.forkserver":
            return True
        f = f.f_back
    return False


# The fork server imports this module (_PRELOAD) and then forks every worker
# from itself: it dies with the build process, and each worker with it.
_FORKSERVER_PID: int | None = None
if _in_forkserver():
    _FORKSERVER_PID = os.getpid()
    die_with_parent()


def _quiet_worker() -> None:
    """Worker initializer. Dies with its parent (the fork server, see above),
    so a killed build leaves no worker waiting for work forever.

    C decoders (libtiff…) print their complaints straight to fd 2; in a
    worker they would clutter the build log. Problems come back as results."""
    die_with_parent(_FORKSERVER_PID)
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


# Imported once by the fork server, so that each worker starts with them
# loaded (≈ 0.4 s of CPU per worker otherwise, numpy for simplejpeg being the
# largest part); the server lives as long as the build process, so later
# builds of `mkdocs serve` start their workers at once too.
_PRELOAD = [
    "builder.photos.pipeline",
    "PIL.Image",
    "PIL.JpegImagePlugin",
    "PIL.WebPImagePlugin",
    "PIL.PngImagePlugin",
    "simplejpeg",
    "pillow_heif",
]


def _mp_context():
    # forkserver: never fork a process that may have threads (mkdocs serve).
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - non-POSIX
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(_PRELOAD)  # no effect once the server runs
    return ctx


def _pool_round(jobs: list[Job], workers: int, s: PhotoSettings, sd: dict, cache_root: Path, report):
    """Run jobs in a pool. Returns (suspects, leftover): jobs whose worker died
    or stalled, and jobs that never got to run because the pool was torn down."""
    import tempfile

    suspects: list[tuple[Job, str]] = []
    leftover: list[Job] = []
    try:
        markers = Path(tempfile.mkdtemp(prefix=".running-", dir=cache_root))
    except OSError as exc:
        exc.filename = str(cache_root)
        raise
    ex = cf.ProcessPoolExecutor(max_workers=max(1, workers), mp_context=_mp_context(), initializer=_quiet_worker)
    futs = {ex.submit(work, str(j.path), j.key, j.sha, str(cache_root), sd, str(markers)): j for j in jobs}
    pending = set(futs)
    stall_limit = s.timeout * 2 + 1 if s.timeout > 0 else None
    last = time.monotonic()
    why = ""
    reported: set[str] = set()
    try:
        while pending and not why:
            done, pending = cf.wait(pending, timeout=1.0, return_when=cf.FIRST_COMPLETED)
            for f in done:
                j = futs[f]
                try:
                    res = f.result()
                except cf.process.BrokenProcessPool:
                    why = "crash"
                    continue
                except Exception as exc:  # e.g. pickling trouble: report, never raise
                    res = {"ok": False, "kind": "crash", "detail": repr(exc)[:300], "transient": True}
                report(j.key, res)
                reported.add(j.key)
                last = time.monotonic()
            if not why and stall_limit and pending and time.monotonic() - last > stall_limit:
                why = "timeout"
    finally:
        if why:
            started = set()
            for p in list((getattr(ex, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    p.kill()
            ex.shutdown(wait=True, cancel_futures=True)
            for m in markers.iterdir():
                with contextlib.suppress(OSError):
                    started.add(m.read_text().strip())
            unfinished = []
            for f, j in futs.items():
                if j.key in reported:
                    continue
                if f.done() and not f.cancelled() and f.exception() is None:
                    report(j.key, f.result())
                    continue
                unfinished.append(j)
            for j in unfinished:
                (suspects.append((j, why)) if j.key in started else leftover.append(j))
            if unfinished and not suspects:  # could not tell: isolate them all
                suspects, leftover = [(j, why) for j in unfinished], []
        else:
            ex.shutdown(wait=True)
        shutil.rmtree(markers, ignore_errors=True)
    return suspects, leftover
