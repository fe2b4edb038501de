"""Errors copydesk reports to people, each with the exit code the CLI uses.

Exit codes (documented in docs/cli.md): 0 success; 1 the analysis completed but
some document or analyzer failed; 2 a usage, configuration or input error;
130 interrupted (Ctrl-C or SIGTERM), with the completed documents written.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM: what was completed is written


class CopydeskError(Exception):
    """An error with a one-line, user-facing message."""

    exit_code = EXIT_USAGE


class ConfigError(CopydeskError):
    """A configuration file, ``--set`` option or analyzer setting is wrong."""


class SelectionError(CopydeskError):
    """The selected analyzers cannot run together (unknown, missing dependency, cycle)."""


class ModelNotFoundError(CopydeskError):
    """No usable spaCy pipeline is installed."""


class PluginError(CopydeskError):
    """Plugins disagree in a way the run cannot resolve (e.g. a duplicate name)."""


@dataclass(frozen=True)
class InputError:
    """One document that could not be read: where it came from and what is wrong.

    Readers yield these in place of documents, so one bad line or file is
    reported while the rest of a batch goes on.
    """

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class InputNotice(InputError):
    """Something skipped on purpose while reading (e.g. a web archive's images).

    Reported on one line like an input error, but not counted as one: the run's
    exit status does not change.
    """
