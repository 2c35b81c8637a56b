"""The portal's pipeline: the kernel's phases over builder/features.py.

``check`` = load → validate → derive (no photo processing); ``build`` is the
same with the build's derive steps (photos) when the content has no error;
``produce`` returns every generated file. Adapters (the CLI, the MkDocs
plugin, another engine) call these and nothing else."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from builder.content import Content
from builder.kernel import pipeline as phases
from builder.kernel.build import BuildContext, Derived, GeneratedFile, Options
from builder.kernel.content import display
from builder.kernel.diagnostics import Diagnostics, Location
from builder.kernel.feature import Feature
from builder.kernel.loading.tree import scan_tree


def features() -> Sequence[Feature[Content]]:
    from builder.features import FEATURES

    return FEATURES


def load(
    content_dir: Path,
    diags: Diagnostics,
    root: Path | None = None,
    options: Options | None = None,
    feats: Sequence[Feature[Content]] | None = None,
) -> Content:
    content_dir = Path(content_dir)
    root = Path(root) if root else content_dir.resolve().parent
    if not content_dir.is_dir():
        diags.emit(
            Location(display(content_dir, root), 0, 0),
            "io-error",
            f"内容文件夹 {content_dir} 不存在。",
            "用 --content 指定正确的文件夹。",
        )
        return Content(root, content_dir, None, options)
    tree = scan_tree(content_dir, diags, lambda p: display(p, root))
    content = Content(root, content_dir, tree, options)
    phases.load(feats or features(), content, diags)
    return content


def validate(content: Content, diags: Diagnostics, feats: Sequence[Feature[Content]] | None = None) -> None:
    phases.validate(feats or features(), content, diags)


def check(
    content_dir: Path | str,
    root: Path | str | None = None,
    options: Options | None = None,
    feats: Sequence[Feature[Content]] | None = None,
) -> tuple[Content, Diagnostics]:
    """Load, validate and derive everything (no photo processing); never raises for bad content."""
    content, _derived, diags = run(content_dir, root, Options(**{**vars(options or Options()), "build": False}), feats)
    return content, diags


def run(
    content_dir: Path | str,
    root: Path | str | None = None,
    options: Options | None = None,
    feats: Sequence[Feature[Content]] | None = None,
) -> tuple[Content, Derived, Diagnostics]:
    """load → validate → derive. With options.build, the build's derive steps
    (photos) run only when the content has no error."""
    from builder.kernel.diagnostics.codes import catalogue

    options = options or Options()
    feats = feats or features()
    diags = Diagnostics(catalogue=catalogue(feats))
    content = load(Path(content_dir), diags, Path(root) if root else None, options, feats)
    phases.validate(feats, content, diags)
    if options.build and diags.has_errors:
        content.options = Options(**{**vars(options), "build": False})
    derived = phases.derive(feats, content, diags)
    return content, derived, diags


def complete_for_build(
    content: Content,
    derived: Derived,
    diags: Diagnostics,
    options: Options,
    feats: Sequence[Feature[Content]] | None = None,
) -> Derived:
    """A check's Derived completed with the build's derive steps (photos, the
    pages' shared index) under the build's final options."""
    content.options = options
    return phases.derive(feats or features(), content, diags, derived, options)


def produce(
    content: Content, derived: Derived, diags: Diagnostics, feats: Sequence[Feature[Content]] | None = None
) -> list[GeneratedFile]:
    return phases.produce(feats or features(), BuildContext(content, diags, derived))


def iter_produce(
    content: Content, derived: Derived, diags: Diagnostics, feats: Sequence[Feature[Content]] | None = None
) -> Iterator[GeneratedFile]:
    return phases.iter_produce(feats or features(), BuildContext(content, diags, derived))
