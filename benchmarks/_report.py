"""Printing a benchmark's markdown report and writing it to ``--out``."""

from __future__ import annotations

from pathlib import Path

from provenance.fsutil import atomic_write_text


def publish(lines: list[str], out: str | Path | None) -> int:
    """Print the report made of ``lines`` and, when ``out`` is given, write it there whole; exit status 0."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        atomic_write_text(out, text)
    return 0
