"""`python -m builder schema`: the committed schemas are up to date, every
sample file names its schema and validates against it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest

from builder.kernel.diagnostics import Diagnostics
from builder.kernel.loading.yamlsrc import load_yaml
from builder.scaffold.schema import SCHEMAS, write_schemas
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _sample_files() -> list[tuple[Path, str]]:
    c = ROOT / "content"
    files = [(c / "site.yml", "site"), (c / "towns.yml", "towns")]
    files += [(p, "village") for p in sorted(c.glob("villages/*/village.yml"))]
    files += [(p, "project") for p in sorted(c.glob("projects/**/*.yml"))]
    files += [(p, "framework") for p in sorted((ROOT / "builder/frameworks/defaults").glob("*.yml"))]
    files += [(p, "framework") for p in sorted(c.glob("frameworks/*.yml"))]
    files += [(p, "tour-scores" if p.name.endswith(".scores.yml") else "tour") for p in sorted(c.glob("tours/*.yml"))]
    files += [(p, "map-tiles" if p.name == "tiles.yml" else "map-layer") for p in sorted(c.glob("map/*.yml"))]
    return files


def _plain(value):
    """YAML dates as the strings an editor's language server sees."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _validator(name: str, schemas_dir: Path = ROOT / "schemas"):
    schema = json.loads((schemas_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_committed_schemas_are_up_to_date(tmp_path):
    write_schemas(tmp_path)
    for name in SCHEMAS:
        fresh = (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8")
        committed = ROOT / "schemas" / f"{name}.schema.json"
        assert committed.exists(), f"run python -m builder schema ({committed} missing)"
        assert committed.read_text(encoding="utf-8") == fresh, "schemas/ is stale: run python -m builder schema"


def test_schema_command_writes_files(tmp_path):
    r = run_cli("schema", "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(f"{n}.schema.json" for n in SCHEMAS)
    data = json.loads((tmp_path / "s" / "village.schema.json").read_text(encoding="utf-8"))
    assert data["properties"]["function"]["description"].startswith("功能定位")
    assert data["additionalProperties"] is False


@pytest.mark.parametrize(
    ("path", "name"), _sample_files(), ids=lambda x: x if isinstance(x, str) else x.relative_to(ROOT).as_posix()
)
def test_sample_file_names_and_matches_its_schema(path: Path, name: str):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = SCHEMA_LINE.match(first)
    assert m, f"{path} should start with '# yaml-language-server: $schema=…'"
    target = (path.parent / m.group(1)).resolve()
    assert target == (ROOT / "schemas" / f"{name}.schema.json").resolve()
    diags = Diagnostics()
    doc = load_yaml(path, str(path), diags)
    assert doc is not None and not diags.has_errors
    errors = sorted(_validator(name).iter_errors(_plain(doc.data)), key=lambda e: e.path)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_rejects_what_the_check_rejects():
    v = _validator("village")
    diags = Diagnostics()
    doc = load_yaml(ROOT / "content/villages/wangjiazhuang/village.yml", "v", diags)
    data = _plain(doc.data)
    data["brand"]["slogen"] = "错字"
    assert any("slogen" in e.message for e in v.iter_errors(data))
    data = _plain(doc.data)
    data["designation"]["history"][0]["stage"] = "命名了"
    assert list(v.iter_errors(data))
    data = _plain(doc.data)
    data["gallery"][0]["taken"] = "2022-02-30"
    assert list(v.iter_errors(data)), "format: date is checked"


def test_map_schemas_reject_what_the_check_rejects():
    layer = _validator("map-layer")
    diags = Diagnostics()
    data = _plain(load_yaml(ROOT / "content/map/roads.yml", "r", diags).data)
    assert not list(layer.iter_errors(data))
    assert list(layer.iter_errors({**data, "kind": "road"})), "kind is one of county/towns/roads/rivers/other"
    assert list(layer.iter_errors({**data, "style": {"color": "orange"}})), "colours are #rrggbb"
    assert any("colour" in e.message for e in layer.iter_errors({**data, "colour": "#ffffff"}))
    tiles = _validator("map-tiles")
    ok = {"enabled": True, "name": "县域底图", "pmtiles": "county.pmtiles"}
    assert not list(tiles.iter_errors(ok))
    assert list(tiles.iter_errors({**ok, "max_zoom": 30}))
    assert list(tiles.iter_errors({**ok, "system": "GCJ-02"})), "only WGS-84 tiles line up with the villages"
    desc = json.loads((ROOT / "schemas/map-tiles.schema.json").read_text(encoding="utf-8"))["properties"]["pmtiles"]
    assert "PMTiles" in desc["description"]
