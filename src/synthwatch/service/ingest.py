"""Loading a member's reports from a file: validate every row, store good rows batch by batch.

Each batch is one transaction, so a crash loses at most the batch in flight and never leaves part
of one. Reports are keyed by (member, external_id): a row seen before with the same content adds
nothing; with other content it becomes a new version and the old one is kept. Counts are added
to the summary only after their batch is committed, so nothing is acknowledged that was not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from synthwatch.domain.report import Report, new_report_id, parse_report, to_content_hash
from synthwatch.errors import EmptyInput, FieldProblem, InvalidReport, NotFound
from synthwatch.service.ports import CurrentVersion, ReportWrite, UnitOfWorkFactory
from synthwatch.service.record import Record, RecordFormat, RecordProblem
from synthwatch.service.report_form import (
    CsvLayout,
    ReportForm,
    from_json_object,
    unknown_csv_columns,
)

DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not stored, where it was, why, and its original text."""

    line: int
    problems: tuple[FieldProblem, ...]
    raw: str

    @property
    def reason(self) -> str:
        return "; ".join(str(p) for p in self.problems)


@dataclass(frozen=True, slots=True)
class IngestWarning:
    """Something the user should know that did not stop a row (an unknown column, a repeat)."""

    line: int
    message: str


@dataclass(slots=True)
class IngestSummary:
    """What a load did; every number counts committed rows only."""

    stored: int = 0
    unchanged: int = 0
    updated: int = 0
    rejected: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "stored": self.stored,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "rejected": self.rejected,
        }


class RecordSource(Protocol):
    """Records to load, as `synthwatch.service.record.RecordReader` gives them."""

    @property
    def header(self) -> list[str] | None: ...
    @property
    def bytes_read(self) -> int: ...
    @property
    def warnings(self) -> list[RecordProblem]: ...
    def __iter__(self) -> Iterator[Record | RecordProblem]: ...


@dataclass(frozen=True, slots=True)
class _Pending:
    line: int
    member: str
    report: Report
    content_hash: str


def _noop(_: Any) -> None:
    return None


class ReportIngest:
    """One load of one file into the node."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        member: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_reject: Callable[[Rejection], None] = _noop,
        on_warning: Callable[[IngestWarning], None] = _noop,
        on_progress: Callable[[int], None] = _noop,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._uow_factory = uow_factory
        self._member = member
        self._batch_size = max(1, batch_size)
        self._on_reject = on_reject
        self._on_warning = on_warning
        self._on_progress = on_progress
        self._clock = clock
        self.summary = IngestSummary()
        self.rows_read = 0
        self._warned_keys: set[str] = set()

    def run(self, reader: RecordSource, fmt: RecordFormat) -> IngestSummary:
        """Load every record of `reader`.

        Raises:
            DatabaseError: a batch could not be stored; earlier batches stay stored and counted.
            NotFound: `member` names no member of this node.
        """
        with self._uow_factory() as uow:
            members = {m.name for m in uow.members.list()}
            groups = uow.groups.names()
        if self._member is not None and self._member not in members:
            raise NotFound(
                f"unknown member {self._member!r}: create it with `synthwatch admin create-member`"
            )
        self._members, self._groups = members, groups
        batch: list[_Pending] = []
        layout: CsvLayout | None = None
        for item in reader:
            self.rows_read += 1
            if layout is None and reader.header is not None:
                layout = CsvLayout(reader.header)
                for column in unknown_csv_columns(reader.header):
                    self._on_warning(IngestWarning(1, f"unknown column {column!r} ignored"))
            if isinstance(item, RecordProblem):
                self._reject(item.line, [FieldProblem(item.field, item.reason)], item.raw)
                continue
            pending = self._validate(item, layout)
            if pending is not None:
                batch.append(pending)
                if len(batch) >= self._batch_size:
                    self._flush(batch)
                    batch = []
                    self._on_progress(reader.bytes_read)
        for warning in reader.warnings:
            self._on_warning(IngestWarning(warning.line, warning.reason))
        if self.rows_read == 0:
            if fmt is RecordFormat.CSV and reader.header is None:
                raise EmptyInput("the file is empty")
            self._on_warning(IngestWarning(1, "no rows to load"))
        self._flush(batch)
        self._on_progress(reader.bytes_read)
        return self.summary

    def _reject(self, line: int, problems: list[FieldProblem], raw: str) -> None:
        self.summary.rejected += 1
        self._on_reject(Rejection(line, tuple(problems), raw))

    def _validate(self, record: Record, layout: CsvLayout | None) -> _Pending | None:
        if layout is not None:
            form, problems = layout.to_form(record.fields)
        else:
            form, unknown = from_json_object(record.fields)
            problems = []
            for key in unknown:
                if key not in self._warned_keys:
                    self._warned_keys.add(key)
                    self._on_warning(IngestWarning(record.line, f"unknown field {key!r} ignored"))
        member = self._owner(form, problems)
        try:
            report = parse_report(form.document)
        except InvalidReport as error:
            problems += [
                FieldProblem(form.to_user_field(p.field), p.reason) for p in error.problems
            ]
            report = None
        if report is not None:
            problems += self._check_references(report, form)
        if problems or report is None or member is None:
            self._reject(record.line, problems, record.raw)
            return None
        return _Pending(record.line, member, report, to_content_hash(report))

    def _owner(self, form: ReportForm, problems: list[FieldProblem]) -> str | None:
        named = form.member.strip() if form.member else None
        if self._member is not None:
            if named and named != self._member:
                problems.append(
                    FieldProblem("member", f"row is for {named!r} but --member is {self._member!r}")
                )
                return None
            return self._member
        if not named:
            problems.append(FieldProblem("member", "required (give --member or a member column)"))
            return None
        if named not in self._members:
            problems.append(FieldProblem("member", f"unknown member {named!r}"))
            return None
        return named

    def _check_references(self, report: Report, form: ReportForm) -> list[FieldProblem]:
        problems = []
        for name in report.marking.recipients:
            if name not in self._members:
                problems.append(
                    FieldProblem(
                        form.to_user_field("marking.recipients"), f"unknown member {name!r}"
                    )
                )
        group = report.marking.sharing_group
        if group is not None and group not in self._groups:
            problems.append(
                FieldProblem(
                    form.to_user_field("marking.sharing_group"), f"unknown sharing group {group!r}"
                )
            )
        return problems

    def _flush(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        counts = IngestSummary()
        recorded_at = self._clock()
        with self._uow_factory() as uow:
            by_member: dict[str, list[_Pending]] = {}
            for row in batch:
                by_member.setdefault(row.member, []).append(row)
            for member, rows in by_member.items():
                state: dict[str, CurrentVersion] = uow.reports.current_versions(
                    member, [r.report.external_id for r in rows]
                )
                first_line: dict[str, int] = {}
                writes: list[ReportWrite] = []
                for row in rows:
                    external_id = row.report.external_id
                    if external_id in first_line:
                        self._on_warning(
                            IngestWarning(
                                row.line,
                                f"external_id {external_id!r} repeats line {first_line[external_id]}",
                            )
                        )
                    else:
                        first_line[external_id] = row.line
                    current = state.get(external_id)
                    if current is not None and current.content_hash == row.content_hash:
                        counts.unchanged += 1
                        continue
                    if current is None:
                        report_id, version = new_report_id(), 1
                        counts.stored += 1
                    else:
                        report_id, version = current.report_id, current.version + 1
                        counts.updated += 1
                    writes.append(
                        ReportWrite(report_id, external_id, version, row.content_hash, row.report)
                    )
                    state[external_id] = CurrentVersion(report_id, version, row.content_hash)
                uow.reports.write(member, writes, recorded_at)
            uow.commit()
        self.summary.stored += counts.stored
        self.summary.unchanged += counts.unchanged
        self.summary.updated += counts.updated
