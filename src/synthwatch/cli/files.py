"""Opening the files a command names, with the error a user can act on."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, TextIO

from synthwatch.errors import InputFileError


def open_output(path: Path | None, stack: ExitStack) -> TextIO:
    """The file to write to (closed with `stack`), or standard output when none is named."""
    if path is None:
        return sys.stdout
    try:
        return stack.enter_context(path.open("w", encoding="utf-8"))
    except OSError as error:
        raise InputFileError(f"{path}: cannot write: {error.strerror}") from None


def open_input(path: str, stack: ExitStack) -> tuple[BinaryIO, str, int | None]:
    """The file to read (closed with `stack`), or standard input for "-": (stream, name, size)."""
    if path == "-":
        return sys.stdin.buffer, "<stdin>", None
    try:
        stream = stack.enter_context(Path(path).open("rb"))  # noqa: SIM115  (closed by the stack)
    except OSError as error:
        raise InputFileError(f"{path}: cannot open: {error.strerror}") from None
    try:
        size: int | None = Path(path).stat().st_size
    except OSError:
        size = None
    return stream, path, size
