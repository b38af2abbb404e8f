"""Language identification (lingua; its models ship in the wheel, no download)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    # Models load lazily per language, so building over all languages is cheap.
    return LanguageDetectorBuilder.from_all_languages().build()


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
