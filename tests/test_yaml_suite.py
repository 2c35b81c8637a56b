"""Robustness against YAML nobody here wrote: every ``in.yaml`` of the
yaml-test-suite (../shared/corpora/yaml-test-suite) is put in place of a
village's village.yml in a minimal content folder and checked.

* every case: the check returns diagnostics and never raises;
* every case marked ``error``: there are errors, and one names that
  village.yml with a line number (>= 1).

All cases run in-process (fast); a handful also run through the CLI in a
subprocess, whose timeout is the guard against a hang.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.kernel.loading.yamlsrc import _Loader
from builder.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT.parent / "shared" / "corpora" / "yaml-test-suite"
VILLAGE = "content/villages/v/village.yml"


def _cases() -> list[Path]:
    if not SUITE.is_dir():
        return []
    return sorted(p.parent for p in SUITE.rglob("in.yaml"))


CASES = _cases()


def _id(case: Path) -> str:
    return case.relative_to(SUITE).as_posix()


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> Path:
    """A content folder with site.yml, towns.yml and one village folder."""
    if not CASES:
        pytest.skip("../shared/corpora/yaml-test-suite is not there")
    root = tmp_path_factory.mktemp("suite")
    content = root / "content"
    (content / "villages" / "v").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yml", content)
    shutil.copy(ROOT / "content" / "towns.yml", content)
    return content


def test_suite_is_complete():
    if not CASES:
        pytest.skip("../shared/corpora/yaml-test-suite is not there")
    assert len(CASES) == 402
    assert sum((c / "error").exists() for c in CASES) == 94


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_case_in_process(case: Path, minimal: Path):
    shutil.copyfile(case / "in.yaml", minimal / "villages" / "v" / "village.yml")
    _, diags = check(minimal, minimal.parent)  # must not raise
    mine = [d for d in diags if d.file == VILLAGE]
    # None of the suite's documents is a complete village: each must yield
    # at least one located diagnostic on that file, never silence.
    assert mine, diags.format("text")
    assert all(d.line >= 1 for d in mine)
    if (case / "error").exists():
        assert diags.has_errors
        assert any(d.is_error and d.line >= 1 for d in mine), diags.format("text")


CLI_CASES = [
    c
    for c in CASES
    if _id(c).split("/")[0]
    in {"229Q", "2G84", "4HVU", "6JTT", "9MMA", "CXX2", "X4QW", "SU5Z", "ZXT5", "7LBH", "S4GJ", "RXY3"}
]


@pytest.mark.parametrize("case", CLI_CASES, ids=_id)
def test_case_via_cli(case: Path, tmp_path: Path):
    content = tmp_path / "content"
    (content / "villages" / "v").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yml", content)
    shutil.copy(ROOT / "content" / "towns.yml", content)
    shutil.copyfile(case / "in.yaml", content / "villages" / "v" / "village.yml")
    # The timeout guards against a hang; it is not a performance limit.
    r = subprocess.run(
        [sys.executable, "-m", "builder", "check", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(),
    )
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 1, r.stdout + r.stderr  # no suite document is a valid village
    import json

    items = json.loads(r.stdout)
    assert any(i["file"] == VILLAGE and i["line"] >= 1 and i["severity"] == "error" for i in items)


def _env():
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


class _Reference(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's own tag resolution, with our loader's booleans (true/false only)."""


_Reference.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _tags(loader_cls: type, text: str) -> list[tuple[str, str]]:
    loader = loader_cls(text)
    try:
        todo = []
        while loader.check_node():
            todo.append(loader.get_node())
    finally:
        loader.dispose()
    out = []
    while todo:
        node = todo.pop()
        out.append((type(node).__name__, node.tag))
        if isinstance(node, yaml.MappingNode):
            todo.extend(x for pair in node.value for x in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return out


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_loader_resolves_tags_as_pyyaml_does(case: Path):
    """The loader's remembered, path-resolver-free tag resolution
    (yamlsrc._resolve) gives every node the tag PyYAML's resolver gives."""
    text = (case / "in.yaml").read_text(encoding="utf-8")
    try:
        expected = _tags(_Reference, text)
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            _tags(_Loader, text)
        return
    assert _tags(_Loader, text) == expected
    assert _tags(_Loader, text) == expected  # the second time from what was remembered
