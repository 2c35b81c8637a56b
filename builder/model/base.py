from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Strict(BaseModel):
    """Unknown keys are errors (with a did-you-mean), nothing is dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


Text = Annotated[str, StringConstraints(min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=64)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=64)]


def desc(text: str, **kw):
    return Field(description=text, **kw)
