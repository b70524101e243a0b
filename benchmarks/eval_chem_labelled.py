"""Accuracy of `chem classify`, field by field, on the labelled set in tests/data/chem_labelled.csv.

    python benchmarks/eval_chem_labelled.py [--show-errors]

The labels were argued from the instruments' text, independently of the knowledge base (see
tests/data/README.md). Each structure is classified from its SMILES; a regime's field is right when
the set of listings found equals the labelled one.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from synthwatch.chem.classify import Classification, classify_substance

LABELS = Path(__file__).resolve().parents[1] / "tests" / "data" / "chem_labelled.csv"
REGIMES = {"un_1961": "UN-1961", "un_1971": "UN-1971", "un_1988": "UN-1988", "us_csa": "US-CSA"}
FLAGS = ("fentanyl_related", "precursor", "designer_precursor")


def listings(result: Classification, regime: str) -> frozenset[str]:
    return frozenset(c.listing for c in result.controls if c.regime == regime)


def expected_listings(cell: str) -> frozenset[str]:
    return frozenset(p.strip() for p in cell.split("|") if p.strip())


def evaluate() -> tuple[dict[str, float], list[str], int]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    right: Counter[str] = Counter()
    errors: list[str] = []
    for row in rows:
        result = classify_substance(row["smiles"])
        if not result.resolved:
            errors.append(f"{row['name']}: not resolved: {result.error}")
            continue
        for column, regime in REGIMES.items():
            got, want = listings(result, regime), expected_listings(row[column])
            if got == want:
                right[column] += 1
            else:
                errors.append(
                    f"{row['name']}: {column}: got {sorted(got)}, labelled {sorted(want)}"
                )
        for flag in FLAGS:
            got_flag = bool(getattr(result, flag))
            if got_flag == (row[flag].strip().lower() == "true"):
                right[flag] += 1
            else:
                errors.append(f"{row['name']}: {flag}: got {got_flag}, labelled {row[flag]}")
    accuracy = {field: right[field] / len(rows) for field in (*REGIMES, *FLAGS)}
    return accuracy, errors, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    accuracy, errors, count = evaluate()
    print(f"labelled substances: {count}")
    for field, value in accuracy.items():
        print(f"  {field:20} {value:.1%}")
    if args.show_errors:
        for line in errors:
            print("  ", line)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "chem_labelled.json").write_text(
        json.dumps({"count": count, "accuracy": accuracy}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
