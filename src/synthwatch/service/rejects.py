"""A rejects file: every row that was not stored, as it was written, with the reason appended.

The user fixes the rows and loads the file again; the `reject_reason` column (CSV) or key (JSON)
is ignored on that second load. CSV cells are escaped against spreadsheet formula injection.
"""

from __future__ import annotations

import json
from typing import TextIO

from synthwatch.service.ingest import Rejection
from synthwatch.service.record import RecordFormat, to_csv_line
from synthwatch.service.report_form import REJECT_REASON_COLUMN


class RejectsWriter:
    """Writes rejected rows in the format they came in (JSON and JSON Lines both become JSON Lines)."""

    def __init__(self, stream: TextIO, fmt: RecordFormat) -> None:
        self._stream = stream
        self._format = fmt
        self._header_written = False

    def write_header(self, header: list[str] | None) -> None:
        if self._format is RecordFormat.CSV and header is not None and not self._header_written:
            self._stream.write(to_csv_line([*header, REJECT_REASON_COLUMN]))
            self._header_written = True

    def write(self, rejection: Rejection, header: list[str] | None) -> None:
        if self._format is RecordFormat.CSV:
            self.write_header(header)
            # `raw` is the row re-serialised as one CSV line (escaped); append the reason as a cell.
            self._stream.write(rejection.raw.rstrip("\r\n") + "," + to_csv_line([rejection.reason]))
            return
        try:
            original = json.loads(rejection.raw)
        except ValueError:
            original = None
        if isinstance(original, dict):
            line = {**original, REJECT_REASON_COLUMN: rejection.reason}
        else:
            line = {REJECT_REASON_COLUMN: rejection.reason, "raw": rejection.raw}
        self._stream.write(json.dumps(line, ensure_ascii=False) + "\n")
