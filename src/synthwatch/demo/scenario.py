"""Demo scenario: real trilateral agencies as members, real public US series as their reports.

Why: a demo node should show the platform working on numbers that actually happened, not on
invented ones. The bundled files under ``data/`` are unmodified copies of public US federal
series (see ``data/README.md``); this module only reshapes each source row into one aggregate
report in the platform's JSON form. It never fills gaps: a suppressed or missing value yields
no report.
"""

from __future__ import annotations

import calendar
import csv
import io
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Final

__all__ = [
    "CBP_LOCATIONS",
    "DEMO_MEMBERS",
    "DemoMember",
    "demo_reports",
]

MEMBER_KINDS: Final = frozenset(
    {
        "health",
        "forensic_lab",
        "customs",
        "police",
        "regulator",
        "chemical_company",
        "logistics_company",
        "harm_reduction",
    }
)


@dataclass(frozen=True, slots=True)
class DemoMember:
    """A member organisation of the demo federation.

    Why: the demo needs owners for the reports and a realistic trilateral (US/MX/CA) mix of
    sectors so that sharing rules have someone to share with.
    """

    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: str  # one of MEMBER_KINDS

    def __post_init__(self) -> None:
        if self.kind not in MEMBER_KINDS:
            raise ValueError(f"unknown member kind {self.kind!r}")
        if len(self.country) != 2 or not self.country.isupper():
            raise ValueError(f"country must be ISO 3166-1 alpha-2, got {self.country!r}")


CDC_NCHS: Final = "CDC National Center for Health Statistics"
DEA_NFLIS: Final = "DEA Diversion Control Division — NFLIS"
CBP: Final = "U.S. Customs and Border Protection"

DEMO_MEMBERS: Final[tuple[DemoMember, ...]] = (
    # United States: the three publishers of the bundled series, plus the DEA itself.
    DemoMember(CDC_NCHS, "US", "health"),
    DemoMember(DEA_NFLIS, "US", "forensic_lab"),
    DemoMember(CBP, "US", "customs"),
    DemoMember("Drug Enforcement Administration", "US", "police"),
    # Mexico.
    DemoMember(
        "Comisión Federal para la Protección contra Riesgos Sanitarios (COFEPRIS)",
        "MX",
        "regulator",
    ),
    DemoMember("Fiscalía General de la República", "MX", "police"),
    DemoMember("Agencia Nacional de Aduanas de México", "MX", "customs"),
    # Canada.
    DemoMember("Health Canada — Drug Analysis Service", "CA", "forensic_lab"),
    DemoMember("Canada Border Services Agency", "CA", "customs"),
    DemoMember("Public Health Agency of Canada", "CA", "health"),
    # FICTIONAL: no such company is meant; it stands in for the private chemical sector.
    DemoMember("Northbridge Fine Chemicals Inc.", "US", "chemical_company"),
    # FICTIONAL: stands in for a community drug-checking service.
    DemoMember("Vancouver Drug Checking Collective", "CA", "harm_reduction"),
)

# Every report here comes from published public statistics.
_MARKING: Final[Mapping[str, object]] = {"tlp": "CLEAR"}

# Admiralty grading. Source "A": the publishers are the official statistical/forensic/customs
# authorities for these numbers. Information "2" (probably true) for all three series, including
# the *provisional* VSRR counts: provisional does not mean doubtful. CDC publishes a value only
# when the state's records are essentially complete (percent_complete is 100 for every row here)
# and revisions as pending investigations close are small and mostly upward, so the number is a
# near-final lower bound, not an unconfirmed claim ("3", possibly true, would understate it).
# "1" (confirmed by independent sources) is not claimed for any single official count.
# The one VSRR row whose value is CDC's model-based *predicted* value rather than a reported
# count does get "3": it is an estimate, not an observation.
_GRADING: Final[Mapping[str, object]] = {"source": "A", "information": 2}
_GRADING_ESTIMATE: Final[Mapping[str, object]] = {"source": "A", "information": 3}

_VSRR_FILE: Final = ("cdc_vsrr_overdose", "vsrr_synthetic_opioids_t40_4_by_state.csv")
_NFLIS_FILE: Final = (
    "nflis_fentanyl_dqs",
    "nflis_fentanyl_related_reports_state_halfyear_2017_2025.csv",
)
_CBP_NATIONWIDE_FILE: Final = (
    "cbp_drug_seizures",
    "cbp_nationwide_drug_seizures_fy2019_fy2026dec.csv",
)
_CBP_AMO_FILE: Final = (
    "cbp_drug_seizures",
    "cbp_amo_drug_seizures_fy2019_fy2026dec.csv",
)

_VSRR_SUBSTANCE: Final = "Synthetic opioids other than methadone (ICD-10 T40.4)"

# Jurisdictions that are ISO 3166-1 countries of their own rather than US subdivisions.
_OWN_COUNTRY: Final = frozenset({"PR", "GU", "VI"})

# CBP location -> (ISO 3166-1 country, ISO 3166-2 subdivision or None).
# The subdivision is the state where the field office / sector / branch is headquartered, given
# only where that is certain; the report's "place" keeps the full unit name, since most units
# cover more than their headquarters state. None where the unit is national, abroad, spans
# several countries, or where the headquarters is not known for sure:
#   PRECLEARANCE FIELD OFFICE - stations abroad (Canada, Caribbean, Ireland, UAE...): none.
#   PORTLAND FIELD OFFICE - unsure (believed Portland, Oregon, but not certain; it is grouped
#     under the Northern Border region): none.
#   AMOC Air And Marine Operations Center - national surveillance centre (based in Riverside,
#     CA, but seizures it is credited with happen anywhere): none.
#   Ground Tactical Air Controller - not a place; appears under two regions: none.
#   HQ ... Branch (three) - headquarters units operating nationally/abroad: none.
#   NASOC - Jacksonville / NASOC - Corpus Christi - long-range P-3 units whose seizures are
#     mostly in the Caribbean / Eastern Pacific transit zone, far from their base: none.
#   AMO Operation Bahamas, Turks And Caicos - abroad, two countries: country "US" (the
#     reporting agency's), none.
#   Mexico City IAC - a CBP unit based in Mexico City: country "MX", none (where its seizures
#     happened is not stated).
# Caribbean units based in Puerto Rico get country "PR" (its own ISO 3166-1 code).
CBP_LOCATIONS: Final[Mapping[str, tuple[str, str | None]]] = {
    # OFO field offices (nationwide file)
    "ATLANTA FIELD OFFICE": ("US", "US-GA"),
    "BALTIMORE FIELD OFFICE": ("US", "US-MD"),
    "BOSTON FIELD OFFICE": ("US", "US-MA"),
    "BUFFALO FIELD OFFICE": ("US", "US-NY"),
    "CHICAGO FIELD OFFICE": ("US", "US-IL"),
    "DETROIT FIELD OFFICE": ("US", "US-MI"),
    "EL PASO FIELD OFFICE": ("US", "US-TX"),
    "HOUSTON FIELD OFFICE": ("US", "US-TX"),
    "LAREDO FIELD OFFICE": ("US", "US-TX"),
    "LOS ANGELES FIELD OFFICE": ("US", "US-CA"),
    "MIAMI FIELD OFFICE": ("US", "US-FL"),
    "NEW ORLEANS FIELD OFFICE": ("US", "US-LA"),
    "NEW YORK FIELD OFFICE": ("US", "US-NY"),
    "PORTLAND FIELD OFFICE": ("US", None),
    "PRECLEARANCE FIELD OFFICE": ("US", None),
    "SAN DIEGO FIELD OFFICE": ("US", "US-CA"),
    "SAN FRANCISCO FIELD OFFICE": ("US", "US-CA"),
    "SAN JUAN FIELD OFFICE": ("PR", None),
    "SEATTLE FIELD OFFICE": ("US", "US-WA"),
    "TAMPA FIELD OFFICE": ("US", "US-FL"),
    "TUCSON FIELD OFFICE": ("US", "US-AZ"),
    # USBP sectors (nationwide file)
    "BIG BEND SECTOR": ("US", "US-TX"),
    "BLAINE SECTOR": ("US", "US-WA"),
    "BUFFALO SECTOR": ("US", "US-NY"),
    "DEL RIO SECTOR": ("US", "US-TX"),
    "DETROIT SECTOR": ("US", "US-MI"),
    "EL CENTRO SECTOR": ("US", "US-CA"),
    "EL PASO SECTOR": ("US", "US-TX"),
    "GRAND FORKS SECTOR": ("US", "US-ND"),
    "HAVRE SECTOR": ("US", "US-MT"),
    "HOULTON SECTOR": ("US", "US-ME"),
    "LAREDO SECTOR": ("US", "US-TX"),
    "MIAMI SECTOR": ("US", "US-FL"),
    "NEW ORLEANS SECTOR": ("US", "US-LA"),
    "RAMEY SECTOR": ("PR", None),
    "RIO GRANDE VALLEY SECTOR": ("US", "US-TX"),
    "SAN DIEGO SECTOR": ("US", "US-CA"),
    "SPOKANE SECTOR": ("US", "US-WA"),
    "SWANTON SECTOR": ("US", "US-VT"),
    "TUCSON SECTOR": ("US", "US-AZ"),
    "YUMA SECTOR": ("US", "US-AZ"),
    # AMO branches and units (AMO file)
    "AMO Operation Bahamas, Turks And Caicos": ("US", None),
    "AMOC Air And Marine Operations Center": ("US", None),
    "Bellingham Air Branch": ("US", "US-WA"),
    "Caribbean Air And Marine Branch": ("PR", None),
    "El Paso Air Branch": ("US", "US-TX"),
    "Great Lakes Air And Marine Branch": ("US", "US-MI"),
    "Ground Tactical Air Controller": ("US", None),
    "HQ Foreign Operations & Investigations Branch": ("US", None),
    "HQ Investigative & Foreign Operations Branch": ("US", None),
    "HQ Undercover Operations Branch": ("US", None),
    "Houston Air And Marine Branch": ("US", "US-TX"),
    "Jacksonville Air And Marine Branch": ("US", "US-FL"),
    "Laredo Air Branch": ("US", "US-TX"),
    "Manassas Air Branch": ("US", "US-VA"),
    "Mc Allen Air And Marine Branch": ("US", "US-TX"),
    "Mexico City IAC": ("MX", None),
    "Miami Air And Marine Branch": ("US", "US-FL"),
    "NASOC - Albuquerque": ("US", "US-NM"),
    "NASOC - Corpus Christi": ("US", None),
    "NASOC - Grand Forks": ("US", "US-ND"),
    "NASOC - Houston": ("US", "US-TX"),
    "NASOC - Jacksonville": ("US", None),
    "NASOC - San Angelo": ("US", "US-TX"),
    "NASOC - Sierra Vista": ("US", "US-AZ"),
    "National Air Training Center Oklahoma City": ("US", "US-OK"),
    "New Orleans Air And Marine Branch": ("US", "US-LA"),
    "San Diego Air And Marine Branch": ("US", "US-CA"),
    "Tucson Air Branch": ("US", "US-AZ"),
    "Uvalde Air Branch": ("US", "US-TX"),
    "Yuma Air Branch": ("US", "US-AZ"),
}

_CBP_COMPONENTS: Final[Mapping[str, str]] = {
    "Office of Field Operations": "ofo",
    "U.S. Border Patrol": "usbp",
    "Air and Marine Operations": "amo",
}

# Spelled out rather than calendar.month_abbr, which follows the process locale.
_MONTHS: Final[Mapping[str, int]] = {
    name: number
    for number, name in enumerate(
        (
            "JAN",
            "FEB",
            "MAR",
            "APR",
            "MAY",
            "JUN",
            "JUL",
            "AUG",
            "SEP",
            "OCT",
            "NOV",
            "DEC",
        ),
        start=1,
    )
}


def _rows(parts: tuple[str, str]) -> Iterator[dict[str, str]]:
    """Stream one bundled CSV as dicts.

    Why: via importlib.resources so it works from an installed wheel as well as a checkout.
    """
    resource = files("synthwatch.demo") / "data" / parts[0] / parts[1]
    # Traversable.open takes no newline=; the csv module needs newline="" for quoted fields.
    with io.TextIOWrapper(resource.open("rb"), encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _location(country: str, subdivision: str | None, place: str) -> dict[str, object]:
    location: dict[str, object] = {"country": country}
    if subdivision is not None:
        location["subdivision"] = subdivision
    location["place"] = place
    return location


def _state_location(state: str, state_name: str) -> dict[str, object]:
    """Map a USPS state code to ISO 3166: PR/GU/VI are countries of their own, XX is unknown."""
    if state in _OWN_COUNTRY:
        return _location(state, None, state_name)
    if state == "XX":
        return _location("US", None, "State not assigned")
    return _location("US", f"US-{state}", state_name)


def _vsrr_reports() -> Iterator[dict[str, object]]:
    for row in _rows(_VSRR_FILE):
        value = row["data_value"].strip()
        if not value:
            continue  # suppressed or not published by CDC: no report, never an invented value
        year, month = (int(part) for part in row["period_end"].split("-"))
        until = _month_end(year, month)
        start_index = year * 12 + (month - 1) - 11  # 12-month-ending window
        start = date(start_index // 12, start_index % 12 + 1, 1)
        estimate = row["value_source"] == "predicted_value"
        narrative = (
            "12-month-ending provisional deaths involving synthetic opioids other than "
            f"methadone (T40.4), {row['state_name']}, period ending {row['period_end']}"
            + (" (CDC's model-predicted value, not a reported count)" if estimate else "")
            + " (CDC NCHS VSRR)."
        )
        yield {
            "external_id": f"vsrr:t40.4:{row['state']}:{row['period_end']}",
            "kind": "overdose",
            "observed_at": start.isoformat(),
            "observed_until": until.isoformat(),
            "location": _state_location(row["state"], row["state_name"]),
            "substances": [{"text": _VSRR_SUBSTANCE}],
            "count": int(value),
            "narrative": narrative,
            "marking": dict(_MARKING),
            "grading": dict(_GRADING_ESTIMATE if estimate else _GRADING),
        }


def _nflis_reports() -> Iterator[dict[str, object]]:
    for row in _rows(_NFLIS_FILE):
        year = int(row["year"])
        if row["half"] == "H1":
            start, until, months = date(year, 1, 1), date(year, 6, 30), "Jan-Jun"
        elif row["half"] == "H2":
            start, until, months = date(year, 7, 1), date(year, 12, 31), "Jul-Dec"
        else:
            raise ValueError(f"NFLIS row with unknown half {row['half']!r}")
        location = _state_location(row["state"], row["state_name"])
        where = str(location["place"])
        # README: 2025 was queried in March 2026 and lab reporting lags by months.
        lag = " (recent half-year, still incomplete when queried)" if year >= 2025 else ""
        yield {
            "external_id": f"nflis:{year}{row['half']}:{row['state']}:{row['substance_id']}",
            "kind": "lab_identification",
            "observed_at": start.isoformat(),
            "observed_until": until.isoformat(),
            "location": location,
            "substances": [{"text": row["substance"]}],
            "count": int(row["drug_reports"]),
            "narrative": (
                f"Forensic laboratory drug reports identifying {row['substance']}, {where}, "
                f"{year} {row['half']} ({months}){lag} (DEA NFLIS-Drug)."
            ),
            "marking": dict(_MARKING),
            "grading": dict(_GRADING),
        }


def _cbp_reports() -> Iterator[dict[str, object]]:
    rows = itertools.chain(_rows(_CBP_NATIONWIDE_FILE), _rows(_CBP_AMO_FILE))
    for row in rows:
        fiscal_year = int(row["fiscal_year"])
        month = _MONTHS[row["month"]]
        # Federal fiscal years start in October: OCT-DEC belong to calendar year FY-1.
        year = fiscal_year - 1 if month >= 10 else fiscal_year
        place = row["location"]
        try:
            country, subdivision = CBP_LOCATIONS[place]
        except KeyError:
            raise ValueError(f"CBP location {place!r} is not in CBP_LOCATIONS") from None
        component = _CBP_COMPONENTS[row["component"]]
        # "Land Only" (nationwide) / "Land" (AMO) -> "land"; "Other" -> "other".
        land = row["land_filter"].split()[0].lower()
        events = int(row["count_of_events"])
        pounds = float(row["quantity_lbs"])
        drug = row["drug_type"]
        yield {
            "external_id": f"cbp:{component}:{year:04d}-{month:02d}:{place}:{land}:{drug}",
            "kind": "seizure",
            "observed_at": date(year, month, 1).isoformat(),
            "observed_until": _month_end(year, month).isoformat(),
            "location": _location(country, subdivision, place),
            "substances": [{"text": drug, "quantity": pounds, "unit": "lb"}],
            "count": events,
            "narrative": (
                f"{events} {drug} seizure event{'' if events == 1 else 's'} ({pounds:,.2f} lb) "
                f"recorded by CBP "
                f"{row['component']}, {place}, land filter {row['land_filter']!r}, "
                f"{year:04d}-{month:02d} (FY{fiscal_year}) (CBP Drug Seizure Statistics)."
            ),
            "marking": dict(_MARKING),
            "grading": dict(_GRADING),
        }


def demo_reports(*, limit_per_source: int | None = None) -> Iterator[tuple[str, dict[str, object]]]:
    """Yield (owner member name, report) for every bundled real series row, in a stable order.

    Order: CDC VSRR, then DEA NFLIS, then CBP (nationwide, then AMO), each in file order.
    ``limit_per_source`` caps the reports taken from each of the three sources (quick tests).
    """
    if limit_per_source is not None and limit_per_source < 0:
        raise ValueError("limit_per_source must be >= 0")
    sources = (
        (CDC_NCHS, _vsrr_reports()),
        (DEA_NFLIS, _nflis_reports()),
        (CBP, _cbp_reports()),
    )
    for owner, reports in sources:
        for report in itertools.islice(reports, limit_per_source):
            yield owner, report
