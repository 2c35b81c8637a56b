"""What a produced file depends on, so that a change remakes only the files it concerns.

A *key* names a piece of loaded content: ``(kind, id, aspect)``, e.g.
``("village", "xiwan", "prose")`` (a village's index.md),
``("village", "xiwan", "data")`` (the rest of its folder), ``("project",
"2022-x", "data")``. ``"*"`` stands for any id or any aspect: a list of every
village reads ``("village", "*", "data")``.

Two declarations make the graph, both by the phase that knows:

- the **load** phase says which key a content file feeds: a feature's
  ``keys_of(rel)`` (a path under content/, '/'-separated) returns the keys,
  or None when the file is not the feature's;
- the **produce** phase says what each file reads: it yields ``Later(path,
  deps, make)`` instead of a finished ``GeneratedFile`` (``make`` is called
  only when the file is wanted), and a feature that reads the same keys for
  all its files says so once (``reads``: a feature whose ``reads`` match no
  change is not run at all; its files stay as they are).

A plain ``GeneratedFile`` depends on everything (remade on every change);
a full build makes every file (``pipeline.produce``); only an incremental
run (``pipeline.produce_changed``, the preview) skips what no change
reaches. The adapter still compares what it remakes with what it had, so a
declaration that is too wide costs time, never correctness; one that is too
narrow would be wrong, which tests/test_preview.py checks against full
builds for each kind of file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.kernel.build import GeneratedFile

ANY = "*"
Key = tuple[str, str, str]  # (kind, id, aspect); ANY in id or aspect matches every value


def key(kind: str, id: str = ANY, aspect: str = ANY) -> Key:
    return (kind, id, aspect)


def _part_matches(a: str, b: str) -> bool:
    return ANY in (a, b) or a == b


def matches(deps: Iterable[Key], changes: Iterable[Key]) -> bool:
    """Whether a file reading ``deps`` is concerned by any of ``changes``."""
    changes = tuple(changes)
    return any(d[0] == c[0] and _part_matches(d[1], c[1]) and _part_matches(d[2], c[2]) for d in deps for c in changes)


@dataclass(frozen=True)
class Later:
    """A file the produce phase promises: ``make()`` gives it, and is called
    only when the file is wanted (always in a full build)."""

    path: str
    deps: frozenset[Key]
    make: Callable[[], GeneratedFile] = field(compare=False)


@dataclass(frozen=True)
class LaterGroup:
    """Several files made together (a list and its pages, a set of exports),
    promised under one ``name`` (unique in the feature): ``make()`` gives
    them all, called only when the group is wanted. When it is not, its files
    are the ones it made the last time (``Changes.groups``)."""

    name: str
    deps: frozenset[Key]
    make: Callable[[], Iterable[GeneratedFile]] = field(compare=False)


@dataclass
class Changes:
    """An incremental produce's question: what changed, and what each path
    read the last time (a file is remade when its new *or* its old
    dependencies are concerned: a village moved to another town leaves the old
    town's pages as well as joining the new one's)."""

    keys: frozenset[Key]
    previous: dict[str, frozenset[Key]] = field(default_factory=dict)  # path or group name → deps
    groups: dict[str, list[str]] = field(default_factory=dict)  # group name → its paths, last time

    def wants(self, path: str, deps: frozenset[Key]) -> bool:
        return matches(deps, self.keys) or matches(self.previous.get(path, ()), self.keys)
