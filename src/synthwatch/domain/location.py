"""Where something was observed: ISO 3166-1 country, ISO 3166-2 subdivision, optional coordinates."""

from __future__ import annotations

import math
from functools import cache

import pycountry
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

# Kosovo: user-assigned in ISO 3166 but used by the EU, the IMF and many national systems.
_EXTRA_COUNTRIES = frozenset({"XK"})


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | _EXTRA_COUNTRIES


@cache
def _subdivision_codes() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


def to_country_code(value: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for `value` (any case); raise ValueError if none exists."""
    code = value.strip().upper()
    if code not in _country_codes():
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}")
    return code


def to_subdivision_code(value: str, country: str) -> str:
    """Return the ISO 3166-2 code of a subdivision of `country` ("TX" or "US-TX" for Texas)."""
    code = value.strip().upper()
    if "-" not in code:
        code = f"{country}-{code}"
    if code not in _subdivision_codes():
        raise ValueError(f"unknown ISO 3166-2 subdivision code {value!r}")
    if code.split("-", 1)[0] != country:
        raise ValueError(f"subdivision {code} is not in country {country}")
    return code


class Location(BaseModel):
    """A country, optionally narrowed to a subdivision, a named place and a point."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    country: str
    subdivision: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str) -> str:
        return to_country_code(value)

    @field_validator("place")
    @classmethod
    def _check_place(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if len(value) > 500:
            raise ValueError("longer than 500 characters")
        return value or None

    @field_validator("lat")
    @classmethod
    def _check_lat(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -90.0 <= value <= 90.0):
            raise ValueError("latitude must be between -90 and 90")
        return None if value is None else value + 0.0  # -0.0 → 0.0: one canonical zero

    @field_validator("lon")
    @classmethod
    def _check_lon(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and -180.0 <= value <= 180.0):
            raise ValueError("longitude must be between -180 and 180")
        return None if value is None else value + 0.0  # -0.0 → 0.0: one canonical zero

    @field_validator("subdivision")
    @classmethod
    def _check_subdivision(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        country = info.data.get("country")
        if not isinstance(country, str):
            return value  # the country's own error is reported on its field
        return to_subdivision_code(value, country)

    @model_validator(mode="after")
    def _check_point(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        return self
