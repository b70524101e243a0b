"""Settings, built once by an edge (CLI, server) from flags and `SYNTHWATCH_*` variables."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """An SQLite file in the user's data directory (e.g. ~/.local/share/synthwatch/synthwatch.db)."""
    return f"sqlite:///{Path(user_data_dir('synthwatch', appauthor=False)) / 'synthwatch.db'}"


class Settings(BaseSettings):
    """Where the node keeps its data and how it serves."""

    model_config = SettingsConfigDict(env_prefix="SYNTHWATCH_", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()
