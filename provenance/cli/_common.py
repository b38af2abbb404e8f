"""Shared CLI plumbing: library errors become one-line click errors."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from ..errors import ProvenanceError


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`ProvenanceError` and OS errors into ``ClickException`` (exit 1, no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProvenanceError as exc:
            raise click.ClickException(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None

    return wrapper


def warn(message: str) -> None:
    """One line on stderr."""
    click.echo(f"warning: {message}", err=True)
