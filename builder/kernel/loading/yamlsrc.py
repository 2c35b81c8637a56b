"""YAML with positions.

PyYAML gives line/column on its nodes but drops them when it builds Python
objects, and it silently lets a later duplicate key overwrite an earlier one.
We compose the node graph ourselves (with libyaml when available) and build
plain Python data alongside a map from every value's path to its position.
Hand-written because no maintained library does both duplicate-key detection
and per-value positions on top of PyYAML's safe schema.
"""

from __future__ import annotations

import datetime as _dt
import re
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading.textfile import read_text

if TYPE_CHECKING:
    from yaml import CSafeLoader as _BaseLoader
else:
    try:  # libyaml is an order of magnitude faster; fall back quietly.
        from yaml import CSafeLoader as _BaseLoader
    except ImportError:  # pragma: no cover
        from yaml import SafeLoader as _BaseLoader

Path_ = tuple[str | int, ...]  # a path into the data: ("gallery", 0, "file")

# Limits that keep hostile or broken files from hanging the build.
MAX_NODES = 200_000
MAX_DEPTH = 100


class _Loader(_BaseLoader):
    """Safe loader with YAML 1.2-style booleans: only true/false.

    YAML 1.1 turns yes/no/on/off into booleans, which surprises editors.

    libyaml's composer calls back into Python for every node to resolve its
    tag. With no path resolvers (PyYAML's rarely used add_path_resolver; this
    loader has none) a plain scalar's tag depends on its text alone, and a
    county's files repeat the same few thousand texts (keys, scores, 达标), so
    the answer is remembered, and the two path-resolver hooks have nothing to
    do (tests/test_yaml_suite.py: the same tags as PyYAML's resolver).
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG  # quoted or block text: a string
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                if len(_PLAIN_TAGS) >= _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS.clear()
                tag = _PLAIN_TAGS[value] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            return tag
        return self.DEFAULT_MAPPING_TAG if kind is MappingNode else self.DEFAULT_SEQUENCE_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 50_000


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in _BaseLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

assert not _Loader.yaml_path_resolvers  # what _Loader.resolve relies on

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:pairs",
    "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
    "!",
}

# Every document, while it is alive (forget_positions reaches them all).
_LIVE: weakref.WeakSet[YamlDoc] = weakref.WeakSet()

_FULLWIDTH_KEY = re.compile(r"^\s*(?:[-－]\s+)?[A-Za-z_][\w\-]*\s*：")
_FULLWIDTH_DASH = re.compile(r"^\s*－\s")


class YamlDoc:
    """A loaded YAML file: plain data plus the position of every value.

    The positions are most of a loaded county's memory (a village.yml's
    values each have a path and a line and column) and are needed only to
    place a diagnostic. A one-shot build forgets them once the content is
    validated (forget_positions); asked again, a document reads them once
    more from its own text, so a late diagnostic is still located exactly."""

    def __init__(
        self,
        file: str,
        data: Any,
        positions: dict[Path_, tuple[int, int]] | None = None,
        key_positions: dict[Path_, tuple[int, int]] | None = None,
        text: str = "",
        reported: set[Path_] | None = None,
    ) -> None:
        self.file = file
        self.data = data
        self._positions = positions if positions is not None else {}
        self._key_positions = key_positions if key_positions is not None else {}
        self._forgotten = False
        self.text = text
        # Values the loader already reported (an impossible date, an unreadable
        # scalar) and left empty: validation does not report them a second time.
        self.reported = reported if reported is not None else set()
        _LIVE.add(self)

    def __repr__(self) -> str:
        return f"YamlDoc({self.file!r})"

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        if self._forgotten:
            self._recall()
        return self._positions

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        if self._forgotten:
            self._recall()
        return self._key_positions

    def forget(self, keep: Callable[[Path_], bool] | None = None) -> None:
        """Let the positions go (they can be read again from the text), but
        those of the values ``keep`` names (looked up for every file, not
        only for a diagnostic: reading every file again would cost more)."""
        if self.text and not self._forgotten:  # forgotten already: what it kept stays
            kept = {p: at for p, at in self._positions.items() if keep(p)} if keep else {}
            self._positions, self._key_positions, self._forgotten = kept, {}, True

    def position(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """(line, column) of the value at exactly ``path``; None if there is none."""
        at = tuple(path)
        hit = self._positions.get(at)
        if hit is None and self._forgotten:
            self._recall()
            hit = self._positions.get(at)
        return hit

    def _recall(self) -> None:
        self._forgotten = False
        again = parse_yaml(self.text, self.file, Diagnostics())
        if again is not None:
            self._positions, self._key_positions = again._positions, again._key_positions

    def loc(self, path: Sequence[str | int] = (), *, key: bool = False) -> Location:
        """Location of the value (or, with key=True, of its key) at path;
        the nearest enclosing value when path does not exist."""
        at = tuple(path)
        if self._forgotten:
            if not key and at in self._positions:  # kept (forget's ``keep``)
                line, col = self._positions[at]
                return Location(self.file, line, col)
            self._recall()
        if key and at in self.key_positions:
            line, col = self.key_positions[at]
            return Location(self.file, line, col)
        while True:
            if at in self.positions:
                line, col = self.positions[at]
                return Location(self.file, line, col)
            if not at:
                return Location(self.file, 1, 1)
            at = at[:-1]

    def key_loc(self, path: Sequence[str | int]) -> Location:
        return self.loc(path, key=True)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_PROBLEMS_ZH = [
    ("could not find expected ':'", "找不到应有的冒号“:”（上一行可能少了冒号，或冒号后缺空格）"),
    ("mapping values are not allowed", "这里不能出现“字段: 值”（值里有冒号“: ”时要给整个值加引号；也可能是缩进不对）"),
    ("found character '\\t' that cannot start any token", "出现了制表符（Tab），YAML 只能用空格缩进"),
    ("found character that cannot start any token", "出现了不能作为开头的字符（值以 @、` 等符号开头时请加引号）"),
    ("did not find expected key", "缩进不一致，找不到应有的字段"),
    ("did not find expected '-' indicator", "列表的缩进不一致，找不到应有的“-”"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有成对）"),
    ("found undefined alias", "引用了未定义的锚点（*名字）"),
    ("found duplicate anchor", "锚点（&名字）重复定义"),
    ("expected <block end>, but found", "缩进不一致"),
    ("did not find expected node content", "这里缺少内容"),
    ("found unknown escape character", "双引号里有无效的转义字符（反斜杠“\\”请写成“\\\\”，或改用单引号）"),
    ("while scanning a quoted scalar", "引号没有成对"),
    ("found unexpected ':'", "冒号位置不对（值里有冒号时请给整个值加引号）"),
    ("block sequence entries are not allowed", "这里不能开始列表（检查“-”前面的缩进）"),
    ("expected ',' or ']'", "方括号列表 [ ] 没有正确结束"),
    ("expected ',' or '}'", "花括号 { } 没有正确结束"),
    ("while parsing a flow", "方括号或花括号没有成对"),
    ("found a tab character", "出现了制表符（Tab），YAML 只能用空格缩进"),
]


def _problem_zh(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    for needle, zh in _PROBLEMS_ZH:
        if needle in problem or needle in context:
            return zh
    return "格式不符合 YAML 语法"


def _triage_lines(text: str, upto_line: int) -> tuple[str, int, int, str, str] | None:
    """Find a typical editor mistake at or before the failing line: a tab or a
    full-width space in indentation, or full-width punctuation after a key."""
    lines = text.split("\n")
    last = min(max(upto_line, 1), len(lines))
    block_indent = None  # inside a literal/folded block scalar: prose, not structure
    found = None
    for i in range(last):
        line = lines[i]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if stripped == "" or indent > block_indent:
                continue
            block_indent = None
        if re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", line):
            block_indent = indent
        lead_m = re.match(r"[ \t\u3000]*", line)
        assert lead_m is not None  # "*" matches the empty string too
        lead = lead_m.group(0)
        if "\t" in lead:
            found = (
                "tab-indent",
                i + 1,
                lead.index("\t") + 1,
                "缩进里有制表符（Tab），YAML 只能用空格缩进。",
                "把这一行开头的 Tab 换成空格（每层两个空格）。多数编辑器可以设置“按 Tab 键插入空格”。",
            )
        elif "\u3000" in lead:
            found = (
                "fullwidth-space",
                i + 1,
                lead.index("\u3000") + 1,
                "缩进里有全角空格“　”。",
                "把这一行开头的全角空格删掉，改用英文半角空格（切换到英文输入法再按空格）。",
            )
        elif _FULLWIDTH_KEY.match(line):
            col = line.index("：") + 1
            found = (
                "fullwidth-punct",
                i + 1,
                col,
                "字段名后面用了中文冒号“：”，YAML 需要英文冒号“:”加一个空格。",
                "把“：”改成英文冒号“:”，并在冒号后加一个空格，例如 name: 王家村",
            )
        elif _FULLWIDTH_DASH.match(line):
            found = (
                "fullwidth-punct",
                i + 1,
                indent + 1,
                "列表项前用了中文短横线“－”，YAML 需要英文“-”加一个空格。",
                "把“－”改成英文短横线“-”，后面加一个空格。",
            )
    return found


_KEY_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w\-]*):(?=[^\s])")
_KEY_LINE = re.compile(r"^\s*(?:-\s|[A-Za-z_][\w\-]*\s*:(\s|$))")


def _open_quote(line: str) -> int | None:
    """Column (0-based) of a quote that opens a value on this line and is not
    closed on it, or None."""
    m = re.match(r"^\s*(?:-\s+)?(?:[^\s:#][^:#]*:\s+)?(?:-\s+)?([\"'])", line)
    if not m:
        return None
    q, start = m.group(1), m.start(1)
    rest = line[start + 1 :]
    if q == '"':
        rest = re.sub(r"\\.", "", rest)
        closed = '"' in rest
    else:
        closed = "'" in rest.replace("''", "")
    return None if closed else start


def _locate_more(text: str, exc: yaml.MarkedYAMLError, line: int) -> tuple[str, int, int, str, str] | None:
    """Better locations for errors PyYAML reports far from their cause:
    an unclosed flow collection (reported at the next line), a quote that is
    never closed on its line (the string swallows the following lines), and a
    key without a space after its colon."""
    lines = text.split("\n")
    context = getattr(exc, "context", "") or ""
    cmark = getattr(exc, "context_mark", None)
    if context.startswith("while parsing a flow") and cmark is not None and cmark.line + 1 < line:
        what = "方括号 [ ]" if "sequence" in context else "花括号 { }"
        return (
            "yaml-syntax",
            cmark.line + 1,
            cmark.column + 1,
            f"从第 {cmark.line + 1} 行开始的{what}没有正确结束（缺少右括号，或里面的逗号、冒号需要加引号）。",
            "在这一行末尾补上右括号；值里有逗号或冒号时给它加引号。",
        )
    if context.startswith("while scanning a quoted scalar") and cmark is not None:
        return (
            "yaml-syntax",
            cmark.line + 1,
            cmark.column + 1,
            f"第 {cmark.line + 1} 行的引号没有成对（缺少结尾的引号）。",
            "在值的末尾补上同样的引号；值里本身有引号时，改用中文引号“”或另一种引号。",
        )
    for i in range(min(line, len(lines))):
        col = _open_quote(lines[i])
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if col is not None and _KEY_LINE.match(nxt):
            return (
                "yaml-syntax",
                i + 1,
                col + 1,
                f"第 {i + 1} 行的引号没有成对（缺少结尾的引号），后面几行都被当成了这段文字。",
                "在值的末尾补上同样的引号；值里本身有引号时，改用中文引号“”或另一种引号。",
            )
    for i in range(min(line, len(lines)) - 1, max(-1, line - 4), -1):
        m = re.match(r"^(\s*)-(?=[^\s\-])", lines[i])
        if m and not lines[i].startswith("---"):
            return (
                "yaml-syntax",
                i + 1,
                m.end(1) + 1,
                f"第 {i + 1} 行列表项的“-”后面缺少空格。",
                "在“-”后面加一个空格，例如 - title: 党群服务中心",
            )
    problem = getattr(exc, "problem", "") or ""
    if "mapping values are not allowed" in problem and 0 < line <= len(lines):
        m = re.match(r"^\s*(?:-\s+)?([^\s:#][^:#]*?):\s+(\S.*)$", lines[line - 1])
        if m and re.search(r":(\s|$)", m.group(2)) and m.group(2)[0] not in "\"'[{|>":
            return (
                "yaml-syntax",
                line,
                m.start(1) + 1,
                f"第 {line} 行“{m.group(1)}”的值里有英文冒号加空格“: ”，YAML 会把它当成下一级字段。",
                f'给整个值加引号，例如 {m.group(1)}: "…"；或把值里的冒号改成中文冒号“：”。',
            )
    for i in range(min(line, len(lines)) - 1, -1, -1):
        m = _KEY_NO_SPACE.match(lines[i])
        if m and not lines[i].lstrip().startswith("#"):
            return (
                "yaml-syntax",
                i + 1,
                m.end(1) + 1,
                f"第 {i + 1} 行“{m.group(1)}:”的冒号后面缺少空格。",
                f"在冒号后加一个空格，例如 {m.group(1)}: 值",
            )
        if lines[i].strip() and not lines[i].startswith(" ") and i < line - 2:
            break  # stop at the previous top-level line: the cause is not further up
    return None


# Plain decimal numbers, read the same by PyYAML's YAML 1.1 constructors and
# by int()/float() (no leading zero: "012" is octal in YAML 1.1; no "_", ":",
# exponent or .inf — those go through PyYAML).
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_PLAIN_FLOAT = re.compile(r"-?(?:[0-9]+\.[0-9]*|\.[0-9]+)\Z")


class _Builder:
    def __init__(self, doc: YamlDoc, diags: Diagnostics, loader: _Loader, positions: bool = True):
        self.doc = doc
        # None: the positions are not kept (parse_yaml(positions=False))
        self.positions = doc._positions if positions else None
        self.key_positions = doc._key_positions if positions else None
        self.diags = diags
        self.loader = loader
        self.count = 0
        self.too_big = False
        # Without an anchor (&) no node can be reached twice, so no alias
        # cycle needs tracking (most files: the common case stays cheap).
        self.anchors = "&" in doc.text

    def build(self, node: yaml.Node, path: Path_, depth: int = 0, stack: frozenset[int] = frozenset()) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            if not self.too_big:
                self.too_big = True
                self.diags.emit(
                    Location(self.doc.file, *_pos(node)),
                    "yaml-syntax",
                    "文件结构过深或过大（可能是锚点/别名的循环或大量重复引用）。",
                    "不要使用 & 锚点和 * 别名，直接写出内容。",
                )
            return None
        positions = self.positions
        if positions is not None and path not in positions:
            mark = node.start_mark
            positions[path] = (mark.line + 1, mark.column + 1)
        if node.tag not in _SAFE_TAGS:
            self.diags.emit(
                Location(self.doc.file, *_pos(node)),
                "yaml-tag",
                f"不支持的 YAML 标签 {node.tag}。",
                "删掉标签，直接写值。",
            )
            return None
        if id(node) in stack:
            self.diags.emit(
                Location(self.doc.file, *_pos(node)),
                "yaml-syntax",
                "别名（*）引用了它自己所在的内容，形成循环。",
                "不要使用 & 锚点和 * 别名，直接写出内容。",
            )
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        inner = stack | {id(node)} if self.anchors else stack
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i), depth + 1, inner) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth, inner)
        return None  # pragma: no cover

    def scalar(self, node: ScalarNode, path: Path_) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
            value = node.value
        elif tag == "tag:yaml.org,2002:int" and _PLAIN_INT.match(node.value):
            value = int(node.value)  # what PyYAML's constructor gives, without its generic machinery
        elif tag == "tag:yaml.org,2002:float" and _PLAIN_FLOAT.match(node.value):
            value = float(node.value)  # (scores: most scalars of a county are these two)
        else:
            try:
                value = self.loader.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.constructor.ConstructorError):
                self.doc.reported.add(path)
                if node.tag == "tag:yaml.org,2002:timestamp":
                    self.diags.emit(
                        Location(self.doc.file, *_pos(node)),
                        "bad-date",
                        (f"{path[-1]} 的值" if path and isinstance(path[-1], str) else "")
                        + f"“{node.value}”不是一个存在的日期。",
                        "日期写成 年-月-日，例如 2024-03-15，并检查月份的天数。",
                    )
                else:
                    self.diags.emit(
                        Location(self.doc.file, *_pos(node)),
                        "wrong-type",
                        f"无法识别的值“{node.value}”。",
                        "如果这是文字，请给它加上引号。",
                    )
                return None
        if isinstance(value, _dt.datetime):
            value = value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
        if isinstance(value, str) and not node.style and "：" in value:
            m = _FULLWIDTH_KEY.match(value)
            if m:
                self.diags.emit(
                    Location(self.doc.file, *_pos(node)),
                    "fullwidth-punct",
                    f"“{value[: m.end()]}”用了中文冒号“：”，YAML 需要英文冒号“:”加一个空格。",
                    "把“：”改成英文冒号“:”，冒号后加一个空格。",
                )
        return value

    def mapping(self, node: MappingNode, path: Path_, depth: int, stack: frozenset[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.diags.emit(
                    Location(self.doc.file, *_pos(key_node)),
                    "wrong-type",
                    "字段名必须是一段文字，不能是列表或对象。",
                    "检查这一行的“?”或方括号、花括号。",
                )
                continue
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                self.diags.emit(
                    Location(self.doc.file, *_pos(key_node)),
                    "unknown-key",
                    "不支持 YAML 合并键“<<”。",
                    "把要合并的内容直接写出来。",
                )
                continue
            key = key_node.value
            if "\u3000" in key and (key.startswith("\u3000") or key.endswith("\u3000")):
                self.diags.emit(
                    Location(self.doc.file, *_pos(key_node)),
                    "fullwidth-space",
                    "字段名前后有全角空格“　”。",
                    "删掉全角空格，缩进改用英文半角空格。",
                )
                key = key.strip("\u3000")
            if key in out:
                first = next(
                    _pos(k)[0] for k, _ in node.value if isinstance(k, ScalarNode) and k.value.strip("\u3000") == key
                )
                self.diags.emit(
                    Location(self.doc.file, *_pos(key_node)),
                    "duplicate-key",
                    f"字段“{key}”重复出现（第一次在第 {first} 行），后写的会覆盖先写的。",
                    "把两处内容合并到一个字段里，再删掉多余的一个。",
                )
                continue
            at = (*path, key)
            if self.key_positions is not None:
                mark = key_node.start_mark
                self.key_positions[at] = (mark.line + 1, mark.column + 1)
            out[key] = self.build(value_node, at, depth + 1, stack)
        return out


def forget_positions() -> int:
    """Every loaded document lets its positions go (YamlDoc.forget): for a
    one-shot build, once validate and derive have run (the adapters call it;
    never the preview, which validates again after every edit). At 10,000
    villages that is ≈ 0.4 GB. Returns how many documents there were."""
    docs = list(_LIVE)
    for doc in docs:
        doc.forget()
    return len(docs)


def parse_yaml(text: str, display: str, diags: Diagnostics, positions: bool = True) -> YamlDoc | None:
    """Parse YAML text; on any problem add diagnostics and return None
    (or a partial doc when the syntax was fine but values were odd).
    positions=False: the document starts forgotten (YamlDoc.forget), for a
    lean build's files that need no position unless something is reported."""
    doc = YamlDoc(display, None, text=text)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc):
                mark = exc.problem_mark
                diags.emit(
                    Location(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1),
                    "multiple-documents",
                    "文件里有多个 YAML 文档（用“---”分隔），一个文件只能有一个。",
                    "删掉多余的“---”，或把另一部分放到单独的文件里。",
                )
                return None
            raise
        if node is None:
            diags.emit(
                Location(display, 1, 1),
                "empty-file",
                "文件是空的（或只有注释）。",
                "参照示例填写内容，或删除这个文件。",
            )
            return None
        builder = _Builder(doc, diags, loader, positions)
        doc.data = builder.build(node, ())
        if not positions:
            doc._forgotten = True
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        found = _triage_lines(text, line) or _locate_more(text, exc, line)
        if found:
            code, fline, fcol, msg, hint = found
            diags.emit(Location(display, fline, fcol), code, msg, hint)
        else:
            diags.emit(
                Location(display, line, col),
                "yaml-syntax",
                f"第 {line} 行第 {col} 列附近 YAML 格式错误：{_problem_zh(exc)}。",
                "对照上下几行检查缩进（只用空格，同一层对齐）、冒号后的空格和引号是否成对。",
            )
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters etc.
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        if hasattr(exc, "position") and not mark:
            line = text.count("\n", 0, exc.position) + 1
        ch = getattr(exc, "character", None)
        what = f"编号为 U+{ord(ch):04X} 的控制字符" if isinstance(ch, str) and ch else "控制字符"
        diags.emit(
            Location(display, line, 1),
            "yaml-syntax",
            f"第 {line} 行有看不见的{what}，YAML 文件里不允许。",
            "删除不可见的控制字符，或把文件重新另存为 UTF-8 文本。",
        )
        return None
    except RecursionError:
        diags.emit(Location(display, 1, 1), "yaml-syntax", "文件嵌套层数过多，无法读取。", "减少嵌套层数。")
        return None
    finally:
        loader.dispose()


def load_yaml(path: Path, display: str, diags: Diagnostics, positions: bool = True) -> YamlDoc | None:
    text = read_text(path, display, diags)
    if text is None:
        return None
    if _parsed is None:
        return parse_yaml(text, display, diags, positions)
    key = (display, text)
    hit = _parsed.get(key)
    if hit is None:
        own = Diagnostics(catalogue=diags.catalogue)
        hit = _parsed[key] = (parse_yaml(text, display, own), list(own))
    doc, found = hit
    diags.extend(found)
    return _copy_doc(doc)


# The preview (builder.preview) reruns the pipeline after every edit. With
# keep_parsed() on, a file whose text is unchanged is not parsed again: the
# loader gets a fresh copy of the earlier result (loaders may normalise the
# data in place) and the same diagnostics. Off by default (one build parses
# each file once).
_parsed: dict[tuple[str, str], tuple[YamlDoc | None, list[Any]]] | None = None
_PARSED_MAX = 100_000


def keep_parsed(on: bool = True) -> None:
    """Turn the parse cache of load_yaml on (emptied) or off."""
    global _parsed
    _parsed = {} if on else None


def bound_parsed() -> None:
    """Empty the cache when it grew past its bound (old texts of edited files pile up)."""
    if _parsed is not None and len(_parsed) > _PARSED_MAX:
        _parsed.clear()


def _copy_data(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _copy_data(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_copy_data(v) for v in x]
    return x  # str, int, float, bool, None, date: immutable


def _copy_doc(doc: YamlDoc | None) -> YamlDoc | None:
    if doc is None:
        return None
    return YamlDoc(
        doc.file,
        _copy_data(doc.data),
        dict(doc.positions),
        dict(doc.key_positions),
        doc.text,
        set(doc.reported),
    )
