"""Handing a member its own reports back, exactly as they would be loaded again."""

from __future__ import annotations

from collections.abc import Iterator

from synthwatch.domain.report import StoredReport
from synthwatch.service.ports import UnitOfWorkFactory

PAGE_SIZE = 1000


def iter_member_reports(
    uow_factory: UnitOfWorkFactory, member: str, *, page_size: int = PAGE_SIZE
) -> Iterator[StoredReport]:
    """Yield the current version of every report `member` owns, oldest first, page by page.

    One read transaction covers the whole export, so it is a consistent snapshot; memory holds one
    page at a time.

    Raises:
        NotFound: no member of that name.
    """
    with uow_factory() as uow:
        uow.members.get(member)
        after: str | None = None
        while True:
            page = uow.reports.page(member, after, page_size)
            yield from page
            if len(page) < page_size:
                return
            after = page[-1].id
