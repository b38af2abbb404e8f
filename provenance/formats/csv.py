"""CSV and TSV exports: a header row, then one document per row."""

from __future__ import annotations

import csv as _csv
import io
import sys
from pathlib import Path

from ..errors import InputError
from . import FileResult, RecordOptions
from ._records import record_document


def _dialect(path: Path, text: str) -> type[_csv.Dialect]:
    """Excel quoting rules with the header's delimiter (``,``, ``;``, tab or ``|``; tab for ``.tsv``).

    The delimiter is the candidate that occurs most often in the header line,
    which is robust to ragged rows below it; the csv Sniffer decides only
    when the header has none of them.
    """
    if path.suffix.lower() == ".tsv":
        return _csv.excel_tab
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in ",;\t|"}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    if counts[delimiter] == 0:
        try:
            delimiter = _csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
        except _csv.Error:
            return _csv.excel
    return type("HeaderDialect", (_csv.excel,), {"delimiter": delimiter})


def read(path: Path, text: str, opts: RecordOptions) -> FileResult:
    """Documents from the decoded text of a CSV/TSV file.

    The delimiter is sniffed (``,``, ``;``, tab, ``|``; tab for ``.tsv``).
    Ids default to ``<file stem>:<row number>``, counting rows as a
    spreadsheet does (the header is row 1, the first record row 2).

    Raises
    ------
    InputError
        If there is no header or the text column is missing.
    """
    _csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = _csv.reader(io.StringIO(text, newline=""), _dialect(path, text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "empty CSV file") from None
    except _csv.Error as exc:
        raise InputError(path, f"malformed CSV header ({exc})") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if opts.text_field not in header:
        cols = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        raise InputError(path, f"no {opts.text_field!r} column (columns: {cols}); choose one with --text-field")
    docs, skipped = [], []
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except _csv.Error as exc:
            skipped.append((str(path), f"row {row_number + 1} and after: malformed CSV ({exc})"))
            break
        row_number += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            skipped.append((str(path), f"row {row_number}: {len(row)} fields, header has {len(header)}"))
            continue
        doc, why = record_document(dict(zip(header, row)), path=str(path), stem=path.stem,
                                   number=row_number, opts=opts, what="row")
        if doc is None:
            skipped.append((str(path), why or "unusable row"))
        else:
            docs.append(doc)
    return FileResult(docs, skipped)
