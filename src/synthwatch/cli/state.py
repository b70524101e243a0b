"""What every command shares: the settings from flags and environment, and the store they open."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthwatch.settings import Settings
from synthwatch.store.unit_of_work import SqlUnitOfWorkFactory, open_store


@dataclass(slots=True)
class CliState:
    settings: Settings
    _store: SqlUnitOfWorkFactory | None = field(default=None, init=False)

    def store(self, *, database_url: str | None = None) -> SqlUnitOfWorkFactory:
        """Open the node's database, creating its schema if it is empty."""
        if self._store is None:
            self._store = open_store(database_url or self.settings.resolved_database_url())
        return self._store
