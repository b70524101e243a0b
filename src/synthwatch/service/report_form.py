"""The two written forms of a report — nested JSON and flat CSV columns — turned into one document.

A CSV row names each part of a report by a column (`country`, `tlp`, `substance`, `phone` ...);
repeated substances take a suffix (`substance_2`, `cas_2`); several entities of one type share a
cell, separated by " | ". JSON takes the nested shape of INTERFACES.md. Either may carry `member`.
Problems found later are reported by the column name the user wrote, not our internal path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from synthwatch.domain.entity import EntityType
from synthwatch.domain.grading import from_compact_grading
from synthwatch.domain.marking import DEFAULT_MARKING
from synthwatch.errors import FieldProblem

LIST_SEPARATOR = " | "

TOP_FIELDS: tuple[str, ...] = (
    "external_id", "kind", "observed_at", "observed_until", "count", "narrative",
)  # fmt: skip
LOCATION_FIELDS: tuple[str, ...] = ("country", "subdivision", "place", "lat", "lon")
SUBSTANCE_FIELDS: tuple[str, ...] = ("text", "smiles", "cas", "quantity", "unit", "purity")
ENTITY_FIELDS: tuple[str, ...] = ("type", "value", "country", "normalized")
MARKING_FIELDS: tuple[str, ...] = ("tlp", "recipients", "sharing_group", "users")
GRADING_FIELDS: tuple[str, ...] = ("source", "information")
JSON_FIELDS = {
    "member",
    *TOP_FIELDS,
    "location",
    "substances",
    "entities",
    "marking",
    "grading",
}

# CSV column of a substance attribute ("text" is written `substance`).
_SUBSTANCE_COLUMN = {"text": "substance", **{f: f for f in SUBSTANCE_FIELDS if f != "text"}}
_SUBSTANCE_ATTRIBUTE = {column: attr for attr, column in _SUBSTANCE_COLUMN.items()}
_SUFFIXED = re.compile(r"^(substance|smiles|cas|quantity|unit|purity)_(\d{1,3})$")
_ENTITY_COLUMNS = {t.value for t in EntityType}
# Our own CSV writers add this column to rejects files; loading them again ignores it quietly.
REJECT_REASON_COLUMN = "reject_reason"
CSV_COLUMNS = {
    "member",
    *TOP_FIELDS,
    *LOCATION_FIELDS,
    *_SUBSTANCE_ATTRIBUTE,
    *_ENTITY_COLUMNS,
    "substances",
    "entities",
    *(f for f in MARKING_FIELDS),
    "grading",
}


@dataclass(slots=True)
class ReportForm:
    """A report document read from one record, with where each part came from."""

    member: str | None
    document: dict[str, Any]
    # Internal path prefix ("substances[1]", "entities[0]") → the column or key the user wrote.
    origins: dict[str, str] = field(default_factory=dict)
    from_csv: bool = False

    def to_user_field(self, path: str | None) -> str | None:
        """Name a problem's field as the user wrote it in the file."""
        if path is None or not self.from_csv:
            return path
        head, _, rest = path.partition(".")
        if head in ("location", "marking"):
            return rest.split(".")[0] or head
        if head == "grading":
            return "grading"
        match = re.match(r"^(substances|entities)\[(\d+)\]$", head)
        if match:
            origin = self.origins.get(head)
            if origin is None:
                return path
            if origin in ("substances", "entities"):
                return f"{origin}[{match.group(2)}]{'.' + rest if rest else ''}"
            if head.startswith("substances"):
                suffix = origin.removeprefix("substance")
                return (_SUBSTANCE_COLUMN.get(rest, "substance") + suffix) if rest else origin
            return origin
        return path


def unknown_csv_columns(header: list[str]) -> list[str]:
    return [
        c
        for c in header
        if c not in CSV_COLUMNS and c != REJECT_REASON_COLUMN and not _SUFFIXED.match(c)
    ]


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


class CsvLayout:
    """How the columns of one CSV header map onto a report, worked out once per file."""

    def __init__(self, header: list[str]) -> None:
        columns = set(header)
        self.top = [f for f in TOP_FIELDS if f in columns]
        self.location = [f for f in LOCATION_FIELDS if f in columns]
        groups: dict[int, list[tuple[str, str]]] = {}
        for column in header:
            attr = _SUBSTANCE_ATTRIBUTE.get(column)
            if attr is not None:
                groups.setdefault(1, []).append((attr, column))
                continue
            match = _SUFFIXED.match(column)
            if match:
                attr = _SUBSTANCE_ATTRIBUTE[match.group(1)]
                groups.setdefault(int(match.group(2)), []).append((attr, column))
        self.substances = [
            ("substance" if number == 1 else f"substance_{number}", groups[number])
            for number in sorted(groups)
        ]
        self.entities = [c for c in header if c in _ENTITY_COLUMNS]
        self.json_substances = "substances" in columns
        self.json_entities = "entities" in columns
        self.marking = [c for c in MARKING_FIELDS if c in columns]
        self.grading = "grading" in columns
        self.member = "member" in columns

    def to_form(self, fields: Mapping[str, object]) -> tuple[ReportForm, list[FieldProblem]]:
        """Build a report document from one row; return it with the problems of its cells."""

        def cell(column: str) -> str | None:
            value = fields.get(column)
            return value if isinstance(value, str) and value and not value.isspace() else None

        problems: list[FieldProblem] = []
        doc: dict[str, Any] = {}
        for column in self.top:
            value = cell(column)
            if value is not None:
                doc[column] = value
        form = ReportForm(
            member=cell("member") if self.member else None, document=doc, from_csv=True
        )
        location = {}
        for column in self.location:
            value = cell(column)
            if value is not None:
                location[column] = value
        if location:
            doc["location"] = location

        substances: list[Any] = []
        if self.json_substances:
            self._json_items("substances", cell("substances"), substances, form, problems)
        for origin, pairs in self.substances:
            item = {}
            for attr, column in pairs:
                value = cell(column)
                if value is not None:
                    item[attr] = value
            if item:
                form.origins[f"substances[{len(substances)}]"] = origin
                substances.append(item)
        if substances:
            doc["substances"] = substances

        entities: list[Any] = []
        if self.json_entities:
            self._json_items("entities", cell("entities"), entities, form, problems)
        for column in self.entities:
            value = cell(column)
            if value is None:
                continue
            for part in _split_list(value):
                form.origins[f"entities[{len(entities)}]"] = column
                entities.append({"type": column, "value": part})
        if entities:
            doc["entities"] = entities

        marking: dict[str, Any] = {}
        for column in self.marking:
            value = cell(column)
            if value is not None:
                marking[column] = _split_list(value) if column in ("recipients", "users") else value
        if marking:
            marking.setdefault("tlp", DEFAULT_MARKING.tlp.value)
            doc["marking"] = marking

        grading = cell("grading") if self.grading else None
        if grading is not None:
            try:
                doc["grading"] = from_compact_grading(grading)
            except ValueError as error:
                problems.append(FieldProblem("grading", str(error)))
        return form, problems

    @staticmethod
    def _json_items(
        column: str,
        value: str | None,
        items: list[Any],
        form: ReportForm,
        problems: list[FieldProblem],
    ) -> None:
        if value is None:
            return
        try:
            parsed = json.loads(value)
        except ValueError as error:
            problems.append(FieldProblem(column, f"not valid JSON: {error}"))
            return
        if not isinstance(parsed, list):
            problems.append(FieldProblem(column, "must be a JSON array"))
            return
        for item in parsed:
            form.origins[f"{column}[{len(items)}]"] = column
            items.append(item)


def from_json_object(data: Mapping[str, object]) -> tuple[ReportForm, list[str]]:
    """Take a JSON report as it is; return it with the unknown keys (dotted), which are dropped."""
    unknown: list[str] = []
    doc: dict[str, Any] = {}
    for key, value in data.items():
        if key == REJECT_REASON_COLUMN:
            continue
        if key not in JSON_FIELDS:
            unknown.append(key)
        elif key != "member":
            doc[key] = value
    for key, known in (
        ("location", LOCATION_FIELDS),
        ("marking", MARKING_FIELDS),
        ("grading", GRADING_FIELDS),
    ):
        part = doc.get(key)
        if isinstance(part, dict):
            unknown += [f"{key}.{k}" for k in part if k not in known]
            doc[key] = {k: v for k, v in part.items() if k in known}
    for key, known in (("substances", SUBSTANCE_FIELDS), ("entities", ENTITY_FIELDS)):
        items = doc.get(key)
        if isinstance(items, list):
            cleaned: list[Any] = []
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    unknown += [f"{key}[{i}].{k}" for k in item if k not in known]
                    item = {k: v for k, v in item.items() if k in known}
                cleaned.append(item)
            doc[key] = cleaned
    member = data.get("member")
    form = ReportForm(member=member if isinstance(member, str) else None, document=doc)
    return form, unknown
