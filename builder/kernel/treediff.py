"""Compare two folder trees byte for byte (reproducible-build checks)."""

from __future__ import annotations

import difflib
import gzip
import hashlib
from pathlib import Path


def digest(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root ('<dir>' for folders,
    '-> target' for symlinks)."""
    out: dict[str, str] = {}
    for p in sorted(Path(root).rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + str(p.readlink())
        elif p.is_dir():
            out[rel] = "<dir>"
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _text(p: Path) -> str | None:
    data = p.read_bytes()
    if p.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except OSError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def explain(a: Path, b: Path, limit: int = 40) -> str:
    """Human-readable account of how tree b differs from tree a ('' if identical):
    missing/extra files, then the first differing file with a diff snippet."""
    da, db = digest(a), digest(b)
    only_a = sorted(set(da) - set(db))
    only_b = sorted(set(db) - set(da))
    changed = sorted(k for k in set(da) & set(db) if da[k] != db[k])
    if not (only_a or only_b or changed):
        return ""
    lines = [f"{len(only_a)} only in first, {len(only_b)} only in second, {len(changed)} differ"]
    lines += [f"  only in first:  {k}" for k in only_a[:10]]
    lines += [f"  only in second: {k}" for k in only_b[:10]]
    lines += [f"  differs: {k}" for k in changed[:20]]
    if changed:
        k = changed[0]
        ta, tb = _text(Path(a) / k), _text(Path(b) / k)
        lines.append(f"first differing file: {k}")
        if ta is not None and tb is not None:
            # Split long one-line files (minified JSON/HTML) so the diff shows where.
            sa = ta.replace("><", ">\n<").replace(",", ",\n").splitlines()
            sb = tb.replace("><", ">\n<").replace(",", ",\n").splitlines()
            diff = list(difflib.unified_diff(sa, sb, "first/" + k, "second/" + k, n=2, lineterm=""))
            lines += [s[:300] for s in diff[:limit]]
        else:
            ba, bb = (Path(a) / k).read_bytes(), (Path(b) / k).read_bytes()
            at = next((i for i, (x, y) in enumerate(zip(ba, bb, strict=False)) if x != y), min(len(ba), len(bb)))
            lines.append(f"binary: sizes {len(ba)} / {len(bb)}, first difference at byte {at}")
    return "\n".join(lines)
