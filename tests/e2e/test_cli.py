"""The installed command run as a user runs it: a real process, a real database, real signals."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from synthwatch.store.database import open_engine

MEMBER = "Agencia Nacional de Aduanas de México"


def synthwatch(
    url: str, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "synthwatch", "--database-url", url, *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def count(url: str, table: str) -> int:
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_create_key_prints_the_key_once_on_the_last_line_and_stores_only_its_hash(
    database_url: str,
) -> None:
    assert (
        synthwatch(
            database_url, "admin", "create-member", MEMBER, "--country", "MX", "--kind", "customs"
        ).returncode
        == 0
    )
    result = synthwatch(
        database_url,
        "admin",
        "create-key",
        "--member",
        MEMBER,
        "--role",
        "analyst",
        "--expires-days",
        "30",
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "sw" and len(secret) >= 40
    engine = open_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT key_id, secret_hash, role, expires_at FROM api_key")
        ).all()
        dump = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM api_key")) for v in row
        )
    engine.dispose()
    assert [(r.key_id, r.role) for r in rows] == [(key_id, "analyst")]
    assert rows[0].secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in dump and rows[0].expires_at is not None
    listed = synthwatch(database_url, "admin", "list-keys")
    assert key_id in listed.stdout and secret not in listed.stdout
    assert synthwatch(database_url, "admin", "revoke-key", key_id).returncode == 0
    assert "revoked" in synthwatch(database_url, "admin", "list-keys").stdout
    assert synthwatch(database_url, "admin", "revoke-key", "nope").returncode == 1


def test_admin_errors_and_usage_errors_have_their_exit_codes(database_url: str) -> None:
    bad = synthwatch(
        database_url, "admin", "create-member", "X", "--country", "QQ", "--kind", "spies"
    )
    assert bad.returncode == 1
    assert "country" in bad.stderr and "kind" in bad.stderr and "Traceback" not in bad.stderr
    assert (
        synthwatch(
            database_url, "admin", "create-key", "--member", "Nobody", "--role", "admin"
        ).returncode
        == 1
    )
    assert synthwatch(database_url, "ingest").returncode == 2
    assert synthwatch(database_url, "no-such-command").returncode == 2
    assert synthwatch(database_url, "ingest", "x.csv", "--batch-size", "0").returncode == 2
    missing = synthwatch(database_url, "ingest", "/nonexistent/x.csv", "--member", MEMBER)
    assert missing.returncode == 1 and "cannot open" in missing.stderr


def test_members_are_listed_as_json(database_url: str) -> None:
    synthwatch(
        database_url, "admin", "create-member", MEMBER, "--country", "mx", "--kind", "customs"
    )
    listed = json.loads(synthwatch(database_url, "admin", "list-members", "--json").stdout)
    assert listed == [{"name": MEMBER, "country": "MX", "kind": "customs"}]


def test_ingest_reads_standard_input(database_url: str) -> None:
    synthwatch(
        database_url, "admin", "create-member", MEMBER, "--country", "MX", "--kind", "customs"
    )
    line = json.dumps({
        "external_id": "A-1", "kind": "seizure", "observed_at": "2026-02-01",
        "location": {"country": "MX"}, "substances": [{"text": "fentanyl"}],
    })  # fmt: skip
    result = synthwatch(
        database_url, "ingest", "-", "--member", MEMBER, "--json", stdin=(line + "\n").encode()
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"stored": 1, "unchanged": 0, "updated": 0, "rejected": 0}


def test_db_upgrade_is_idempotent(database_url: str) -> None:
    first = synthwatch(database_url, "db", "upgrade")
    second = synthwatch(database_url, "db", "upgrade")
    assert first.returncode == 0 and "upgraded" in first.stdout
    assert second.returncode == 0 and "already at revision" in second.stdout


@pytest.mark.slow
def test_a_killed_ingest_leaves_whole_batches_and_a_rerun_completes_without_duplicates(
    database_url: str, tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from report_file import write_report_file

    rows, batch = 30_000, 1_000
    path = tmp_path / "reports.csv"
    write_report_file(path, rows)
    assert (
        synthwatch(
            database_url, "admin", "create-member", MEMBER, "--country", "MX", "--kind", "customs"
        ).returncode
        == 0
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "synthwatch", "--database-url", database_url, "ingest", str(path),
         "--member", MEMBER, "--batch-size", str(batch), "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        stored = count(database_url, "report")
        if stored >= 3 * batch:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = count(database_url, "report")
    assert 3 * batch <= stored < rows, "the ingest should be killed part-way"
    assert stored % batch == 0, "a batch was partly written"
    assert count(database_url, "report_version") == stored

    rerun = synthwatch(
        database_url, "ingest", str(path), "--member", MEMBER, "--batch-size", str(batch), "--json"
    )
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary == {"stored": rows - stored, "unchanged": stored, "updated": 0, "rejected": 0}
    assert count(database_url, "report") == rows
    assert count(database_url, "report_version") == rows


@pytest.mark.slow
def test_demo_builds_the_node_from_bundled_data_and_a_second_run_adds_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    first = synthwatch(url, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "stored 34724" in first.stdout and "rejected 0" in first.stdout
    second = synthwatch(url, "demo", "--no-serve")
    assert "stored 0, updated 0, unchanged 34724, rejected 0" in second.stdout
    members = json.loads(synthwatch(url, "admin", "list-members", "--json").stdout)
    assert {m["country"] for m in members} >= {"US", "MX", "CA"}
    assert count(url, "report") == 34724


def test_a_terminal_gets_a_progress_bar_and_the_summary(tmp_path: Path) -> None:
    import pty

    url = f"sqlite:///{tmp_path}/tty.db"
    synthwatch(url, "admin", "create-member", MEMBER, "--country", "MX", "--kind", "customs")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from report_file import write_report_file

    path = tmp_path / "r.csv"
    write_report_file(path, 5000)
    command = [
        sys.executable,
        "-m",
        "synthwatch",
        "--database-url",
        url,
        "ingest",
        str(path),
        "--member",
        MEMBER,
    ]
    output = bytearray()

    def read(fd: int) -> bytes:
        data = os.read(fd, 65536)
        output.extend(data)
        return data

    status = pty.spawn(command, read)
    text_out = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text_out
    assert "loading" in text_out  # the progress bar's label, drawn on the terminal
    assert "stored 5000, updated 0, unchanged 0, rejected 0" in text_out
