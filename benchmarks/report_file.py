"""A generated report file of any size, realistic in shape: what a national node loads in bulk."""

from __future__ import annotations

import csv
import random
from pathlib import Path

COLUMNS = [
    "external_id", "kind", "observed_at", "country", "subdivision", "place", "substance",
    "quantity", "unit", "purity", "phone", "company", "count", "tlp", "narrative",
]  # fmt: skip
_PLACES = [("US", "US-TX", "El Paso"), ("US", "US-AZ", "Nogales"), ("MX", "MX-SON", "Hermosillo"),
           ("MX", "MX-BCN", "Tijuana"), ("CA", "CA-BC", "Vancouver"), ("CA", "CA-ON", "Toronto")]  # fmt: skip
_SUBSTANCES = ["fentanyl", "para-fluorofentanyl", "N-pyrrolidino protonitazene", "xylazine",
               "4-ANPP", "methamphetamine", "carfentanil", "medetomidine"]  # fmt: skip
_KINDS = ["seizure", "lab_identification", "drug_check", "overdose"]
_COMPANIES = [
    "Química del Norte S.A. de C.V.",
    "Hubei Chem Trading Co., Ltd.",
    "Northbridge Fine Chemicals Inc.",
]


def write_report_file(path: Path, rows: int, seed: int = 7) -> None:
    """Write `rows` valid reports as CSV; every 4th has a phone, every 5th a company."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            country, subdivision, place = rng.choice(_PLACES)
            region_phone = {
                "US": "+1 520 555 01{:02d}",
                "MX": "+52 662 123 45{:02d}",
                "CA": "+1 604 555 01{:02d}",
            }
            writer.writerow([
                f"R-{i:08d}",
                rng.choice(_KINDS),
                f"20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                country,
                subdivision,
                place,
                rng.choice(_SUBSTANCES),
                f"{rng.uniform(0.1, 5000):.2f}",
                rng.choice(["g", "kg", "tablets"]),
                f"{rng.uniform(1, 99):.1f}",
                region_phone[country].format(rng.randint(0, 99)) if i % 4 == 0 else "",
                rng.choice(_COMPANIES) if i % 5 == 0 else "",
                rng.randint(1, 40),
                rng.choice(["GREEN", "AMBER+STRICT", "CLEAR"]),
                f"Item {i}: {rng.choice(['blue pills M30', 'white powder', 'press tablets', 'liquid'])}",
            ])  # fmt: skip
