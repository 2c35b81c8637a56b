from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site that does not exist under docs/.

    path: site-source path with '/', e.g. "villages/wangjiazhuang.md" or
    "assets/photos/wangjiazhuang/x-480.webp". Exactly one of content or
    abs_src_path is set (large binaries stay on disk, e.g. in the photo cache).
    """

    path: str
    content: str | bytes | None = None
    abs_src_path: str | None = None
    in_nav: bool = False

    def __post_init__(self):
        if (self.content is None) == (self.abs_src_path is None):
            raise ValueError("GeneratedFile needs exactly one of content or abs_src_path")

    def read_bytes(self) -> bytes:
        if self.content is not None:
            return self.content.encode("utf-8") if isinstance(self.content, str) else self.content
        return Path(self.abs_src_path).read_bytes()


def build_date() -> dt.date:
    """'Today' for the build: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


@dataclass
class BuildContext:
    content: Content
    diags: Diagnostics
    site_url: str = ""
    cache_dir: Path = Path(".cache")
    options: dict[str, Any] = field(default_factory=dict)
    today: dt.date = field(default_factory=build_date)
    # Filled in by producers that others depend on (e.g. the photo index).
    shared: dict[str, Any] = field(default_factory=dict)


Producer = Callable[[BuildContext], Iterable[GeneratedFile]]
_PRODUCERS: list[tuple[int, str, Producer]] = []


def register_producer(name: str, order: int = 50) -> Callable[[Producer], Producer]:
    """Decorator: run fn(ctx) during generation. Lower order runs first
    (photos at 10 so pages at 50 can use ctx.shared['photos'])."""

    def deco(fn: Producer) -> Producer:
        for i, (_, n, _) in enumerate(_PRODUCERS):
            if n == name:
                _PRODUCERS[i] = (order, name, fn)
                break
        else:
            _PRODUCERS.append((order, name, fn))
        _PRODUCERS.sort(key=lambda t: (t[0], t[1]))
        return fn

    return deco


def producers() -> list[tuple[str, Producer]]:
    import importlib

    for mod in ("builder.photos.produce", "builder.render.pages", "builder.tours.pages", "builder.map.page"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name and not mod.startswith(exc.name):
                raise
    return [(n, fn) for _, n, fn in _PRODUCERS]
