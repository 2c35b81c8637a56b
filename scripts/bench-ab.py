#!/usr/bin/env python3
"""Side-by-side cost of two commits on one synthetic county: `check` and
`build` CPU time (subprocess, best of N), alternating A and B so that a noisy
shared machine affects both alike.

    .venv/bin/python scripts/bench-ab.py OLD_COMMIT NEW_COMMIT [--villages 1000]

Used for issue 11 (the restructuring must not cost time): see BENCHMARKS.md."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--villages", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    trees = {}
    try:
        for tag, commit in (("A", args.old), ("B", args.new)):
            trees[tag] = tmp / tag
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(trees[tag]), commit], check=True)
        site = tmp / "site"
        site.mkdir()
        gen = (
            "try:\n from testkit.synthetic import generate_county\n"
            "except ImportError:\n from builder.scaffold.synthetic import generate_county\n"
            f"generate_county('content', {args.villages})"
        )
        env = {**os.environ, "PYTHONPATH": str(trees["A"]), "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-c", gen], cwd=site, env=env, check=True)
        shutil.copyfile(trees["A"] / "mkdocs.yml", site / "mkdocs.yml")
        for d in ("docs", "theme_overrides"):
            shutil.copytree(trees["A"] / d, site / d)

        def cpu(tag: str, cmd: list[str]) -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = subprocess.run(
                [sys.executable, "-m", "builder", *cmd],
                cwd=site,
                env={**env, "PYTHONPATH": str(trees[tag])},
                capture_output=True,
                text=True,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if r.returncode != 0:
                raise SystemExit(f"{tag} {cmd} failed:\n{r.stderr[-1000:]}")
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        res: dict[str, list[float]] = {"check A": [], "check B": [], "build A": [], "build B": []}
        for _ in range(3):
            for tag in "AB":
                res[f"check {tag}"].append(cpu(tag, ["check", "--content", "content"]))
        for _ in range(2):
            for tag in "AB":
                shutil.rmtree(site / "site", ignore_errors=True)
                res[f"build {tag}"].append(cpu(tag, ["build"]))
        for k, v in res.items():
            print(f"{k}: best {min(v):.2f} s CPU  ({', '.join(f'{x:.2f}' for x in v)})")
        for what in ("check", "build"):
            print(f"{what} {args.new} / {args.old}: {min(res[f'{what} B']) / min(res[f'{what} A']):.3f}")
    finally:
        for t in trees.values():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(t)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
