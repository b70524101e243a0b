"""`synthwatch db`: the node's database schema."""

from __future__ import annotations

import typer
from sqlalchemy.exc import SQLAlchemyError

from synthwatch.cli.state import CliState
from synthwatch.store.database import open_engine
from synthwatch.store.migration import upgrade_schema
from synthwatch.store.unit_of_work import to_database_error

app = typer.Typer(help="Manage the node's database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Apply every pending schema migration."""
    state: CliState = ctx.obj
    engine = open_engine(state.settings.resolved_database_url())
    try:
        before, after = upgrade_schema(engine)
    except SQLAlchemyError as error:
        raise to_database_error(error) from None
    if before == after:
        typer.echo(f"database already at revision {after}")
    else:
        typer.echo(f"database upgraded from revision {before or 'none'} to {after}")
