"""The documented interfaces exist as documented: commands, options, the quick start, the examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from synthwatch.cli.app import app

ROOT = Path(__file__).resolve().parents[2]

# The commands and options of the public interface that this version provides.
DOCUMENTED = {
    ("demo",): {"--port", "--no-serve"},
    ("db", "upgrade"): set(),
    ("admin", "create-member"): {"--country", "--kind"},
    ("admin", "create-key"): {"--member", "--role"},
    ("admin", "list-members"): set(),
    ("ingest",): {"--member", "--rejects", "--json"},
    ("export",): {"--member", "--output"},
    ("chem", "classify"): {"--input", "--output"},
    ("chem", "sources"): set(),
}


def _command(path: tuple[str, ...]) -> typer.core.TyperCommand | typer.core.TyperGroup:
    command = typer.main.get_command(app)
    for name in path:
        assert isinstance(command, typer.core.TyperGroup), f"{name} has no sub-commands"
        command = command.commands[name]
    return command


@pytest.mark.parametrize(("path", "options"), sorted(DOCUMENTED.items()))
def test_documented_command_has_its_options(path: tuple[str, ...], options: set[str]) -> None:
    command = _command(path)
    declared = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert options <= declared, f"synthwatch {' '.join(path)} lacks {options - declared}"


def test_every_command_takes_the_database_url() -> None:
    root = typer.main.get_command(app)
    assert "--database-url" in {opt for p in root.params for opt in getattr(p, "opts", [])}


def test_readme_quick_start_is_exactly_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).split("\n")[:-1] == ["make demo", "make test"]


def test_readme_names_only_commands_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    for words in re.findall(
        r"`(?:synthwatch )?((?:admin|db|chem) [a-z-]+|ingest|export|demo)\b", readme
    ):
        path = tuple(words.split())
        _command(path)  # raises KeyError for a command the README invents


def test_makefile_has_every_documented_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    assert {"install", "demo", "test", "lint", "typecheck", "check", "bench", "docs"} <= targets
