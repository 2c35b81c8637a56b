from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any


class Severity(str, Enum):  # noqa: UP042 (a StrEnum's str() and format() give the bare value)
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a content file. Lines and columns are 1-based; 0 means
    'the whole file' (for example a file that cannot be decoded)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    hint: str = ""

    @classmethod
    def at(
        cls, loc: Location | None, code: str, message: str, hint: str = "", severity: Severity | None = None
    ) -> Diagnostic:
        from builder.kernel.diagnostics.codes import CODES

        if severity is None:
            severity = CODES[code].severity if code in CODES else Severity.ERROR
        loc = loc or Location("")
        return cls(loc.file, loc.line, loc.column, code, severity, message, hint)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def format_text(self) -> str:
        where = str(Location(self.file, self.line, self.column))
        text = f"{where}: {self.severity.label} [{self.code}] {self.message}"
        if self.hint:
            text += f"\n    修改建议：{self.hint}"
        return text

    def format_github(self) -> str:
        # GitHub workflow command; newlines and % must be escaped.
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(s: str) -> str:
            return esc(s).replace(":", "%3A").replace(",", "%2C")

        level = "error" if self.is_error else "warning"
        props = [f"file={esc_prop(self.file)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.column:
            props.append(f"col={self.column}")
        props.append(f"title={esc_prop(self.code)}")
        body = self.message + (f"（修改建议：{self.hint}）" if self.hint else "")
        return f"::{level} {','.join(props)}::{esc(body)}"


class Diagnostics:
    """An append-only collection of diagnostics for one run."""

    def __init__(self, items: Iterable[Diagnostic] = (), catalogue: Mapping[str, Any] | None = None):
        self._items: list[Diagnostic] = list(items)
        self._seen: set[Diagnostic] = set(self._items)
        # The code catalogue (built-in codes and the features' own), for the
        # default severity of emit(); the built-in catalogue when not given.
        self.catalogue = catalogue

    def add(self, diag: Diagnostic) -> None:
        if diag not in self._seen:
            self._seen.add(diag)
            self._items.append(diag)

    def error(self, loc: Location | None, code: str, message: str, hint: str = "") -> None:
        self.add(Diagnostic.at(loc, code, message, hint, Severity.ERROR))

    def warning(self, loc: Location | None, code: str, message: str, hint: str = "") -> None:
        self.add(Diagnostic.at(loc, code, message, hint, Severity.WARNING))

    def emit(self, loc: Location | None, code: str, message: str, hint: str = "") -> None:
        """Add with the code's default severity."""
        known = self.catalogue.get(code) if self.catalogue is not None else None
        self.add(Diagnostic.at(loc, code, message, hint, known.severity if known is not None else None))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for d in other:
            self.add(d)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._items, key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if not d.is_error]

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._items)

    def codes(self) -> set[str]:
        return {d.code for d in self._items}

    # -- output -----------------------------------------------------------
    def format(self, fmt: str = "text") -> str:
        items = self.sorted()
        if fmt == "json":
            return json.dumps([d.to_dict() for d in items], ensure_ascii=False, indent=2)
        if fmt == "github":
            return "\n".join(d.format_github() for d in items)
        lines = [d.format_text() for d in items]
        n_err = sum(d.is_error for d in items)
        n_warn = len(items) - n_err
        if items:
            lines.append("")
        lines.append(summary_line(n_err, n_warn))
        return "\n".join(lines)


def summary_line(n_err: int, n_warn: int) -> str:
    if n_err == 0 and n_warn == 0:
        return "检查通过：没有发现问题。"
    if n_err == 0:
        return f"检查通过，但有 {n_warn} 条警告。"
    return f"发现 {n_err} 个错误、{n_warn} 条警告。请按提示修改后再运行 make check。"


def relpath(path: Path, root: Path) -> str:
    """Path as editors see it: relative to the repository, with '/'."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
