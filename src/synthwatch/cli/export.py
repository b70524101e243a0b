"""`synthwatch export`: a member's reports as JSON Lines, ready to load again."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from synthwatch.cli.files import open_output
from synthwatch.cli.state import CliState
from synthwatch.domain.report import to_document
from synthwatch.service.export import iter_member_reports


def export(
    ctx: typer.Context,
    member: Annotated[str, typer.Option("--member", help="The member whose reports to export.")],
    output: Annotated[
        Path | None, typer.Option("--output", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write a member's current reports as JSON Lines; `synthwatch ingest` loads them unchanged."""
    state: CliState = ctx.obj
    with ExitStack() as stack:
        out = open_output(output, stack)
        count = 0
        for stored in iter_member_reports(state.store(), member):
            out.write(json.dumps(to_document(stored.report), ensure_ascii=False) + "\n")
            count += 1
    typer.echo(f"exported {count} reports of {member!r}", err=True)
