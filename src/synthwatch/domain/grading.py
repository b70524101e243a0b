"""Source grading on the Admiralty (NATO) scale: how reliable the source, how credible the information."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SOURCE_RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
INFORMATION_CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

_COMPACT = re.compile(r"^\s*([A-Fa-f])\s*[-/ ]?\s*([1-6])\s*$")


class SourceGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class Grading(BaseModel):
    """An Admiralty grade such as B2: source reliability A-F, information credibility 1-6."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceGrade
    information: Literal[1, 2, 3, 4, 5, 6] = Field(json_schema_extra={"minimum": 1, "maximum": 6})

    def __str__(self) -> str:
        return f"{self.source.value}{self.information}"


def from_compact_grading(value: str) -> dict[str, object]:
    """Split the compact form ("B2", "b-2") into its two parts; raise ValueError otherwise."""
    match = _COMPACT.match(value)
    if not match:
        raise ValueError(f"expected an Admiralty grade such as B2 (A-F then 1-6), got {value!r}")
    return {"source": match.group(1).upper(), "information": int(match.group(2))}
