"""Sentence segmentation with raw-text offsets (sentencex, ~300 languages)."""

from __future__ import annotations

import re

from .normalize import Normalized
from .records import Sentence

_WS = re.compile(r"\s+")
_HAS_WORD = re.compile(r"\w", re.UNICODE)
_FINAL = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_CAPWORD = re.compile(r"^[\W\d_]*[A-Z0-9]")


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


def split_sentences(text: str, language: str | None = "en") -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, whitespace trimmed.

    Blank lines, and newlines after a line that ends like a sentence or is
    title-like, end a sentence; other newlines wrap prose (see
    :func:`soft_newlines`).

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
                a, e = pos + b["start_index"], pos + b["end_index"]
                while a < e and text[a].isspace():
                    a += 1
                while e > a and text[e - 1].isspace():
                    e -= 1
                if e > a and _HAS_WORD.search(text, a, e):
                    spans.append((a, e))
        pos += len(line) + 1
    return spans


def segment(doc_id: str, raw: str, norm: Normalized, language: str | None = "en") -> list[Sentence]:
    """Sentences of a normalized document, with offsets into ``raw``."""
    out = []
    for a, b in split_sentences(norm.text, language):
        ra, rb = norm.raw_span(a, b)
        out.append(Sentence(doc_id=doc_id, index=len(out), start=ra, end=rb,
                            text=raw[ra:rb], norm=_WS.sub(" ", norm.text[a:b])))
    return out
