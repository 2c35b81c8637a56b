from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Longest text (in characters, after trimming spaces) each kind of field takes.
# Chosen from what real content needs, far above it: the sample's longest
# village summary is 44 characters, its longest project summary 113. A text
# over its limit is a located error (text-too-long); docs/editors/limits.md
# lists them for editors. Long articles belong in a village's index.md.
NAME_MAX = 50  # names: village, town, person, brand, tag, configured options
TITLE_MAX = 80  # titles: project, highlight, site, framework item, phase, belt
LINE_MAX = 100  # one line: slogan, job title, phone, address, issuer, document number
SHORT_MAX = 300  # a few sentences: village summary, caption, alt text, highlight description, note
LONG_MAX = 2000  # paragraphs: evidence, brand meaning, descriptions, comments, progress
FILE_MAX = 255  # a file reference such as photos/dangqun.jpg
DEFAULT_MAX = LONG_MAX  # every other text field (and mapping key) of every model


class Strict(BaseModel):
    """Unknown keys are errors (with a did-you-mean), nothing is dropped; no
    text is longer than DEFAULT_MAX unless its type says less."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, str_max_length=DEFAULT_MAX)


def text(max_length: int, *, required: bool = False) -> Any:
    """A text field of at most max_length characters; required: not empty."""
    return Annotated[str, StringConstraints(min_length=1 if required else None, max_length=max_length)]


Name = text(NAME_MAX, required=True)
Title = text(TITLE_MAX, required=True)
Text = text(LINE_MAX, required=True)  # any other required one-line text
Sentence = text(SHORT_MAX, required=True)  # a required caption or task
Paragraph = text(LONG_MAX, required=True)  # a required report
Line = text(LINE_MAX)
Short = text(SHORT_MAX)
Long = text(LONG_MAX)
FileRef = text(FILE_MAX, required=True)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=64)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=64)]


def desc(text: str, **kw: Any) -> Any:
    return Field(description=text, **kw)


CRS_HELP = "坐标系：GCJ-02（高德、腾讯地图复制的坐标）、BD-09（百度地图）或 WGS-84（GPS、天地图）"


class Coordinate(Strict):
    """A point as pasted from a map: the one coordinate model (villages,
    town seats, tour start/end/lunch places). geo.check_point turns it into
    WGS-84 or says why it cannot."""

    system: str = desc(CRS_HELP, default="GCJ-02")
    lat: float = desc("纬度，例如 35.5012")
    lng: float = desc("经度，例如 104.6123")
