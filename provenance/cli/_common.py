"""Shared CLI plumbing: library errors become one-line click errors."""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

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


def report_skipped(skipped: Sequence[tuple[str, str]], quiet: bool = False) -> None:
    """One warning line per skipped file or record, naming it, then the count (only the count if ``quiet``)."""
    if not quiet:
        for path, problem in skipped:
            warn(f"skipped {_printable(str(path))}: {_printable(problem)}")
    if skipped:
        warn(f"{len(skipped)} file(s) or record(s) skipped")


def _printable(s: str) -> str:
    """``s`` with line breaks and other control characters escaped, so it stays one line."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in s)


def max_bytes_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-bytes``: the per-file size cap (files over it are skipped, never read)."""
    from ..io import DEFAULT_MAX_BYTES

    return click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True,
                        type=click.IntRange(min=1),
                        help="Per-file size cap; larger files are skipped with a warning.")(func)


#: Signals without a side that the text summaries still show: evidence of copying a reader can check.
SHOWN_UNSIDED = ("shared_rare_error", "ordered_overlap")


def shown_signals(signals: Sequence[Any]) -> list[Any]:
    """The signals a text summary lists: those that favour a side, and ``SHOWN_UNSIDED`` ones."""
    return [s for s in signals if s.favours or s.name in SHOWN_UNSIDED]
