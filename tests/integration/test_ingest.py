"""Loading files into a node, on SQLite and PostgreSQL: every bad input answered, nothing lost."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthwatch.cli.app import main
from synthwatch.domain.report import parse_report
from synthwatch.service import admin
from synthwatch.store.unit_of_work import SqlUnitOfWorkFactory, open_store
from tests.factories import MEMBER, OTHER_MEMBER, add_members, report_document
from tests.strategies import report_documents

COLUMNS = "external_id kind observed_at country subdivision substance quantity unit phone company tlp recipients"
HEADER = ",".join([*COLUMNS.split(), "narrative"])
GOOD_CELLS = ["S-1", "seizure", "2026-01-02", "MX", "SON", "fentanilo", "2.5", "kg"]
GOOD_ROW = ",".join(
    [*GOOD_CELLS, "662 123 4567", "Foo S.A. de C.V.", "AMBER", OTHER_MEMBER, '"Blue pills"']
)


class Node:
    """A node under test: its store, and the CLI run in-process against it."""

    def __init__(
        self,
        store: SqlUnitOfWorkFactory,
        url: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        self.store, self.url, self.tmp_path, self.capsys = store, url, tmp_path, capsys

    def ingest(
        self, path: Path, *extra: str, member: str | None = MEMBER
    ) -> tuple[int, dict[str, int], str]:
        args = ["--database-url", self.url, "ingest", str(path), "--json", *extra]
        if member is not None:
            args += ["--member", member]
        self.capsys.readouterr()
        code = main(args)
        out, err = self.capsys.readouterr()
        summary = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        return code, summary, err

    def reports(self) -> int:
        with self.store() as uow:
            return uow.reports.count()

    def versions(self) -> int:
        with self.store() as uow:
            return uow.reports.count_versions()

    def get(self, external_id: str, member: str = MEMBER) -> Any:
        with self.store() as uow:
            return uow.reports.get_by_external_id(member, external_id)


@pytest.fixture
def node(
    store: SqlUnitOfWorkFactory,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Node:
    add_members(store)
    return Node(store, database_url, tmp_path, capsys)


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_a_good_csv_is_stored_and_reads_back(node: Node, tmp_path: Path) -> None:
    code, summary, err = node.ingest(write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n"))
    assert (code, summary) == (0, {"stored": 1, "unchanged": 0, "updated": 0, "rejected": 0}), err
    stored = node.get("S-1")
    report = stored.report
    assert report.location.subdivision == "MX-SON"
    assert report.substances[0].quantity == 2.5 and report.substances[0].unit.value == "kg"
    assert [e.normalized for e in report.entities] == ["+526621234567", "foo"]
    assert report.marking.recipients == (OTHER_MEMBER,)
    assert stored.member == MEMBER


def test_loading_the_same_file_twice_adds_nothing(node: Node, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW.replace('S-1', 'S-2')}\n")
    assert node.ingest(path)[1]["stored"] == 2
    code, summary, _ = node.ingest(path)
    assert (code, summary) == (0, {"stored": 0, "unchanged": 2, "updated": 0, "rejected": 0})
    assert (node.reports(), node.versions()) == (2, 2)


def test_a_changed_row_becomes_a_new_version_and_the_old_one_is_kept(
    node: Node, tmp_path: Path
) -> None:
    node.ingest(write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n"))
    code, summary, _ = node.ingest(
        write(tmp_path / "b.csv", f"{HEADER}\n{GOOD_ROW.replace('2.5', '3.0')}\n")
    )
    assert (code, summary["updated"], summary["stored"]) == (0, 1, 0)
    stored = node.get("S-1")
    assert stored.version == 2 and stored.report.substances[0].quantity == 3.0
    with node.store() as uow:
        assert [v.report.substances[0].quantity for v in uow.reports.versions(stored.id)] == [
            2.5,
            3.0,
        ]


def test_the_same_id_from_another_member_is_another_report(node: Node, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW.replace(OTHER_MEMBER, '')}\n")
    node.ingest(path)
    code, summary, _ = node.ingest(path, member=OTHER_MEMBER)
    assert (code, summary["stored"]) == (0, 1)
    assert node.reports() == 2


def test_empty_file_is_an_error(node: Node, tmp_path: Path) -> None:
    code, summary, err = node.ingest(write(tmp_path / "empty.csv", b""))
    assert code == 1
    assert summary == {}, "nothing may be acknowledged"
    assert "empty.csv:1:" in err and "empty" in err
    assert node.reports() == 0


def test_header_only_file_stores_nothing_and_says_so(node: Node, tmp_path: Path) -> None:
    code, summary, err = node.ingest(write(tmp_path / "h.csv", HEADER + "\n"))
    assert (code, summary) == (0, {"stored": 0, "unchanged": 0, "updated": 0, "rejected": 0})
    assert "no rows to load" in err


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "latin1.csv",
            f"{HEADER}\n{GOOD_ROW}\n".replace("fentanilo", "fentanilo José").encode("latin-1"),
        ),
        (
            "bom.csv",
            b"\xef\xbb\xbf"
            + f"{HEADER}\n{GOOD_ROW}\n".replace("fentanilo", "fentanilo José").encode(),
        ),
        ("crlf.csv", f"{HEADER}\r\n{GOOD_ROW}\r\n".replace("fentanilo", "fentanilo José").encode()),
    ],
)
def test_encodings_and_line_endings(node: Node, tmp_path: Path, name: str, data: bytes) -> None:
    code, summary, err = node.ingest(write(tmp_path / name, data))
    assert (code, summary["stored"]) == (0, 1), err
    assert node.get("S-1").report.substances[0].text == "fentanilo José"


def test_every_bad_row_is_located_rejected_with_its_reason_and_good_rows_still_stored(
    node: Node, tmp_path: Path
) -> None:
    rows = [
        GOOD_ROW,  # line 2
        "S-3,seizure,2026-01-02,ZZ,,fentanyl,1,kg,,,,,",  # 3 unknown country
        "S-4,seizure,2026-01-02,MX,XX,fentanyl,1,kg,,,,,",  # 4 unknown subdivision
        "S-5,seizure,2999-01-02,MX,,fentanyl,1,kg,,,,,",  # 5 future
        "S-6,seizure,1850-01-02,MX,,fentanyl,1,kg,,,,,",  # 6 before 1900
        "S-7,seizure,2026-01-02,MX,,fentanyl,-4,kg,,,,,",  # 7 negative quantity
        ",seizure,2026-01-02,MX,,fentanyl,1,kg,,,,,",  # 8 missing external_id
        "S-9,,2026-01-02,MX,,fentanyl,1,kg,,,,,",  # 9 missing kind
        "S-10,seizure,2026-01-02,MX,,fentanyl,1,kg,,,PURPLE,,",  # 10 bad tlp
        "S-11,seizure,2026-01-02,MX,,fentanyl,1,kg,,,AMBER,Nobody Agency,",  # 11 unknown recipient
        "S-12,seizure,2026-01-02,MX,,fentanyl,1,kg,not-a-phone,,,,",  # 12 bad phone
        "S-13,seizure,2026-01-02,MX,,fentanyl,1,kg,,,,,,-3",  # 13 negative count
    ]
    path = write(tmp_path / "bad.csv", HEADER + ",count\n" + "\n".join(rows) + "\n")
    rejects = tmp_path / "rejects.csv"
    code, summary, err = node.ingest(path, "--rejects", str(rejects))
    assert code == 1
    assert summary == {"stored": 1, "unchanged": 0, "updated": 0, "rejected": 11}
    expected = {
        3: "country:", 4: "subdivision:", 5: "observed_at:", 6: "observed_at:", 7: "quantity:",
        8: "external_id:", 9: "kind:", 10: "tlp:", 11: "recipients:", 12: "phone:", 13: "count:",
    }  # fmt: skip
    for line, field in expected.items():
        assert f"bad.csv:{line}: {field}" in err, (line, err)
    with rejects.open(newline="", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["external_id"] for r in rejected] == [
        "S-3", "S-4", "S-5", "S-6", "S-7", "", "S-9", "S-10", "S-11", "S-12", "S-13",
    ]  # fmt: skip
    assert all(r["reject_reason"] for r in rejected)
    assert node.reports() == 1


def test_a_fixed_rejects_file_loads_again(node: Node, tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.csv",
        f'{HEADER}\nS-3,seizure,2026-01-02,ZZ,,fentanyl,1,kg,+52 662 123 4567,,,,"=HYPERLINK(1)"\n',
    )
    rejects = tmp_path / "rejects.csv"
    node.ingest(path, "--rejects", str(rejects))
    text = rejects.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'+52" in text  # escaped for spreadsheets
    fixed = write(tmp_path / "fixed.csv", text.replace(",ZZ,", ",MX,"))
    code, summary, err = node.ingest(fixed)
    assert (code, summary["stored"]) == (0, 1), err
    report = node.get("S-3").report
    assert report.narrative == "=HYPERLINK(1)"  # verbatim again after the round trip
    assert report.entities[0].normalized == "+526621234567"


def test_unknown_columns_are_warned_once_and_ignored(node: Node, tmp_path: Path) -> None:
    code, summary, err = node.ingest(
        write(
            tmp_path / "u.csv",
            f"{HEADER},colour\n{GOOD_ROW},red\n{GOOD_ROW.replace('S-1', 'S-2')},blue\n",
        )
    )
    assert (code, summary["stored"]) == (0, 2)
    assert err.count("unknown column 'colour'") == 1


def test_huge_text_field_is_rejected_with_its_row_kept_whole(node: Node, tmp_path: Path) -> None:
    narrative = "x" * 1_048_576
    path = write(tmp_path / "big.csv", f"{HEADER}\n{GOOD_ROW.replace('Blue pills', narrative)}\n")
    rejects = tmp_path / "rejects.csv"
    code, summary, err = node.ingest(path, "--rejects", str(rejects))
    assert (code, summary["rejected"]) == (1, 1)
    assert "big.csv:2: narrative: longer than 100000 characters" in err
    with rejects.open(newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["narrative"] == narrative


@pytest.mark.parametrize(
    "hostile",
    [
        "=cmd|' /C calc'!A0",
        "+SUM(1,2)",
        "@SUM(1)",
        "'; DROP TABLE report; --",
        "Robert'); DELETE FROM report_version WHERE ('1'='1",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_text_is_stored_verbatim_and_never_executed(
    node: Node, tmp_path: Path, hostile: str
) -> None:
    document = report_document(narrative=hostile, external_id=hostile[:50])
    path = write(tmp_path / "h.jsonl", json.dumps(document) + "\n")
    code, summary, err = node.ingest(path)
    assert (code, summary["stored"]) == (0, 1), err
    report = node.get(hostile[:50].strip()).report
    assert report.narrative == hostile
    assert node.reports() == 1 and node.versions() == 1


def test_duplicate_rows_in_one_file_add_one_report(node: Node, tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n")
    code, summary, err = node.ingest(path)
    assert (code, summary) == (0, {"stored": 1, "unchanged": 1, "updated": 0, "rejected": 0})
    assert "d.csv:3: warning: external_id 'S-1' repeats line 2" in err


def test_a_repeated_id_with_other_content_keeps_both_versions(node: Node, tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW.replace('2.5', '9')}\n")
    code, summary, _ = node.ingest(path)
    assert (code, summary["stored"], summary["updated"]) == (0, 1, 1)
    assert node.versions() == 2 and node.get("S-1").report.substances[0].quantity == 9


def test_json_lines_and_json_arrays_load_the_same_reports(node: Node, tmp_path: Path) -> None:
    documents = [report_document(external_id=f"J-{i}") for i in range(3)]
    lines = write(tmp_path / "r.jsonl", "\n".join(json.dumps(d) for d in documents) + "\n")
    array = write(tmp_path / "r.json", json.dumps(documents, indent=2))
    assert node.ingest(lines)[1]["stored"] == 3
    assert node.ingest(array)[1] == {"stored": 0, "unchanged": 3, "updated": 0, "rejected": 0}


def test_json_errors_are_located_by_line_and_field(node: Node, tmp_path: Path) -> None:
    good = json.dumps(report_document(external_id="J-1"))
    bad_country = json.dumps(report_document(external_id="J-2", location={"country": "QQ"}))
    bad_phone = json.dumps(
        report_document(external_id="J-3", entities=[{"type": "phone", "value": "abc"}])
    )
    path = write(
        tmp_path / "r.jsonl", "\n".join([good, "{not json", bad_country, "[1]", bad_phone]) + "\n"
    )
    rejects = tmp_path / "rejects.jsonl"
    code, summary, err = node.ingest(path, "--rejects", str(rejects))
    assert (code, summary["stored"], summary["rejected"]) == (1, 1, 4)
    assert "r.jsonl:2: not valid JSON" in err
    assert "r.jsonl:3: location.country:" in err
    assert "r.jsonl:4:" in err
    assert "r.jsonl:5: entities[0].value:" in err
    kept = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == 4 and all("reject_reason" in k for k in kept)
    assert kept[0]["raw"] == "{not json"


def test_member_comes_from_a_column_when_not_given(node: Node, tmp_path: Path) -> None:
    rows = [
        f"{MEMBER},{GOOD_ROW}",
        f'"Unknown Org",{GOOD_ROW.replace("S-1", "S-2")}',
        f",{GOOD_ROW.replace('S-1', 'S-3')}",
    ]
    text = f"member,{HEADER}\n" + "\n".join(rows) + "\n"
    code, summary, err = node.ingest(write(tmp_path / "m.csv", text), member=None)
    assert (code, summary["stored"], summary["rejected"]) == (1, 1, 2)
    assert "m.csv:3: member: unknown member 'Unknown Org'" in err
    assert "m.csv:4: member: required" in err


def test_an_unknown_member_option_is_refused_before_reading(node: Node, tmp_path: Path) -> None:
    code, _, err = node.ingest(
        write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n"), member="Nobody"
    )
    assert code == 1 and "unknown member 'Nobody'" in err
    assert node.reports() == 0


@pytest.mark.parametrize(("name", "reports"), [("reports.csv", 7), ("reports.jsonl", 2)])
def test_the_readme_example_files_load_without_a_rejection(
    node: Node, name: str, reports: int
) -> None:
    admin.create_sharing_group(node.store, "Trilateral", [MEMBER, OTHER_MEMBER])
    path = Path(__file__).resolve().parents[2] / "examples" / name
    code, summary, err = node.ingest(path)
    assert code == 0, err
    assert summary == {"stored": reports, "unchanged": 0, "updated": 0, "rejected": 0}


def test_the_rejects_file_may_not_be_the_input(node: Node, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n")
    before = path.read_bytes()
    code, _, err = node.ingest(path, "--rejects", str(path))
    assert code == 2
    assert "must not be the input file" in err
    assert path.read_bytes() == before
    assert node.reports() == 0


@pytest.mark.parametrize(
    ("encoding", "message"), [("klingon", "unknown encoding"), ("utf-16", "UTF-8")]
)
def test_an_unusable_encoding_is_a_usage_error(
    node: Node, tmp_path: Path, encoding: str, message: str
) -> None:
    code, _, err = node.ingest(
        write(tmp_path / "a.csv", f"{HEADER}\n{GOOD_ROW}\n"), "--encoding", encoding
    )
    assert code == 2
    assert message in err


def test_a_database_failure_mid_load_keeps_committed_batches_and_says_what_was_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite only: a trigger makes the database refuse one row, as a full disk or a dropped
    # connection would refuse a batch.
    url = f"sqlite:///{tmp_path}/fail.db"
    node_store = open_store(url)
    add_members(node_store)
    with node_store.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON report WHEN NEW.external_id = 'S-0005' "
            "BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END"
        )
    rows = [GOOD_ROW.replace("S-1", f"S-{i:04d}") for i in range(1, 11)]
    path = write(tmp_path / "a.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    node = Node(node_store, url, tmp_path, capsys)
    code, summary, err = node.ingest(path, "--batch-size", "2")
    assert code == 1
    assert summary == {}, "a failed load prints no success summary"
    assert "disk full (simulated)" in err
    assert "stored 4, updated 0, unchanged 0" in err
    assert "Traceback" not in err
    assert node.reports() == 4  # batches 1-2 committed, batch 3 (S-0005, S-0006) not at all
    with node_store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse")
    code, summary, err = node.ingest(path, "--batch-size", "2")
    assert (code, summary) == (0, {"stored": 6, "unchanged": 4, "updated": 0, "rejected": 0}), err


def test_an_unreachable_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--database-url", "postgresql://nobody@127.0.0.1:1/none", "admin", "list-members"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot use the database at postgresql+psycopg://nobody@127.0.0.1:1/none" in err
    assert "Traceback" not in err


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents=st.lists(report_documents(), min_size=1, max_size=8))
def test_any_valid_reports_come_back_exactly_from_ingest_and_export(
    node: Node, tmp_path: Path, documents: list[dict[str, Any]]
) -> None:
    batch = uuid.uuid4().hex[:8]  # the node lives across examples; keep ids apart
    documents = [{**d, "external_id": f"{batch}-{i}"} for i, d in enumerate(documents)]
    path = write(tmp_path / f"{batch}.jsonl", "\n".join(json.dumps(d) for d in documents) + "\n")
    code, summary, err = node.ingest(path)
    assert (code, summary["stored"]) == (0, len(documents)), err
    exported = tmp_path / f"{batch}-out.jsonl"
    assert (
        main(["--database-url", node.url, "export", "--member", MEMBER, "--output", str(exported)])
        == 0
    )
    back = {
        r.external_id: r
        for r in (
            parse_report(json.loads(line))
            for line in exported.read_text(encoding="utf-8").splitlines()
        )
    }
    for document in documents:
        assert back[document["external_id"]] == parse_report(document)
    code, summary, _ = node.ingest(exported)
    assert (
        summary["stored"] == 0 and summary["updated"] == 0
    )  # loading the export again adds nothing


def test_export_of_an_unknown_member_is_refused(
    node: Node, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database-url", node.url, "export", "--member", "Nobody"]) == 1
    assert "unknown member 'Nobody'" in capsys.readouterr().err
