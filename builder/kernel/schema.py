"""Turn pydantic validation errors into located Chinese diagnostics."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from builder.kernel import lookalike
from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import YamlDoc

M = TypeVar("M", bound=BaseModel)
Loc = tuple[int | str, ...]  # pydantic's location of an error: field names and list indices
# What the content knows that the kernel does not: given a value that is not
# a valid id at path, a "是不是想写…" (e.g. a village's folder name for its
# Chinese name), or "".
Hinter = Callable[[Loc, Any], str]

_TYPE_HINTS = {
    "string": '文字（例如电话号码、以数字开头的名称）请加英文引号，例如 phone: "13800000001"。',
    "int": "只写阿拉伯数字，例如 2024，不要写汉字或单位。",
    "float": "只写数字（可带小数点），例如 35.5712，不要加单位、逗号或百分号。",
    "bool": "写 true（是）或 false（否），不要写“是”“否”。",
    "list": "列表写成 [甲, 乙]，或每项单独一行、以“- ”开头。",
    "date": "日期写成 年-月-日，例如 2024-03-15（月、日不足两位前面补 0）。",
    "dict": "这里应该是下一级的“字段: 值”，每行比上一级多缩进两个空格。",
    "model": "这里应该是下一级的“字段: 值”，每行比上一级多缩进两个空格。",
}

# pydantic error types where a value with full-width characters gets the
# "look-alike" message instead of the generic one
_LOOKALIKE_TYPES = frozenset(
    {
        "int_parsing",
        "float_parsing",
        "bool_parsing",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "string_pattern_mismatch",
        "literal_error",
        "int_from_float",
        "int_type",
        "float_type",
        "date_type",
    }
)

_TYPE_NAMES = {
    "string_type": "文字",
    "int_type": "整数",
    "int_parsing": "整数",
    "float_type": "数字",
    "float_parsing": "数字",
    "bool_type": "true 或 false",
    "bool_parsing": "true 或 false",
    "list_type": "列表（每项以“- ”开头）",
    "dict_type": "一组“字段: 值”",
    "model_type": "一组“字段: 值”",
    "date_type": "日期（如 2024-03-15）",
    "date_parsing": "日期（如 2024-03-15）",
    "date_from_datetime_parsing": "日期（如 2024-03-15）",
    "date_from_datetime_inexact": "日期（如 2024-03-15）",
    "model_attributes_type": "一组“字段: 值”",
    "int_from_float": "整数",
}


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """Strip Optional/list/dict around a type; says whether a dict was
    crossed (then the next path part is a dict key, not a field)."""
    import types
    from typing import get_args, get_origin

    crossed_dict = False
    for _ in range(6):
        origin = get_origin(tp)
        if origin in (list, dict, types.UnionType) or str(origin) in ("typing.Union", "typing.Annotated"):
            args = [a for a in get_args(tp) if a is not type(None)]
            if origin is dict:
                crossed_dict = True
            if not args:
                break
            tp = args[-1] if origin is not None and str(origin) != "typing.Annotated" else args[0]
        else:
            break
    return tp, crossed_dict


def _fields_of(model: type[BaseModel], path: Loc) -> list[str]:
    """The allowed keys at path inside model (for did-you-mean)."""
    current: Any = model
    skip_key = False
    for part in path:
        if isinstance(part, int):
            continue
        if skip_key:  # a key of a dict (e.g. a framework item id), not a field
            skip_key = False
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current, skip_key = _unwrap(field.annotation)
        else:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


_LABEL_END = re.compile(r"[，,（(：:；;]|例如")


def _label(field: Any, key: str) -> str:
    text = (getattr(field, "description", None) or "").strip()
    label = _LABEL_END.split(text, maxsplit=1)[0].strip() if text else ""
    return label or key


def human_path(model: type[BaseModel] | None, path: Loc) -> str:
    """A field path as an editor reads it: Chinese labels from the model's
    field descriptions, list positions counted from 1, the YAML key of the
    last field in brackets — ("gallery", 0, "taken") → "照片第 1 项的拍摄日期（taken）"."""
    parts: list[str] = []
    current: Any = model
    skip_key = False
    last_key = ""
    for part in path:
        if isinstance(part, int):
            parts.append(f"第 {part + 1} 项")
            continue
        if skip_key:  # a key of a mapping such as assessments: shown as written
            skip_key = False
            parts.append(f" {part} ")
            continue
        last_key = str(part)
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            parts.append(("的" if parts else "") + str(part))
            current = None
            continue
        parts.append(("的" if parts else "") + _label(field, str(part)))
        current, skip_key = _unwrap(field.annotation)
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    if not text:
        return "（文件）"
    if last_key and not text.endswith(last_key) and isinstance(path[-1], str):
        text += f"（{last_key}）"
    return text


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "一组“字段: 值”"  # never a Python repr in front of an editor
    if isinstance(value, list):
        return "一个列表"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def validate_model(
    model: type[M],
    doc: YamlDoc,
    diags: Diagnostics,
    what: str = "",
    hinter: Hinter | None = None,
    list_separators: bool = True,
) -> M | None:
    """Validate doc.data against model; every error becomes a diagnostic
    at the exact key or value. Returns None when anything failed."""
    result = _validate(model, doc, diags, what, hinter, list_separators)
    return result if isinstance(result, model) else None


def _validate(
    model: type[M], doc: YamlDoc, diags: Diagnostics, what: str, hinter: Hinter | None, list_separators: bool
) -> M | list[ErrorDetails] | None:
    """The model, or pydantic's errors (each reported at its key or value,
    look-alikes checked around them), or None when the file is not a mapping."""
    if not isinstance(doc.data, dict):
        diags.emit(
            doc.loc(()),
            "not-mapping",
            f"文件的最外层应该是一组“字段: 值”{('（' + what + '）') if what else ''}，现在是{_kind(doc.data)}。",
            "参照示例文件的写法，每行一个“字段: 值”。",
        )
        return None
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for err in _drop_missing_explained_by_typo(model, errors):
            if _data_path(tuple(err["loc"])) not in doc.reported:
                report_error(model, doc, diags, err, hinter)
        scan_lookalikes(doc, diags, {_data_path(tuple(e["loc"])) for e in errors}, model, list_separators)
        return errors
    scan_lookalikes(doc, diags, model=model, list_separators=list_separators)
    return result


@dataclass(frozen=True)
class Partial(Generic[M]):
    """What a file validly says despite its errors: the model without the
    values that failed (``broken``: their paths, each reported once), or no
    model when a required value failed (the file then counts as existing but
    broken: references to it are not reported again)."""

    model: M | None
    broken: frozenset[Loc] = frozenset()

    @property
    def complete(self) -> bool:
        return self.model is not None and not self.broken

    def is_broken(self, *prefix: int | str) -> bool:
        """Whether a value at or under ``prefix`` failed (``()``: anywhere)."""
        return broken_under(self.broken, prefix)


def broken_under(broken: frozenset[Loc], prefix: Loc) -> bool:
    """Whether any of the ``broken`` paths is ``prefix`` or lies under it."""
    return any(p[: len(prefix)] == prefix for p in broken)


def validate_partial(
    model: type[M], doc: YamlDoc, diags: Diagnostics, what: str = "", hinter: Hinter | None = None
) -> Partial[M]:
    """Like validate_model (every error reported, located), but a file with
    errors still yields what it validly says: each failing value is left out
    (an unknown key, a wrong value, a list entry whose required part failed)
    and the rest validated again, so one mistake does not hide the file from
    every other file that names it, and its other mistakes are still found."""
    result = _validate(model, doc, diags, what, hinter, True)
    if isinstance(result, list):
        return _salvage(model, doc.data, result)
    return Partial(result)


def scan_lookalikes(
    doc: YamlDoc,
    diags: Diagnostics,
    skip: set[Loc] | frozenset[Loc] = frozenset(),
    model: type[BaseModel] | None = None,
    list_separators: bool = True,
) -> None:
    """Values that validated but probably do not say what the editor meant
    (warnings: the site is built, but the editor should look): a list item
    holding several items joined by a Chinese comma or 顿号, a value wrapped in
    Word's curly quotes (they become part of the text), invisible zero-width
    characters, full-width digits in a phone number. ``skip``: paths already
    reported as errors (one mistake, one message)."""
    if doc.text and not _may_hold_lookalikes(doc.text):
        return
    for path, value, in_list in _strings(doc.data, ()):
        if not lookalike.SUSPECT.search(value):
            continue  # the common case, one regex search: nothing that could look alike
        sep = in_list and list_separators and ("，" in value or "、" in value)
        curly = len(value) >= 2 and value[0] in "“‘" and value[-1] in "”’"
        invisible = not sep and not curly and _INVISIBLE.search(value) is not None
        phone = bool(path) and path[-1] == "phone"
        if not (sep or curly or invisible or phone) or any(path[: len(s)] == s for s in skip):
            continue
        field = human_path(model, path)
        if sep:
            parts = [p.strip() for p in re.split(r"[，、]", value) if p.strip()]
            key = str(path[-2]) if len(path) > 1 else ""
            diags.emit(
                doc.loc(path),
                "list-separator",
                f"“{field}”写的是“{_show(value)}”，{lookalike.explain(value, keep=_NOT_SEPARATORS)}，"
                f"会被当成一项，而不是 {len(parts)} 项。",
                f"列表的各项之间用英文逗号加空格分隔：{key}: [{', '.join(parts)}]",
            )
            continue
        if curly:
            inner = value[1:-1]
            diags.emit(
                doc.loc(path),
                "curly-quotes",
                f"“{field}”的值两头是中文引号（{value[0]}{value[-1]}），引号会成为内容的一部分。",
                f'改用英文引号，或去掉引号：{path[-1]}: "{inner}"',
            )
            continue
        if invisible:
            diags.emit(
                doc.loc(path),
                "invisible-char",
                f"“{field}”{lookalike.explain(value, keep=_VISIBLE)}（常见于从网页或微信复制的文字）。",
                f"删掉它，改成：{path[-1]}: {lookalike.fix(value, keep=_VISIBLE)}",
            )
            continue
        if phone and lookalike.has_any(value, keep=_PHONE_OK):
            diags.emit(
                doc.loc(path),
                "phone-lookalike",
                f"电话“{value}”{lookalike.explain(value, keep=_PHONE_OK)}，手机点了拨不出去。",
                f'用英文输入法重新输入：phone: "{lookalike.fix(value, keep=_PHONE_OK)}"',
            )


# Chinese punctuation that is prose, not a mistake, in a value (the list scan
# names only the separators; the invisible scan only the invisible characters).
_NOT_SEPARATORS = "".join(ch for ch in "：；．。－—–＋（）［］“”‘’\u3000\u00a0" if ch not in "，、")
_VISIBLE = "，、：；．。－—–＋（）［］“”‘’\u3000\u00a0"
_PHONE_OK = "（）—–"  # 0931（0000001）: unusual, but dials after the digits are fixed


_INVISIBLE = re.compile("[" + "".join(sorted(lookalike.INVISIBLE)) + "]")
# a block sequence's "-": after indentation or another indicator ("- - a",
# "--- - a"), before a blank or the line's end
_BLOCK_ITEM = re.compile(r"(?:^|[ \t])-(?:[ \t]|$)", re.M)


def _may_hold_lookalikes(text: str) -> bool:
    """Whether scan_lookalikes could find anything in a file with this text:
    it needs a list (a block item "- " or a flow "["), a curly quote, an
    invisible character or a phone field; an escape could spell any of them.
    Most yearly assessment files have none (a few plain searches instead of
    a walk over every value)."""
    return (
        "\\" in text
        or "[" in text
        or "“" in text
        or "‘" in text
        or "phone" in text
        or _INVISIBLE.search(text) is not None
        or _BLOCK_ITEM.search(text) is not None
    )


def _strings(data: Any, path: Loc) -> Iterator[tuple[Loc, str, bool]]:
    """Every string value in document order, with its path and whether it is
    a list item. A loop over a stack, not nested generators: every file of a
    county passes through here (a value deep in a file would otherwise be
    handed up through one generator per level)."""
    stack: list[tuple[Any, Loc, bool]] = [(data, path, False)]
    while stack:
        value, at, in_list = stack.pop()
        if isinstance(value, str):
            yield at, value, in_list
        elif isinstance(value, dict):
            stack.extend([(v, (*at, k), False) for k, v in reversed(value.items())])
        elif isinstance(value, list):
            stack.extend([(value[i], (*at, i), True) for i in range(len(value) - 1, -1, -1)])


def _salvage(model: type[M], data: dict[str, Any], errors: list[ErrorDetails], rounds: int = 8) -> Partial[M]:
    """Leave out what failed until the rest validates (a missing required
    value moves the cut one level up: the list entry or mapping that needed
    it). A required top-level value cannot be left out: no model then."""
    import copy

    work = copy.deepcopy(data)
    broken: set[Loc] = set()
    for _ in range(rounds):
        cuts: set[Loc] = set()
        for err in errors:
            loc = _data_path(tuple(err["loc"]))
            cut = loc[:-1] if err["type"] == "missing" else loc
            if not cut:
                return Partial(None)
            cuts.add(cut)
        # deepest and highest list index first, so earlier cuts do not move later ones
        removed = sorted(cuts, key=lambda c: (len(c), [str(p).zfill(9) for p in c]), reverse=True)
        done = [c for c in removed if _remove(work, c)]
        if not done:
            return Partial(None)
        broken.update(removed)
        try:
            return Partial(model.model_validate(work), frozenset(broken))
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    return Partial(None)


def _data_path(loc: Loc) -> Loc:
    """pydantic's error location → the path in the YAML data ("[key]" marks
    an invalid mapping key: the entry itself is cut; union member tags such
    as "str" or "int" are not part of the data)."""
    out: list[int | str] = []
    for p in loc:
        if p == "[key]":
            break
        out.append(p)
    return tuple(out)


def _has(node: Any, key: int | str) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _remove(data: Any, path: Loc) -> bool:
    """Delete the value at path; False when it is not there."""
    node = data
    for p in path[:-1]:
        if not _has(node, p):
            return False
        node = node[p]
    if not _has(node, path[-1]):
        return False
    del node[path[-1]]
    return True


def _drop_missing_explained_by_typo(model: type[BaseModel], errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """`slogen: …` gives both "unknown slogen" and "missing slogan": keep the
    first only (its hint already says "did you mean slogan")."""
    unknown: dict[Loc, list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    out: list[ErrorDetails] = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc[:-1] in unknown:
            allowed = _fields_of(model, tuple(p for p in loc[:-1]))
            if any(difflib.get_close_matches(k, allowed, n=1, cutoff=0.5) == [str(loc[-1])] for k in unknown[loc[:-1]]):
                continue
        out.append(err)
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, str):
        return f"文字“{_show(value)}”"
    return f"“{_show(value)}”"


def report_error(
    model: type[BaseModel], doc: YamlDoc, diags: Diagnostics, err: ErrorDetails, hinter: Hinter | None = None
) -> None:
    loc = tuple(err["loc"])
    # pydantic appends "[key]" parts for dict keys; keep only real path parts
    path = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("[") and p.endswith("]")))
    etype = err["type"]
    field = human_path(model, path)
    value = err.get("input")
    if etype == "extra_forbidden":
        key = str(path[-1])
        allowed = _fields_of(model, path[:-1])
        meant = lookalike.fix(key).strip().rstrip(":")
        if meant != key and meant in allowed:
            diags.emit(
                doc.key_loc(path),
                "lookalike",
                f"字段名“{key}”{lookalike.explain(key)}，不是“{meant}”。",
                f"切换到英文输入法重新输入字段名：{meant}",
            )
            return
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
        hint = f"是不是想写“{close[0]}”？" if close else ""
        if allowed:
            hint += "这里可以用的字段有：" + "、".join(allowed) + "。"
        diags.emit(doc.key_loc(path), "unknown-key", f"不认识的字段“{key}”。", hint or "删除这个字段，或检查拼写。")
        return
    if etype == "missing":
        key = str(path[-1])
        diags.emit(
            doc.loc(path[:-1]),
            "missing-key",
            f"缺少必填字段“{key}”（位置：{field}）。",
            f"在这一层加上一行“{key}: …”。",
        )
        return
    if value is None and path in doc.positions:
        diags.emit(doc.loc(path), "empty-value", f"“{field}”没有填值。", "在冒号后面填上内容，或删掉这一行。")
        return
    if isinstance(value, str) and lookalike.has_any(value) and etype in _LOOKALIKE_TYPES:
        fixed = lookalike.fix(value).strip()
        what = _TYPE_NAMES.get(etype, "合规的值")
        diags.emit(
            doc.loc(path),
            "lookalike",
            f"“{field}”的值“{_show(value)}”{lookalike.explain(value)}，所以不是{what}。",
            f"切换到英文输入法重新输入：{path[-1]}: {fixed}" if path else f"改成 {fixed}",
        )
        return
    if etype in _TYPE_NAMES:
        diags.emit(
            doc.loc(path),
            "wrong-type",
            f"“{field}”应该是{_TYPE_NAMES[etype]}，现在是{_kind(value)}。",
            _TYPE_HINTS.get(etype.split("_")[0], "按要求修改这个值；文字里有冒号等特殊字符时请给整个值加引号。"),
        )
        return
    if etype == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'\"") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.3)
        diags.emit(
            doc.loc(path),
            "bad-value",
            f"“{field}”的值“{_show(value)}”不在可选范围内。",
            (f"是不是想写“{close[0]}”？" if close else "") + f"只能是：{'、'.join(options)}。",
        )
        return
    if etype == "too_short" and int(err.get("ctx", {}).get("min_length", 1)) > 1:
        need = int(err.get("ctx", {}).get("min_length", 2))
        have = len(value) if isinstance(value, (list, dict)) else 0
        diags.emit(
            doc.loc(path),
            "bad-value",
            f"“{field}”至少要有 {need} 项，现在只有 {have} 项。",
            f"再加上 {need - have} 项。",
        )
        return
    if etype in ("string_too_short", "too_short"):
        diags.emit(doc.loc(path), "empty-value", f"“{field}”不能为空。", "填写内容，至少一项。")
        return
    if etype == "string_pattern_mismatch":
        meant = hinter(path, value) if hinter is not None else ""
        diags.emit(doc.loc(path), "bad-value", f"“{field}”的值“{_show(value)}”格式不对。", meant + _pattern_hint(path))
        return
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        op = {"greater_than": "大于", "greater_than_equal": "不小于", "less_than": "小于", "less_than_equal": "不大于"}[
            etype
        ]
        diags.emit(
            doc.loc(path), "bad-value", f"“{field}”的值 {_show(value)} 超出范围：应{op} {bound}。", "检查数值是否填错。"
        )
        return
    if etype.startswith(("date", "datetime")):
        diags.emit(
            doc.loc(path),
            "bad-date",
            f"“{field}”的值“{_show(value)}”不是有效日期。",
            "日期写成 年-月-日，例如 2024-03-15。",
        )
        return
    if etype == "string_too_long":
        limit = err.get("ctx", {}).get("max_length", 0)
        n = len(value.strip()) if isinstance(value, str) else 0
        hint = f"删减到 {limit:,} 个字以内，只写要点。"
        if doc.file.endswith("village.yml"):
            hint += "详细的介绍请写进同一文件夹的 index.md（正文）。"
        hint += "各字段的字数上限见编辑指南“内容大小上限”。"
        if loc and loc[-1] == "[key]":
            diags.emit(
                doc.key_loc(path),
                "text-too-long",
                f"字段名“{_show(value)}”太长：有 {n:,} 个字，最多 {limit:,} 个字。",
                hint,
            )
            return
        diags.emit(doc.loc(path), "text-too-long", f"“{field}”太长：有 {n:,} 个字，最多 {limit:,} 个字。", hint)
        return
    if etype == "too_long":
        diags.emit(doc.loc(path), "bad-value", f"“{field}”的项目太多。", "删掉多余的项。")
        return
    diags.emit(doc.loc(path), "bad-value", f"“{field}”的值有误：{err.get('msg', '')}", "按字段说明修改。")


def _pattern_hint(path: Loc) -> str:
    last = str(path[-1]) if path else ""
    if last == "month":
        return "月份写成 年-月，例如 2022-03。"
    if last in ("village", "villages") or (len(path) > 1 and path[-2] == "villages"):
        return "村的编号只能用小写英文字母、数字和短横线，就是 content/villages/ 下的文件夹名。"
    return "编号只能用英文字母、数字、下划线和短横线。"
