"""Building the demo node: the trilateral members, a sharing group, and the real public series."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from synthwatch.demo.scenario import DEMO_MEMBERS, demo_reports
from synthwatch.errors import AlreadyExists
from synthwatch.service.admin import create_member, create_sharing_group
from synthwatch.service.ingest import IngestSummary, Rejection, ReportIngest
from synthwatch.service.ports import UnitOfWorkFactory
from synthwatch.service.record import Record, RecordFormat, RecordProblem

TRILATERAL_GROUP = "Trilateral"


@dataclass(slots=True)
class DemoSummary:
    members: int
    reports: IngestSummary
    by_kind: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)


class _DemoRecords:
    """The bundled series as records, so they take the same road as a member's file."""

    def __init__(self, limit_per_source: int | None) -> None:
        self._limit = limit_per_source
        self.header: list[str] | None = None
        self.bytes_read = 0
        self.warnings: list[RecordProblem] = []
        self.by_kind: Counter[str] = Counter()

    def __iter__(self) -> Iterator[Record | RecordProblem]:
        for number, (member, report) in enumerate(demo_reports(limit_per_source=self._limit), 1):
            self.by_kind[str(report["kind"])] += 1
            fields: dict[str, object] = {"member": member, **report}
            yield Record(line=number, fields=fields, raw=json.dumps(fields, ensure_ascii=False))


def build_demo(
    uow_factory: UnitOfWorkFactory, *, limit_per_source: int | None = None
) -> DemoSummary:
    """Create (or top up) the demo node; running it again adds nothing."""
    with uow_factory() as uow:
        existing = {m.name for m in uow.members.list()}
        groups = uow.groups.names()
    for member in DEMO_MEMBERS:
        if member.name not in existing:
            create_member(uow_factory, member.name, member.country, member.kind)
    if TRILATERAL_GROUP not in groups:
        with contextlib.suppress(AlreadyExists):  # another process made it meanwhile
            create_sharing_group(
                uow_factory,
                TRILATERAL_GROUP,
                [m.name for m in DEMO_MEMBERS if m.country in ("US", "MX", "CA")],
            )
    rejections: list[Rejection] = []
    records = _DemoRecords(limit_per_source)
    job = ReportIngest(uow_factory, on_reject=rejections.append)
    summary = job.run(records, RecordFormat.JSON)
    return DemoSummary(len(DEMO_MEMBERS), summary, records.by_kind, rejections)
