"""One exception root for everything the library raises on purpose.

The library never prints or exits; the CLI turns these into one-line messages
(click ``ClickException``) and a non-zero exit status.
"""

from __future__ import annotations


class ProvenanceError(Exception):
    """Root of all errors raised by :mod:`provenance`."""


class InputError(ProvenanceError):
    """An input path or file cannot be used.

    The message always names the file and the problem, on one line.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ConfigError(ProvenanceError):
    """A parameter value is invalid or inconsistent with stored state."""


class MissingExtraError(ProvenanceError):
    """An optional dependency is needed; the message names the extra."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this feature needs the optional package {module!r}; "
            f"install it with: pip install 'provenance[{extra}]'"
        )
