"""A copy of a built sample site whose map shows a synthetic county of n
villages: the map data file is made by the real producer (builder/map/page.py
map_data) from testkit.synthetic's county, without building n village pages.
Used by tests/e2e/test_map.py (clustering at 2,000) and benchmarks/bench_map.py."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path


def synthetic_map_data(n: int, seed: int = 42) -> dict:
    from builder.kernel.build import BuildContext, Options
    from builder.map.page import map_data
    from builder.pipeline import run
    from builder.portal.state import State
    from testkit.synthetic import generate_county

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate_county(content, n, seed=seed)
        # check's derive (no photos processed): the map data needs only the
        # evaluations, coordinates and the cards.
        c, derived, diags = run(content, Path(tmp), Options(cache_dir=Path(tmp) / ".cache"))
        assert not diags.has_errors, diags.format("text")
        return map_data(State(c, derived), BuildContext(c, diags, derived))


def map_site_with(site: Path, dest: Path, data: dict) -> Path:
    """dest: a copy of site whose map data is data."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site, dest)
    js = "window.VP_MAP = " + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";\n"
    (dest / "assets/javascripts/vp-map-data.js").write_text(js, encoding="utf-8")
    return dest
