"""Language identification (lingua; its models ship in the wheel, no download)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    # Low-accuracy mode uses trigram models only: documents are long enough for
    # it, and high-accuracy mode loads 1- to 5-gram models of every candidate
    # language on short texts (seconds per call on first use).
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str, max_chars: int = 5000) -> str | None:
    """ISO 639-1 code of the main language of ``text``, or ``None``.

    Examples
    --------
    >>> detect_language("Le gouvernement a lancé une opération sans précédent.")
    'fr'
    """
    sample = text[:max_chars]
    if sum(ch.isalpha() for ch in sample) < 10:
        return None
    lang = _detector().detect_language_of(sample)
    if lang is None:
        return None
    return lang.iso_code_639_1.name.lower()
