"""Private phones stay private: every number a contact marks
``phone_public: false`` is searched for in every published text of every
content file, and each occurrence is a located ``private-phone`` error.

What is searched: every string (and integer) value of every loaded YAML
document (site.yml, towns.yml, frameworks, villages, projects, tours and
their score files) and each village's index.md. The private contact's own
``phone:`` field is not an occurrence.

How numbers are compared: a text is cut into *runs* of digits joined by at
most three separator characters (whitespace, ``-``, ``.``, parentheses, the
dashes U+2010–2015 and their full-width forms). Digits are any Unicode
decimal digit (so full-width ０-９ count). A match is a sequence of whole
digit groups of one run whose digits equal the number, optionally with the
country prefix 86 / 0086 (``+86``), so it is always bounded by non-digits:
``13800000001`` inside ``813800000001`` or ``138000000012`` is not a match,
while ``138 0000 0001``, ``138-0000-0001``, ``(+86) 13800000001`` and
``１３８００００００００１`` are. For a landline with its area code
(``0931-8123456``) the local number alone (``8123456``) is searched as well.
Numbers written in Chinese numerals (一三八…) are not recognised.

A number that one contact marks public and another private is treated as
private: the public contact's ``phone:`` field is reported too, saying which
contact keeps the number private, because publishing it there publishes it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from builder.content import Content
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.loading import memo
from builder.kernel.loading.yamlsrc import YamlDoc

CODE = "private-phone"
MIN_DIGITS = 6  # shorter "numbers" are years, counts, amounts
MAX_DIGITS = 16  # the longest target: 0086 + a 12-digit landline

_SEP = r"[\s\-.()\u2010-\u2015\u2212\uFF0D\uFF0E\uFF08\uFF09]"
_RUN = re.compile(r"\d+(?:" + _SEP + r"{1,3}\d+)*")
# On a YAML file's source, where folding turns a line break and its
# indentation into one space: any number of separators.
_LOOSE_RUN = re.compile(r"\d+(?:" + _SEP + r"+\d+)*")
_GROUP = re.compile(r"\d+")


@dataclass(frozen=True)
class Owner:
    """A contact whose phone field holds a number."""

    village: str  # village name
    slug: str
    role: str
    name: str
    public: bool
    loc: Location  # of the phone field

    def who(self, here_slug: str | None) -> str:
        person = f"{self.role} {self.name}"
        return person if here_slug == self.slug else f"{self.village}{person}"


def _digits(text: str) -> str:
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _groups(run: re.Match) -> list[tuple[int, int, str]]:
    """The digit groups of a run: (start, end, ASCII digits), offsets in the
    original text."""
    base = run.start()
    return [(base + g.start(), base + g.end(), _digits(g.group())) for g in _GROUP.finditer(run.group())]


def _strip_country(d: str) -> str:
    """National form of a number written with the country prefix."""
    for prefix in ("0086", "86"):
        if d.startswith(prefix):
            rest = d[len(prefix) :]
            if (rest.startswith("1") and len(rest) == 11) or (rest[:1] not in ("", "0", "1") and 9 <= len(rest) <= 11):
                return rest if rest.startswith("1") else "0" + rest
    return d


def _plausible(d: str) -> bool:
    d = _strip_country(d)
    if d.startswith("1"):
        return len(d) == 11 or MIN_DIGITS <= len(d) <= 8  # a mobile, or a short service number
    if d.startswith("0"):
        return 10 <= len(d) <= 12  # a landline with its area code
    return 7 <= len(d) <= 8  # a landline without it


def numbers_in_phone_field(value: str) -> list[str]:
    """The numbers written in one phone field, in national form. A field may
    hold more than one ("138… / 0931-…", "138 0000 0001 139 0000 0002")."""
    out: list[str] = []
    for run in _RUN.finditer(value):
        groups = _groups(run)
        whole = _strip_country("".join(g[2] for g in groups))
        if MIN_DIGITS <= len(whole) <= 12:
            out.append(whole)
            continue
        i = 0
        while i < len(groups):  # several numbers in one run: take the longest plausible pieces
            acc, best = "", None
            for j in range(i, len(groups)):
                acc += groups[j][2]
                if len(acc) > MAX_DIGITS:
                    break
                if _plausible(acc):
                    best = (j, acc)
            if best:
                out.append(_strip_country(best[1]))
                i = best[0] + 1
            else:
                i += 1
    return [n for n in out if len(n) >= MIN_DIGITS]


def _variants(number: str) -> set[str]:
    """Digit strings that, as whole groups of a run, spell this number."""
    out = {number, "86" + number, "0086" + number}
    if number.startswith("0"):
        out |= {"86" + number[1:], "0086" + number[1:]}
        if 10 <= len(number) <= 12:
            area = 3 if number[1] in "12" else 4  # 010, 02x; every other area code has 4 digits
            local = number[area:]
            if len(local) in (7, 8) and local[0] not in "01":
                out.add(local)
    return {v for v in out if len(v) >= MIN_DIGITS}


def find_numbers(
    text: str, targets: dict[str, str], longest: int = MAX_DIGITS, runs: re.Pattern = _RUN
) -> Iterator[tuple[int, int, str]]:
    """(start, end, number) for each occurrence in text of a target digit
    string (see the module docstring); targets maps digit strings to the
    number they spell, none longer than `longest`."""
    if not targets:
        return
    for run in runs.finditer(text):
        if run.end() - run.start() < MIN_DIGITS:
            continue
        groups = _groups(run)
        i = 0
        while i < len(groups):
            acc, best = "", None
            for j in range(i, len(groups)):
                acc += groups[j][2]
                if len(acc) > longest:
                    break
                if acc in targets:
                    best = j, targets[acc]
            if best:
                yield groups[i][0], groups[best[0]][1], best[1]
                i = best[0] + 1
            else:
                i += 1


def _masked(raw: str, number: str) -> str:
    """The matched text with its middle digits hidden (the report may end up
    in a CI log): 138-0000-0001 → 138-****-0001, +86 138… → +86 138****0001."""
    positions = [i for i, ch in enumerate(raw) if ch.isdecimal()]
    prefix = max(0, len(positions) - len(number))  # 86 / 0086
    keep_head = 3 if len(positions) - prefix > 8 else 2
    hide = set(positions[prefix + keep_head : -4 if len(positions) - prefix > 8 else -2])
    return "".join("*" if i in hide else ch for i, ch in enumerate(raw))


def _walk(data: Any) -> list[tuple[tuple, str]]:
    """(path, text) of every string and integer value, in document order."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, int) and not isinstance(value, bool):
            out.append((path, str(value)))
    return out


class _DocIndex:
    """Offsets of a YAML document's values, to place a match on its own line
    inside a long (e.g. block) scalar."""

    def __init__(self, doc: YamlDoc):
        text = doc.text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.value_starts = sorted(self.offset(line, col) for line, col in doc.positions.values())

    def offset(self, line: int, col: int) -> int:
        if line - 1 >= len(self.line_starts):
            return self.line_starts[-1]
        return self.line_starts[line - 1] + col - 1

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1


def _yaml_loc(
    doc: YamlDoc,
    path: tuple,
    matches: list[tuple[int, int, str]],
    k: int,
    text: str,
    targets: dict[str, str],
    longest: int,
    cache: dict,
) -> Location:
    """Where the k-th of a value's matches is in the source: its own line
    and column, also inside a block or multi-line scalar; the value's
    position when the source spells it differently (escapes)."""
    base = doc.loc(path)
    if path not in doc.positions or not doc.text:
        return base
    idx = cache.get(id(doc))
    if idx is None:
        idx = cache[id(doc)] = _DocIndex(doc)
    start = idx.offset(base.line, base.column)
    nxt = bisect.bisect_right(idx.value_starts, start)
    stop = idx.value_starts[nxt] if nxt < len(idx.value_starts) else len(doc.text)
    region = doc.text[start:stop]
    in_source = list(find_numbers(region, targets, longest, _LOOSE_RUN))
    if len(in_source) == len(matches):  # the same occurrences, folded or not
        return Location(doc.file, *idx.position(start + in_source[k][0]))
    a, b, _ = matches[k]
    at = region.find(text[a:b])
    return Location(doc.file, *idx.position(start + at)) if at >= 0 else base


def _inside(text: str, offset: int, fields: dict[tuple[int, int], int]) -> bool:
    """Is offset inside one of fields ((line, column) of a value → its length
    in the source)?"""
    line_start = text.rfind("\n", 0, offset) + 1
    line = text.count("\n", 0, line_start) + 1
    col = offset - line_start + 1
    return any(fl == line and fc <= col < fc + n for (fl, fc), n in fields.items())


def _prose_loc(file: str, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def collect_owners(c: Content) -> dict[str, list[Owner]]:
    """Every number in a contact's phone field → the contacts that have it."""
    owners: dict[str, list[Owner]] = {}
    for slug, v in sorted(c.villages.items()):
        for i, ct in enumerate(v.model.contacts):
            if not ct.phone:
                continue
            owner = Owner(v.name, slug, ct.role, ct.name, bool(ct.phone_public), v.doc.loc(("contacts", i, "phone")))
            for n in numbers_in_phone_field(ct.phone):
                if owner not in owners.setdefault(n, []):
                    owners[n].append(owner)
    return owners


def validate_privacy(c: Content, diags: Diagnostics, tours: dict | None = None) -> None:
    owners = collect_owners(c)
    private = {n: [o for o in os_ if not o.public] for n, os_ in owners.items()}
    private = {n: os_ for n, os_ in private.items() if os_}
    if not private:
        return
    targets: dict[str, str] = {}
    for n in private:
        for variant in _variants(n):
            targets.setdefault(variant, n)
    longest = max(map(len, targets))
    # the private numbers, as one short key (a memo key is hashed per file)
    numbers = hashlib.blake2b(repr(sorted(targets.items())).encode(), digest_size=16).hexdigest()

    cache: dict = {}

    def report(loc: Location, raw: str, number: str, here: str | None) -> None:
        first = private[number][0]
        more = "等人" if len({(o.slug, o.name) for o in private[number]}) > 1 else ""
        diags.emit(
            loc,
            CODE,
            f"这里写了{first.who(here)}{more}的电话“{_masked(raw, number)}”，它标为不公开"
            f"（phone_public: false，见 {first.loc.file} 第 {first.loc.line} 行），写在这里网站上会被所有人看到。",
            "把这里的号码删掉（可改写为“请联系村委会”或可以公开的办公电话）；"
            f"如果这个号码可以公开，把{first.role} {first.name} 的 phone_public 改成 true。",
        )

    def scan_doc(doc: YamlDoc | None, here: str | None, skip: dict[tuple, bool] | None = None) -> None:
        if doc is None or doc.data is None:
            return
        # Most files hold no private number but in a private contact's own
        # phone field: one pass over the source rules that out (it holds a
        # superset of the values' digit runs, unless escapes in double-quoted
        # strings spell digits).
        if doc.text and "\\" not in doc.text:
            own = {}
            for path, public in (skip or {}).items():
                if not public and (at := doc.position(path)) is not None:
                    own[at] = len(str(doc.data["contacts"][path[1]].get("phone", ""))) + 2
            src = doc.text

            def clean() -> bool:
                return all(_inside(src, at, own) for at, _, _ in find_numbers(src, targets, longest, _LOOSE_RUN))

            # the same text and numbers give the same answer (kept while the preview's memo is on)
            if memo.pure(("privacy-clean", numbers, src, tuple(sorted(own.items()))), clean):
                return
        for path, text in _walk(doc.data):
            public_phone = None
            if skip is not None and path in skip:
                if not skip[path]:
                    continue  # a private contact's own phone field
                public_phone = path
            matches = list(find_numbers(text, targets, longest))
            for k, (start, end, number) in enumerate(matches):
                raw = text[start:end]
                loc = _yaml_loc(doc, path, matches, k, text, targets, longest, cache)
                if public_phone is None:
                    report(loc, raw, number, here)
                    continue
                contact = doc.data["contacts"][public_phone[1]]
                first = private[number][0]
                diags.emit(
                    loc,
                    CODE,
                    f"{contact.get('role', '')} {contact.get('name', '')} 的电话标为公开（phone_public: true），"
                    f"但同一个号码“{_masked(raw, number)}”是{first.who(here)}的电话，在那里标为不公开"
                    f"（phone_public: false，见 {first.loc.file} 第 {first.loc.line} 行）。"
                    "同一个号码只要有一处不公开，就按不公开处理，"
                    "否则它会在这里被公开。",
                    "核实这个号码能否公开：能公开，就把另一处也改成 phone_public: true；"
                    "不能公开，就把这里改成 phone_public: false，或换成可以公开的办公电话。",
                )

    scan_doc(c.settings_doc, None)
    scan_doc(c.towns_doc, None)
    for doc in c.framework_docs.values():
        scan_doc(doc, None)
    for slug, v in sorted(c.villages.items()):
        phone_fields = {("contacts", i, "phone"): bool(ct.phone_public) for i, ct in enumerate(v.model.contacts)}
        scan_doc(v.doc, slug, phone_fields)
        if v.prose and v.prose_file:
            for start, end, number in find_numbers(v.prose, targets, longest):
                report(_prose_loc(v.prose_file, v.prose, start), v.prose[start:end], number, slug)
    for _pid, p in sorted(c.projects.items()):
        scan_doc(p.doc, None)
    for _tid, t in sorted((tours or {}).items()):
        scan_doc(getattr(t, "doc", None), None)
        scores = getattr(t, "scores", None)
        scan_doc(getattr(scores, "doc", None), None)
        if scores is not None and scores.doc is None:
            # A filled workbook (.scores.xlsx): its notes are published on the results page too.
            for row in scores.model.sheets:
                for _start, _end, number in find_numbers(row.note or "", targets, longest):
                    report(Location(scores.file, 1, 1), row.note[_start:_end], number, None)
