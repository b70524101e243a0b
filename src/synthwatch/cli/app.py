"""The `synthwatch` command: sub-commands, shared options, and the one map from errors to exit codes.

Exit status: 0 success; 1 the input had errors (located on stderr) or something was refused;
2 usage error.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from synthwatch import __version__
from synthwatch.cli import admin, chem, db, demo, export, ingest
from synthwatch.cli.state import CliState
from synthwatch.errors import InvalidInput, SynthwatchError
from synthwatch.settings import Settings

app = typer.Typer(
    name="synthwatch",
    help="Federated early warning and intelligence sharing against synthetic drugs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(admin.app, name="admin")
app.add_typer(db.app, name="db")
app.add_typer(chem.app, name="chem")
app.command("ingest")(ingest.ingest)
app.command("export")(export.export)
app.command("demo")(demo.demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"synthwatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL of the node's database (default: SYNTHWATCH_DATABASE_URL, "
            "else an SQLite file in the user data directory).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Federated early warning and intelligence sharing against synthetic drugs."""
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    ctx.obj = CliState(settings)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status instead of raising."""
    try:
        result = app(args=argv, prog_name="synthwatch", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as error:  # usage errors (exit 2) and other command-line errors
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {error}", file=sys.stderr)
        return int(getattr(error, "exit_code", 2))
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    except InvalidInput as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except SynthwatchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
