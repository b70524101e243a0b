"""Opening the files a command names, with the error a user can act on."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from synthwatch.errors import InputFileError


def open_output(path: Path | None, stack: ExitStack) -> TextIO:
    """The file to write to (closed with `stack`), or standard output when none is named."""
    if path is None:
        return sys.stdout
    try:
        return stack.enter_context(path.open("w", encoding="utf-8"))
    except OSError as error:
        raise InputFileError(f"{path}: cannot write: {error.strerror}") from None
