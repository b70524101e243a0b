"""What every command shares: the settings from flags and environment, and the store they open."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthwatch.settings import Settings
from synthwatch.store.database import open_engine
from synthwatch.store.migration import ensure_schema
from synthwatch.store.unit_of_work import SqlUnitOfWorkFactory


@dataclass(slots=True)
class CliState:
    settings: Settings
    _store: SqlUnitOfWorkFactory | None = field(default=None, init=False)

    def store(self, *, database_url: str | None = None) -> SqlUnitOfWorkFactory:
        """Open the node's database, creating its schema if it is empty."""
        if self._store is None:
            engine = open_engine(database_url or self.settings.resolved_database_url())
            ensure_schema(engine)
            self._store = SqlUnitOfWorkFactory(engine)
        return self._store
