"""Records from CSV, JSON Lines and JSON arrays: located problems, hostile bytes, flat memory."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from synthwatch.service.record import (
    RAW_LIMIT,
    Record,
    RecordFormat,
    RecordProblem,
    RecordReader,
    detect_format,
    escape_cell,
    to_csv_line,
    unescape_cell,
)

Item = Record | RecordProblem


def read(data: bytes, fmt: RecordFormat = RecordFormat.CSV, **options: object) -> RecordReader:
    return RecordReader(io.BytesIO(data), fmt=fmt, **options)  # type: ignore[arg-type]


def items(data: bytes, fmt: RecordFormat = RecordFormat.CSV, **options: object) -> list[Item]:
    return list(read(data, fmt, **options))


def records(found: list[Item]) -> list[Record]:
    return [item for item in found if isinstance(item, Record)]


def problems(found: list[Item]) -> list[RecordProblem]:
    return [item for item in found if isinstance(item, RecordProblem)]


def located(found: list[Item]) -> list[tuple[str, int]]:
    """Each item as (kind, line): the shape most tests care about."""
    return [("record" if isinstance(item, Record) else "problem", item.line) for item in found]


# --- format detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("reports.CSV", b"[", RecordFormat.CSV),
        ("a/b/reports.jsonl", b"a,b", RecordFormat.JSONL),
        ("reports.ndjson", b"", RecordFormat.JSONL),
        ("reports.json", b"{", RecordFormat.JSON),
        ("-", b"\xef\xbb\xbf \r\n [ {}", RecordFormat.JSON),
        ("upload.txt", b'\n{"a": 1}', RecordFormat.JSONL),
        ("upload", b"external_id,country", RecordFormat.CSV),
        ("upload", b"", RecordFormat.CSV),
    ],
)
def test_detect_format(name: str, head: bytes, expected: RecordFormat) -> None:
    assert detect_format(name, head) is expected


# --- encodings ----------------------------------------------------------------------------------


def test_utf8_bom_is_stripped_from_the_first_header_name() -> None:
    reader = read(b"\xef\xbb\xbfCountry,Kind\r\nNL,seizure\r\n")
    found = list(reader)
    assert reader.header == ["country", "kind"]
    assert found == [Record(2, {"country": "NL", "kind": "seizure"}, "NL,seizure")]
    assert reader.bytes_read == len(b"\xef\xbb\xbfCountry,Kind\r\nNL,seizure\r\n")


def test_utf8_bom_is_stripped_for_json_formats() -> None:
    assert records(items(b'\xef\xbb\xbf{"a": 1}\n', RecordFormat.JSONL))[0].fields == {"a": 1}
    assert records(items(b'\xef\xbb\xbf[{"a": 1}]', RecordFormat.JSON))[0].fields == {"a": 1}


@pytest.mark.parametrize("fmt", list(RecordFormat))
@pytest.mark.parametrize(
    ("bom", "name"),
    [(b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\xff\xfe\x00\x00", "UTF-32")],
)
def test_utf16_and_utf32_files_are_refused_with_one_problem(
    fmt: RecordFormat, bom: bytes, name: str
) -> None:
    data = bom + "a,b\n1,2\n".encode("utf-16-le")
    found = items(data, fmt)
    assert found == [RecordProblem(1, None, f"{name} files are not supported; save as UTF-8", "")]


def test_latin1_line_is_read_as_windows_1252_with_one_warning() -> None:
    data = b"name,note\nJos\xe9,caf\x80\nplain,ascii\nM\xfcller,x\nA\x81,y\n"
    reader = read(data)
    found = list(reader)
    assert [r.fields for r in records(found)] == [
        {"name": "José", "note": "caf€"},
        {"name": "plain", "note": "ascii"},
        {"name": "Müller", "note": "x"},
        {"name": "A\x81", "note": "y"},  # 0x81 is undefined in Windows-1252: Latin-1
    ]
    assert reader.fallback_lines == 3
    assert reader.warnings == [
        RecordProblem(
            2, None, "line 2 and 2 more lines are not UTF-8; read as Windows-1252", "Jos\xe9,caf€"
        )
    ]


def test_single_fallback_line_warning_wording() -> None:
    reader = read(b"name\nJos\xe9\n")
    list(reader)
    assert [w.reason for w in reader.warnings] == ["line 2 is not UTF-8; read as Windows-1252"]


def test_utf8_file_has_no_warnings() -> None:
    reader = read("name\nJosé\n".encode())
    assert records(list(reader))[0].fields == {"name": "José"}
    assert reader.warnings == []
    assert reader.fallback_lines == 0


def test_explicit_encoding_is_used_and_its_errors_are_located() -> None:
    data = "name\nJosé\n".encode("cp1252") + b"ok\n"
    reader = read(data, encoding="cp1252")
    assert [r.fields["name"] for r in records(list(reader))] == ["José", "ok"]
    assert reader.warnings == []

    found = items(b"name\nJos\xe9\nok\n", encoding="utf-8")
    assert located(found) == [("problem", 2), ("record", 3)]
    assert "not valid utf-8" in problems(found)[0].reason


def test_encoding_that_cannot_be_split_into_lines_is_refused() -> None:
    with pytest.raises(ValueError, match="ASCII-compatible"):
        read(b"", encoding="utf-16")
    with pytest.raises(ValueError, match="unknown encoding"):
        read(b"", encoding="no-such-codec")


# --- line endings and line numbers --------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending_counts_physical_lines(newline: bytes) -> None:
    data = newline.join([b"a,b", b"1,2", b"", b'"multi', b'line",3', b"4,5"]) + newline
    found = items(data)
    assert located(found) == [("record", 2), ("record", 4), ("record", 6)]
    multi = records(found)[1]
    assert multi.fields == {"a": "multi" + newline.decode() + "line", "b": "3"}


def test_crlf_split_across_read_chunks_is_one_line_ending() -> None:
    # 16 KiB is the read size: put the CR as the last byte of the first read
    first = b"a,b\r\n" + b"x," + b"y" * (16 * 1024 - 8) + b"\r"
    data = first + b"\n1,2\r\n"
    found = items(data)
    assert located(found) == [("record", 2), ("record", 3)]


def test_quoted_field_spanning_lines_3_to_5() -> None:
    data = b'id,narrative\nr1,short\nr2,"first\nsecond\nthird"\nr3,after\n'
    found = items(data)
    assert located(found) == [("record", 2), ("record", 3), ("record", 6)]
    assert records(found)[1].fields["narrative"] == "first\nsecond\nthird"
    assert records(found)[1].raw == 'r2,"first\nsecond\nthird"'


def test_file_without_final_newline() -> None:
    assert records(items(b"a\n1\n2"))[-1] == Record(3, {"a": "2"}, "2")


# --- CSV rows -----------------------------------------------------------------------------------


def test_header_names_are_stripped_and_lower_cased_and_cells_kept_as_read() -> None:
    reader = read(b" External_ID , Country\n  r1 ,  nl  \n")
    found = list(reader)
    assert reader.header == ["external_id", "country"]
    assert records(found)[0].fields == {"external_id": "  r1 ", "country": "  nl  "}


def test_row_with_too_many_cells_is_a_problem_and_reading_goes_on() -> None:
    found = items(b"a,b,c,d,e\n1,2,3,4,5,6,7\n1,2,3,4,5\n")
    assert found[0] == RecordProblem(2, None, "row has 7 cells, header has 5", "1,2,3,4,5,6,7")
    assert located(found) == [("problem", 2), ("record", 3)]


def test_row_with_too_few_cells_keeps_only_present_columns() -> None:
    found = items(b"a,b,c\n1,2\n")
    assert found == [Record(2, {"a": "1", "b": "2"}, "1,2,")]


def test_blank_and_empty_spreadsheet_lines_are_skipped() -> None:
    found = items(b"\n\na,b\n\n1,2\n   \n,\r\n\r\n3,4\n\n")
    assert located(found) == [("record", 5), ("record", 9)]


def test_nul_byte_is_a_problem_and_the_next_row_still_comes_out() -> None:
    found = items(b"a,b\n1,2\n3\x00,4\n5,6\n")
    assert located(found) == [("record", 2), ("problem", 3), ("record", 4)]
    assert "NUL" in problems(found)[0].reason
    assert records(found)[-1].fields == {"a": "5", "b": "6"}


def test_nul_inside_a_quoted_multi_line_record_recovers() -> None:
    found = items(b'a,b\n"x\ny\x00",1\n5,6\n')
    assert found[-1] == Record(4, {"a": "5", "b": "6"}, "5,6")
    assert problems(found)[0].line == 3


def test_malformed_quoting_is_a_problem_and_reading_goes_on() -> None:
    found = items(b'a,b\n"x"y,1\n2,3\n')
    assert located(found) == [("problem", 2), ("record", 3)]
    assert problems(found)[0].reason.startswith("malformed CSV")
    assert problems(found)[0].raw == '"x"y,1'


def test_unclosed_quote_is_located_at_its_record() -> None:
    found = items(b'a,b\n1,2\n3,"never closed\n4,5\n')
    assert located(found) == [("record", 2), ("problem", 3)]


def test_two_mb_field_with_one_mb_limit_is_skipped_and_the_next_row_read() -> None:
    limit = 1024 * 1024
    data = b"a,b\n1,2\nbig," + b"x" * (2 * limit) + b"\n3,4\n"
    reader = read(data, max_record_bytes=limit)
    found = list(reader)
    assert located(found) == [("record", 2), ("problem", 3), ("record", 4)]
    problem = problems(found)[0]
    assert problem.reason == f"record longer than {limit} bytes"
    assert problem.field is None
    assert len(problem.raw) == RAW_LIMIT
    assert problem.raw.startswith("big,xxx")
    assert reader.bytes_read == len(data)


def test_long_line_at_end_of_file_without_newline() -> None:
    found = items(b"a\n1\n" + b"x" * 5000, max_record_bytes=1000)
    assert located(found) == [("record", 2), ("problem", 3)]


def test_multi_line_record_over_the_limit_is_a_problem() -> None:
    lines = b"".join(b"line %d\n" % i for i in range(200))
    found = items(b'a,b\n"' + lines + b'",1\n2,3\n', max_record_bytes=500)
    assert problems(found)[0].line == 2
    assert "record longer than 500 bytes" in problems(found)[0].reason


def test_field_size_limit_is_raised_not_lowered() -> None:
    before = csv.field_size_limit()
    list(read(b"a\n1\n", max_record_bytes=10))
    assert csv.field_size_limit() == before
    list(read(b"a\n" + b"y" * 300_000 + b"\n", max_record_bytes=max(before, 400_000)))
    assert csv.field_size_limit() >= 400_000


def test_empty_file_has_no_records_and_no_header() -> None:
    reader = read(b"")
    assert list(reader) == []
    assert reader.header is None
    whitespace = read(b"\r\n\n")
    assert list(whitespace) == []
    assert whitespace.header is None


def test_header_only_file_has_a_header_and_no_records() -> None:
    reader = read(b"a,b\r\n")
    assert reader.read_header() == ["a", "b"]
    assert list(reader) == []
    assert reader.header == ["a", "b"]


def test_duplicate_header_is_one_problem_and_stops() -> None:
    found = items(b"Country,kind,country\nNL,a,b\nBE,c,d\n")
    assert found == [
        RecordProblem(1, None, "header has duplicate column names: country", "Country,kind,country")
    ]


def test_empty_header_name_is_one_problem_and_stops() -> None:
    reader = read(b"a,,b, \n1,2,3,4\n")
    found = list(reader)
    assert len(found) == 1
    assert found[0].line == 1
    assert isinstance(found[0], RecordProblem)
    assert found[0].reason == "header has an empty column name (columns 2, 4)"
    assert reader.header is None


@pytest.mark.parametrize("delimiter", [b";", b"\t"])
def test_semicolon_and_tab_delimiters_are_detected_from_the_header(delimiter: bytes) -> None:
    data = delimiter.join([b"country", b"lat", b"lon"]) + b"\r\n"
    data += delimiter.join([b"DE", b"52,5", b"13,4"]) + b"\r\n"
    found = items(data)
    assert found == [Record(2, {"country": "DE", "lat": "52,5", "lon": "13,4"}, 'DE,"52,5","13,4"')]


def test_comma_wins_when_the_header_has_one() -> None:
    assert items(b"a;b,c\n1;2,3\n") == [Record(2, {"a;b": "1;2", "c": "3"}, "1;2,3")]


def test_read_header_before_iterating() -> None:
    reader = read(b"A,B\n1,2\n")
    assert reader.read_header() == ["a", "b"]
    assert list(reader) == [Record(2, {"a": "1", "b": "2"}, "1,2")]


def test_a_reader_is_iterated_only_once() -> None:
    reader = read(b"a\n1\n")
    list(reader)
    with pytest.raises(RuntimeError):
        iter(reader)


def test_formula_cells_are_unescaped_on_read_and_escaped_in_raw() -> None:
    found = items(b"a,b,c,d\n'=SUM(A1),'-x,-33.4,'plain\n")
    record = records(found)[0]
    assert record.fields == {"a": "=SUM(A1)", "b": "-x", "c": "-33.4", "d": "'plain"}
    assert record.raw == "'=SUM(A1),'-x,-33.4,'plain"


def test_rejects_file_written_with_to_csv_line_loads_again(tmp_path: Path) -> None:
    rows = [["=cmd|' /C calc'!A0", "@SUM(1)", "-33.4", "+1", "line\nbreak", 'say "hi"']]
    path = tmp_path / "rejects.csv"
    path.write_text(to_csv_line(["a", "b", "c", "d", "e", "f"]) + to_csv_line(rows[0]), newline="")
    with path.open("rb") as stream:
        found = list(RecordReader(stream, fmt=RecordFormat.CSV))
    assert [list(r.fields.values()) for r in records(found)] == rows


cell_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
    max_size=30,
)


@given(st.lists(cell_text, min_size=3, max_size=3))
def test_any_row_survives_a_csv_round_trip(cells: list[str]) -> None:
    assume("".join(cells).strip())
    data = (to_csv_line(["a", "b", "c"]) + to_csv_line(cells)).encode()
    found = items(data)
    assert len(found) == 1
    assert isinstance(found[0], Record)
    assert list(found[0].fields.values()) == cells
    assert found[0].raw + "\r\n" == to_csv_line(cells)


# --- spreadsheet escaping -----------------------------------------------------------------------

PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
tricky_text = st.text(alphabet="'=+-@\t\r0123456789.eE x\n", max_size=12) | st.text()


@given(tricky_text)
def test_unescape_undoes_escape(value: str) -> None:
    assert unescape_cell(escape_cell(value)) == value


@given(tricky_text)
def test_escaped_cell_never_starts_like_a_formula_unless_a_number(value: str) -> None:
    escaped = escape_cell(value)
    if escaped[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert PLAIN_NUMBER.fullmatch(escaped)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-33.4", "-33.4"),
        ("+1e5", "+1e5"),
        ("'=x", "''=x"),
        ("'plain", "'plain"),
        ("", ""),
        ("ok", "ok"),
    ],
)
def test_escape_examples(value: str, escaped: str) -> None:
    assert escape_cell(value) == escaped
    assert unescape_cell(escaped) == value


def test_unescape_accepts_numbers_escaped_by_other_tools() -> None:
    assert unescape_cell("'-33.4") == "-33.4"
    assert unescape_cell("'abc") == "'abc"
    assert unescape_cell("'") == "'"


def test_to_csv_line_quotes_and_ends_with_crlf() -> None:
    assert to_csv_line(["a", "b,c", '"q"', "=x"]) == 'a,"b,c","""q""",\'=x\r\n'
    assert to_csv_line([]) == "\r\n"


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_bad_line_in_the_middle_keeps_the_others_and_their_lines() -> None:
    data = b'{"id": 1}\r\n\r\n{"id": 2,}\n{"id": 3}\n[1, 2]\n"text"\nnull\n{"id": 4}'
    found = items(data, RecordFormat.JSONL)
    assert located(found) == [
        ("record", 1),
        ("problem", 3),
        ("record", 4),
        ("problem", 5),
        ("problem", 6),
        ("problem", 7),
        ("record", 8),
    ]
    assert [r.fields["id"] for r in records(found)] == [1, 3, 4]
    assert records(found)[0].raw == '{"id": 1}'
    reasons = [p.reason for p in problems(found)]
    assert reasons[0].startswith("not valid JSON: ")
    assert reasons[0].endswith("(column 10)")
    assert reasons[1:] == [
        "expected a JSON object, got array",
        "expected a JSON object, got string",
        "expected a JSON object, got null",
    ]


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_jsonl_rejects_nan_and_infinity(constant: bytes) -> None:
    found = items(b'{"purity": ' + constant + b'}\n{"ok": 1}\n', RecordFormat.JSONL)
    assert located(found) == [("problem", 1), ("record", 2)]
    assert "not allowed" in problems(found)[0].reason


def test_jsonl_hostile_lines_do_not_crash() -> None:
    deep = b"[" * 100_000
    data = deep + b"\n" + b'{"a": 1}\x00\n' + b'{"n": ' + b"9" * 5000 + b"}\n" + b'{"ok": true}\n'
    found = items(data, RecordFormat.JSONL)
    assert located(found) == [("problem", 1), ("problem", 2), ("problem", 3), ("record", 4)]


def test_jsonl_long_line_is_skipped() -> None:
    data = b'{"a": "' + b"x" * 3000 + b'"}\n{"b": 1}\n'
    found = items(data, RecordFormat.JSONL, max_record_bytes=1000)
    assert located(found) == [("problem", 1), ("record", 2)]


def test_jsonl_windows_1252_line_is_read_with_a_warning() -> None:
    reader = read(b'{"name": "Jos\xe9"}\n', RecordFormat.JSONL)
    assert records(list(reader))[0].fields == {"name": "José"}
    assert reader.fallback_lines == 1


# --- JSON arrays --------------------------------------------------------------------------------

PRETTY = b"""[
  {
    "id": 1,
    "narrative": "first"
  },
  {"id": 2},

  {
    "id": 3
  }
]
"""


def test_json_array_elements_carry_the_line_where_they_start() -> None:
    found = items(PRETTY, RecordFormat.JSON)
    assert located(found) == [("record", 2), ("record", 6), ("record", 8)]
    assert records(found)[0].fields == {"id": 1, "narrative": "first"}
    assert records(found)[2].raw == '{\n    "id": 3\n  }'


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_json_array_line_numbers_with_one_byte_reads(newline: bytes) -> None:
    stream = cast(BinaryIO, ByteByByte(PRETTY.replace(b"\n", newline)))
    found = list(RecordReader(stream, fmt=RecordFormat.JSON))
    assert located(found) == [("record", 2), ("record", 6), ("record", 8)]


@pytest.mark.parametrize("fmt", [RecordFormat.CSV, RecordFormat.JSONL])
@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_line_formats_with_one_byte_reads(fmt: RecordFormat, newline: bytes) -> None:
    lines = (
        [b"", b'{"a": 1}', b"", b'{"a": 2}']
        if fmt is RecordFormat.JSONL
        else [b"a", b"1", b"", b"2"]
    )
    data = newline.join(lines) + newline
    reader = RecordReader(cast(BinaryIO, ByteByByte(data)), fmt=fmt)
    assert located(list(reader)) == [("record", 2), ("record", 4)]
    assert reader.bytes_read == len(data)


def test_json_array_element_larger_than_a_read_chunk() -> None:
    big = "x" * 100_000
    data = ('[\n{"a": "' + big + '"},\n{"b": 2}]').encode()
    found = items(data, RecordFormat.JSON)
    assert located(found) == [("record", 2), ("record", 3)]
    assert records(found)[0].fields == {"a": big}


def test_json_array_unclosed() -> None:
    found = items(b'[\n  {"id": 1},\n  {"id": 2}\n\n', RecordFormat.JSON)
    assert located(found) == [("record", 2), ("record", 3), ("problem", 3)]
    assert problems(found)[0].reason == "JSON array is not closed"


def test_json_array_cut_off_inside_an_element() -> None:
    found = items(b'[\n  {"id": 1},\n  {"id": ', RecordFormat.JSON)
    assert located(found) == [("record", 2), ("problem", 3)]
    assert problems(found)[0].reason.startswith("JSON array is not closed")


def test_json_array_non_object_element_is_a_problem_and_reading_goes_on() -> None:
    found = items(b'[{"id": 1}, 42, "x", [1], {"id": 2}]', RecordFormat.JSON)
    assert [type(item).__name__ for item in found] == [
        "Record",
        "RecordProblem",
        "RecordProblem",
        "RecordProblem",
        "Record",
    ]
    assert problems(found)[0].reason == "expected a JSON object, got number"


def test_json_array_invalid_element_stops_with_a_located_problem() -> None:
    data = b'[\n{"id": 1},\n{"id": 2,\n "x": }\n,{"id": 3}]'
    found = items(data, RecordFormat.JSON)
    assert located(found) == [("record", 2), ("problem", 3)]
    reason = problems(found)[0].reason
    assert "(line 4)" in reason
    assert "cannot be read further" in reason


def test_json_array_rejects_nan_and_goes_on_after_the_element() -> None:
    data = b'[\n{"purity": NaN},\n{"purity": Infinity},\n{"purity": 0.5}\n]'
    found = items(data, RecordFormat.JSON)
    assert located(found) == [("problem", 2), ("problem", 3), ("record", 4)]
    assert problems(found)[0].reason == "not valid JSON: NaN is not allowed in JSON"


def test_json_file_that_is_not_an_array() -> None:
    found = items(b'\n\n{"id": 1}\n{"id": 2}\n', RecordFormat.JSON)
    assert len(found) == 1
    assert found[0].line == 3
    assert isinstance(found[0], RecordProblem)
    assert found[0].reason.startswith("expected a JSON array")


def test_json_empty_array_and_empty_file() -> None:
    assert items(b"  [ \n ]  \n", RecordFormat.JSON) == []
    assert items(b"", RecordFormat.JSON) == []


def test_json_missing_comma_stops() -> None:
    found = items(b'[{"id": 1}\n{"id": 2}]', RecordFormat.JSON)
    assert located(found) == [("record", 1), ("problem", 2)]


def test_json_trailing_comma_and_trailing_text_are_problems() -> None:
    assert located(items(b'[{"id": 1},\n]', RecordFormat.JSON)) == [("record", 1), ("problem", 2)]
    found = items(b'[{"id": 1}]\n\nmore', RecordFormat.JSON)
    assert located(found) == [("record", 1), ("problem", 3)]


def test_json_invalid_utf8_is_a_located_problem() -> None:
    found = items(b'[\n{"id": 1},\n{"name": "Jos\xe9"}\n]', RecordFormat.JSON)
    assert located(found) == [("record", 2), ("problem", 3)]
    assert "UTF-8" in problems(found)[0].reason


def test_json_element_over_the_limit_stops() -> None:
    data = b'[{"a": "' + b"x" * 200_000 + b'"}, {"b": 1}]'
    found = items(data, RecordFormat.JSON, max_record_bytes=50_000)
    assert len(found) == 1
    assert "record longer than 50000 bytes" in found[0].reason  # type: ignore[union-attr]


def test_json_deeply_nested_element_does_not_crash() -> None:
    found = items(b"[" + b"[" * 100_000, RecordFormat.JSON)
    assert len(found) == 1
    assert isinstance(found[0], RecordProblem)


def test_json_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_bytes(PRETTY)
    with path.open("rb") as stream:
        reader = RecordReader(stream, fmt=detect_format(path.name, stream.peek(64)))
        assert len(records(list(reader))) == 3
        assert reader.bytes_read == len(PRETTY)


# --- constant memory ----------------------------------------------------------------------------


class ByteByByte(io.RawIOBase):
    """A raw stream that hands out one byte per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= len(self._data) or not len(buffer):
            return 0
        buffer[0] = self._data[self._pos]
        self._pos += 1
        return 1


class GeneratedCsv(io.RawIOBase):
    """Rows made on demand, so the test itself holds no file in memory."""

    def __init__(self, rows: int) -> None:
        self._lines = self._generate(rows)
        self._pending = bytearray()
        self.size = 0

    @staticmethod
    def _generate(rows: int) -> Iterator[bytes]:
        yield b"external_id,country,kind,narrative\r\n"
        for number in range(rows):
            if number % 1000 == 500:  # now and then a quoted cell over two lines
                yield b'r%d,NL,seizure,"tablets, lot %d\r\nsecond line"\r\n' % (number, number)
            else:
                yield b"r%d,NL,seizure,%d tablets\r\n" % (number, number)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer):
            line = next(self._lines, None)
            if line is None:
                break
            self._pending += line
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        del self._pending[:count]
        self.size += count
        return count


def test_200k_rows_stream_in_constant_memory() -> None:
    raw = GeneratedCsv(200_000)
    reader = RecordReader(io.BufferedReader(raw), fmt=RecordFormat.CSV)
    tracemalloc.start()
    try:
        count = 0
        last: Item | None = None
        for item in reader:
            count += 1
            last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    fields: dict[str, object] = {"external_id": "r199999", "country": "NL", "kind": "seizure"}
    fields["narrative"] = "199999 tablets"
    assert last == Record(200_201, fields, "r199999,NL,seizure,199999 tablets")  # 200 two-liners
    assert reader.bytes_read == raw.size
    assert peak < 3 * 1024 * 1024


@given(st.lists(cell_text, max_size=4))
def test_to_csv_line_writes_what_csv_writer_writes(cells: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([escape_cell(cell) for cell in cells])
    assert to_csv_line(cells) == buffer.getvalue()


hostile_bytes = st.lists(
    st.sampled_from([b"[", b"]", b"{", b"}", b",", b";", b'"', b"'", b"\r", b"\n", b"\x00"])
    | st.sampled_from([b"\xff", b"\xe9", b"\xef\xbb\xbf", b'"a":', b"NaN", b"1", b" ", b"x"])
    | st.binary(max_size=8),
    max_size=60,
).map(b"".join)


@given(hostile_bytes, st.sampled_from(list(RecordFormat)), st.sampled_from([8, 64, 1 << 20]))
def test_hostile_bytes_never_raise(data: bytes, fmt: RecordFormat, limit: int) -> None:
    reader = read(data, fmt, max_record_bytes=limit)
    found = list(reader)
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
    assert all(1 <= item.line <= lines for item in found)
    assert all(len(item.raw) <= RAW_LIMIT for item in found)
    assert reader.bytes_read <= len(data)  # JSON and a broken CSV header stop early
    if fmt is RecordFormat.JSONL and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert reader.bytes_read == len(data)


def test_plain_lines_give_one_record_per_non_blank_line_and_bound_long_lines() -> None:
    data = b"fentanyl\r\n\n  4-ANPP  \n" + b"x" * 200 + b"\nlast"
    items = list(RecordReader(io.BytesIO(data), fmt=RecordFormat.LINES, max_record_bytes=100))
    assert [(i.line, i.fields) for i in items if isinstance(i, Record)] == [
        (1, {"text": "fentanyl"}),
        (3, {"text": "4-ANPP"}),
        (5, {"text": "last"}),
    ]
    (problem,) = [i for i in items if isinstance(i, RecordProblem)]
    assert problem.line == 4
    assert "longer than 100 bytes" in problem.reason
