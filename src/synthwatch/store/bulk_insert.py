"""Fast multi-row INSERTs: one statement compiled per table and dialect, rows as plain tuples.

Ingest writes hundreds of thousands of rows; SQLAlchemy's per-row parameter processing cost more
than the database itself. Here the SQL is built once, date/time values pass through the same
converters SQLAlchemy uses (so its reads see what it would have written), and JSON columns take
text already serialised by pydantic (cast to jsonb on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Date, DateTime, Table


class BulkInsert:
    """An INSERT of `columns` into `table` for one connection's dialect."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
        values = []
        self._converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, name in enumerate(columns):
            column_type = table.c[name].type
            if isinstance(column_type, JSON) and dialect.name == "postgresql":
                values.append(f"{placeholder}::jsonb")
            else:
                values.append(placeholder)
            if isinstance(column_type, Date | DateTime):
                convert = column_type.bind_processor(dialect)
                if convert is not None:
                    self._converters.append((index, convert))
        quote = dialect.identifier_preparer.quote
        # Identifiers come from our own schema, quoted by the dialect; values are bound parameters.
        names = ", ".join(quote(c) for c in columns)
        self._sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join(values)})"  # noqa: S608
        self._connection = connection

    def execute(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._converters:
            converted = []
            for row in rows:
                items = list(row)
                for index, convert in self._converters:
                    if items[index] is not None:
                        items[index] = convert(items[index])
                converted.append(tuple(items))
            rows = converted
        self._connection.exec_driver_sql(self._sql, list(rows))
