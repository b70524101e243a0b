# Fixture strategy: every test that touches a database gets a fresh one of each kind it is
# parametrised over — a new SQLite file in tmp_path, or a clean schema in a per-worker PostgreSQL
# database created for the session and dropped afterwards. PostgreSQL comes from
# SYNTHWATCH_TEST_POSTGRES_URL (default: the local server, trust auth, database `test`). When it
# cannot be reached, PostgreSQL tests FAIL with the reason; only SYNTHWATCH_TEST_POSTGRES=skip turns
# that into skips, which the summary then reports loudly.
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from synthwatch.store.database import open_engine
from synthwatch.store.migration import ensure_schema
from synthwatch.store.unit_of_work import SqlUnitOfWorkFactory

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_postgres_skips: list[str] = []


def _admin_url() -> str:
    return os.environ.get("SYNTHWATCH_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(scope="session")
def postgres_server_url(worker_id: str) -> Iterator[str]:
    """A PostgreSQL database of this test worker's own, created for the session."""
    admin_url = _admin_url()
    try:
        admin = open_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure to connect means the same thing here
        reason = f"PostgreSQL not reachable at {admin_url}: {error}"
        if os.environ.get("SYNTHWATCH_TEST_POSTGRES") == "skip":
            _postgres_skips.append(reason)
            pytest.skip(reason)
        pytest.fail(
            reason + " — start it (make postgres) or set SYNTHWATCH_TEST_POSTGRES=skip",
            pytrace=False,
        )
    name = f"synthwatch_test_{worker_id}_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(open_engine(admin_url).url).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """An empty database of each kind: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/node.db"
    url: str = request.getfixturevalue("postgres_server_url")
    engine = open_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[SqlUnitOfWorkFactory]:
    engine = open_engine(database_url)
    ensure_schema(engine)
    yield SqlUnitOfWorkFactory(engine)
    engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_skips:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS SKIPPED — NOT RUN", red=True, bold=True)
        terminalreporter.write_line(_postgres_skips[0], red=True)
