"""Input formats: which reader handles a file, chosen by suffix and content.

Each reader module turns the bytes of one file into zero or more
:class:`~provenance.records.Document` objects plus per-record problems:

* :mod:`.html` -- saved web pages; the main text via trafilatura (extra ``html``),
* :mod:`.jsonl` -- JSON Lines exports, one document per record,
* :mod:`.csv` -- CSV/TSV exports, one document per row,
* :mod:`.warc` -- WARC / WARC.gz crawls, HTML responses only (extra ``warc``),
* plain text (``.txt``, ``.md``), read by :mod:`provenance.io`.

Readers raise :class:`~provenance.errors.InputError` for a file that cannot
be used at all and return ``(path, problem)`` pairs for records skipped.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..records import Document

#: Suffix -> format, for folder walks and for explicit files.
SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "text", ".md": "text", ".text": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".warc.gz": "warc",
}
FORMATS = ("text", "html", "jsonl", "csv", "warc")


@dataclass(frozen=True)
class RecordOptions:
    """How to read record-oriented inputs (JSONL, CSV).

    Attributes
    ----------
    id_field : field holding a record id; ``None`` gives ``<file stem>:<line or row number>``.
    text_field : field holding the text.
    date_field : field holding a publication date (normalized to ISO 8601).
    """

    id_field: str | None = None
    text_field: str = "text"
    date_field: str | None = None


@dataclass
class FileResult:
    """What one file yielded: documents, and records skipped with a reason."""

    documents: list[Document]
    skipped: list[tuple[str, str]]


def suffix_format(path: Path) -> str | None:
    """The format implied by the file name, or ``None`` for an unknown suffix."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return SUFFIX_FORMATS.get(path.suffix.lower())


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes of a file look like, or ``None`` when unsure.

    Examples
    --------
    >>> sniff_format(b"<!DOCTYPE html><html>")
    'html'
    >>> sniff_format(b'{"text": "a"}\\n{"text": "b"}\\n')
    'jsonl'
    >>> sniff_format(b"WARC/1.0\\r\\nWARC-Type: warcinfo")
    'warc'
    """
    if head[:2] == b"\x1f\x8b":  # gzip: a compressed WARC?
        try:
            inner = _gunzip_head(head)
        except zlib.error:
            return None
        return "warc" if inner.startswith(b"WARC/") else None
    if head.startswith(b"WARC/"):
        return "warc"
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            if bom != b"\xef\xbb\xbf":
                try:
                    head = head.decode("utf-16").encode("utf-8")
                except UnicodeDecodeError:
                    return None
            else:
                head = head[3:]
            break
    start = head.lstrip()[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")) or (
        start.startswith((b"<?xml", b"<!--")) and b"<html" in start
    ):
        return "html"
    if start.startswith(b"{"):
        line = head.lstrip().split(b"\n", 1)[0]
        try:
            return "jsonl" if isinstance(json.loads(line), dict) else None
        except (ValueError, RecursionError):  # also a first line cut short by the head's length
            return None
    return None


def _gunzip_head(data: bytes, n: int = 16) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return d.decompress(data, n)


def choose_format(path: Path, head: bytes) -> str:
    """Format of a file: content wins where it is unambiguous, else the suffix, else text.

    A ``.txt`` file that is really a saved web page is read as HTML; a
    gzip-compressed WARC is recognized whatever its name.
    """
    by_suffix = suffix_format(path)
    sniffed = sniff_format(head)
    if sniffed == "warc" or (sniffed == "html" and by_suffix in (None, "text")):
        return sniffed
    if by_suffix is not None:
        return by_suffix
    return sniffed or "text"


__all__ = ["FORMATS", "FileResult", "RecordOptions", "SUFFIX_FORMATS", "choose_format",
           "sniff_format", "suffix_format"]
