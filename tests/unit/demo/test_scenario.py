"""The demo scenario turns the bundled real series into well-formed, faithful reports."""

from __future__ import annotations

import csv
import filecmp
import io
from collections import Counter
from collections.abc import Iterator
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pycountry
import pytest

from synthwatch.demo.scenario import (
    CBP_LOCATIONS,
    DEMO_MEMBERS,
    DemoMember,
    demo_reports,
)

Report = dict[str, Any]

DATA = files("synthwatch.demo") / "data"
BUNDLED = {
    "cdc_vsrr_overdose": (
        "README.md",
        "vsrr_selected_series_release_2025_04.csv",
        "vsrr_synthetic_opioids_t40_4_by_state.csv",
    ),
    "nflis_fentanyl_dqs": (
        "README.md",
        "nflis_fentanyl_related_reports_state_halfyear_2017_2025.csv",
    ),
    "cbp_drug_seizures": (
        "README.md",
        "cbp_amo_drug_seizures_fy2019_fy2026dec.csv",
        "cbp_nationwide_drug_seizures_fy2019_fy2026dec.csv",
    ),
}
REPORT_KEYS = {
    "external_id",
    "kind",
    "observed_at",
    "observed_until",
    "location",
    "substances",
    "count",
    "narrative",
    "marking",
    "grading",
}
SUBDIVISION_COUNTRY = {
    subdivision.code: subdivision.country_code for subdivision in pycountry.subdivisions
}
OWNER_KIND = {
    "CDC National Center for Health Statistics": "overdose",
    "DEA Diversion Control Division — NFLIS": "lab_identification",
    "U.S. Customs and Border Protection": "seizure",
}


def _shared_real_data() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "real"
        if candidate.is_dir():
            return candidate
    return None


def _csv(folder: str, name: str) -> Iterator[dict[str, str]]:
    raw = (DATA / folder / name).open("rb")
    with io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.fixture(scope="module")
def reports() -> list[tuple[str, Report]]:
    return list(demo_reports())


def _of(reports: list[tuple[str, Report]], kind: str) -> list[Report]:
    return [report for _, report in reports if report["kind"] == kind]


def test_members_are_trilateral_and_valid() -> None:
    names = [member.name for member in DEMO_MEMBERS]
    assert len(names) == len(set(names)) == 12
    assert {member.country for member in DEMO_MEMBERS} == {"US", "MX", "CA"}
    for member in DEMO_MEMBERS:
        assert pycountry.countries.get(alpha_2=member.country) is not None
    assert set(OWNER_KIND) <= set(names)
    with pytest.raises(ValueError, match="unknown member kind"):
        DemoMember("Nobody", "US", "astrologer")


def test_every_report_is_well_formed(reports: list[tuple[str, Report]]) -> None:
    for owner, report in reports:
        assert set(report) == REPORT_KEYS, report["external_id"]
        assert report["kind"] == OWNER_KIND[owner]
        assert type(report["count"]) is int and report["count"] >= 0
        start = date.fromisoformat(report["observed_at"])
        until = date.fromisoformat(report["observed_until"])
        assert start <= until
        assert report["marking"] == {"tlp": "CLEAR"}
        assert report["grading"]["source"] == "A"
        assert report["grading"]["information"] in (2, 3)
        assert report["narrative"].endswith(".") and "\n" not in report["narrative"]
        assert report["substances"] and all(s["text"] for s in report["substances"])
        assert None not in report["location"].values()
        assert None not in [v for s in report["substances"] for v in s.values()]


def test_locations_are_valid_iso_3166(reports: list[tuple[str, Report]]) -> None:
    for _, report in reports:
        location = report["location"]
        assert set(location) <= {"country", "subdivision", "place"}
        assert pycountry.countries.get(alpha_2=location["country"]) is not None
        if "subdivision" in location:
            code = location["subdivision"]
            assert SUBDIVISION_COUNTRY.get(code) == location["country"], location


def test_external_ids_unique_per_owner(reports: list[tuple[str, Report]]) -> None:
    counts = Counter((owner, report["external_id"]) for owner, report in reports)
    assert [key for key, n in counts.items() if n > 1] == []


def test_order_is_stable_and_limit_caps_each_source() -> None:
    first = list(demo_reports(limit_per_source=5))
    assert first == list(demo_reports(limit_per_source=5))
    assert Counter(owner for owner, _ in first) == dict.fromkeys(OWNER_KIND, 5)
    assert list(demo_reports(limit_per_source=0)) == []
    with pytest.raises(ValueError, match="limit_per_source"):
        list(demo_reports(limit_per_source=-1))


def test_vsrr_one_report_per_published_value(reports: list[tuple[str, Report]]) -> None:
    rows = list(_csv("cdc_vsrr_overdose", "vsrr_synthetic_opioids_t40_4_by_state.csv"))
    published = [row for row in rows if row["data_value"].strip()]
    overdose = _of(reports, "overdose")
    assert len(overdose) == len(published) < len(rows)
    assert sum(r["count"] for r in overdose) == sum(int(row["data_value"]) for row in published)
    by_id = {r["external_id"]: r for r in overdose}
    texas = by_id["vsrr:t40.4:TX:2021-01"]
    assert texas["count"] == 1083  # README spot check
    assert (texas["observed_at"], texas["observed_until"]) == (
        "2020-02-01",
        "2021-01-31",
    )
    assert texas["location"]["subdivision"] == "US-TX"
    assert by_id["vsrr:t40.4:TX:2019-01"]["count"] == 318
    leap = by_id["vsrr:t40.4:TX:2020-02"]
    assert (leap["observed_at"], leap["observed_until"]) == ("2019-03-01", "2020-02-29")
    puerto_rico = next(r for r in overdose if r["external_id"].startswith("vsrr:t40.4:PR:"))
    assert puerto_rico["location"]["country"] == "PR"
    assert "subdivision" not in puerto_rico["location"]


def test_nflis_totals_and_places(reports: list[tuple[str, Report]]) -> None:
    rows = list(
        _csv(
            "nflis_fentanyl_dqs",
            "nflis_fentanyl_related_reports_state_halfyear_2017_2025.csv",
        )
    )
    lab = _of(reports, "lab_identification")
    assert len(lab) == len(rows) == 8923
    assert sum(r["count"] for r in lab) == sum(int(row["drug_reports"]) for row in rows)
    for r in lab:
        start, until = r["observed_at"], r["observed_until"]
        assert (start[5:], until[5:]) in {("01-01", "06-30"), ("07-01", "12-31")}
    by_id = {r["external_id"]: r for r in lab}
    unassigned = by_id["nflis:2019H2:XX:2408"]
    assert unassigned["location"] == {"country": "US", "place": "State not assigned"}
    assert {r["location"]["country"] for r in lab} == {"US", "PR", "GU", "VI"}


def test_cbp_fentanyl_pounds_match_readme_check(
    reports: list[tuple[str, Report]],
) -> None:
    expected = {
        2019: 2804,
        2020: 4791,
        2021: 11201,
        2022: 14700,
        2023: 27023,
        2024: 21889,
    }
    expected[2025] = 12027
    pounds: Counter[int] = Counter()
    for r in _of(reports, "seizure"):
        if r["external_id"].startswith("cbp:amo:") or r["substances"][0]["text"] != "Fentanyl":
            continue
        start = date.fromisoformat(r["observed_at"])
        fiscal_year = start.year + 1 if start.month >= 10 else start.year
        pounds[fiscal_year] += r["substances"][0]["quantity"]
    for fiscal_year, total in expected.items():
        assert pounds[fiscal_year] == pytest.approx(total, abs=1.0), fiscal_year
    assert pounds[2023] == pytest.approx(27023, abs=1.0)


def test_cbp_one_report_per_row(reports: list[tuple[str, Report]]) -> None:
    seizures = _of(reports, "seizure")
    nationwide = list(
        _csv("cbp_drug_seizures", "cbp_nationwide_drug_seizures_fy2019_fy2026dec.csv")
    )
    amo = list(_csv("cbp_drug_seizures", "cbp_amo_drug_seizures_fy2019_fy2026dec.csv"))
    assert len(seizures) == len(nationwide) + len(amo) == 17987 + 3064
    assert sum(r["count"] for r in seizures) == sum(
        int(row["count_of_events"]) for row in nationwide + amo
    )
    for r in seizures:
        (substance,) = r["substances"]
        assert substance["unit"] == "lb" and isinstance(substance["quantity"], float)
        assert substance["quantity"] >= 0
    # Fiscal year -> calendar month: October of FY2023 is October 2022.
    october = [r for r in seizures if r["external_id"].startswith("cbp:ofo:2022-10:")]
    assert october and all(r["observed_until"] == "2022-10-31" for r in october)


def test_every_cbp_location_is_mapped() -> None:
    seen = {
        row["location"]
        for name in BUNDLED["cbp_drug_seizures"][1:]
        for row in _csv("cbp_drug_seizures", name)
    }
    assert seen - set(CBP_LOCATIONS) == set(), "new CBP location: add it to CBP_LOCATIONS"
    assert set(CBP_LOCATIONS) - seen == set(), "CBP_LOCATIONS names a location not in the data"
    assert CBP_LOCATIONS["EL PASO FIELD OFFICE"] == ("US", "US-TX")
    assert CBP_LOCATIONS["TUCSON SECTOR"] == ("US", "US-AZ")
    assert CBP_LOCATIONS["SAN DIEGO FIELD OFFICE"] == ("US", "US-CA")
    assert CBP_LOCATIONS["RAMEY SECTOR"] == ("PR", None)


def _bundled_file(folder: str, name: str) -> Traversable:
    return DATA / folder / name


def test_bundled_files_are_present() -> None:
    for folder, names in BUNDLED.items():
        for name in names:
            assert _bundled_file(folder, name).is_file(), f"{folder}/{name}"


def test_bundled_files_are_identical_to_shared_data() -> None:
    shared = _shared_real_data()
    if shared is None:
        pytest.skip(
            "shared/data/real not found above the test file; the byte comparison runs in CI"
        )
    for folder, names in BUNDLED.items():
        for name in names:
            bundled = Path(str(_bundled_file(folder, name)))
            assert filecmp.cmp(bundled, shared / folder / name, shallow=False), f"{folder}/{name}"
