"""Sentence segmentation with raw-text offsets (sentencex, ~300 languages)."""

from __future__ import annotations

import re

from .normalize import Normalized
from .records import Sentence

_WS = re.compile(r"\s+")
_HAS_WORD = re.compile(r"\w", re.UNICODE)


def split_sentences(text: str, language: str | None = "en") -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, whitespace trimmed.

    Paragraph breaks (blank lines and single newlines) always end a sentence.

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
    for line in text.split("\n"):
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
