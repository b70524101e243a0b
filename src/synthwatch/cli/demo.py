"""`synthwatch demo`: build the demo node and show what it holds."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from platformdirs import user_data_dir

from synthwatch.cli.state import CliState
from synthwatch.service.demo import build_demo


def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo node.")] = False,
) -> None:
    """Build the demo node (trilateral members and real public series) and serve it."""
    state: CliState = ctx.obj
    url = state.settings.database_url or (
        f"sqlite:///{Path(user_data_dir('synthwatch', appauthor=False)) / 'demo.db'}"
    )
    started = time.perf_counter()
    summary = build_demo(state.store(database_url=url))
    seconds = time.perf_counter() - started
    reports = summary.reports
    typer.echo(f"demo node: {url}")
    typer.echo(
        f"members: {summary.members} (United States, Mexico, Canada, a supplier, a drug-checking service)"
    )
    for kind, count in sorted(summary.by_kind.items()):
        typer.echo(f"  {kind}: {count} reports from the bundled public series")
    typer.echo(
        f"reports: stored {reports.stored}, updated {reports.updated}, unchanged {reports.unchanged}, "
        f"rejected {reports.rejected} in {seconds:.1f} s"
    )
    for rejection in summary.rejections[:10]:
        typer.echo(f"  rejected demo row {rejection.line}: {rejection.reason}", err=True)
    if not no_serve:
        typer.echo(
            f"serving on port {port} arrives with the node (API and dashboard); the demo is built, "
            "nothing is served yet"
        )
    if reports.rejected:
        raise typer.Exit(1)
