"""Web crawls: WARC and WARC.gz files via warcio (extra ``warc``); HTML responses only.

Each ``response`` record with a 2xx HTTP status and an HTML content type
becomes a document (main text via :mod:`provenance.formats.html`). Requests,
metadata, images and other non-HTML records are passed over silently;
HTML responses without main text are reported as skipped.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from ..errors import InputError, MissingExtraError
from ..records import Document
from . import FileResult
from .html import decode_html, extract

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _warcio():
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise MissingExtraError("warcio", "warc") from None
    return ArchiveIterator, ArchiveLoadFailed


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


def read(path: Path, data: bytes) -> FileResult:
    """Documents from the bytes of a WARC or WARC.gz file.

    Ids are ``<file stem>:<n>``, n counting the HTML responses from 1 in file
    order; the record's URL is in ``meta["url"]`` and its crawl time in
    ``meta["crawl_date"]``.
    """
    from . import sniff_format

    if sniff_format(data[:4096]) != "warc":
        raise InputError(path, "not a WARC file (no WARC/1.x record header)")
    ArchiveIterator, ArchiveLoadFailed = _warcio()
    stem = path.name[: -len(".warc.gz")] if path.name.lower().endswith(".warc.gz") else path.stem
    # warcio writes warnings about damaged records straight to sys.stderr; the library stays quiet
    with contextlib.redirect_stderr(io.StringIO()):
        return _read_records(path, data, stem, ArchiveIterator, ArchiveLoadFailed)


def _read_records(path: Path, data: bytes, stem: str, ArchiveIterator, ArchiveLoadFailed) -> FileResult:
    docs: list[Document] = []
    skipped: list[tuple[str, str]] = []
    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode() or ""
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if not status.startswith("2") or not ctype.split(";")[0].strip() in _HTML_TYPES:
                continue
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            body = record.content_stream().read()
            cs = _charset(ctype)
            html = None
            if cs:
                try:
                    html = body.decode(cs)
                except (LookupError, UnicodeDecodeError):
                    html = None
            try:
                if html is None:
                    html = decode_html(body, f"{path}#{uri}")
                extra = {"format": "warc"}
                if rd := record.rec_headers.get_header("WARC-Date"):
                    extra["crawl_date"] = rd
                docs.append(extract(html, path=str(path), doc_id=f"{stem}:{n}", url=uri or None, extra_meta=extra))
            except InputError as exc:
                skipped.append((str(path), f"record {n} ({uri or 'no URL'}): {exc.problem}"))
    except ArchiveLoadFailed as exc:
        msg = " ".join(str(exc).split())[:200]
        if not docs and not skipped:
            raise InputError(path, f"not a readable WARC file ({msg})") from None
        skipped.append((str(path), f"after record {n}: unreadable WARC data ({msg})"))
    except Exception as exc:  # noqa: BLE001 -- warcio fails in many ways on damaged input
        msg = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        if not docs and not skipped:
            raise InputError(path, f"not a readable WARC file ({msg})") from None
        skipped.append((str(path), f"after record {n}: truncated or corrupt WARC data ({msg})"))
    return FileResult(docs, skipped)
