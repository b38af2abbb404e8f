"""Shared helpers for record-oriented formats (JSONL, CSV): fields, ids, dates."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Mapping

from ..io import title_of
from ..records import Document
from . import RecordOptions

#: Unambiguous date layouts accepted besides ISO 8601 (day/month order is never guessed).
_DATE_FORMATS = (
    "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y",
    "%B %d %Y", "%b %d %Y", "%a, %d %b %Y %H:%M:%S %Z", "%a, %d %b %Y %H:%M:%S %z",
)
_META_MAX = 300
#: Fields taken as the record's title, first present wins (else the text's first line).
_TITLE_FIELDS = ("title", "headline", "Title", "Headline")


def iso_date(value: Any) -> str | None:
    """A date value as ISO 8601 ``YYYY-MM-DD``, or ``None`` when it is not an unambiguous date.

    Examples
    --------
    >>> iso_date("2022-06-15T10:00:00Z"), iso_date("June 15, 2022"), iso_date("06/07/2022")
    ('2022-06-15', '2022-06-15', None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):  # Unix seconds (or milliseconds)
        secs = float(value) / (1000.0 if abs(value) > 1e11 else 1.0)
        try:
            return _dt.datetime.fromtimestamp(secs, tz=_dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    if not s:
        return None
    try:
        return _dt.datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{2}", s) or re.fullmatch(r"\d{4}", s):
        return s  # reduced-precision ISO 8601 (year-month, year)
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def get_field(record: Mapping[str, Any], name: str) -> Any:
    """``record[name]``, or a dotted path into nested objects (``"meta.date"``); ``None`` if absent."""
    if name in record:
        return record[name]
    cur: Any = record
    for part in name.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def record_document(record: Mapping[str, Any], *, path: str, stem: str, number: int,
                    opts: RecordOptions, what: str) -> tuple[Document | None, str | None]:
    """One record as a Document, or ``(None, reason)`` when it has no usable text.

    ``what`` names the position for messages and default ids (``"line"`` or ``"row"``).
    """
    text = get_field(record, opts.text_field)
    if text is None:
        return None, f"{what} {number}: no {opts.text_field!r} field (choose one with --text-field)"
    if not isinstance(text, str):
        return None, f"{what} {number}: field {opts.text_field!r} is not text"
    if not text.strip():
        return None, f"{what} {number}: empty text"
    doc_id = f"{stem}:{number}"
    if opts.id_field:
        raw_id = get_field(record, opts.id_field)
        if raw_id is not None and str(raw_id).strip():
            doc_id = " ".join(str(raw_id).split())
    meta: dict[str, str] = {"format": {"line": "jsonl", "row": "csv"}[what], what: str(number)}
    date = None
    if opts.date_field:
        raw_date = get_field(record, opts.date_field)
        date = iso_date(raw_date)
        if raw_date is not None and date is None:
            meta["date_unparsed"] = str(raw_date)[:_META_MAX]
    title_key = next((k for k in _TITLE_FIELDS if isinstance(record.get(k), str) and record[k].strip()), None)
    title = record[title_key] if title_key else None
    for key, value in record.items():
        if key in (opts.text_field, opts.id_field, opts.date_field, title_key) or key is None:
            continue
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            meta.setdefault(str(key), str(value)[:_META_MAX])
    return Document(id=doc_id, path=path, raw=text, title=(title.strip()[:_META_MAX] if title else title_of(text)),
                    date=date, meta=tuple(sorted(meta.items()))), None
