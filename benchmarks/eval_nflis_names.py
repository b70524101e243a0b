"""How US forensic labs write substance names, and how many synthwatch resolves and classifies.

    python benchmarks/eval_nflis_names.py

Reads the distinct substance descriptions of the bundled DEA NFLIS extract (category "Fentanyl and
Fentanyl-related") and reports: the share resolved to a structure, and among those the share whose
fentanyl-related verdict agrees with the data set's own category (fentanyl itself and precursors
are listed: they are in the category but are not fentanyl-related substances by the statute).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path

from synthwatch.chem.classify import classify_substance

DATA = (
    files("synthwatch.demo")
    / "data"
    / "nflis_fentanyl_dqs"
    / "nflis_fentanyl_related_reports_state_halfyear_2017_2025.csv"
)


def main() -> None:
    reports: Counter[str] = Counter()
    with DATA.open("r", encoding="utf-8", newline="") as handle:  # type: ignore[call-overload]
        for row in csv.DictReader(handle):
            reports[row["substance"]] += int(row["drug_reports"])
    names = sorted(reports)
    results = {name: classify_substance(name) for name in names}
    resolved = [n for n in names if results[n].resolved]
    related = [n for n in resolved if results[n].fentanyl_related]
    fentanyl_or_precursor = [n for n in resolved if not results[n].fentanyl_related]
    weight = sum(reports.values())
    resolved_weight = sum(reports[n] for n in resolved)
    print(f"NFLIS substance descriptions: {len(names)} ({weight:,} drug reports)")
    print(
        f"resolved to a structure: {len(resolved)}/{len(names)} = {len(resolved) / len(names):.1%} "
        f"of names, {resolved_weight / weight:.1%} of drug reports"
    )
    print(
        f"fentanyl-related verdict true: {len(related)}/{len(resolved)} resolved names; the rest are "
        f"fentanyl itself, precursors or by-products, which the category includes but the statute does not:"
    )
    for name in fentanyl_or_precursor:
        r = results[name]
        kind = (
            "precursor"
            if r.precursor
            else ("fentanyl" if r.name and r.name.lower() == "fentanyl" else "other")
        )
        print(f"  {kind:9} {name}")
    print("unresolved:")
    for name in names:
        if not results[name].resolved:
            print(f"  {reports[name]:>7,}  {name}  — {results[name].error}")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "nflis_names.json").write_text(
        json.dumps(
            {
                "names": len(names),
                "resolved": len(resolved),
                "resolved_share_of_reports": round(resolved_weight / weight, 4),
                "fentanyl_related": len(related),
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(main())
