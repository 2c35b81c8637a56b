"""Property: whatever an editor (or a broken editor program) does to the
sample content, the check only ever answers with diagnostics — it never
raises. Random mutations: delete lines or keys, change a value's type,
insert random Unicode / full-width punctuation / tabs, truncate, swap
lines or the values of two keys, overwrite with random bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.kernel.diagnostics import Diagnostics
from builder.pipeline import check

ROOT = Path(__file__).resolve().parent.parent

TARGETS = sorted(
    [p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").glob("villages/*/village.yml")][:4]
    + [p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").glob("projects/*.yml")][:2]
    + ["site.yml", "towns.yml", "villages/wangjiazhuang/index.md"]
)

NASTY = [
    "：",
    "　",
    "\t",
    "－",
    "，",
    "“",
    "”",
    "【",
    "】",
    "\u200b",
    "\ufeff",
    "\x00",
    "\r",
    "\x85",
    "\u2028",
    "&a",
    "*a",
    "!!python/object:os.system",
    "<<: *a",
    "? ",
    "- ",
    ": ",
    "#",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    "|",
    ">",
    "%YAML 1.2\n---\n",
    "---",
    "...",
    "\\",
    "@",
    "`",
    "\ud7ff",
    "𠀀",
    "yes",
    "~",
    "null",
    "2023-02-30",
    "1e400",
    "0x1F",
    "-.inf",
    ".nan",
    "9" * 50,
]

text_insert = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=8),
    st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x303F), max_size=4),
)


@st.composite
def mutation(draw):
    target = draw(st.sampled_from(TARGETS))
    kind = draw(
        st.sampled_from(
            [
                "delete-line",
                "insert",
                "truncate",
                "swap-lines",
                "bytes",
                "retype",
                "dup-line",
                "indent",
                "replace-all",
                "swap-values",
            ]
        )
    )
    return (
        target,
        kind,
        draw(st.randoms(use_true_random=False)),
        draw(text_insert),
        draw(st.binary(min_size=1, max_size=16)),
    )


def mutate(data: bytes, kind: str, rnd, insert: str, blob: bytes) -> bytes:
    text = data.decode("utf-8")
    lines = text.split("\n")
    i = rnd.randrange(len(lines))
    if kind == "delete-line":
        del lines[i]
    elif kind == "insert":
        line = lines[i]
        at = rnd.randrange(len(line) + 1)
        lines[i] = line[:at] + insert + line[at:]
    elif kind == "truncate":
        return data[: rnd.randrange(len(data) + 1)]
    elif kind == "swap-lines":
        j = rnd.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "bytes":
        at = rnd.randrange(len(data) + 1)
        return data[:at] + blob + data[at + rnd.randrange(0, 4) :]
    elif kind == "retype":
        line = lines[i]
        if ": " in line:
            key = line.split(": ", 1)[0]
            lines[i] = (
                key
                + ": "
                + rnd.choice(
                    ["[]", "{}", "123", "-1.5", "true", "null", "~", "[1, [2]]", "{a: 1}", "2024-01-01", "''", insert]
                )
            )
    elif kind == "swap-values":
        keyed = [k for k, line in enumerate(lines) if ": " in line]
        if len(keyed) >= 2:
            a, b = rnd.sample(keyed, 2)
            ka, va = lines[a].split(": ", 1)
            kb, vb = lines[b].split(": ", 1)
            lines[a], lines[b] = f"{ka}: {vb}", f"{kb}: {va}"
    elif kind == "dup-line":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = rnd.choice([" ", "  ", "\t", "　", "    "]) + lines[i]
    elif kind == "replace-all":
        old = rnd.choice(["达标", "shitiao", "wangjiazhuang", "2023", ":", "-", "photos/", "青山镇"])
        text = "\n".join(lines).replace(old, insert)
        return text.encode("utf-8", "surrogatepass")
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "content", root / "content")
    return root / "content"


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutation())
def test_check_never_raises(workdir: Path, m):
    target, kind, rnd, insert, blob = m
    path = workdir / target
    original = (ROOT / "content" / target).read_bytes()
    try:
        path.write_bytes(mutate(original, kind, rnd, insert, blob))
        _content, diags = check(workdir, workdir.parent)  # must not raise
        assert isinstance(diags, Diagnostics)
        for d in diags:
            assert d.code and d.message and d.file
            assert d.line >= 0 and d.column >= 0
    finally:
        path.write_bytes(original)


def test_mutations_do_get_reported(workdir: Path):
    """The fuzzer is not vacuous: a few fixed mutations produce errors."""
    path = workdir / "villages/wangjiazhuang/village.yml"
    original = path.read_bytes()
    import random

    try:
        for kind, ins in [("truncate", ""), ("bytes", ""), ("indent", "")]:
            rnd = random.Random(3)
            path.write_bytes(mutate(original, kind, rnd, ins, b"\xff\xfe\x00"))
            _, diags = check(workdir, workdir.parent)
            assert diags.has_errors, kind
    finally:
        path.write_bytes(original)
