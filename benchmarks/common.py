from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One reported figure: value, what it is compared against, and the goal."""

    name: str  # e.g. "check 1000 村 / build 1000 村 (time)"
    value: float
    unit: str = "×"  # "×" for ratios, or e.g. "村/秒"
    goal: str = ""  # e.g. "≤ 0.1"
    passed: bool | None = None
    detail: str = ""  # what was measured against what, in one line


@dataclass
class Section:
    title: str  # e.g. "内容检查 (issue #2)"
    rerun: str  # command to rerun just this section
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _best_of(fn: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = clock()
        fn()
        best = min(best, clock() - t0)
    return best


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best-of-N wall time in seconds."""
    return _best_of(fn, repeat, time.perf_counter)


def cpu_timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best-of-N CPU seconds of this process: for single-threaded work, CPU
    time stays meaningful on a machine shared with other jobs (wall time does not)."""
    return _best_of(fn, repeat, time.process_time)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()}"
