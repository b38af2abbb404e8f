"""JSON Lines exports: one JSON object per line, one document per object."""

from __future__ import annotations

import json
from pathlib import Path

from . import FileResult, RecordOptions
from ._records import record_document


def read(path: Path, text: str, opts: RecordOptions) -> FileResult:
    """Documents from the decoded text of a JSONL file.

    Blank lines are ignored; a line that is not a JSON object, or has no
    usable text, is skipped with ``(path, "line N: reason")``. Ids default to
    ``<file stem>:<line number>`` (1-based physical lines).
    """
    docs, skipped = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            skipped.append((str(path), f"line {number}: invalid JSON ({getattr(exc, 'msg', exc)})"))
            continue
        except RecursionError:
            skipped.append((str(path), f"line {number}: JSON nested too deeply"))
            continue
        if not isinstance(record, dict):
            skipped.append((str(path), f"line {number}: not a JSON object"))
            continue
        doc, why = record_document(record, path=str(path), stem=path.stem, number=number, opts=opts, what="line")
        if doc is None:
            skipped.append((str(path), why or "unusable record"))
        else:
            docs.append(doc)
    return FileResult(docs, skipped)
