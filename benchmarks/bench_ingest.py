"""Ingest throughput and memory, beside a bare `executemany` of the same rows in the same run.

    python benchmarks/bench_ingest.py [--rows 1000000] [--backends sqlite,postgres]

For each database: the rows of a generated CSV inserted by `executemany` into a plain table of the
same columns (the floor: parse CSV, insert, one transaction per 2,000 rows), then the same file
loaded by `synthwatch ingest` in a subprocess (validation, normalisation, idempotency, versioning,
entity index). Peak memory (max RSS of the subprocess) is measured at a tenth of the rows and at
all of them: it must not grow with the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_file import COLUMNS, write_report_file
from synthwatch.store.database import open_engine

POSTGRES_ADMIN_URL = os.environ.get(
    "SYNTHWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BATCH = 2000
MEMBER = "Benchmark Customs"


def fresh_database(backend: str, workdir: Path, name: str) -> str:
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin = open_engine(POSTGRES_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    database = f"synthwatch_bench_{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return open_engine(POSTGRES_ADMIN_URL).url.set(database=database).render_as_string(False)


def bare_executemany(url: str, path: Path) -> tuple[int, float]:
    """Insert the CSV's rows as they are: the least any loader must do."""
    engine = open_engine(url)
    columns = ", ".join(f'"{c}" TEXT' for c in COLUMNS)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE bare ({columns})")
    placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO bare VALUES ({', '.join([placeholder] * len(COLUMNS))})"
    raw = engine.raw_connection()
    started = time.perf_counter()
    count = 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        cursor = raw.cursor()
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                raw.commit()
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            raw.commit()
            count += len(batch)
    seconds = time.perf_counter() - started
    raw.close()
    engine.dispose()
    return count, seconds


def synthwatch(url: str, path: Path) -> tuple[dict[str, int], float, float]:
    """Run `synthwatch ingest` in its own process; return its summary, seconds and peak RSS (MB)."""
    cli = [sys.executable, "-m", "synthwatch", "--database-url", url]
    subprocess.run(
        [*cli, "admin", "create-member", MEMBER, "--country", "US", "--kind", "customs"],
        check=True, capture_output=True,
    )  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        [*cli, "ingest", str(path), "--member", MEMBER, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    _, _status, usage = os.wait4(process.pid, 0) if process.returncode is None else (0, 0, None)
    if process.returncode != 0:
        raise SystemExit(f"ingest failed ({process.returncode}): {err.decode()[-2000:]}")
    peak_mb = (usage.ru_maxrss if usage else _children_maxrss()) / 1024
    return json.loads(out.decode().strip().splitlines()[-1]), seconds, peak_mb


def _children_maxrss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="synthwatch-bench-"))
    small_rows = max(1, args.rows // 10)
    files = {}
    for rows in (small_rows, args.rows):
        files[rows] = workdir / f"reports_{rows}.csv"
        write_report_file(files[rows], rows)
    results = []
    for backend in args.backends.split(","):
        base_rows, base_seconds = bare_executemany(
            fresh_database(backend, workdir, "bare"), files[args.rows]
        )
        _, _, small_peak = synthwatch(fresh_database(backend, workdir, "small"), files[small_rows])
        summary, seconds, peak = synthwatch(
            fresh_database(backend, workdir, "full"), files[args.rows]
        )
        assert summary["stored"] == args.rows, summary
        rate, base_rate = args.rows / seconds, base_rows / base_seconds
        result = {
            "backend": backend,
            "rows": args.rows,
            "synthwatch_reports_per_s": round(rate),
            "bare_executemany_rows_per_s": round(base_rate),
            "ratio": round(rate / base_rate, 3),
            "peak_rss_mb_small": round(small_peak, 1),
            "peak_rss_mb_full": round(peak, 1),
        }
        results.append(result)
        print(
            f"{backend:8} ingest {args.rows:,} rows: {rate:,.0f} reports/s | bare executemany "
            f"{base_rate:,.0f} rows/s | ratio vs bare executemany: {rate / base_rate:.2f}x "
            f"(target >= 0.3x) | peak RSS {small_peak:.0f} MB at {small_rows:,} rows, "
            f"{peak:.0f} MB at {args.rows:,} rows",
            flush=True,
        )
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "ingest.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
