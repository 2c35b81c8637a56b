"""The shape of the program (issue 11): features over a kernel, wired in
builder/features.py; a feature that cannot be imported stops the program; a
new content type needs only a Feature; one rule for each thing."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from builder.kernel.build import GeneratedFile, Options
from builder.kernel.diagnostics import Location
from builder.kernel.diagnostics.codes import Code, catalogue
from builder.kernel.diagnostics.model import Severity
from builder.kernel.feature import BaseFeature, Feature
from builder.kernel.render.html import page_md

ROOT = Path(__file__).resolve().parent.parent


def _feature_modules() -> list[str]:
    tree = ast.parse((ROOT / "builder" / "features.py").read_text(encoding="utf-8"))
    return [
        n.module
        for n in tree.body
        if isinstance(n, ast.ImportFrom)
        and n.module
        and n.module.endswith(".feature")
        and n.module != "builder.kernel.feature"
    ]


def test_features_are_listed_in_one_place_and_implement_the_protocol():
    from builder.features import FEATURES

    mods = _feature_modules()
    assert len(mods) == len(FEATURES) >= 9
    for f in FEATURES:
        assert isinstance(f, Feature), f
        assert f.name
    # Nothing registers itself by being imported: no registry decorators left.
    for path in (ROOT / "builder").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for gone in ("register_producer", "register_validator", "ctx.shared", "content.extras"):
            assert gone not in text, (path, gone)


@pytest.mark.parametrize("module", _feature_modules())
def test_an_unimportable_feature_stops_the_program(module, sample_copy):
    """Made unimportable, a feature is not silently skipped: check exits 1
    with a Chinese message naming it, and validates nothing."""
    code = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == {module!r}:
                    raise ImportError("blocked for the test", name=name)
                return None
        sys.meta_path.insert(0, Block())
        from builder.cli import main
        sys.exit(main(["check", "--content", {str(sample_copy)!r}]))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert module in r.stderr and "程序不完整" in r.stderr
    assert "Traceback" not in r.stderr and "检查通过" not in r.stdout


# -- a new content type through the protocol alone -------------------------------------


@dataclass
class NoticeItem:
    slug: str
    title: str
    village: str


@dataclass
class NoticePart:
    items: list[NoticeItem] = field(default_factory=list)


class NoticeFeature(BaseFeature):
    """通知公告: content/notices/<slug>.yml with a title and the village it is about."""

    name = "notices"
    codes = (Code("notice-unknown-village", Severity.WARNING, "公告提到的村不存在", "village 写村的编号。"),)

    def load(self, content, diags):
        items = []
        for name, kind in content.listing().entries("notices"):
            if kind == "file" and name.endswith(".yml"):
                data = yaml.safe_load((content.content_dir / "notices" / name).read_text(encoding="utf-8"))
                items.append(NoticeItem(name[:-4], data["title"], data["village"]))
        content.put(NoticePart(items))

    def validate(self, content, diags):
        for it in content.get(NoticePart).items:
            if not content.village_exists(it.village):
                diags.emit(
                    Location(f"content/notices/{it.slug}.yml", 1, 1),
                    "notice-unknown-village",
                    f"公告里的村“{it.village}”不存在。",
                    "写村的编号。",
                )

    def produce(self, ctx):
        for it in ctx.content.get(NoticePart).items:
            name = ctx.content.villages[it.village].name if it.village in ctx.content.villages else it.village
            yield GeneratedFile(f"notices/{it.slug}.md", page_md({"title": it.title}, f"<p>{name}</p>"))


def test_a_new_content_type_needs_only_a_feature(sample_copy, tmp_path):
    from builder.features import FEATURES
    from builder.pipeline import produce, run

    notices = sample_copy / "notices"
    notices.mkdir()
    qingshan = "title: 青山镇开展主题党日\nvillage: wangjiazhuang\n"
    (notices / "2026-11-qingshan.yml").write_text(qingshan, encoding="utf-8")
    (notices / "2026-11-typo.yml").write_text("title: 错村\nvillage: wangjiazuang\n", encoding="utf-8")
    feats = [*FEATURES, NoticeFeature()]
    content, derived, diags = run(
        sample_copy, sample_copy.parent, Options(build=True, cache_dir=tmp_path / "cache"), feats
    )
    assert [it.title for it in content.get(NoticePart).items] == ["青山镇开展主题党日", "错村"]
    [d] = [d for d in diags if d.code == "notice-unknown-village"]
    assert d.file == "content/notices/2026-11-typo.yml" and d.severity is Severity.WARNING
    files = {g.path: g for g in produce(content, derived, diags, feats)}
    assert "王家庄村" in files["notices/2026-11-qingshan.md"].content
    assert "villages/wangjiazhuang.md" in files  # the built-in features still ran
    assert "notice-unknown-village" in catalogue(feats)  # and its code reaches the codes page


# -- one source of truth ------------------------------------------------------------------


def test_town_share_is_one_rule_for_check_and_the_comparison_page(sample_copy, tmp_path):
    """100 administrative villages and a 7 % target need 7 示范村 (check used
    to say 8: 0.07 × 100 is 7.000000000000001 in floating point)."""
    from builder.pipeline import check
    from builder.towns.statistics import TownStat
    from testkit.pipeline import generated

    assert TownStat("红柳镇", 100, 0, 2, 0.07).required == 7
    towns = yaml.safe_load((sample_copy / "towns.yml").read_text(encoding="utf-8"))
    for t in towns["towns"]:
        if t["name"] == "红柳镇":
            t["administrative_villages"], t["share_target"] = 100, 0.07
    (sample_copy / "towns.yml").write_text(yaml.safe_dump(towns, allow_unicode=True), encoding="utf-8")
    _, diags = check(sample_copy, sample_copy.parent)
    [d] = [d for d in diags if d.code == "town-share" and "红柳镇" in d.message]
    assert "至少需要 7 个" in d.hint
    _, files, _, _ = generated(sample_copy, cache_dir=tmp_path / "cache")
    page = files["compare/index.md"].content
    row = page[page.index("红柳镇</a>") :]
    assert "还差 5 个" in row[: row.index("</tr>")]  # 7 required − 2 designated


def test_one_copy_of_each_helper():
    """The helpers that had drifted apart exist once."""
    defs: dict[str, list[str]] = {}
    for path in (ROOT / "builder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                defs.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    for name in ("_suggest", "suggest", "raw_block", "safe_title", "page_md", "num", "_choices", "point_wgs"):
        assert len(defs.get(name, [])) <= 1 or name == "page_md", (name, defs.get(name))
    slug_res = [p for p in (ROOT / "builder").rglob("*.py") if "SLUG_RE = re.compile" in p.read_text(encoding="utf-8")]
    assert len(slug_res) == 1, slug_res


def test_check_loads_no_office_library(sample_copy):
    """`check` runs on every save of an editor's preview and in CI: the
    office libraries (openpyxl, and numpy through it; python-docx;
    XlsxWriter) are imported only by what writes a workbook or document."""
    code = textwrap.dedent(
        f"""
        import sys
        from builder.pipeline import check
        _, diags = check({str(sample_copy)!r}, {str(sample_copy.parent)!r})
        print(sorted(m for m in ("openpyxl", "numpy", "docx", "xlsxwriter") if m in sys.modules))
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == "[]"
