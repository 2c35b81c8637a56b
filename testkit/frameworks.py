"""The shipped frameworks' item ids, read from the framework files themselves
so tests never keep their own copy of the list."""

from __future__ import annotations

import yaml

from builder.frameworks.load import DEFAULTS_DIR


def item_ids(framework: str) -> list[str]:
    """The item ids of a shipped framework (builder/frameworks/defaults/<id>.yml), in order."""
    data = yaml.safe_load((DEFAULTS_DIR / f"{framework}.yml").read_text(encoding="utf-8"))
    return [item["id"] for item in data["items"]]
