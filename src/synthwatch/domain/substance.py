"""A substance as a report mentions it: a name, a structure or a CAS number, with amount and purity."""

from __future__ import annotations

import math
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from synthwatch.domain.text import check_name

_CAS = re.compile(r"^(\d{2,7})-?(\d{2})-?(\d)$")
_SMILES_FORBIDDEN = re.compile(r"\s")


def to_cas_number(value: str) -> str:
    """Return a CAS Registry Number in its hyphenated form after checking its check digit.

    Raises:
        ValueError: not shaped like a CAS RN, or the check digit does not match.
    """
    text = value.strip()
    match = _CAS.match(text)
    if not match:
        raise ValueError(f"not a CAS Registry Number: {value!r}")
    head, middle, check = match.groups()
    digits = (head + middle)[::-1]
    expected = sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10
    if expected != int(check):
        raise ValueError(f"CAS check digit of {value!r} should be {expected}")
    return f"{int(head)}-{middle}-{check}"


class Unit(StrEnum):
    """Units of amount, mass and volume as reports use them."""

    MICROGRAM = "ug"
    MILLIGRAM = "mg"
    GRAM = "g"
    KILOGRAM = "kg"
    TONNE = "t"
    OUNCE = "oz"
    POUND = "lb"
    MILLILITRE = "mL"
    LITRE = "L"
    GALLON = "gal"
    TABLET = "tablet"
    CAPSULE = "capsule"
    BLOTTER = "blotter"
    DOSE = "dose"
    PACKAGE = "package"
    UNIT = "unit"


_UNIT_WORDS: dict[str, Unit] = {
    **{w: Unit.MICROGRAM for w in ("ug", "µg", "μg", "mcg", "microgram", "micrograms")},
    **{w: Unit.MILLIGRAM for w in ("mg", "milligram", "milligrams")},
    **{w: Unit.GRAM for w in ("g", "gr", "gram", "grams", "gramme", "grammes", "gramos")},
    **{
        w: Unit.KILOGRAM
        for w in ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramos")
    },
    **{w: Unit.TONNE for w in ("t", "tonne", "tonnes", "metric ton", "metric tons")},
    **{w: Unit.OUNCE for w in ("oz", "ounce", "ounces")},
    **{w: Unit.POUND for w in ("lb", "lbs", "pound", "pounds", "libras")},
    **{
        w: Unit.MILLILITRE for w in ("ml", "millilitre", "milliliter", "millilitres", "milliliters")
    },
    **{w: Unit.LITRE for w in ("l", "litre", "liter", "litres", "liters", "litros")},
    **{w: Unit.GALLON for w in ("gal", "gallon", "gallons")},
    **{w: Unit.TABLET for w in ("tablet", "tablets", "tab", "tabs", "pill", "pills", "pastillas")},
    **{w: Unit.CAPSULE for w in ("capsule", "capsules", "cap", "caps")},
    **{w: Unit.BLOTTER for w in ("blotter", "blotters")},
    **{w: Unit.DOSE for w in ("dose", "doses", "dosis")},
    **{w: Unit.PACKAGE for w in ("package", "packages", "packet", "packets", "bag", "bags")},
    **{w: Unit.UNIT for w in ("unit", "units", "piece", "pieces", "pcs", "item", "items")},
}


def to_unit(value: str) -> Unit:
    """Read a unit as written on a report ("kgs", "Pills", "µg"); raise ValueError when unknown."""
    unit = _UNIT_WORDS.get(value.strip().lower().rstrip("."))
    if unit is None:
        known = ", ".join(u.value for u in Unit)
        raise ValueError(f"unknown unit {value!r}; expected one of {known}")
    return unit


class SubstanceMention(BaseModel):
    """A substance named in a report; at least one of text, SMILES or CAS identifies it."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    text: str | None = None
    smiles: str | None = None
    cas: str | None = None
    quantity: float | None = None
    unit: Unit | None = None
    purity: float | None = None

    @field_validator("text")
    @classmethod
    def _check_text(cls, value: str | None) -> str | None:
        return check_name(value, max_length=1000) if value is not None and value.strip() else None

    @field_validator("smiles")
    @classmethod
    def _check_smiles(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if len(value) > 5000:
            raise ValueError("SMILES longer than 5000 characters")
        if _SMILES_FORBIDDEN.search(value) or not value.isascii():
            raise ValueError("SMILES must be ASCII without spaces")
        return value

    @field_validator("cas")
    @classmethod
    def _check_cas(cls, value: str | None) -> str | None:
        return to_cas_number(value) if value is not None and value.strip() else None

    @field_validator("unit", mode="before")
    @classmethod
    def _read_unit(cls, value: object) -> object:
        if isinstance(value, str):
            return to_unit(value) if value.strip() else None
        return value

    @field_validator("quantity")
    @classmethod
    def _check_quantity(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ValueError("quantity must be a finite number ≥ 0")
        return None if value is None else value + 0.0  # -0.0 → 0.0: one canonical zero

    @field_validator("purity")
    @classmethod
    def _check_purity(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and 0 <= value <= 100):
            raise ValueError("purity is a percentage between 0 and 100")
        return None if value is None else value + 0.0  # -0.0 → 0.0: one canonical zero

    @model_validator(mode="after")
    def _check_identified(self) -> SubstanceMention:
        if self.text is None and self.smiles is None and self.cas is None:
            raise ValueError("a substance needs at least one of text, smiles or cas")
        if self.quantity is not None and self.unit is None:
            raise ValueError("a quantity needs a unit")
        return self
