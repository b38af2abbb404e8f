"""Saved web pages: the article's main text and metadata, via trafilatura (extra ``html``).

Navigation, footers, comments, scripts and styles are dropped. The
document's ``raw`` is the extracted main text (all offsets index it); the
original file stays in ``path``. Title, date (ISO 8601) and author come
from the page metadata when it has them.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError, MissingExtraError
from ..io import decode_bytes, title_of
from ..records import Document

#: Pages whose extracted text is shorter than this many words have no main text.
MIN_WORDS = 4

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _trafilatura():
    try:
        import trafilatura
    except ImportError as exc:  # trafilatura itself, or lxml's split-off html.clean
        raise MissingExtraError(getattr(exc, "name", None) or "trafilatura", "html") from None
    return trafilatura


def decode_html(data: bytes, path: object = "<bytes>") -> str:
    """Decode page bytes: a BOM, else the ``<meta charset>`` declaration, else :func:`decode_bytes`.

    Examples
    --------
    >>> decode_html('<meta charset="windows-1252"><p>café</p>'.encode("cp1252"))[-11:]
    '<p>café</p>'
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data, path)
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            enc = None
        if enc and "utf-16" not in enc and "utf-32" not in enc:
            if enc in ("latin-1", "iso8859-1", "ascii"):  # browsers read these labels as cp1252
                enc = "cp1252"
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                pass
    return decode_bytes(data, path)


def extract(html: str, *, path: str, doc_id: str, url: str | None = None,
            extra_meta: dict[str, str] | None = None) -> Document:
    """The main text of one HTML page as a :class:`Document`.

    Raises
    ------
    InputError
        If the page has no extractable main text.
    MissingExtraError
        If trafilatura is not installed.
    """
    traf = _trafilatura()
    try:
        result = traf.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except RecursionError:
        raise InputError(path, "HTML too deeply nested to extract") from None
    except Exception as exc:  # noqa: BLE001 -- a parser failure on one page must not stop the run
        raise InputError(path, f"HTML extraction failed ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if len(text.split()) < MIN_WORDS:  # nothing, or a stray menu label
        raise InputError(path, "no main text found in the HTML page")
    title = (getattr(result, "title", None) or "").strip() or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # the headline is part of what was published
    meta = {"format": "html"}
    for key in ("author", "sitename", "url", "hostname", "description"):
        value = getattr(result, key, None)
        if isinstance(value, str) and value.strip():
            meta[key] = " ".join(value.split())[:300]
    if url and "url" not in meta:
        meta["url"] = url
    meta.update(extra_meta or {})
    date = getattr(result, "date", None) or None
    return Document(id=doc_id, path=path, raw=text, title=title or title_of(text), date=date,
                    meta=tuple(sorted(meta.items())))


def read(path: Path, data: bytes, doc_id: str) -> Document:
    """One saved page (the file's bytes) as a Document."""
    return extract(decode_html(data, path), path=str(path), doc_id=doc_id)
