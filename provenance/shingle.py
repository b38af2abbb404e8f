"""Shingling: the sets of word or character n-grams that MinHash sketches.

Shingles are taken from text that is already normalized
(:func:`provenance.normalize.normalize_text`); this module only lowercases
and tokenizes. Word shingles are n-grams of ``\\w+`` tokens joined by one
space, so punctuation and spacing differences do not change them.
"""

from __future__ import annotations

import re

import numpy as np

from .errors import ConfigError

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+", re.UNICODE)

#: Shingle kinds understood by :func:`shingles`.
KINDS = ("word", "char")


def check_shingling(kind: str, n: int) -> None:
    """Raise :class:`ConfigError` for an unknown kind or a non-positive ``n``."""
    if kind not in KINDS:
        raise ConfigError(f"shingle kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ConfigError(f"shingle size must be a positive integer, got {n!r}")


def words(text: str) -> list[str]:
    """Lowercased ``\\w+`` tokens of ``text``.

    Examples
    --------
    >>> words("The cat's hat, (sat).")
    ['the', 'cat', 's', 'hat', 'sat']
    """
    return _WORD.findall(text.lower())


def shingles(text: str, kind: str = "word", n: int = 5) -> set[str]:
    """The shingle set of already-normalized ``text``.

    Parameters
    ----------
    text : str
        Normalized text.
    kind : {"word", "char"}
        ``"word"``: n-grams of lowercased ``\\w+`` tokens joined by a space.
        ``"char"``: n-grams of characters of the lowercased text with runs of
        whitespace collapsed to one space.
    n : int
        Shingle length in tokens or characters. A text shorter than ``n``
        gives one shingle (the whole token sequence); an empty text gives
        the empty set.

    Returns
    -------
    set of str

    Examples
    --------
    >>> sorted(shingles("A b, c d", n=3))
    ['a b c', 'b c d']
    >>> sorted(shingles("Abcd", kind="char", n=3))
    ['abc', 'bcd']
    """
    check_shingling(kind, n)
    if kind == "word":
        toks = words(text)
        if not toks:
            return set()
        if len(toks) <= n:
            return {" ".join(toks)}
        # zip of shifted views + map(join) runs the n-gram loop in C.
        return set(map(" ".join, zip(*(toks[i:] for i in range(n)))))
    flat = _SPACES.sub(" ", text.lower()).strip()
    if not flat:
        return set()
    if len(flat) <= n:
        return {flat}
    return set(map("".join, zip(*(flat[i:] for i in range(n)))))


def shingle_spans(text: str, kind: str = "word", n: int = 5) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The shingles of :func:`shingles` as byte spans of one UTF-8 buffer.

    No string is built per shingle: ``{buf[a:b].decode() for a, b in
    zip(starts, ends)} == shingles(text, kind, n)`` (spans may repeat when a
    shingle occurs twice). This is what the compiled MinHash kernel reads.

    Returns
    -------
    buf : bytes
    starts, ends : ndarray of int64
    """
    check_shingling(kind, n)
    if kind == "word":
        toks = words(text)
        if not toks:
            return b"", _EMPTY, _EMPTY
        joined = " ".join(toks)
        buf = joined.encode("utf-8")
        if len(buf) == len(joined):
            tl = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        else:
            tl = np.fromiter(map(len, map(str.encode, toks)), dtype=np.int64, count=len(toks))
        if len(toks) <= n:
            return buf, np.zeros(1, np.int64), np.array([len(buf)], np.int64)
        ts = np.zeros(len(toks), dtype=np.int64)
        np.cumsum(tl[:-1] + 1, out=ts[1:])
        m = len(toks) - n + 1
        return buf, ts[:m], ts[n - 1:] + tl[n - 1:]
    flat = _SPACES.sub(" ", text.lower()).strip()
    if not flat:
        return b"", _EMPTY, _EMPTY
    buf = flat.encode("utf-8")
    if len(flat) <= n:
        return buf, np.zeros(1, np.int64), np.array([len(buf)], np.int64)
    m = len(flat) - n + 1
    if len(buf) == len(flat):
        starts = np.arange(m, dtype=np.int64)
        return buf, starts, starts + n
    cp = np.frombuffer(flat.encode("utf-32-le"), dtype="<u4")
    blen = 1 + (cp >= 0x80).astype(np.int64) + (cp >= 0x800) + (cp >= 0x10000)
    cb = np.zeros(len(cp) + 1, dtype=np.int64)
    np.cumsum(blen, out=cb[1:])
    return buf, cb[:m], cb[n:]


_EMPTY = np.zeros(0, dtype=np.int64)

__all__ = ["KINDS", "check_shingling", "shingle_spans", "shingles", "words"]
