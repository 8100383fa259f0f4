"""The project's own errors: one-line, user-facing messages.

Library code raises these (``from`` the library exception it caught); ``kg.cli`` turns them
into ``Error: ...`` on stderr and an exit code in exactly one place.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class: a problem the user can act on. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(KgError):
    """An input file (or store, or endpoint) cannot be read: missing, malformed, hostile."""


class UsageError(KgError):
    """The command was called wrongly: an unknown name, a missing parameter, a bad option value."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query cannot be parsed or run."""


class OutputError(KgError):
    """An output cannot be written (a full or read-only disk, no permission); nothing was changed."""


class ResourceLimitError(KgError):
    """The work needed more memory (or other resource) than it is allowed."""


class NotConformingError(KgError):
    """The command ran but the data does not conform / a check failed (exit 3)."""

    exit_code = 3


def syntax_error(path: object, detail: str, line: int | None = None, column: int | None = None) -> InputError:
    """Build the one-line message for a malformed file: ``FILE:LINE:COL: what is wrong``."""
    where = str(path)
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    detail = " ".join(str(detail).split())
    return InputError(f"{where}: {detail}")
