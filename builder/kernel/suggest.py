"""'Did you mean …' and 'choose from …' for diagnostics (one copy for every feature)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(value: object, options: Iterable[str], cutoff: float = 0.4) -> str:
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=cutoff)
    return f"是不是想写“{close[0]}”？" if close else ""


def choices(options: Iterable[str]) -> str:
    return "可选：" + "、".join(options) + "。"
