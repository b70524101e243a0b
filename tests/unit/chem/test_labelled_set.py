"""Classification against an outside reference: 165 substances labelled from the instruments' text.

The labels (tests/data/chem_labelled.csv, argued in tests/data/README.md) were written without
looking at the knowledge base. The floors below sit just under the accuracy measured when the set
was added (UN 1961 99.4 %, UN 1971 / 1988 100 %, US CSA 92.7 % then 97.0 % once the missing US
listings were loaded from the Federal Register, fentanyl-related, precursor and designer precursor
100 %; `python benchmarks/eval_chem_labelled.py --show-errors` lists every
disagreement); a fall below them is a regression.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from eval_chem_labelled import evaluate  # the evaluation script is the one place that scores

FLOORS = {
    "un_1961": 0.98,
    "un_1971": 0.98,
    "un_1988": 0.98,
    "us_csa": 0.95,
    "fentanyl_related": 0.98,
    "precursor": 0.98,
    "designer_precursor": 0.98,
}


@pytest.fixture(scope="module")
def accuracy() -> dict[str, float]:
    measured, _, count = evaluate()
    assert count >= 150
    return measured


@pytest.mark.parametrize(("field", "floor"), sorted(FLOORS.items()))
def test_accuracy_per_output_field(accuracy: dict[str, float], field: str, floor: float) -> None:
    assert accuracy[field] >= floor, f"{field}: {accuracy[field]:.1%} < {floor:.0%}"
