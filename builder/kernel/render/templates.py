"""One Jinja2 environment for every feature's templates.

The loader looks first in the project's ``theme_overrides/portal/`` (so a
county can override any page template without touching the program), then
in each feature's ``templates/`` folder, in the order of builder/features.py.
Autoescaping is on: editors' text can never become markup."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from builder.kernel.render.html import anchor, num


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept for the process: a run that makes a new
    environment (the preview derives again on every change) does not parse
    and compile every template again. Jinja checks each template's source
    checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


BYTECODE = _MemoryBytecode()


class Templates:
    def __init__(self, dirs: Sequence[Path], overrides: Path | None = None) -> None:
        search = ([str(overrides)] if overrides is not None and overrides.is_dir() else []) + [str(d) for d in dirs]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=BYTECODE,
        )
        self.env.globals["num"] = num
        self.env.globals["anchor"] = lambda t: anchor(t, "town")

    def __call__(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)  # compiled once, cached by the environment
