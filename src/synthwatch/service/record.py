"""Turn a CSV, JSON Lines or JSON array byte stream into records that know their line.

`synthwatch ingest FILE` must load files of any size in constant memory and must locate every
bad row as `FILE:LINE: field: reason`. This module only splits, decodes and parses; what a record
contains is validated elsewhere. Hostile bytes never raise: every problem becomes a located
`RecordProblem`, and reading goes on with the next record wherever that can be done safely.
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple, NoReturn

__all__ = [
    "RAW_LIMIT",
    "Record",
    "RecordFormat",
    "RecordProblem",
    "RecordReader",
    "detect_format",
    "escape_cell",
    "to_csv_line",
    "unescape_cell",
]

RAW_LIMIT = 10_000
"""Most characters of original text kept in a problem: enough to fix it, not enough to hurt."""

_CHUNK = 16 * 1024  # small, so that even a chunk of empty lines costs little memory
_HEAD_BYTES = 4 * RAW_LIMIT  # bytes that always hold RAW_LIMIT characters of UTF-8
_UTF8_BOM = codecs.BOM_UTF8
_UNSUPPORTED_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_NOT_CLOSED = "JSON array is not closed"
_CANNOT_GO_ON = "a broken JSON array cannot be read further"


class RecordFormat(enum.StrEnum):
    """The file layouts ingest understands; the value is what a user names on the command line."""

    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"
    LINES = "lines"  # plain text, one value a line (field "text"); never guessed, only asked for


@dataclass(frozen=True, slots=True)
class Record:
    """One record and where it starts, so later validation can point the user at the line."""

    line: int
    fields: dict[str, object]
    raw: str


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """A located problem; `raw` lets the caller write the offending text to a rejects file."""

    line: int
    field: str | None
    reason: str
    raw: str


def _clip(text: str) -> str:
    return text[:RAW_LIMIT]


# --- spreadsheet escaping (OWASP CSV injection) -------------------------------------------------

_TRIGGERS = frozenset("=+-@\t\r")
_FIRST = _TRIGGERS | {"'"}  # only cells starting with one of these can need an apostrophe
_QUOTE_NEEDED = re.compile(r'["\r\n]')
# In a comma-joined row: a cell that needs quotes or starts with what escape_cell looks at.
_NOT_PLAIN = re.compile(r"""["\r\n]|(?:^|,)['=+\-@\t]""")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _needs_apostrophe(value: str) -> bool:
    # A cell a spreadsheet would run as a formula, or one that unescape_cell would shorten:
    # the apostrophes in front must survive a round trip too ("'=x" is written "''=x").
    rest = value.lstrip("'")
    if not rest or rest[0] not in _TRIGGERS:
        return False
    return len(rest) != len(value) or _NUMBER.fullmatch(rest) is None


def escape_cell(value: str) -> str:
    """Prefix an apostrophe so that a spreadsheet shows the cell instead of executing it.

    Plain numbers such as `-33.4` stay as they are: they are data, not formulas.
    """
    return "'" + value if _needs_apostrophe(value) else value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`, so a rejects file the user fixed loads again unchanged.

    Removes one leading apostrophe when the first character after the apostrophes is one of
    `= + - @`, tab or CR; anything else is left as it is.
    """
    if value[:1] == "'":
        rest = value.lstrip("'")
        if rest and rest[0] in _TRIGGERS:
            return value[1:]
    return value


def _quoted(cell: str) -> str:
    # csv.QUOTE_MINIMAL for the excel dialect, written out: csv.writer costs a dialect per row
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\r" in cell or "\n" in cell:
        return '"' + cell + '"'
    return cell


def to_csv_line(cells: Sequence[str]) -> str:
    """One escaped CSV line ending in CRLF, as csv.writer writes it: how our writers put a row."""
    escaped = [escape_cell(cell) if cell[:1] in _FIRST else cell for cell in cells]
    if len(escaped) == 1 and not escaped[0]:
        return '""\r\n'  # a lone empty cell must not read back as a blank line
    line = ",".join(escaped)
    if line.count(",") != len(escaped) - 1 or _QUOTE_NEEDED.search(line) is not None:
        line = ",".join([_quoted(cell) for cell in escaped])
    return line + "\r\n"


# --- format detection ---------------------------------------------------------------------------


def detect_format(name: str, head: bytes) -> RecordFormat:
    """Pick the layout by extension, else by the first meaningful byte of the file.

    `.csv`, `.jsonl`/`.ndjson` and `.json` decide alone; otherwise `[` means a JSON array,
    `{` JSON Lines, anything else CSV.
    """
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return RecordFormat.CSV
    if lowered.endswith((".jsonl", ".ndjson")):
        return RecordFormat.JSONL
    if lowered.endswith(".json"):
        return RecordFormat.JSON
    first = head.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")[:1]
    if first == b"[":
        return RecordFormat.JSON
    if first == b"{":
        return RecordFormat.JSONL
    return RecordFormat.CSV


# --- physical lines -----------------------------------------------------------------------------


class _Overlong(NamedTuple):
    """A line past the size cap: only its head is kept, the rest was skipped unread."""

    head: bytes
    size: int


def _split_lines(
    read: Callable[[int], bytes], data: bytes, cap: int
) -> Iterator[bytes | _Overlong]:
    """Yield each physical line (terminator kept) of the stream; LF, CRLF and lone CR all end one.

    Memory stays within `cap` plus one chunk: a longer line is skipped to its end, keeping its head.
    """
    pending: list[bytes] = []  # pieces of a line whose end has not been read yet
    pending_len = 0
    skip_head = b""
    skip_size = -1  # >= 0 while skipping an overlong line
    eof = False
    while True:
        more = read(_CHUNK)
        if more:
            data += more
        else:
            eof = True
        carry = b""
        if not eof and data.endswith(b"\r"):  # a CR whose LF may be in the next chunk
            carry, data = b"\r", data[:-1]
        for part in data.splitlines(keepends=True):
            complete = part.endswith((b"\n", b"\r"))
            if skip_size >= 0:
                skip_size += len(part)
                if complete:
                    yield _Overlong(skip_head, skip_size)
                    skip_head, skip_size = b"", -1
                continue
            if not complete:
                pending.append(part)
                pending_len += len(part)
                if pending_len > cap:
                    skip_head = b"".join(pending)[:_HEAD_BYTES]
                    skip_size, pending, pending_len = pending_len, [], 0
                continue
            if pending:
                pending.append(part)
                part = b"".join(pending)
                pending, pending_len = [], 0
            ending = 2 if part.endswith(b"\r\n") else 1
            if len(part) - ending > cap:
                yield _Overlong(part[:_HEAD_BYTES], len(part))
            else:
                yield part
        data = carry
        if eof:
            break
    if skip_size >= 0:
        yield _Overlong(skip_head, skip_size)
    elif pending:
        last = b"".join(pending)
        yield _Overlong(last[:_HEAD_BYTES], len(last)) if len(last) > cap else last


class _LineError(Exception):
    """Raised through the csv module so that a bad line becomes a problem, not a crash."""

    def __init__(self, problem: RecordProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


class _LineSource:
    """Decoded physical lines for the csv module, counting lines and keeping the record's text.

    A class, not a generator: after it raises `_LineError` it can still be read, so a fresh csv
    reader over it continues with the next line.
    """

    def __init__(self, owner: RecordReader, lines: Iterator[bytes | _Overlong]) -> None:
        self._owner = owner
        self._lines = lines
        self.next_line = 1  # number of the next line read from the file
        self._pushed: tuple[str, int, int] | None = None  # (text, line, bytes) given back
        self.record_start = 1
        self._record_text: list[str] = []
        self._record_chars = 0
        self._record_bytes = 0
        self.last_size = 0

    def __iter__(self) -> _LineSource:
        return self

    def push_back(self, text: str, size: int) -> None:
        self._pushed = (text, self.next_line - 1, size)

    def mark(self) -> None:
        """Start a new record with the next line."""
        self.record_start = self._pushed[1] if self._pushed else self.next_line
        self._record_text.clear()
        self._record_chars = 0
        self._record_bytes = 0

    def record_raw(self) -> str:
        text = "".join(self._record_text).removesuffix("\n").removesuffix("\r")
        return _clip(text)

    def __next__(self) -> str:
        if self._pushed is not None:
            text, _, size = self._pushed
            self._pushed = None
        else:
            text = self.read_line()
            size = self.last_size
        self._record_bytes += size
        if self._record_chars < RAW_LIMIT:
            self._record_text.append(text)
            self._record_chars += len(text)
        cap = self._owner.max_record_bytes
        if self._record_bytes > cap + 2:  # + 2: the last line's own CRLF does not count
            problem = RecordProblem(
                self.record_start, None, f"record longer than {cap} bytes", self.record_raw()
            )
            raise _LineError(problem)
        return text

    def read_line(self) -> str:
        """The next line, outside any record; its size in bytes is then in `last_size`."""
        item = next(self._lines)  # StopIteration ends the file
        line = self.next_line
        self.next_line += 1
        owner = self._owner
        if isinstance(item, _Overlong):
            head = item.head.decode(owner.encoding or "utf-8", "replace").rstrip("\r\n")
            reason = f"record longer than {owner.max_record_bytes} bytes"
            raise _LineError(RecordProblem(line, None, reason, _clip(head)))
        text = owner._decode_line(item, line)
        if "\x00" in text:
            raw = _clip(text.rstrip("\r\n"))
            raise _LineError(RecordProblem(line, None, "line contains a NUL byte", raw))
        self.last_size = len(item)
        return text


# --- JSON helpers -------------------------------------------------------------------------------


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed in JSON")


_STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_LENIENT_JSON = json.JSONDecoder()  # only to find where an element with NaN ends
_JSON_SPACE = re.compile(r"[ \t\n]*")  # CR is already turned into LF


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


class _JsonText:
    """A sliding window of decoded JSON text that knows the line number at its read position."""

    def __init__(self, owner: RecordReader, head: bytes) -> None:
        self._owner = owner
        self._head = head
        self._decoder = codecs.getincrementaldecoder(owner.encoding or "utf-8")("strict")
        self._carry_cr = False
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.decode_problem: RecordProblem | None = None

    def fill(self, want: int) -> None:
        """Append about `want` more characters, or everything up to the end of the file."""
        pieces: list[str] = []
        got = 0
        while got < want and not self.eof:
            data, self._head = self._head or self._owner._read_raw(_CHUNK), b""
            final = not data
            text = self._decode(data, final)
            if self._carry_cr:
                text = "\r" + text
            self._carry_cr = not final and not self.eof and text.endswith("\r")
            if self._carry_cr:
                text = text[:-1]
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            pieces.append(text)
            got += len(text)
            if final:
                self.eof = True
        self.buf = self.buf[self.pos :] + "".join(pieces)
        self.pos = 0
        if self.decode_problem is not None and self.decode_problem.line == 0:
            line = self.line + self.buf.count("\n")
            reason, raw = self.decode_problem.reason, self.decode_problem.raw
            self.decode_problem = RecordProblem(line, None, reason, raw)

    def _decode(self, data: bytes, final: bool) -> str:
        try:
            return self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            name = self._owner.encoding or "UTF-8"
            valid = exc.object[: exc.start].decode(self._owner.encoding or "utf-8", "replace")
            bad = exc.object[exc.start : exc.start + 40].decode("latin-1")
            reason = f"not valid {name}: {exc.reason}; JSON must be UTF-8, the rest cannot be read"
            self.decode_problem = RecordProblem(0, None, reason, _clip(bad))  # line set in fill
            self.eof = True
            return valid

    def skip_space(self) -> bool:
        """Move past whitespace; False at the end of the text."""
        while True:
            end = _JSON_SPACE.match(self.buf, self.pos)
            stop = end.end() if end else self.pos
            self.line += self.buf.count("\n", self.pos, stop)
            self.pos = stop
            if self.pos < len(self.buf):
                return True
            if self.eof:
                return False
            self.fill(_CHUNK)


# --- the reader ---------------------------------------------------------------------------------


class RecordReader:
    """Read records one at a time from a binary stream, in memory that does not grow with the file.

    Iterate once; each item is a `Record` or a `RecordProblem`. `header` (CSV) is known once
    iteration has started or after `read_header()`; `bytes_read` (bytes taken from the stream so
    far, at most one 16 KiB read ahead of the records) feeds a progress bar; `warnings` holds at
    most one note per file about lines that were not UTF-8.
    """

    def __init__(
        self,
        stream: BinaryIO,
        *,
        fmt: RecordFormat,
        max_record_bytes: int = 16 * 1024 * 1024,
        encoding: str | None = None,
    ) -> None:
        if max_record_bytes < 1:
            raise ValueError("max_record_bytes must be positive")
        if isinstance(stream, io.TextIOBase):
            raise TypeError("RecordReader needs a binary stream")
        self._stream = stream
        self.format = RecordFormat(fmt)
        self.max_record_bytes = max_record_bytes
        self.encoding = _checked_encoding(encoding)
        self.header: list[str] | None = None
        self.bytes_read = 0
        self.warnings: list[RecordProblem] = []
        self.fallback_lines = 0
        self._fallback_first: tuple[int, int, str] | None = None  # (line, warning index, raw)
        self._started = False
        self._iterated = False
        self._stopped = False
        self._pending: list[RecordProblem] = []
        self._head = b""
        self._source: _LineSource | None = None
        self._csv: Iterator[list[str]] | None = None
        self._delimiter = ","

    # -- plumbing shared by the formats --

    def _read_raw(self, size: int) -> bytes:
        """Read raw bytes, counting them; a stream that answers None is treated as ended."""
        data = self._stream.read(size) or b""
        self.bytes_read += len(data)
        return data

    def _decode_line(self, data: bytes, line: int) -> str:
        """Decode one physical line: the given encoding, or UTF-8 then Windows-1252 then Latin-1."""
        if self.encoding is not None:
            try:
                return data.decode(self.encoding)
            except UnicodeError as exc:
                where = f" at byte {exc.start + 1}" if isinstance(exc, UnicodeDecodeError) else ""
                reason = f"line is not valid {self.encoding}{where}"
                raw = data.decode(self.encoding, "replace").rstrip("\r\n")
                raise _LineError(RecordProblem(line, None, reason, _clip(raw))) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D are undefined in Windows-1252
            text = data.decode("latin-1")
        self._note_fallback(line, text)
        return text

    def _note_fallback(self, line: int, text: str) -> None:
        self.fallback_lines += 1
        if self._fallback_first is None:
            self._fallback_first = (line, len(self.warnings), _clip(text.rstrip("\r\n")))
            self.warnings.append(RecordProblem(line, None, "", ""))
        first, index, raw = self._fallback_first
        more = self.fallback_lines - 1
        if more == 0:
            reason = f"line {first} is not UTF-8; read as Windows-1252"
        else:
            lines = "line" if more == 1 else "lines"
            reason = f"line {first} and {more} more {lines} are not UTF-8; read as Windows-1252"
        self.warnings[index] = RecordProblem(first, None, reason, raw)

    def _stop(self, problem: RecordProblem) -> None:
        self._pending.append(problem)
        self._stopped = True

    def _start(self) -> None:
        """Read the first bytes: strip a UTF-8 BOM, refuse UTF-16/32, and read a CSV header."""
        if self._started:
            return
        self._started = True
        head = b""
        while len(head) < 4:
            more = self._read_raw(4 - len(head))
            if not more:
                break
            head += more
        for bom, name in _UNSUPPORTED_BOMS:
            if head.startswith(bom):
                reason = f"{name} files are not supported; save as UTF-8"
                self._stop(RecordProblem(1, None, reason, ""))
                return
        if head.startswith(_UTF8_BOM):
            head = head[len(_UTF8_BOM) :]
        self._head = head
        if self.format is not RecordFormat.JSON:
            source = _LineSource(self, _split_lines(self._read_raw, head, self.max_record_bytes))
            self._source = source
            if self.format is RecordFormat.CSV:
                self._start_csv(source)

    # -- CSV --

    def read_header(self) -> list[str] | None:
        """Read (once) and return the CSV header: lower-cased, stripped names; None if absent."""
        self._start()
        return self.header

    def _new_csv_reader(self, source: _LineSource) -> Iterator[list[str]]:
        return csv.reader(source, delimiter=self._delimiter, strict=True)

    def _start_csv(self, source: _LineSource) -> None:
        needed = self.max_record_bytes
        if csv.field_size_limit() < needed:
            csv.field_size_limit(needed)
        while True:  # blank lines before the header are skipped
            try:
                text = source.read_line()
            except StopIteration:
                return  # empty file: no header, no records
            except _LineError as exc:
                self._stop(_header_problem(exc.problem))
                return
            if text.strip():
                break
        source.push_back(text, source.last_size)
        self._delimiter = _sniff_delimiter(text)
        reader = self._new_csv_reader(source)
        source.mark()
        try:
            row = next(reader)
        except _LineError as exc:
            self._stop(_header_problem(exc.problem))
            return
        except csv.Error as exc:
            reason = f"header: malformed CSV: {exc}"
            self._stop(RecordProblem(source.record_start, None, reason, source.record_raw()))
            return
        except StopIteration:  # pragma: no cover - a non-blank line was pushed back
            return
        names = [unescape_cell(cell).strip().lower() for cell in row]
        complaint = _header_complaint(names)
        if complaint:
            self._stop(RecordProblem(source.record_start, None, complaint, source.record_raw()))
            return
        self.header = names
        self._csv = reader

    def _iter_csv(self) -> Iterator[Record | RecordProblem]:
        source, reader, header = self._source, self._csv, self.header
        if source is None or reader is None or header is None:
            return
        width = len(header)
        while True:
            source.mark()
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LineError as exc:
                yield exc.problem
                reader = self._new_csv_reader(source)
                continue
            except csv.Error as exc:
                yield RecordProblem(
                    source.record_start, None, f"malformed CSV: {exc}", source.record_raw()
                )
                reader = self._new_csv_reader(source)
                continue
            if not row or not (row[0].strip() or "".join(row).strip()):
                continue  # a blank line, or an empty spreadsheet row such as ",,,"
            if len(row) > width:
                reason = f"row has {len(row)} cells, header has {width}"
                yield RecordProblem(source.record_start, None, reason, source.record_raw())
                continue
            if len(row) == width:  # the common row: no quoting, no apostrophes, nothing to pad
                raw = ",".join(row)
                if raw.count(",") == width - 1 and _NOT_PLAIN.search(raw) is None:
                    yield Record(source.record_start, dict(zip(header, row, strict=True)), raw)
                    continue
            cells = [unescape_cell(cell) if cell[:1] == "'" else cell for cell in row]
            fields: dict[str, object] = dict(zip(header, cells, strict=False))  # a short row
            raw = to_csv_line(cells + [""] * (width - len(cells)))[:-2]
            yield Record(source.record_start, fields, raw)

    # -- JSON Lines --

    def _physical_lines(self) -> Iterator[tuple[int, str] | RecordProblem]:
        """Each non-blank line with its number, or the problem that kept it from being read."""
        source = self._source
        if source is None:
            return
        while True:
            try:
                text = source.read_line()
            except StopIteration:
                return
            except _LineError as exc:
                yield exc.problem
                continue
            if text.strip(" \t\r\n"):
                yield source.next_line - 1, text

    def _iter_jsonl(self) -> Iterator[Record | RecordProblem]:
        for item in self._physical_lines():
            if isinstance(item, RecordProblem):
                yield item
                continue
            line, text = item
            raw = text.rstrip("\r\n")
            try:
                value = _STRICT_JSON.decode(text)
            except json.JSONDecodeError as exc:
                reason = f"not valid JSON: {exc.msg} (column {exc.colno})"
                yield RecordProblem(line, None, reason, _clip(raw))
                continue
            except ValueError as exc:  # NaN/Infinity, or an integer with too many digits
                yield RecordProblem(line, None, f"not valid JSON: {exc}", _clip(raw))
                continue
            except RecursionError:
                yield RecordProblem(line, None, "not valid JSON: nested too deeply", _clip(raw))
                continue
            if isinstance(value, dict):
                yield Record(line, value, raw)
            else:
                reason = f"expected a JSON object, got {_json_type(value)}"
                yield RecordProblem(line, None, reason, _clip(raw))

    # -- plain lines --

    def _iter_lines(self) -> Iterator[Record | RecordProblem]:
        for item in self._physical_lines():
            if isinstance(item, RecordProblem):
                yield item
                continue
            line, text = item
            raw = text.rstrip("\r\n")
            yield Record(line, {"text": raw.strip()}, raw)

    # -- JSON array --

    def _iter_json(self) -> Iterator[Record | RecordProblem]:
        text = _JsonText(self, self._head)
        if not text.skip_space():
            if text.decode_problem is not None:
                yield text.decode_problem
            return  # an empty file holds no records
        first = text.buf[text.pos]
        if first != "[":
            hint = (
                "; one JSON object per line is JSON Lines: name it .jsonl" if first == "{" else ""
            )
            raw = _clip(text.buf[text.pos : text.pos + RAW_LIMIT])
            yield RecordProblem(text.line, None, f"expected a JSON array{hint}", raw)
            return
        text.pos += 1
        last_line = text.line
        need_comma = False
        after_comma = False
        while True:
            if not text.skip_space():
                yield text.decode_problem or RecordProblem(last_line, None, _NOT_CLOSED, "")
                return
            char = text.buf[text.pos]
            if char == "]":
                text.pos += 1
                if after_comma:
                    reason = "trailing comma before ']' in the JSON array"
                    yield RecordProblem(text.line, None, reason, "")
                break
            if need_comma:
                if char != ",":
                    raw = _clip(text.buf[text.pos : text.pos + RAW_LIMIT])
                    reason = f"expected ',' or ']' after an element; {_CANNOT_GO_ON}"
                    yield RecordProblem(text.line, None, reason, raw)
                    return
                text.pos += 1
                last_line = text.line
                need_comma, after_comma = False, True
                continue
            start = text.line
            outcome = self._json_element(text)
            if isinstance(outcome, RecordProblem):
                yield outcome
                return
            value, end, complaint = outcome
            raw = text.buf[text.pos : end]
            text.line += raw.count("\n")
            text.pos = end
            last_line = text.line
            need_comma, after_comma = True, False
            if complaint:
                yield RecordProblem(start, None, complaint, _clip(raw))
            elif isinstance(value, dict):
                yield Record(start, value, raw)
            else:
                reason = f"expected a JSON object, got {_json_type(value)}"
                yield RecordProblem(start, None, reason, _clip(raw))
        if text.skip_space():
            raw = _clip(text.buf[text.pos : text.pos + RAW_LIMIT])
            yield RecordProblem(text.line, None, "unexpected text after the JSON array", raw)
        elif text.decode_problem is not None:
            yield text.decode_problem

    def _json_element(self, text: _JsonText) -> tuple[object, int, str] | RecordProblem:
        """Decode the element at the read position, reading more text while it may be cut off.

        Returns (value, end, complaint); the complaint is set when the element is whole but not
        allowed (too long, NaN), so reading can go on after it.
        """
        cap = self.max_record_bytes
        while True:
            size = len(text.buf) - text.pos
            try:
                value, end = _STRICT_JSON.raw_decode(text.buf, text.pos)
            except json.JSONDecodeError as exc:
                cut_off = exc.msg.startswith("Unterminated string") or exc.pos >= len(text.buf) - 16
                if cut_off and not text.eof and size <= cap:
                    text.fill(max(_CHUNK, size))
                    continue
                return self._json_failure(text, exc, cut_off)
            except ValueError as exc:  # NaN/Infinity or a huge integer: find the end leniently
                try:
                    _, end = _LENIENT_JSON.raw_decode(text.buf, text.pos)
                except json.JSONDecodeError as lenient:
                    if not text.eof and size <= cap:
                        text.fill(max(_CHUNK, size))
                        continue
                    return self._json_failure(text, lenient, cut_off=True)
                except (ValueError, RecursionError):
                    reason = f"not valid JSON: {exc}; {_CANNOT_GO_ON}"
                    return RecordProblem(text.line, None, reason, _clip(text.buf[text.pos :]))
                if end == len(text.buf) and not text.eof and size <= cap:
                    text.fill(_CHUNK)
                    continue
                return None, end, f"not valid JSON: {exc}"
            except RecursionError:
                reason = f"not valid JSON: nested too deeply; {_CANNOT_GO_ON}"
                return RecordProblem(text.line, None, reason, _clip(text.buf[text.pos :]))
            if end == len(text.buf) and not text.eof and size <= cap:
                text.fill(_CHUNK)  # a number at the end of the window may go on
                continue
            if end - text.pos > cap:
                return value, end, f"record longer than {cap} bytes"
            return value, end, ""

    def _json_failure(
        self, text: _JsonText, exc: json.JSONDecodeError, cut_off: bool
    ) -> RecordProblem:
        """The problem that ends reading at an element that cannot be decoded."""
        if text.decode_problem is not None:
            return text.decode_problem
        raw = _clip(text.buf[text.pos :])
        if cut_off and not text.eof:
            reason = f"record longer than {self.max_record_bytes} bytes; {_CANNOT_GO_ON}"
        elif text.eof and (exc.pos >= len(text.buf) - 1 or exc.msg.startswith("Unterminated")):
            reason = f"{_NOT_CLOSED}: the file ends inside this element"
        else:
            where = text.line + text.buf.count("\n", text.pos, exc.pos)
            reason = f"not valid JSON: {exc.msg} (line {where}); {_CANNOT_GO_ON}"
        return RecordProblem(text.line, None, reason, raw)

    # -- iteration --

    def __iter__(self) -> Iterator[Record | RecordProblem]:
        if self._iterated:
            raise RuntimeError("a RecordReader can be iterated only once")
        self._iterated = True
        return self._records()

    def _records(self) -> Iterator[Record | RecordProblem]:
        self._start()
        pending, self._pending = self._pending, []
        yield from pending
        if self._stopped:
            return
        if self.format is RecordFormat.CSV:
            yield from self._iter_csv()
        elif self.format is RecordFormat.JSONL:
            yield from self._iter_jsonl()
        elif self.format is RecordFormat.LINES:
            yield from self._iter_lines()
        else:
            yield from self._iter_json()


def _checked_encoding(encoding: str | None) -> str | None:
    """Only ASCII-compatible encodings can be split into lines at the byte level."""
    if encoding is None:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None
    if name == "utf-8-sig":  # the BOM is stripped anyway
        return "utf-8"
    probe = "a,;\t\"'\r\n[]{}0"
    try:
        compatible = probe.encode(name) == probe.encode("ascii")
    except UnicodeError:
        compatible = False
    if not compatible:
        raise ValueError(f"encoding {encoding!r} is not ASCII-compatible; save the file as UTF-8")
    return name


def _sniff_delimiter(header_line: str) -> str:
    """Comma, unless the header has none but semicolons or tabs (European Excel exports)."""
    if "," in header_line:
        return ","
    semicolons, tabs = header_line.count(";"), header_line.count("\t")
    if not semicolons and not tabs:
        return ","
    return ";" if semicolons >= tabs else "\t"


def _header_problem(problem: RecordProblem) -> RecordProblem:
    return RecordProblem(problem.line, None, f"header: {problem.reason}", problem.raw)


def _header_complaint(names: list[str]) -> str:
    """Why the header cannot be trusted, or "" when it can."""
    complaints: list[str] = []
    empty = [str(index) for index, name in enumerate(names, 1) if not name]
    if empty:
        plural = "s" if len(empty) > 1 else ""
        complaints.append(f"header has an empty column name (column{plural} {', '.join(empty)})")
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in names:
        if name and name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        complaints.append(f"header has duplicate column names: {', '.join(duplicates)}")
    return "; ".join(complaints)
