"""Shingling: the sets of word or character n-grams that MinHash sketches.

Shingles are taken from text that is already normalized
(:func:`provenance.normalize.normalize_text`); this module only lowercases
and tokenizes. Word shingles are n-grams of ``\\w+`` tokens joined by one
space, so punctuation and spacing differences do not change them.
"""

from __future__ import annotations

import re

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


__all__ = ["KINDS", "check_shingling", "shingles", "words"]
