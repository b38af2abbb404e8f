"""Boundary refinement: trim a passage's ends to where the shared wording is.

Passages are built from whole sentences, and neighbouring sentences that
only resemble the copied text (same topic, same names) often join a passage
at its edges. Refinement looks at words instead: a word of one side is
*matched* when the word n-gram it starts also occurs on the other side of the
passage. Each side is then cut to its maximum-scoring stretch of words
(matched word +1, unmatched word ``-penalty``; a one-dimensional local
alignment), so sporadic shared phrases in an over-extended edge cost more
than they bring, while a copy with a few changed words stays whole. A share
gate (``min_share``) restricts this to near-verbatim passages, and an
optional extension (``extend``) then grows both sides over identical words
just outside them. Used by the similarity-matrix aligners through their
``refine_*`` hyperparameters.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Alignment

_WORD = re.compile(r"\w+")


def _tokens(raw: str, start: int, end: int) -> list[tuple[int, int, str]]:
    # Pattern.finditer(string, pos, endpos) keeps offsets into ``raw``.
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(raw, start, end)]


def _best_segment(scores: list[float]) -> tuple[int, int] | None:
    """``(i, j)`` of the maximum-sum run ``scores[i:j + 1]``, or None if no run is positive."""
    best, best_ij = 0.0, None
    cur, cur_i = 0.0, 0
    for j, s in enumerate(scores):
        if cur <= 0:
            cur, cur_i = 0.0, j
        cur += s
        if cur > best:
            best, best_ij = cur, (cur_i, j)
    return best_ij


def _trim(raw: str, start: int, end: int, grams_other: set[tuple[str, ...]], n: int,
          penalty: float) -> tuple[int, int, float] | None:
    toks = _tokens(raw, start, end)
    if len(toks) < n:
        return None
    words = [t[2] for t in toks]
    scores = [1.0 if tuple(words[i:i + n]) in grams_other else -penalty for i in range(len(words) - n + 1)]
    seg = _best_segment(scores)
    if seg is None:
        return None
    i, j = seg
    share = sum(1 for s in scores if s > 0) / len(scores)
    lo, hi = toks[i][0], toks[j + n - 1][1]
    # Punctuation attached to the last word (a full stop, a closing quote) belongs to the copy.
    while hi < end and not raw[hi].isspace():
        hi += 1
    return lo, hi, share


def _grams(raw: str, start: int, end: int, n: int) -> set[tuple[str, ...]]:
    words = [t[2] for t in _tokens(raw, start, end)]
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _whole_tokens(raw: str, start: int, end: int) -> list:
    """Tokens of ``raw[start:end]`` without a word the window cuts at either edge
    (a long unspaced run, a URL), so an extended passage never starts or ends inside a word."""
    toks = _tokens(raw, start, end)
    if toks and toks[0][0] == start and start > 0 and _is_word_char(raw[start - 1]):
        toks = toks[1:]
    if toks and toks[-1][1] == end and end < len(raw) and _is_word_char(raw[end]):
        toks = toks[:-1]
    return toks


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _extend(a_raw: str, b_raw: str, sa: tuple[int, int], sb: tuple[int, int],
            limit: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Grow both sides word by word while the words just outside them agree (verbatim edges)."""
    (a0, a1), (b0, b1) = sa, sb
    before_a = _whole_tokens(a_raw, max(0, a0 - 20 * limit), a0)[::-1][:limit]
    before_b = _whole_tokens(b_raw, max(0, b0 - 20 * limit), b0)[::-1][:limit]
    for ta, tb in zip(before_a, before_b):
        if ta[2] != tb[2]:
            break
        a0, b0 = ta[0], tb[0]
    after_a = _whole_tokens(a_raw, a1, min(len(a_raw), a1 + 20 * limit))[:limit]
    after_b = _whole_tokens(b_raw, b1, min(len(b_raw), b1 + 20 * limit))[:limit]
    for ta, tb in zip(after_a, after_b):
        if ta[2] != tb[2]:
            break
        a1, b1 = ta[1], tb[1]
    return (a0, a1), (b0, b1)


def refine_passage(a_raw: str, b_raw: str, p: Alignment, ngram: int = 2, penalty: float = 1.0,
                   min_share: float = 0.0, extend: int = 0) -> Alignment:
    """``p`` with each side trimmed to its best-matching stretch of words.

    Parameters
    ----------
    a_raw, b_raw : str
        The raw texts ``p.source_*`` and ``p.target_*`` index.
    p : Alignment
        The passage to refine.
    ngram : int
        Word n-gram length that makes a word matched (1: the word itself).
    penalty : float
        Cost of an unmatched word relative to the gain of a matched one;
        higher values trim more.
    min_share : float
        The passage is refined only if, on at least one side, at least this
        share of its n-grams is matched; otherwise ``p`` is returned
        unchanged. A high value refines near-verbatim copies only (one side
        of an over-extended copy is still mostly matched), leaving
        paraphrases, whose matched words are sparse so that any stretch would
        cut into the copy, as built.
    extend : int
        After trimming, grow both sides outwards, word by word, while the
        words just outside the two sides are the same, by at most ``extend``
        words at each end (a heading or short line of a verbatim copy that
        did not seed a passage); 0 disables.

    Returns
    -------
    Alignment
        The trimmed passage (longer than ``p`` only by ``extend``); ``p`` itself where a
        side has no matched stretch or too few matches (``min_share``).

    Examples
    --------
    >>> a = "Weather talk here. The smugglers crossed the river at night. Other things."
    >>> b = "Some intro. As we know the smugglers crossed the river at night, said Ann."
    >>> p = Alignment(0, len(a), 0, len(b), 0.5, "tfidf")
    >>> q = refine_passage(a, b, p)
    >>> a[q.source_start:q.source_end], b[q.target_start:q.target_end]
    ('The smugglers crossed the river at night.', 'the smugglers crossed the river at night,')
    """
    ga = _grams(a_raw, p.source_start, p.source_end, ngram)
    gb = _grams(b_raw, p.target_start, p.target_end, ngram)
    sa = _trim(a_raw, p.source_start, p.source_end, gb, ngram, penalty)
    sb = _trim(b_raw, p.target_start, p.target_end, ga, ngram, penalty)
    if sa is None or sb is None or max(sa[2], sb[2]) < min_share:
        return p
    (a0, a1), (b0, b1) = sa[:2], sb[:2]
    if extend > 0:
        (a0, a1), (b0, b1) = _extend(a_raw, b_raw, (a0, a1), (b0, b1), extend)
        # Keep attached punctuation at the (possibly new) ends.
        while a1 < len(a_raw) and not a_raw[a1].isspace() and not a_raw[a1].isalnum():
            a1 += 1
        while b1 < len(b_raw) and not b_raw[b1].isspace() and not b_raw[b1].isalnum():
            b1 += 1
    return replace(p, source_start=a0, source_end=a1, target_start=b0, target_end=b1)
