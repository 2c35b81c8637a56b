"""Generated files kept between MkDocs' steps: in memory up to a budget, past
it in a temporary folder.

The core hands the adapter every file of the site at once (``on_files``), and
MkDocs keeps each until it is written: a page until it is built, any other
file until the static files are copied. At 10,000 villages that is ≈ 0.6 GB of
HTML, JSON and CSV held at the build's peak. Past the budget a file's bytes
go to a temporary file and MkDocs is given its path instead (it copies or
reads from there); a generated page's rendered HTML is set aside the same
way until the page is built (plugin.py: _set_aside). Below the budget
(a county of a few hundred villages) nothing changes.

Written by hand: tempfile's SpooledTemporaryFile is one file that rolls over;
here thousands of small files share one budget and MkDocs needs real paths."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class Spool:
    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.held = 0
        self.dir: Path | None = None
        self.count = 0

    def keep(self, data: bytes) -> Path | None:
        """None: keep ``data`` in memory; else the file it was written to."""
        if self.held + len(data) <= self.budget:
            self.held += len(data)
            return None
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="villages-spool-"))
        self.count += 1
        path = self.dir / f"{self.count}"
        path.write_bytes(data)
        return path

    def close(self) -> None:
        """Remove the temporary folder (at the end of a build, or when it fails)."""
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        self.held = 0
        self.count = 0
