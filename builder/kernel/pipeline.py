"""The phases, run over a list of features (builder/features.py gives it):
load → validate → derive → produce. Each phase runs for every feature
before the next phase starts, so a feature may read what any other feature
loaded (in validate) or derived (in produce)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from builder.kernel.build import BuildContext, Derived, GeneratedFile, Options
from builder.kernel.deps import Changes, Key, Later, LaterGroup, matches
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.feature import C, Feature


def load(features: Sequence[Feature[C]], content: C, diags: Diagnostics) -> None:
    """Every feature reads its files.

    The cyclic garbage collector is paused meanwhile: loading allocates many
    small, long-lived, acyclic objects, and CPython's full collections rescan
    everything alive, so with the collector on the cost per village grew with
    the number of villages (measured 1.17x per village at 2,000 vs 1,000;
    0.98x with it paused). Collection resumes right after, what was loaded
    settled out of its reach."""
    was_enabled = gc.isenabled()
    gc.unfreeze()  # what an earlier run settled (below) may be collected again
    gc.disable()
    try:
        for f in features:
            f.load(content, diags)
        if content.options.lean:
            from builder.kernel.loading.yamlsrc import forget_positions

            forget_positions()  # what the features did not let go themselves
    finally:
        # settled while still paused: re-enabled first, the collector's first
        # pass would scan everything loaded (≈ 2 s at 10,000 villages)
        _settle()
        if was_enabled:
            gc.enable()


def _settle() -> None:
    """Move everything alive now out of the cyclic collector's reach
    (gc.freeze): the loaded content, and after derive what was derived, lives
    until the build ends, and every later collection would rescan all of it.
    A county with three years of history holds about a third more objects
    than one with one, and those rescans were ≈30 % of what the two more
    years cost (benchmarks/bench_years.py). Reference counting still frees
    what becomes unused; the next run's load() unfreezes."""
    gc.freeze()


def validate(features: Sequence[Feature[C]], content: C, diags: Diagnostics) -> None:
    for f in features:
        f.validate(content, diags)


def derive(
    features: Sequence[Feature[C]],
    content: C,
    diags: Diagnostics,
    derived: Derived | None = None,
    options: Options | None = None,
) -> Derived:
    """Run every feature's derive step. Given the Derived of an earlier
    ``check`` pass and the build's options, it completes it for the build:
    each feature derives only what is still missing (a feature's derive step
    is "fill in what is not there yet"), so nothing is computed twice."""
    from builder.kernel.render.templates import Templates

    if derived is None:
        derived = Derived(options or content.options)
        dirs = [d for f in features if (d := f.templates) is not None]
        derived.put(Templates(dirs, content.root / "theme_overrides" / "portal"))
    elif options is not None:
        derived.options = options
    for f in features:
        f.derive(content, derived, diags)
    _settle()
    return derived


def produce(features: Sequence[Feature[C]], ctx: BuildContext[C]) -> list[GeneratedFile]:
    """Every feature's files; two features writing one path is a program error."""
    return list(iter_produce(features, ctx))


def iter_produce(features: Sequence[Feature[C]], ctx: BuildContext[C]) -> Iterator[GeneratedFile]:
    """produce() one file at a time, as the features make them: an adapter
    that stores each file as it comes never holds the whole site in memory."""
    seen: dict[str, str] = {}
    for f in features:
        for gf in _made(f.produce(ctx) or ()):
            if gf.path in seen:
                ctx.diags.error(
                    Location(""),
                    "io-error",
                    f"两个生成步骤（{seen[gf.path]}、{f.name}）都要生成 {gf.path}。",
                    "这是程序问题，请报告给维护人员。",
                )
                continue
            seen[gf.path] = f.name
            yield gf
            if len(seen) % SETTLE_EVERY == 0:
                _settle()


# What the adapter keeps of each produced file (MkDocs: a File and a Page)
# lives until the build ends; without settling it now and then, the full
# collections during produce rescanned all of it, more often the bigger the
# county (at 10,000 villages 39 full collections, 6 s of the produce step).
SETTLE_EVERY = 1000


def _made(items: Iterable[GeneratedFile | Later | LaterGroup]) -> Iterable[GeneratedFile]:
    for item in items:
        if isinstance(item, LaterGroup):
            yield from item.make()
        else:
            yield item.make() if isinstance(item, Later) else item


@dataclass
class Produced:
    """One feature's part of an incremental produce (``produce_changed``).

    ``order``: every path the feature produces now, in its order; ``made``:
    the files remade (a subset; the other paths are as they were);
    ``deps``: what each promised file (``Later``) reads now; ``skipped``:
    the feature's ``reads`` matched no change, so it did not run (``order``
    is then empty: its files are as they were); ``deferred``: promised files
    that are wanted but left to the caller to make later (``defer``)."""

    order: list[str] = field(default_factory=list)
    made: list[GeneratedFile] = field(default_factory=list)
    deps: dict[str, frozenset[Key]] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)  # each group's paths
    skipped: bool = False
    deferred: list[Later | LaterGroup] = field(default_factory=list)


def produce_changed(
    features: Sequence[Feature[C]],
    ctx: BuildContext[C],
    changes: Changes | None,
    defer: Callable[[str], bool] | None = None,
) -> dict[str, Produced]:
    """The produce phase for a change (see builder/kernel/deps.py): a feature
    whose ``reads`` match no changed key is skipped; a promised file is made
    only when its dependencies (now or last time) match; a plain file is
    always made. ``changes=None``: everything is made (a full build that
    keeps the dependencies for the next change). A wanted promised file whose
    path ``defer`` accepts is returned unmade (the preview writes what the
    browser shows first, spreadsheets after), and so is a wanted group whose
    every file (the last time) ``defer`` accepts."""
    out: dict[str, Produced] = {}
    for f in features:
        got = out[f.name] = Produced()
        reads = getattr(f, "reads", None)
        if changes is not None and reads is not None and not matches(reads, changes.keys):
            got.skipped = True
            continue
        for item in f.produce(ctx) or ():
            if isinstance(item, LaterGroup):
                key = f"{f.name}:{item.name}"
                got.deps[key] = item.deps
                kept = changes.groups.get(key) if changes is not None else None
                if changes is not None and kept is not None and not changes.wants(key, item.deps):
                    got.order += kept
                    got.groups[key] = kept
                    continue
                if defer is not None and kept and all(defer(p) for p in kept):
                    got.order += kept  # made later, by the caller; its paths as the last time
                    got.deferred.append(item)
                    continue
                files = list(item.make())
                got.groups[key] = [gf.path for gf in files]
                got.order += got.groups[key]
                got.made += files
                continue
            got.order.append(item.path)
            if isinstance(item, Later):
                got.deps[item.path] = item.deps
                if changes is not None and not changes.wants(item.path, item.deps):
                    continue
                if defer is not None and defer(item.path):
                    got.deferred.append(item)
                    continue
                item = item.make()
            got.made.append(item)
    return out
