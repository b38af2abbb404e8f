"""Sentence segmentation with raw-text offsets (sentencex, ~300 languages)."""

from __future__ import annotations

import re

from .normalize import Normalized
from .records import Sentence

_WS = re.compile(r"\s+")
_HAS_WORD = re.compile(r"\w", re.UNICODE)
_FINAL = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_CAPWORD = re.compile(r"^[\W\d_]*[A-Z0-9]")
# End of a sentence inside an over-long span: final punctuation, closing
# quotes or brackets, whitespace, then (checked in code) an upper-case letter
# or a digit, possibly after an opening quote or bracket.
_NEWLINE = re.compile(r"\n")
_SPACE = re.compile(r"\s")
_INNER_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")


def is_title_like(line: str) -> bool:
    """Most words capitalized ("Biden Announces 'Unprecedented' Deployments")."""
    ws = line.split()
    if len(ws) < 2:
        return bool(ws) and bool(_CAPWORD.match(ws[0]))
    caps = sum(1 for w in ws if _CAPWORD.match(w))
    return caps / len(ws) >= 0.6


def soft_newlines(text: str) -> str:
    """``text`` with newlines that merely wrap a sentence turned into spaces.

    A newline is kept as a hard break when the line before it is blank, ends
    like a sentence, is title-like, or is a short fragment (under 5 words)
    followed by a line that does not start in lower case; otherwise the next
    line continues the sentence (hard-wrapped prose, as in e-mail and PAN
    texts).
    Same length as ``text``, so offsets are unchanged.
    """
    lines = text.split("\n")
    out = []
    for k, line in enumerate(lines):
        out.append(line)
        if k == len(lines) - 1:
            break
        nxt = lines[k + 1]
        stripped = line.strip()
        nxt_s = nxt.strip()
        hard = (not stripped or not nxt_s or _FINAL.search(stripped) or is_title_like(stripped)
                # a short fragment before a capitalized line is a tag or heading
                or (len(stripped.split()) < 5 and not nxt_s[:1].islower()))
        out.append("\n" if hard else " ")
    return "".join(out)


def _trimmed(text: str, a: int, e: int) -> tuple[int, int]:
    while a < e and text[a].isspace():
        a += 1
    while e > a and text[e - 1].isspace():
        e -= 1
    return a, e


def _cut(text: str, a: int, e: int, cuts: list[int]) -> list[tuple[int, int]]:
    """``text[a:e]`` cut at the offsets ``cuts``, pieces whitespace-trimmed, empty ones dropped."""
    out = []
    for x, y in zip([a, *cuts], [*cuts, e]):
        x, y = _trimmed(text, x, y)
        if y > x:
            out.append((x, y))
    return out


def _pack(text: str, a: int, e: int, candidates: list[int], max_chars: int) -> list[tuple[int, int]]:
    """``text[a:e]`` cut at as few of the sorted offsets ``candidates`` as keep pieces within ``max_chars``.

    Greedy: each piece runs to the farthest candidate within ``max_chars`` of
    its start (or to the nearest one beyond, if none is within).
    """
    cuts: list[int] = []
    start, k = a, 0
    while e - start > max_chars and k < len(candidates):
        best = None
        while k < len(candidates) and candidates[k] - start <= max_chars:
            if candidates[k] > start:
                best = candidates[k]
            k += 1
        if best is None:
            best = candidates[k]
            k += 1
        cuts.append(best)
        start = best
    return _cut(text, a, e, cuts)


def resplit_long(text: str, a: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    """Split the span ``text[a:e]`` into pieces of at most about ``max_chars``.

    The segmenter ignores sentence ends between what it takes for a pair of
    quotes (an apostrophe, a stray quote mark) and cannot split a list or a
    poem without full stops, so one "sentence" may run over thousands of
    characters and hide a copied passage inside it. Such a span is cut, in
    order of preference, at every sentence-final punctuation followed by an
    upper-case letter or digit, then, in pieces still too long, at as few
    line breaks and finally spaces as keep them within ``max_chars``. Spans
    of at most ``max_chars`` are returned unchanged.

    Examples
    --------
    >>> t = "Mr 'X said it. Then it rained. It stopped. Then members' cars left."
    >>> [t[x:y] for x, y in resplit_long(t, 0, len(t), 30)]
    ["Mr 'X said it.", 'Then it rained.', 'It stopped.', "Then members' cars left."]
    """
    if e - a <= max_chars:
        return [(a, e)]
    cuts = []
    for m in _INNER_END.finditer(text, a, e):
        nxt = text[m.end():m.end() + 2].lstrip("\"'“‘([")
        if nxt[:1].isupper() or nxt[:1].isdigit():
            cuts.append(m.end())
    out: list[tuple[int, int]] = []
    for x, y in _cut(text, a, e, cuts):
        for u, v in _pack(text, x, y, [m.end() for m in _NEWLINE.finditer(text, x, y)], max_chars):
            out.extend(_pack(text, u, v, [m.start() for m in _SPACE.finditer(text, u, v)], max_chars))
    return out


def split_sentences(text: str, language: str | None = "en", max_chars: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, whitespace trimmed.

    Blank lines, and newlines after a line that ends like a sentence or is
    title-like, end a sentence; other newlines wrap prose (see
    :func:`soft_newlines`). With ``max_chars``, longer spans are cut further
    by :func:`resplit_long`.

    Examples
    --------
    >>> t = "Mr. Smith left. He said: 'No.'\\nNew line here"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Mr. Smith left.', "He said: 'No.'", 'New line here']
    """
    import sentencex

    spans: list[tuple[int, int]] = []
    pos = 0
    # Lines are hard boundaries: news text puts one paragraph per line.
    for line in soft_newlines(text).split("\n"):
        if line.strip():
            try:
                bounds = sentencex.get_sentence_boundaries(language or "en", line)
            except Exception:  # unknown language code: fall back to English rules
                bounds = sentencex.get_sentence_boundaries("en", line)
            for b in bounds:
                if b.get("is_paragraph_break"):
                    continue
                a, e = _trimmed(text, pos + b["start_index"], pos + b["end_index"])
                pieces = resplit_long(text, a, e, max_chars) if max_chars and e > a else [(a, e)]
                spans.extend((x, y) for x, y in pieces if y > x and _HAS_WORD.search(text, x, y))
        pos += len(line) + 1
    return spans


def segment(doc_id: str, raw: str, norm: Normalized, language: str | None = "en",
            max_chars: int | None = None) -> list[Sentence]:
    """Sentences of a normalized document, with offsets into ``raw`` (``max_chars``: see :func:`split_sentences`)."""
    out = []
    for a, b in split_sentences(norm.text, language, max_chars):
        ra, rb = norm.raw_span(a, b)
        out.append(Sentence(doc_id=doc_id, index=len(out), start=ra, end=rb,
                            text=raw[ra:rb], norm=_WS.sub(" ", norm.text[a:b])))
    return out
