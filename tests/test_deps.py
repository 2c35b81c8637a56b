"""The dependency graph of the produce phase (builder/kernel/deps.py) and
the preview's load memo (builder/kernel/loading/memo.py), without a site:
what a change makes again, what it leaves, and that a kept load result is
what loading again would give."""

from __future__ import annotations

from pathlib import Path

from builder.kernel.build import BuildContext, GeneratedFile
from builder.kernel.content import ContentBase
from builder.kernel.deps import ANY, Changes, Later, LaterGroup, key, matches
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.feature import BaseFeature
from builder.kernel.pipeline import produce, produce_changed


def test_keys_match_by_kind_id_and_aspect():
    page = {key("village", "a")}  # every aspect of village a
    lists = {key("village", ANY, "data")}
    assert matches(page, {key("village", "a", "prose")})
    assert not matches(page, {key("village", "b", "data")})
    assert matches(lists, {key("village", "b", "data")})
    assert not matches(lists, {key("village", "b", "prose")})  # a list shows no prose
    assert matches(lists, {key("village", "b")})  # a folder added or removed: every aspect
    assert not matches(lists, {key("project", "b")})


def test_a_file_is_made_again_when_its_new_or_its_old_dependencies_change():
    # a village page read villages x and y of its town; x moved away: the page no longer reads x,
    # but it showed x, so a change of x still makes it again
    changes = Changes(frozenset({key("village", "x", "data")}), {"villages/y.md": frozenset({key("village", "x")})})
    assert changes.wants("villages/y.md", frozenset({key("village", "y")}))
    assert not changes.wants("villages/z.md", frozenset({key("village", "z")}))


class _Toy(BaseFeature[ContentBase]):
    name = "toy"

    def __init__(self) -> None:
        self.made: list[str] = []

    def _file(self, path: str) -> GeneratedFile:
        self.made.append(path)
        return GeneratedFile(path, path)

    def produce(self, ctx):
        for v in ("a", "b"):
            yield Later(f"v/{v}.md", frozenset({key("village", v)}), lambda v=v: self._file(f"v/{v}.md"))
        yield Later("v/a.xlsx", frozenset({key("village", "a")}), lambda: self._file("v/a.xlsx"))
        yield LaterGroup(
            "lists", frozenset({key("village", ANY, "data")}), lambda: [self._file("list.md"), self._file("list2.md")]
        )
        yield GeneratedFile("always.js", "x")


class _Silent(BaseFeature[ContentBase]):
    name = "silent"
    reads = frozenset({key("project")})

    def produce(self, ctx):
        raise AssertionError("a feature whose reads match no change is not run")


def _ctx() -> BuildContext:
    return BuildContext(ContentBase(Path("."), Path(".")), Diagnostics())


def test_a_full_build_makes_every_promised_file():
    toy = _Toy()
    files = produce([toy], _ctx())
    assert [f.path for f in files] == ["v/a.md", "v/b.md", "v/a.xlsx", "list.md", "list2.md", "always.js"]


def test_produce_changed_makes_only_what_the_change_reaches():
    toy = _Toy()
    full = produce_changed([toy], _ctx(), None)["toy"]
    groups = full.groups
    assert groups == {"toy:lists": ["list.md", "list2.md"]}
    assert full.deps["v/a.md"] == frozenset({key("village", "a")})

    toy.made.clear()
    prose = Changes(frozenset({key("village", "a", "prose")}), dict(full.deps), dict(groups))
    got = produce_changed([toy, _Silent()], _ctx(), prose, defer=lambda p: p.endswith(".xlsx"))
    assert toy.made == ["v/a.md"]  # not b, not the lists (they show no prose); the spreadsheet waits
    assert [f.path for f in got["toy"].made] == ["v/a.md", "always.js"]
    assert [d.path for d in got["toy"].deferred] == ["v/a.xlsx"]
    # every path is still listed, in the full build's order (the kept group with its last paths)
    assert got["toy"].order == ["v/a.md", "v/b.md", "v/a.xlsx", "list.md", "list2.md", "always.js"]
    assert got["silent"].skipped

    toy.made.clear()
    data = Changes(frozenset({key("village", "b", "data")}), dict(full.deps), dict(groups))
    produce_changed([toy], _ctx(), data)
    assert toy.made == ["v/b.md", "list.md", "list2.md"]


def test_the_load_memo_gives_what_loading_again_would_give(tmp_path):
    from builder.kernel.loading import memo

    f = tmp_path / "village.yml"
    f.write_text("name: 甲\n", encoding="utf-8")
    calls = []

    def load(diags: Diagnostics) -> dict:
        calls.append(1)
        diags.warning(Location("village.yml", 1, 1), "io-error", "示例警告")
        return {"name": f.read_text(encoding="utf-8")}

    memo.keep_loaded()
    try:
        first, second = Diagnostics(), Diagnostics()
        a = memo.loaded("k", memo.signature([f]), first, load, dict)
        b = memo.loaded("k", memo.signature([f]), second, load, dict)
        assert len(calls) == 1 and a == b and a is not b  # each run its own copy
        assert [d.message for d in second] == ["示例警告"]  # the diagnostics replayed
        f.write_text("name: 丙丙\n", encoding="utf-8")  # another size: the signature differs
        c = memo.loaded("k", memo.signature([f]), Diagnostics(), load, dict, scope=f)
        assert len(calls) == 2 and c == {"name": "name: 丙丙\n"}
        # the same size within one tick of the clock may keep the signature: the watcher's word counts
        f.write_text("name: 丁丁\n", encoding="utf-8")
        memo.forget([tmp_path / "village.yml"])
        d = memo.loaded("k", memo.signature([f]), Diagnostics(), load, dict, scope=f)
        assert len(calls) == 3 and d == {"name": "name: 丁丁\n"}
    finally:
        memo.keep_loaded(False)
    # off: every call loads
    memo.loaded("k", memo.signature([f]), Diagnostics(), load, dict)
    assert len(calls) == 4
