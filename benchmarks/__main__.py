"""Run all benchmarks (or those named on the command line) and write BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.common import Section, machine

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    sections: list[Section] = []
    failed = 0
    for name in names:
        mod = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        try:
            result = mod.run()
        except Exception as exc:  # report and carry on with the others
            import traceback

            traceback.print_exc()
            sections.append(Section(name, f"python -m benchmarks {name}", notes=[f"失败：{exc!r}"]))
            failed += 1
            continue
        for s in result if isinstance(result, list) else [result]:
            sections.append(s)
            for f in s.figures:
                mark = "" if f.passed is None else (" ✓" if f.passed else " ✗ (goal missed)")
                print(f"  {f.name}: {f.value:.3g} {f.unit} {f.goal}{mark}", flush=True)
    write_report(sections, partial=bool(argv))
    return 1 if failed else 0


def _commit() -> str:
    """The measured source: short commit hash, '+changes' if the tree was dirty."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" +changes" if dirty else "")


def write_report(sections: list[Section], partial: bool) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on: {machine()}; commit {_commit()}.",
        "",
        "Every goal is a ratio of two things measured side by side in the same run, so it holds on a "
        "noisy shared machine. Rerun all with `make bench`, or one section with the command shown.",
        "",
    ]
    if partial:
        lines += ["(Partial run: only some sections were rerun.)", ""]
    for s in sections:
        lines += [
            f"## {s.title}",
            "",
            f"Rerun: `{s.rerun}`",
            "",
            "| figure | value | goal | met | compared against |",
            "|---|---|---|---|---|",
        ]
        for f in s.figures:
            met = "" if f.passed is None else ("yes" if f.passed else "**no**")
            lines.append(f"| {f.name} | {f.value:.3g} {f.unit} | {f.goal} | {met} | {f.detail} |")
        lines.append("")
        for n in s.notes:
            lines.append(f"- {n}")
        if s.notes:
            lines.append("")
    out = ROOT / ("BENCHMARKS.partial.md" if partial else "BENCHMARKS.md")
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
