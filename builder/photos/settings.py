"""Photo settings: which formats are accepted, which derivatives are made.

Settings come from ``BuildContext.options`` (keys below, all optional), then
environment variables ``VILLAGES_PHOTOS_<KEY>``, then the defaults:

=====================  ===============================  =======================
option                 env var                          default
=====================  ===============================  =======================
photos_formats         VILLAGES_PHOTOS_FORMATS          jpg,jpeg,png,webp,heic,heif
photos_heic            VILLAGES_PHOTOS_HEIC             true (false: reject HEIC)
photos_widths          VILLAGES_PHOTOS_WIDTHS           480,960,1600
photos_quality         VILLAGES_PHOTOS_QUALITY          80 (JPEG and WebP)
photos_on_error        VILLAGES_PHOTOS_ON_ERROR         stop (or: skip)
photos_max_pixels      VILLAGES_PHOTOS_MAX_PIXELS       89478485 (Pillow's limit)
photos_workers         VILLAGES_PHOTOS_WORKERS          0 = all cores
photos_timeout         VILLAGES_PHOTOS_TIMEOUT          120 (seconds per photo)
photos_webp_method     VILLAGES_PHOTOS_WEBP_METHOD      0 (libwebp effort 0–6)
=====================  ===============================  =======================

Only the settings that change the output bytes go into the cache key
(:meth:`PhotoSettings.fingerprint`).

The options come from the run's ``Options`` (mkdocs.yml's plugin options or
the command line), for ``check`` and the build alike, so the two agree.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

# Bump when the pipeline's output changes for the same input and settings.
PIPELINE_VERSION = (
    6  # 5: WebP method 0, JPEG without optimize; 6: sizes bound the long side, n/8 DCT-scaled JPEG decode
)

DEFAULT_FORMATS = ("jpg", "jpeg", "png", "webp", "heic", "heif")
HEIC_EXTS = ("heic", "heif")
# Every extension the pipeline knows how to open, and Pillow's format names for it.
EXT_TO_PIL = {
    "jpg": ("JPEG", "MPO"),
    "jpeg": ("JPEG", "MPO"),
    "png": ("PNG",),
    "webp": ("WEBP",),
    "gif": ("GIF",),
    "tif": ("TIFF",),
    "tiff": ("TIFF",),
    "bmp": ("BMP", "DIB"),
    "heic": ("HEIF",),
    "heif": ("HEIF",),
    "avif": ("AVIF", "HEIF"),
}


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() not in ("0", "false", "no", "off", "")


def _list(v: Any) -> list[str]:
    if isinstance(v, str):
        return [p.strip() for p in v.replace(";", ",").split(",") if p.strip()]
    return [str(p).strip() for p in v]


_FINGERPRINTS: dict[tuple, str] = {}


@dataclass(frozen=True)
class PhotoSettings:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    heic: bool = True
    # Each derivative fits a w×w box: the long side is w (pipeline.derivative_sizes).
    widths: tuple[int, ...] = (480, 960, 1600)
    quality: int = 80
    # libwebp effort 0–6 (libwebp's own default is 4). On the bench_photos
    # wallpapers at quality 80: method 0 costs 0.63× the CPU of method 2 for
    # 13 % more WebP bytes, with the same fidelity (PSNR against an ideal
    # Lanczos resize within ±0.3 dB); method 2 = 0.63× the CPU of method 4.
    webp_method: int = 0
    placeholder_width: int = 16
    on_error: str = "stop"  # "stop" or "skip"
    max_pixels: int = 89_478_485  # Pillow's default Image.MAX_IMAGE_PIXELS
    workers: int = 0  # 0: os.cpu_count(); 1 and no pool: see pipeline
    timeout: float = 120.0
    extra: Mapping[str, Any] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------------
    @classmethod
    def from_options(
        cls, options: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> PhotoSettings:
        """Raises ValueError (Chinese message) for a bad value."""
        options = dict(options or {})
        env = os.environ if env is None else env
        d = cls()

        def get(key: str):
            if f"photos_{key}" in options and options[f"photos_{key}"] is not None:
                return options[f"photos_{key}"]
            return env.get(f"VILLAGES_PHOTOS_{key.upper()}")

        kw: dict[str, Any] = {}
        try:
            if (v := get("formats")) is not None:
                fm = tuple(dict.fromkeys(f.lower().lstrip(".") for f in _list(v)))
                unknown = [f for f in fm if f not in EXT_TO_PIL]
                if unknown or not fm:
                    raise ValueError(
                        f"photos_formats 里有不支持的格式：{', '.join(unknown) or '（空）'}；"
                        f"可选：{', '.join(EXT_TO_PIL)}"
                    )
                kw["formats"] = fm
            if (v := get("heic")) is not None:
                kw["heic"] = _bool(v)
            if (v := get("widths")) is not None:
                ws = tuple(sorted({int(w) for w in _list(v)}))
                if not ws or ws[0] < 16 or ws[-1] > 10000:
                    raise ValueError("photos_widths 要写 16 到 10000 之间的尺寸（长边像素），例如 480,960,1600")
                kw["widths"] = ws
            if (v := get("quality")) is not None:
                q = int(v)
                if not 1 <= q <= 100:
                    raise ValueError("photos_quality 要在 1 到 100 之间，例如 80")
                kw["quality"] = q
            if (v := get("on_error")) is not None:
                v = str(v).strip().lower()
                if v not in ("stop", "skip"):
                    raise ValueError("photos_on_error 只能是 stop（默认，出错即停止）或 skip（跳过坏照片并警告）")
                kw["on_error"] = v
            if (v := get("max_pixels")) is not None:
                kw["max_pixels"] = int(v)
            if (v := get("workers")) is not None:
                kw["workers"] = max(0, int(v))
            if (v := get("webp_method")) is not None:
                if not 0 <= int(v) <= 6:
                    raise ValueError("photos_webp_method 要在 0 到 6 之间")
                kw["webp_method"] = int(v)
            if (v := get("timeout")) is not None:
                kw["timeout"] = float(v)
        except (TypeError, ValueError) as exc:
            msg = str(exc)
            if not any("\u4e00" <= ch <= "\u9fff" for ch in msg):
                msg = f"照片设置的值不对：{msg}"
            raise ValueError(msg) from None
        return cls(**{**asdict(d), **kw})

    # -- derived ----------------------------------------------------------------------
    def accepts_ext(self, ext: str) -> bool:
        ext = ext.lower().lstrip(".")
        if ext in HEIC_EXTS and not self.heic:
            return False
        return ext in self.formats

    def accepts_real(self, real: str) -> bool:
        """Is a sniffed format (pipeline.sniff: jpg, png, tif, heic…) accepted?"""
        aliases = {"jpg": ("jpg", "jpeg"), "tif": ("tif", "tiff"), "heic": HEIC_EXTS}.get(real, (real,))
        return any(self.accepts_ext(a) for a in aliases)

    def pil_formats(self) -> list[str]:
        """Pillow format names that may be opened (``Image.open(formats=...)``)."""
        out: list[str] = []
        for ext in self.formats:
            if ext in HEIC_EXTS and not self.heic:
                continue
            for f in EXT_TO_PIL.get(ext, ()):
                if f not in out:
                    out.append(f)
        return out

    @property
    def worker_count(self) -> int:
        return self.workers or (os.cpu_count() or 1)

    def fingerprint(self) -> str:
        """Everything that changes the bytes of a derivative, hashed."""
        key = (
            self.widths,
            self.quality,
            self.webp_method,
            self.placeholder_width,
            self.max_pixels,
            tuple(self.pil_formats()),
        )
        if key not in _FINGERPRINTS:
            _FINGERPRINTS[key] = self._fingerprint()
        return _FINGERPRINTS[key]

    def _fingerprint(self) -> str:
        from PIL import Image, features

        try:
            import pillow_heif

            heif_v = pillow_heif.__version__
        except Exception:  # pragma: no cover - pillow-heif is a dependency
            heif_v = "none"
        parts = {
            "pipeline": PIPELINE_VERSION,
            "pillow": Image.__version__,
            "pillow_heif": heif_v,
            "libjpeg": features.version("jpg"),
            "libwebp": features.version("webp"),
            "lcms": features.version("littlecms2"),
            "widths": list(self.widths),
            "quality": self.quality,
            "webp_method": self.webp_method,
            "placeholder": self.placeholder_width,
            "outputs": ["webp", "jpg"],
            "max_pixels": self.max_pixels,
            # which decoders may run decides between a derivative and an error
            "decoders": self.pil_formats(),
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def to_worker(self) -> dict:
        d = asdict(self)
        d["extra"] = dict(self.extra)
        return d

    @classmethod
    def from_worker(cls, d: dict) -> PhotoSettings:
        d = dict(d)
        for k in ("formats", "widths"):
            d[k] = tuple(d[k])
        return cls(**d)
