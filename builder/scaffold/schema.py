"""JSON Schema files for the YAML formats, generated from the pydantic models.

Editors' editors (VS Code with the YAML extension, which uses
yaml-language-server) read the ``# yaml-language-server: $schema=…`` line at
the top of each content file and offer completion and inline errors from
these schemas. The schemas are generated, never hand-edited:
``python -m builder schema`` rewrites schemas/*.schema.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.frameworks.model import Framework
from builder.map.model import MapLayer, Tiles
from builder.news.model import NewsFront
from builder.projects.model import Project
from builder.settings.model import SiteSettings
from builder.tours.model import ScoresFile, Tour
from builder.towns.model import TownsFile
from builder.villages.model import Village
from builder.years.model import YearAssessments

# name -> (model, Chinese title, which files use it)
SCHEMAS: dict[str, tuple[type[BaseModel], str, str]] = {
    "site": (SiteSettings, "门户设置（content/site.yml）", "content/site.yml"),
    "towns": (TownsFile, "乡镇列表（content/towns.yml）", "content/towns.yml"),
    "framework": (Framework, "标准体系（content/frameworks/<id>.yml）", "content/frameworks/*.yml"),
    "village": (Village, "村信息（content/villages/<编号>/village.yml）", "content/villages/*/village.yml"),
    "project": (Project, "书记党建项目（content/projects/<编号>.yml）", "content/projects/*.yml"),
    "tour": (Tour, "观摩拉练路线（content/tours/<编号>.yml）", "content/tours/*.yml"),
    "tour-scores": (ScoresFile, "观摩评分（content/tours/<编号>.scores.yml）", "content/tours/*.scores.yml"),
    "map-layer": (MapLayer, "地图图层（content/map/<图层>.yml）", "content/map/*.yml（tiles.yml 除外）"),
    "map-tiles": (Tiles, "瓦片底图（content/map/tiles.yml）", "content/map/tiles.yml"),
    "year-assessments": (
        YearAssessments,
        "一年的自评（content/villages/<编号>/assessments/<年份>.yml）",
        "content/villages/*/assessments/*.yml",
    ),
    "news": (NewsFront, "党建动态的信息块（content/news/<日期>-<编号>.md 开头的 --- 之间）", "content/news/*.md"),
}


def register_schema(name: str, model: type[BaseModel], title: str, used_by: str) -> None:
    """Other concerns (e.g. tours) add their YAML formats here."""
    SCHEMAS[name] = (model, title, used_by)


def _short(description: str) -> str:
    """A short Chinese title from a description: its first clause."""
    return re.split(r"[，。：（(；]", description, maxsplit=1)[0].strip() or description


def _chinese_titles(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict) and prop.get("description"):
                    prop["title"] = _short(prop["description"])
        if "description" in node and "properties" in node and node.get("type") == "object":
            node["title"] = _short(node["description"])
        for v in node.values():
            _chinese_titles(v)
    elif isinstance(node, list):
        for v in node:
            _chinese_titles(v)


def schema_for(name: str) -> dict:
    model, title, used_by = SCHEMAS[name]
    body = model.model_json_schema(mode="validation")
    _chinese_titles(body)
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
    }
    body.pop("title", None)
    desc = body.pop("description", "")
    out["description"] = (desc + "\n" if desc else "") + (
        f"用于 {used_by}。此文件由 python -m builder schema 生成，请勿手工修改。"
    )
    out.update(body)
    return out


def render(name: str) -> str:
    return json.dumps(schema_for(name), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out_dir / f"{name}.schema.json"
        text = render(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
