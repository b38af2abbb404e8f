"""Loading inputs: files and folders of text, web pages, JSONL/CSV exports and WARC crawls.

The reader of each file is chosen by suffix and content (see
:mod:`provenance.formats`). Plain-text bytes are decoded without newline translation (``newline=''`` semantics) so
that character offsets match other tools that read the same file, such as the
PAN evaluation corpora.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .errors import InputError
from .records import Document

if TYPE_CHECKING:
    from .formats import RecordOptions

#: Plain-text suffixes (all suffixes read in a folder walk: ``provenance.formats.SUFFIX_FORMATS``).
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
#: Default per-file size cap; raise it with ``max_bytes``.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class LoadResult:
    """Documents read, and the files skipped with the reason for each."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def decode_bytes(data: bytes, path: object = "<bytes>") -> str:
    """Decode file bytes: BOM-marked UTF-8/16/32, BOM-less UTF-16, UTF-8, else a legacy encoding.

    The legacy encoding is cp1252 (the most common mislabelled web
    encoding) unless the text is mostly non-ASCII, when charset-normalizer,
    if installed, identifies it (cp1251, cp1253, Shift-JIS...).

    Raises
    ------
    InputError
        If the bytes look binary (NUL bytes without a UTF-16/32 BOM).

    Examples
    --------
    >>> decode_bytes("café".encode("cp1252"))
    'café'
    """
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {enc} text ({exc.reason})") from None
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return bomless
    # A few stray NULs occur in real text (the PAN corpus has some); many mean binary.
    nuls = data.count(b"\x00")
    if nuls:
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return text16
    if nuls and (nuls > 0.01 * len(data) or b"\x00\x00" in data[:8192]):
        raise InputError(path, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy single-byte encodings: cp1252 is a superset of latin-1's
    # printable range and the most common mislabelled web encoding.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if _looks_binary(text):
        raise InputError(path, "binary file (not text in UTF-8 or cp1252)")
    return _non_western_legacy(data, text) or text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text without a BOM (as some Windows tools save it), recognized by its NUL pattern."""
    sample = data[:4096]
    if len(sample) < 16:
        return None
    pairs = len(sample) // 2
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    for enc, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.4 * pairs and other <= 0.02 * pairs:
            try:
                text = data[: len(data) - len(data) % 2].decode(enc)
            except UnicodeDecodeError:
                return None
            return None if _looks_binary(text) else text
    return None


def _non_western_legacy(data: bytes, cp1252_text: str) -> str | None:
    """A better decoding than cp1252 for non-Western legacy text (cp1251, Shift-JIS, cp1253...).

    Western European text is mostly ASCII, so cp1252 stands unless most of the
    letters came out non-ASCII; then charset-normalizer (installed with the
    ``html`` extra) picks the encoding. ``None`` keeps cp1252.
    """
    visible = [ch for ch in cp1252_text[:20000] if not ch.isspace()]
    if not visible or sum(1 for ch in visible if ord(ch) > 127) < 0.3 * len(visible):
        return None
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding in ("cp1252", "latin_1", "iso8859_15", "ascii"):
        return None
    return str(best)


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode BOM-less UTF-16 text: NULs on one byte parity only, and printable text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even == 0:
        enc = "utf-16-le"
    elif even > 0.6 * half and odd == 0:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return None if _looks_binary(text) else text


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return ctrl / len(sample) > 0.05


def read_file_bytes(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read one file's bytes, with one-line errors naming the file (size cap, unreadable)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(p, exc.strerror or "cannot read") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(p, "is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device could block or never end
        raise InputError(p, "not a regular file")
    size = st.st_size
    if size > max_bytes:
        raise InputError(p, f"file is {size} bytes, over the {max_bytes}-byte cap (raise it with --max-bytes)")
    try:
        with open(p, "rb") as fh:
            # Ask for the stated size, not the cap: a buffered read(n) allocates n bytes.
            data = fh.read(size + 1)
            if len(data) > size:  # grew since stat: read on, but never past the cap
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise InputError(p, exc.strerror or "cannot read") from None
    if len(data) > max_bytes:  # grew after stat: never hold more than the cap
        raise InputError(p, f"file is over the {max_bytes}-byte cap (raise it with --max-bytes)")
    return data


def read_text_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode one text file, with one-line errors naming the file."""
    p = Path(path)
    text = decode_bytes(read_file_bytes(p, max_bytes), p)
    if not text.strip():
        raise InputError(p, "empty file (no text)")
    return text


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterable[tuple[Path, bool]]:
    """Yield ``(file, explicit)`` for each input, walking folders in sorted order.

    Hidden files and folders are skipped; symbolic links to folders are not
    followed (so a link loop cannot trap the walk). In folders only files with
    a known suffix are read (``.txt``, ``.md``, ``.html``, ``.jsonl``,
    ``.csv``, ``.warc.gz``...); a file named explicitly is always read.
    """
    from .formats import suffix_format

    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            raise InputError(p, "no such file or directory")
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = Path(root) / name
                    if suffix_format(f) is not None:
                        yield f, False
        else:
            yield p, True


def title_of(text: str) -> str | None:
    """First non-empty line, trimmed to 300 characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:300]
    return None


def load(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_field: str | None = None,
    text_field: str = "text",
    date_field: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadResult:
    """Load documents from files and folders of any supported format.

    Parameters
    ----------
    paths : files and folders; folders are walked in sorted order.
    max_bytes : per-file size cap; larger files are skipped.
    id_field, text_field, date_field : fields of JSONL/CSV records holding the
        id (default ``<file stem>:<line/row number>``), the text, and the
        publication date (normalized to ISO 8601).
    progress : called as ``progress("load", files_done, 0)`` after each file.

    Per-file and per-record problems are collected in ``LoadResult.skipped``
    (one line each); a missing path, or nothing readable at all, raises
    :class:`InputError`; a needed optional package that is not installed
    raises :class:`~provenance.errors.MissingExtraError`.

    Examples
    --------
    >>> res = load("seeds")  # doctest: +SKIP
    >>> [d.id for d in res.documents][:1]  # doctest: +SKIP
    ['000_36fff9277836d426']
    """
    from .formats import RecordOptions

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    opts = RecordOptions(id_field=id_field, text_field=text_field, date_field=date_field)
    result = LoadResult()
    seen_ids: dict[str, int] = {}
    for k, (f, _explicit) in enumerate(iter_files(paths), start=1):
        try:
            docs, skipped = _load_file(f, max_bytes, opts)
        except InputError as exc:
            docs, skipped = [], [(exc.path, exc.problem)]
        result.skipped.extend(skipped)
        for doc in docs:
            if doc.id in seen_ids:  # same id twice (same stem in two folders...): keep ids unique
                seen_ids[doc.id] += 1
                doc = replace(doc, id=f"{doc.id}~{seen_ids[doc.id]}")
            else:
                seen_ids[doc.id] = 0
            result.documents.append(doc)
        if progress is not None:
            progress("load", k, 0)
    if not result.documents:
        where = ", ".join(str(p) for p in paths)
        why = "; ".join(f"{p}: {m}" for p, m in result.skipped[:3]) or "no supported files (.txt, .md, .html, .jsonl, .csv, .warc)"
        raise InputError(where, f"nothing readable ({why})")
    return result


def _load_file(f: Path, max_bytes: int, opts: "RecordOptions") -> tuple[list[Document], list[tuple[str, str]]]:
    """The documents of one file and its skipped records, by the file's format."""
    from .formats import choose_format

    data = read_file_bytes(f, max_bytes)
    fmt = choose_format(f, data[:4096])
    if fmt == "warc":
        from .formats import warc

        res = warc.read(f, data)
        if not res.documents and not res.skipped:
            raise InputError(f, "no HTML responses in the WARC file")
        return res.documents, res.skipped
    if fmt == "html":
        from .formats import html

        return [html.read(f, data, f.stem)], []
    text = decode_bytes(data, f)
    if not text.strip():
        raise InputError(f, "empty file (no text)")
    if fmt in ("jsonl", "csv"):
        from .formats import csv as csv_format, jsonl

        res = (jsonl if fmt == "jsonl" else csv_format).read(f, text, opts)
        if not res.documents and not res.skipped:
            raise InputError(f, "no records")
        return res.documents, res.skipped
    return [Document(id=f.stem, path=str(f), raw=text, title=title_of(text), meta=())], []


def documents_from_texts(texts: dict[str, str] | Sequence[str]) -> list[Document]:
    """Wrap in-memory strings as documents (ids ``doc0``... for a sequence)."""
    items = texts.items() if isinstance(texts, dict) else ((f"doc{i}", t) for i, t in enumerate(texts))
    return [Document(id=str(k), path=f"<{k}>", raw=v, title=title_of(v)) for k, v in items]
