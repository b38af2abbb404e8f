"""Loading inputs: files and folders of plain text (.txt, .md).

Bytes are decoded without newline translation (``newline=''`` semantics) so
that character offsets match other tools that read the same file, such as the
PAN evaluation corpora.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError
from .records import Document

#: Suffixes read when walking a folder.
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
#: Default per-file size cap; raise it with ``max_bytes``.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class LoadResult:
    """Documents read, and the files skipped with the reason for each."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def decode_bytes(data: bytes, path: object = "<bytes>") -> str:
    """Decode file bytes: BOM-marked UTF-8/16/32, else UTF-8, else cp1252.

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
    return text


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


def read_text_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode one text file, with one-line errors naming the file."""
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
    text = decode_bytes(data, p)
    if not text.strip():
        raise InputError(p, "empty file (no text)")
    return text


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterable[tuple[Path, bool]]:
    """Yield ``(file, explicit)`` for each input, walking folders in sorted order.

    Hidden files and folders are skipped; symbolic links to folders are not
    followed (so a link loop cannot trap the walk).
    """
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
                    if f.suffix.lower() in TEXT_SUFFIXES:
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
) -> LoadResult:
    """Load documents from files and folders.

    Per-file problems are collected in ``LoadResult.skipped``; a missing
    path, or nothing readable at all, raises :class:`InputError`.

    Examples
    --------
    >>> res = load("seeds")  # doctest: +SKIP
    >>> [d.id for d in res.documents][:1]  # doctest: +SKIP
    ['000_36fff9277836d426']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    result = LoadResult()
    seen_ids: dict[str, int] = {}
    for f, _explicit in iter_files(paths):
        try:
            text = read_text_file(f, max_bytes=max_bytes)
        except InputError as exc:
            result.skipped.append((exc.path, exc.problem))
            continue
        doc_id = f.stem
        if doc_id in seen_ids:  # same stem in two folders: keep ids unique
            seen_ids[doc_id] += 1
            doc_id = f"{doc_id}~{seen_ids[doc_id]}"
        else:
            seen_ids[doc_id] = 0
        result.documents.append(Document(id=doc_id, path=str(f), raw=text, title=title_of(text)))
    if not result.documents:
        where = ", ".join(str(p) for p in paths)
        why = "; ".join(f"{p}: {m}" for p, m in result.skipped[:3]) or "no .txt or .md files"
        raise InputError(where, f"nothing readable ({why})")
    return result


def documents_from_texts(texts: dict[str, str] | Sequence[str]) -> list[Document]:
    """Wrap in-memory strings as documents (ids ``doc0``... for a sequence)."""
    items = texts.items() if isinstance(texts, dict) else ((f"doc{i}", t) for i, t in enumerate(texts))
    return [Document(id=str(k), path=f"<{k}>", raw=v, title=title_of(v)) for k, v in items]
