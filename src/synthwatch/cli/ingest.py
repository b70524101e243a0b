"""`synthwatch ingest FILE`: load reports, with located errors, a rejects file and a summary."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from synthwatch.cli.files import open_input
from synthwatch.cli.state import CliState
from synthwatch.errors import DatabaseError, EmptyInput, InputFileError
from synthwatch.service.ingest import DEFAULT_BATCH_SIZE, IngestWarning, Rejection, ReportIngest
from synthwatch.service.record import RecordFormat, RecordReader, detect_format
from synthwatch.service.rejects import RejectsWriter


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _head(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if callable(peek):
        return bytes(peek(4096))[:4096]
    if stream.seekable():
        head = stream.read(4096)
        stream.seek(0)
        return head
    return b""


def ingest(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="CSV, JSON Lines or JSON array file; - for stdin.")],
    member: Annotated[
        str | None,
        typer.Option("--member", help="The member that owns every report (else a member column)."),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects", help="Write rejected rows here with their reasons, to fix and reload."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as a JSON object.")
    ] = False,
    file_format: Annotated[
        RecordFormat | None,
        typer.Option(
            "--format", help="Force the format instead of guessing from name and content."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Force a text encoding (default: UTF-8, else Windows-1252 per line)."
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="Rows per transaction.")
    ] = DEFAULT_BATCH_SIZE,
) -> None:
    """Load reports; re-loading the same file adds nothing. Exit 1 when any row was rejected."""
    state: CliState = ctx.obj
    uow_factory = state.store()
    with ExitStack() as stack:
        stream, name, size = open_input(file, stack)
        fmt = file_format or detect_format(name, _head(stream))
        if fmt is RecordFormat.LINES:
            raise typer.BadParameter("reports come as csv, jsonl or json", param_hint="--format")
        try:
            reader = RecordReader(stream, fmt=fmt, encoding=encoding)
        except ValueError as error:  # an encoding Python does not know, or one we cannot split
            raise typer.BadParameter(str(error), param_hint="--encoding") from None
        rejects_out: TextIO | None = None
        writer: RejectsWriter | None = None
        if rejects is not None:
            if file != "-" and _same_file(rejects, Path(file)):
                raise typer.BadParameter(
                    "must not be the input file (it would be overwritten)", param_hint="--rejects"
                )
            try:
                rejects_out = stack.enter_context(rejects.open("w", encoding="utf-8", newline=""))
            except OSError as error:
                raise InputFileError(f"{rejects}: cannot write: {error.strerror}") from None
            writer = RejectsWriter(rejects_out, fmt)

        def on_reject(rejection: Rejection) -> None:
            for problem in rejection.problems:
                field = f" {problem.field}:" if problem.field else ""
                print(f"{name}:{rejection.line}:{field} {problem.reason}", file=sys.stderr)
            if writer is not None:
                writer.write(rejection, reader.header)

        def on_warning(warning: IngestWarning) -> None:
            print(f"{name}:{warning.line}: warning: {warning.message}", file=sys.stderr)

        progress: Progress | None = None
        task = None
        if sys.stderr.isatty() and not as_json:
            progress = stack.enter_context(
                Progress(
                    "[progress.description]{task.description}",
                    BarColumn(),
                    DownloadColumn(),
                    TimeRemainingColumn(),
                    transient=True,
                )
            )
            task = progress.add_task(f"loading {name}", total=size)

        def on_progress(done: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done)

        job = ReportIngest(
            uow_factory,
            member=member,
            batch_size=batch_size,
            on_reject=on_reject,
            on_warning=on_warning,
            on_progress=on_progress,
        )
        try:
            summary = job.run(reader, fmt)
        except EmptyInput as error:
            raise EmptyInput(f"{name}:1: {error}") from None
        except DatabaseError as error:
            done = job.summary
            raise DatabaseError(
                f"{error}\nstored before the failure (committed): stored {done.stored}, updated "
                f"{done.updated}, unchanged {done.unchanged}; the batch in flight was not stored — "
                "run the same command again to finish the load"
            ) from None
        if writer is not None:
            writer.write_header(reader.header)
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
    else:
        typer.echo(
            f"{name}: stored {summary.stored}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, rejected {summary.rejected}"
        )
    if summary.rejected:
        raise typer.Exit(1)
