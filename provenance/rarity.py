"""Word rarity against a background frequency list (wordfreq; data ships in the wheel)."""

from __future__ import annotations

import math
from functools import lru_cache

# Zipf values: log10 of frequency per billion words. "the" ~ 7.7, a word seen
# once per million words = 3.0. Unknown words get the floor.
ZIPF_FLOOR = 1.5


#: Languages whose wordfreq tokenizer needs an optional package (jieba, MeCab).
_NEEDS_EXTRA_TOKENIZER = ("zh", "ja", "ko")


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    """Languages with a wordfreq list that can actually be looked up here.

    wordfreq tokenizes Chinese, Japanese and Korean with optional packages and
    raises ``ImportError`` when they are missing; such languages count as
    having no list.
    """
    from wordfreq import available_languages, zipf_frequency

    langs = set(available_languages())
    for lang in _NEEDS_EXTRA_TOKENIZER:
        if lang in langs:
            try:
                zipf_frequency("\u4e16\u754c", lang)
            except Exception:  # ImportError, or a MeCab dictionary error
                langs.discard(lang)
    return frozenset(langs)


def has_list(language: str | None) -> bool:
    """Whether ``zipf`` has background frequencies for ``language``."""
    return (language or "en") in _languages()


@lru_cache(maxsize=100_000)
def zipf_raw(word: str, language: str) -> float:
    """wordfreq's Zipf frequency, 0.0 for a language without a usable list."""
    if language not in _languages():
        return 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)


@lru_cache(maxsize=500_000)
def zipf(word: str, language: str | None = "en") -> float:
    """Zipf frequency of ``word`` (lowercased) in ``language``.

    Unknown words get the floor. Languages without a list get a neutral 3.0
    for every word (no background knowledge rather than another language's):
    the corpus IDF then carries the weighting alone.
    """
    lang = language or "en"
    if lang not in _languages():
        return 3.0
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang), ZIPF_FLOOR)


@lru_cache(maxsize=1)
def _english_frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")  # the table zipf_frequency itself reads (cached by wordfreq too)


def english_zipf(word: str) -> float:
    """Zipf frequency of an already lowercased single English word, by direct lookup.

    Equal to ``zipf_frequency(word, "en")`` for a plain lowercase word, but
    without tokenizing: fast enough to score every substring of a string.
    """
    f = _english_frequencies().get(word)
    return round(math.log10(f) + 9, 2) if f else 0.0


@lru_cache(maxsize=500_000)
def background_idf(word: str, language: str | None = "en") -> float:
    """An IDF-like weight from background frequency: ``ln(1 + 10**(7 - zipf))``.

    Function words (zipf ~7) get ~0.7, ordinary content words (zipf ~4) ~7,
    rare names and numbers ~12. Same scale as ``ln(N/df)`` for a corpus of
    ~10^5 sentences, so the two can be blended.
    """
    if word[:1].isdigit():
        # Numbers are specific facts; treat them as rare but not unique.
        return math.log1p(10 ** (7 - 2.5))
    return math.log1p(10 ** (7 - zipf(word, language)))
