"""Every failure synthwatch reports on purpose, as one hierarchy.

    SynthwatchError                 anything synthwatch refuses, with a message a user can act on
    ├── InvalidInput                input that breaks a rule; carries FieldProblems (field + reason)
    │   └── InvalidReport           a report that fails validation
    ├── InputFileError              a file that cannot be read at all (missing, unreadable, not a format we know)
    │   └── EmptyInput              a file with nothing in it
    ├── NotFound                    a member, key, report ... that does not exist (or may not be seen)
    ├── AlreadyExists               a name that must be unique is taken
    ├── ChemistryError              a substance that cannot be identified as given (unparseable
    │                               structure, unknown name, bad CAS check digit, too large ...)
    ├── ConfigurationError          settings that cannot work (bad database URL, ...)
    └── DatabaseError               the database cannot be used as it is
        └── SchemaOutdated          the database needs `synthwatch db upgrade`

Each edge translates these once: the CLI to exit codes, the API to HTTP statuses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One broken rule: the field it concerns (dotted path, or None for the whole record) and why."""

    field: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}" if self.field else self.reason


class SynthwatchError(Exception):
    """Anything synthwatch refuses, with a message a user can act on."""


class InvalidInput(SynthwatchError):
    """Input that breaks one or more rules; each problem names its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class InvalidReport(InvalidInput):
    """A report that fails validation."""


class InputFileError(SynthwatchError):
    """A file that cannot be read at all."""


class EmptyInput(InputFileError):
    """A file with nothing in it, not even a header."""


class NotFound(SynthwatchError):
    """Something asked for does not exist, or may not be seen by the caller."""


class AlreadyExists(SynthwatchError):
    """A name that must be unique is already taken."""


class ChemistryError(SynthwatchError):
    """A substance that cannot be identified as given; the message is the reason."""


class ConfigurationError(SynthwatchError):
    """Settings that cannot work."""


class DatabaseError(SynthwatchError):
    """The database cannot be used as it is."""


class SchemaOutdated(DatabaseError):
    """The database schema is older than this version of synthwatch."""
