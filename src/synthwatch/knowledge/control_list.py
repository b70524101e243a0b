"""Bundled control lists (UN 1961/1971/1988, US CSA and DEA list chemicals) and their loader.

Why a loader of its own: the lists are data with legal weight, so every row is checked when it is
read (vocabulary, CAS check digits, dates, citations) and a bad row is reported as FILE:LINE.
Nothing here imports RDKit: this module holds facts, the chem layer takes decisions.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable

from synthwatch.domain.substance import to_cas_number

KNOWLEDGE_VERSION = "2026.11.0"

COLUMNS = (
    "id",
    "name",
    "synonyms",
    "cas",
    "smiles",
    "listing",
    "listed_on",
    "instrument",
    "reference",
    "group",
    "note",
)
_SEPARATOR = " | "


class Regime(StrEnum):
    """The legal regimes a control entry can belong to (names as in the classify output)."""

    UN_1961 = "UN-1961"
    UN_1971 = "UN-1971"
    UN_1988 = "UN-1988"
    US_CSA = "US-CSA"


_SCHEDULES = frozenset({"Schedule I", "Schedule II", "Schedule III", "Schedule IV", "Schedule V"})
_PRECURSOR_LISTINGS = frozenset({"Table I", "Table II", "List I", "List II"})

# file name -> (regime, listings allowed in that file); None regime marks reference substances
_FILES: dict[str, tuple[Regime | None, frozenset[str]]] = {
    "un_1961.csv": (
        Regime.UN_1961,
        frozenset({"Schedule I", "Schedule II", "Schedule III", "Schedule IV"}),
    ),
    "un_1971.csv": (
        Regime.UN_1971,
        frozenset({"Schedule I", "Schedule II", "Schedule III", "Schedule IV"}),
    ),
    "un_1988.csv": (Regime.UN_1988, frozenset({"Table I", "Table II"})),
    "us_csa.csv": (Regime.US_CSA, _SCHEDULES),
    "us_list_chemicals.csv": (Regime.US_CSA, frozenset({"List I", "List II"})),
    "reference_substances.csv": (None, frozenset()),
}


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """One row of a control list: a substance as one instrument lists it (or a reference substance)."""

    id: str
    regime: Regime | None
    name: str
    synonyms: tuple[str, ...]
    cas: tuple[str, ...]
    smiles: str | None
    listing: str | None
    listed_on: date | None
    instrument: str
    reference: str
    group: str | None
    note: str

    @property
    def is_precursor(self) -> bool:
        """True for UN 1988 Table I/II, DEA List I/II, and US Schedule II immediate precursors.

        Immediate precursors (ANPP, norfentanyl, phenylacetone) are controlled substances in the US
        but serve as precursors; their instrument names 21 CFR 1308.12(g) "immediate precursor".
        """
        if self.listing in _PRECURSOR_LISTINGS:
            return True
        return self.regime is Regime.US_CSA and "immediate precursor" in self.instrument.lower()

    @property
    def is_controlled(self) -> bool:
        """False only for reference substances (adulterants, hard negatives)."""
        return self.regime is not None


@dataclass(frozen=True, slots=True)
class Source:
    """One bundled file: what it covers and how current it is."""

    file: str
    regime: Regime | None
    entries: int
    instruments: tuple[str, ...]
    latest_listing: date | None


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All bundled entries, the files they came from and the knowledge-base version."""

    entries: tuple[ControlEntry, ...]
    sources: tuple[Source, ...]
    version: str


def _data_dir() -> Traversable:
    """The bundled data folder (a function so tests can point it elsewhere)."""
    return resources.files("synthwatch.knowledge") / "data"


@functools.cache
def load_knowledge_base() -> KnowledgeBase:
    """Read and validate every bundled file once per process.

    Raises:
        ValueError: ``FILE:LINE: column: reason`` for the first bad row found.
    """
    return _load(_data_dir())


def _load(folder: Traversable) -> KnowledgeBase:
    entries: list[ControlEntry] = []
    sources: list[Source] = []
    seen: dict[str, str] = {}
    for file, (regime, listings) in _FILES.items():
        text = (folder / file).read_text(encoding="utf-8")
        rows = _read_file(file, text, regime, listings, seen)
        entries.extend(rows)
        dates = [e.listed_on for e in rows if e.listed_on is not None]
        sources.append(
            Source(
                file=file,
                regime=regime,
                entries=len(rows),
                instruments=tuple(sorted({e.instrument for e in rows})),
                latest_listing=max(dates) if dates else None,
            )
        )
    return KnowledgeBase(entries=tuple(entries), sources=tuple(sources), version=KNOWLEDGE_VERSION)


def _read_file(
    file: str,
    text: str,
    regime: Regime | None,
    listings: frozenset[str],
    seen: dict[str, str],
) -> list[ControlEntry]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise ValueError(f"{file}:1: header: expected {','.join(COLUMNS)}")
    out: list[ControlEntry] = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{file}:{line}: row: {len(fields)} fields, expected {len(COLUMNS)}")
        row = dict(zip(COLUMNS, (f.strip() for f in fields), strict=True))
        out.append(_entry(file, line, row, regime, listings, seen))
    return out


def _entry(
    file: str,
    line: int,
    row: dict[str, str],
    regime: Regime | None,
    listings: frozenset[str],
    seen: dict[str, str],
) -> ControlEntry:
    def fail(column: str, reason: str) -> ValueError:
        return ValueError(f"{file}:{line}: {column}: {reason}")

    ident = row["id"]
    if not ident or ident != ident.lower() or " " in ident:
        raise fail("id", f"not a lower-case slug: {ident!r}")
    if ident in seen:
        raise fail("id", f"duplicate id {ident!r} (first in {seen[ident]})")
    seen[ident] = f"{file}:{line}"
    if not row["name"]:
        raise fail("name", "empty")
    listing = row["listing"] or None
    if regime is None:
        if listing is not None:
            raise fail("listing", "reference substances carry no listing")
    elif listing not in listings:
        raise fail("listing", f"{listing!r} not one of {', '.join(sorted(listings))}")
    cas: list[str] = []
    for value in _split(row["cas"]):
        try:
            cas.append(to_cas_number(value))
        except ValueError as exc:
            raise fail("cas", str(exc)) from None
    listed_on: date | None = None
    if row["listed_on"]:
        try:
            listed_on = date.fromisoformat(row["listed_on"])
        except ValueError:
            raise fail("listed_on", f"not an ISO date: {row['listed_on']!r}") from None
    if not row["instrument"]:
        raise fail("instrument", "empty")
    if regime is not None and not row["reference"]:
        raise fail("reference", "a controlled entry needs a citation")
    smiles = row["smiles"] or None
    if smiles is not None and (" " in smiles or not smiles.isascii()):
        raise fail("smiles", "must be ASCII without spaces")
    return ControlEntry(
        id=ident,
        regime=regime,
        name=row["name"],
        synonyms=tuple(_split(row["synonyms"])),
        cas=tuple(cas),
        smiles=smiles,
        listing=listing,
        listed_on=listed_on,
        instrument=row["instrument"],
        reference=row["reference"],
        group=row["group"] or None,
        note=row["note"],
    )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(_SEPARATOR.strip()) if part.strip()]


@dataclass(frozen=True, slots=True)
class DerivativeCoverage:
    """A listing that also covers derivatives of the listed chemical, as chemical steps away from it.

    US List I names 4-AP "and its amides, carbamates, halides and salts": a carbamate of 4-AP is
    listed though no table names it. `transforms` are the reverse steps (as the chemistry engine
    names them) that lead from such a derivative back to the listed chemical.
    """

    entry_id: str
    derivatives: str
    transforms: frozenset[str]
    reference: str


@functools.cache
def load_derivative_coverage() -> tuple[DerivativeCoverage, ...]:
    """Read `derivative_coverage.csv`; every entry id must exist in the knowledge base.

    Raises:
        ValueError: ``FILE:LINE: column: reason`` for a bad row.
    """
    name = "derivative_coverage.csv"
    known = {e.id for e in load_knowledge_base().entries}
    rows: list[DerivativeCoverage] = []
    text = (_data_dir() / name).read_text(encoding="utf-8")
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), 2):
        if row["entry_id"] not in known:
            raise ValueError(f"{name}:{line}: entry_id: unknown entry {row['entry_id']!r}")
        transforms = frozenset(t.strip() for t in row["transforms"].split("|") if t.strip())
        if not transforms or not row["reference"].strip():
            raise ValueError(f"{name}:{line}: transforms/reference: required")
        rows.append(
            DerivativeCoverage(row["entry_id"], row["derivatives"], transforms, row["reference"])
        )
    return tuple(rows)
