"""Prepared text: raw text, normalized view, boilerplate and sentences, in one object.

Every stage that needs sentences of a document takes a :class:`PreparedText`
so that normalization and segmentation happen once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .language import detect_language
from .normalize import Boilerplate, Normalized, find_boilerplate, normalize_text
from .records import Sentence
from .segment import segment


@dataclass(frozen=True)
class PreparedText:
    """A text ready for alignment."""

    id: str
    raw: str
    norm: Normalized
    sentences: tuple[Sentence, ...]
    language: str | None
    boilerplate: tuple[Boilerplate, ...] = ()


def prepare(raw: str, id: str = "text", language: str | None = None,
            boilerplate: Sequence[Boilerplate] | None = None,
            detect: bool = True, max_sentence_chars: int | None = None) -> PreparedText:
    """Normalize (dropping boilerplate lines) and segment ``raw``.

    ``boilerplate`` defaults to the rules of :func:`find_boilerplate` applied
    to this text alone; pass the result of a collection-wide call to also
    drop lines repeated across texts. ``max_sentence_chars``: longer
    sentences are cut further (see :func:`~provenance.segment.resplit_long`).
    """
    if boilerplate is None:
        boilerplate = find_boilerplate([raw])[0]
    norm = normalize_text(raw, drop=[(b.start, b.end) for b in boilerplate])
    if language is None and detect:
        language = detect_language(norm.text)
    sents = segment(id, raw, norm, language or "en", max_sentence_chars)
    return PreparedText(id=id, raw=raw, norm=norm, sentences=tuple(sents),
                        language=language, boilerplate=tuple(boilerplate))
