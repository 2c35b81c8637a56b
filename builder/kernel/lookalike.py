"""Characters that look like what the editor meant but are something else:
full-width digits, letters and punctuation (a Chinese input method left on),
Word's curly quotes, the ideographic space and invisible zero-width marks.

Python's ``unicodedata.normalize("NFKC")`` maps most full-width forms to
ASCII, but it also rewrites many other characters (circled digits, ligatures,
CJK compatibility ideographs) that editors write on purpose, and it says
nothing about *which* character was wrong; hence this small table. Nothing
here changes content: it only tells the editor what to type instead."""

from __future__ import annotations

import re

# character → (what it should be, how the editor knows it)
_NAMED: dict[str, tuple[str, str]] = {
    "，": (",", "中文逗号“，”"),
    "、": (",", "顿号“、”"),
    "：": (":", "中文冒号“：”"),
    "；": (";", "中文分号“；”"),
    "．": (".", "全角句点“．”"),
    "。": (".", "句号“。”"),
    "－": ("-", "全角短横“－”"),
    "—": ("-", "破折号“—”"),
    "–": ("-", "短破折号“–”"),
    "＋": ("+", "全角加号“＋”"),
    "（": ("(", "中文括号“（”"),
    "）": (")", "中文括号“）”"),
    "［": ("[", "全角方括号“［”"),
    "］": ("]", "全角方括号“］”"),
    "“": ('"', "中文引号“"),
    "”": ('"', "中文引号”"),
    "‘": ("'", "中文单引号‘"),
    "’": ("'", "中文单引号’"),
    "\u3000": (" ", "全角空格"),
    "\u00a0": (" ", "不换行空格"),
    "\u200b": ("", "看不见的零宽空格（U+200B）"),
    "\u200c": ("", "看不见的零宽字符（U+200C）"),
    "\u200d": ("", "看不见的零宽字符（U+200D）"),
    "\u2060": ("", "看不见的零宽字符（U+2060）"),
    "\ufeff": ("", "看不见的 BOM 字符（U+FEFF）"),
}

_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # ０-９ Ａ-Ｚ ａ-ｚ
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Any character a look-alike check could be about (a cheap first filter).
SUSPECT = re.compile("[" + re.escape("".join(_NAMED)) + "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _ascii(ch: str) -> str:
    return chr(ord(ch) - 0xFEE0)


def fix(text: str, *, keep: str = "") -> str:
    """text with every look-alike replaced by what it stands for (characters
    in ``keep`` are left alone, e.g. "，、" where Chinese punctuation is prose)."""
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
        elif _FULLWIDTH.fullmatch(ch):
            out.append(_ascii(ch))
        elif ch in _NAMED:
            out.append(_NAMED[ch][0])
        else:
            out.append(ch)
    return "".join(out)


def names(text: str, *, keep: str = "") -> list[str]:
    """How the editor recognises each kind of look-alike in text, in order of
    first appearance ("全角数字“３”" …), each once."""
    seen: list[str] = []
    for ch in text:
        if ch in keep:
            continue
        if _FULLWIDTH.fullmatch(ch):
            kind = "全角数字" if ch.isdigit() else "全角字母"
            name = f"{kind}“{ch}”"
            if not any(s.startswith(kind) for s in seen):
                seen.append(name)
        elif ch in _NAMED:
            name = _NAMED[ch][1]
            if name not in seen:
                seen.append(name)
    return seen


def explain(text: str, *, keep: str = "") -> str:
    """'里面有全角数字“３”和中文冒号“：”' or '' when text has none."""
    found = names(text, keep=keep)
    if not found:
        return ""
    return "里面有" + "、".join(found[:3]) + ("等" if len(found) > 3 else "")


def has_any(text: str, *, keep: str = "") -> bool:
    return bool(names(text, keep=keep))
