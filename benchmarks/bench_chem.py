"""Classification throughput on drug-like structures, beside RDKit parse + InChIKey in the same run.

    python benchmarks/bench_chem.py [--count 100000]

Structures: the MOSES benchmark set (drug-like molecules from ZINC), which the PyPI package
`molsets` 0.3.1 ships; its wheel is fetched once with `pip download` into benchmarks/out/cache and
only the data file is read (the package is not installed). The baseline is the least any
classifier that reports an InChIKey must do: RDKit `MolFromSmiles` + `MolToInchiKey`.
One process, one core.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from rdkit import Chem, RDLogger

from synthwatch.chem.classify import default_classifier

OUT = Path(__file__).resolve().parent / "out"
CACHE = OUT / "cache"
MOSES_MEMBER = "moses/dataset/data/test.csv.gz"


def moses_smiles(count: int) -> list[str]:
    wheels = sorted(CACHE.glob("molsets-0.3.1-*.whl"))
    if not wheels:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "molsets==0.3.1",
                "-d",
                str(CACHE),
            ],
            check=True,
        )
        wheels = sorted(CACHE.glob("molsets-0.3.1-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        text = gzip.decompress(wheel.read(MOSES_MEMBER)).decode()
    rows = list(csv_rows(text))
    if len(rows) < count:
        with zipfile.ZipFile(wheels[0]) as wheel:
            more = gzip.decompress(wheel.read("moses/dataset/data/train.csv.gz")).decode()
        rows += list(csv_rows(more))
    return rows[:count]


def csv_rows(text: str) -> list[str]:
    lines = io.StringIO(text).read().splitlines()
    header = lines[0].split(",")
    column = header.index("SMILES")
    return [line.split(",")[column] for line in lines[1:] if line]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    RDLogger.DisableLog("rdApp.*")
    smiles = moses_smiles(args.count)
    classifier = default_classifier()
    classifier.classify("fentanyl")  # build the indexes outside the timing

    started = time.perf_counter()
    for text in smiles:
        mol = Chem.MolFromSmiles(text)
        if mol is not None:
            Chem.MolToInchiKey(mol)
    baseline = len(smiles) / (time.perf_counter() - started)

    started = time.perf_counter()
    resolved = controlled = related = designer = 0
    for text in smiles:
        result = classifier.classify(text)
        resolved += result.resolved
        controlled += bool(result.controls)
        related += result.fentanyl_related
        designer += result.designer_precursor
    rate = len(smiles) / (time.perf_counter() - started)

    print(
        f"classification of {len(smiles):,} MOSES structures: {rate:,.0f} structures/s | RDKit parse + "
        f"InChIKey: {baseline:,.0f}/s | ratio vs RDKit parse + InChIKey: {rate / baseline:.2f}x "
        f"(target >= 0.7x) | resolved {resolved:,}, controlled {controlled}, fentanyl-related {related}, "
        f"designer precursors {designer}"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "chem.json").write_text(
        json.dumps(
            {
                "count": len(smiles),
                "structures_per_s": round(rate),
                "baseline_per_s": round(baseline),
                "ratio": round(rate / baseline, 3),
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
