"""`synthwatch chem`: identify and classify substances; list the knowledge base's sources."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from synthwatch.chem.classify import classify_substance
from synthwatch.cli.files import open_input, open_output
from synthwatch.knowledge.control_list import KNOWLEDGE_VERSION, load_knowledge_base
from synthwatch.service.record import RecordFormat, RecordProblem, RecordReader, detect_format

app = typer.Typer(
    help="Identify and classify substances against the control lists.", no_args_is_help=True
)

MAX_QUERY_BYTES = 1_000_000


def _queries(path: str, stack: ExitStack) -> Iterator[tuple[int, str | None, str | None]]:
    """(line, query, problem) from a text file (one query a line), a CSV or JSON Lines with `query`."""
    stream, name, _ = open_input(path, stack)
    lowered = name.lower()
    fmt = RecordFormat.LINES
    if lowered.endswith((".csv", ".jsonl", ".ndjson", ".json")):
        fmt = detect_format(name, b"")
    reader = RecordReader(stream, fmt=fmt, max_record_bytes=MAX_QUERY_BYTES)
    for item in reader:
        if isinstance(item, RecordProblem):
            yield item.line, None, item.reason
            continue
        value = item.fields.get("text" if fmt is RecordFormat.LINES else "query")
        if not isinstance(value, str) or not value.strip():
            yield item.line, None, "no query (a `query` column or key is needed)"
        else:
            yield item.line, value, None


@app.command("classify")
def classify(
    queries: Annotated[
        list[str] | None, typer.Argument(help="Names, CAS numbers, SMILES or InChI to classify.")
    ] = None,
    input_file: Annotated[
        str | None,
        typer.Option(
            "--input", help="A file of queries: one a line, or CSV / JSON Lines with `query`."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write JSON Lines here.")] = None,
) -> None:
    """Identify and classify substances; one JSON object a line, in input order. Exit 1 if any failed."""
    if not queries and input_file is None:
        raise typer.BadParameter("give queries or --input FILE", param_hint="QUERIES")
    failed = 0
    with ExitStack() as stack:
        out = open_output(output, stack)

        def rows() -> Iterator[tuple[str, int, str | None, str | None]]:
            for number, argument in enumerate(queries or [], 1):
                yield "<argument>", number, argument, None
            if input_file is not None:
                for line, text, problem in _queries(input_file, stack):
                    yield input_file, line, text, problem

        for name, line, query, problem in rows():
            if query is None:
                record: dict[str, object] = {"query": None, "resolved": False, "error": problem}
            else:
                record = classify_substance(query).to_dict()
            if not record["resolved"]:
                failed += 1
                print(f"{name}:{line}: query: {record['error']}", file=sys.stderr)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command("sources")
def sources(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the knowledge base's control lists: files, instruments, entries, latest listing, version."""
    knowledge = load_knowledge_base()
    rows = [
        {
            "file": s.file,
            "regime": s.regime.value if s.regime else None,
            "entries": s.entries,
            "instruments": list(s.instruments),
            "latest_listing": s.latest_listing.isoformat() if s.latest_listing else None,
        }
        for s in knowledge.sources
    ]
    if as_json:
        typer.echo(json.dumps({"version": KNOWLEDGE_VERSION, "sources": rows}, ensure_ascii=False))
        return
    typer.echo(f"knowledge base version {KNOWLEDGE_VERSION}")
    for row in rows:
        latest = row["latest_listing"] or "—"
        typer.echo(
            f"{row['file']}\t{row['regime'] or 'reference'}\t{row['entries']} entries\tlatest listing {latest}"
        )
