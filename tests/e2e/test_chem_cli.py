"""`synthwatch chem`: the classify contract of INTERFACES.md, bad input answered row by row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthwatch.cli.app import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.startswith("{")], err


def test_classify_queries_in_order_with_one_json_object_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, rows, err = run(capsys, "chem", "classify", "fentanyl", "437-38-8", "C1=CC=CC=C1N")
    assert code == 1  # one query failed
    assert [r["query"] for r in rows] == ["fentanyl", "437-38-8", "C1=CC=CC=C1N"]
    assert rows[0]["resolved"] is True
    assert rows[0]["inchikey"] == "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
    assert rows[1]["resolved"] is False
    assert "check digit" in str(rows[1]["error"])
    assert "<argument>:2: query:" in err
    assert rows[2]["resolved"] is True
    assert rows[2]["controls"] == []


def test_classify_a_file_survives_hostile_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "queries.txt"
    path.write_bytes(
        b"carfentanil\n"
        + b"C" * 2_000_000
        + b"\n\xff\xfe\x00garbage\nC(C)(C)(C)(C)C\n4-ANPP\n"
        + "−CC".encode()
        + b"\n"
    )
    output = tmp_path / "out.jsonl"
    code = main(["chem", "classify", "--input", str(path), "--output", str(output)])
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    err = capsys.readouterr().err
    assert code == 1
    assert len(rows) == 6
    assert [r["resolved"] for r in rows] == [True, False, False, False, True, False]
    assert f"{path}:2: query:" in err
    assert all(r["error"] for r in rows if not r["resolved"])


def test_classify_reads_a_query_column_from_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        'id,query\n1,NPP\n2,"tert-butyl 4-(phenylamino)piperidine-1-carboxylate"\n',
        encoding="utf-8",
    )
    code, rows, _ = run(capsys, "chem", "classify", "--input", str(path))
    assert code == 0
    assert all(r["precursor"] for r in rows)


def test_sources_lists_every_control_list_with_the_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["chem", "sources", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["version"]
    files = {s["file"] for s in listing["sources"]}
    assert {
        "un_1961.csv",
        "un_1971.csv",
        "un_1988.csv",
        "us_csa.csv",
        "us_list_chemicals.csv",
    } <= files
    assert all(s["entries"] > 0 for s in listing["sources"])


def test_classify_without_queries_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chem", "classify"]) == 2
