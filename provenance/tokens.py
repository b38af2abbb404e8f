"""Word tokens for matching: lowercased, number-aware, lightly stemmed.

Stemming uses NLTK's Snowball stemmers (rules shipped in the package, no
download) for the languages they cover, and a 6-character prefix for other
alphabetic scripts; that crude prefix stemming is known to work about as well
as rule stemmers for retrieval in many languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|%|[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

_SNOWBALL = {
    "en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
    "nb": "norwegian", "fi": "finnish", "ru": "russian", "ro": "romanian", "hu": "hungarian",
    "ar": "arabic",
}
# Words that spell a number or unit the same way digits do.
_WORD_NUMBERS = {
    "percent": "%", "per": "per", "cent": "cent", "pct": "%",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
}


@lru_cache(maxsize=32)
def _stemmer(language: str | None):
    name = _SNOWBALL.get(language or "")
    if not name:
        return None
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(name)


@lru_cache(maxsize=500_000)
def stem(word: str, language: str | None = "en") -> str:
    """Stem one lowercased word.

    Examples
    --------
    >>> stem("arrested"), stem("arrests")
    ('arrest', 'arrest')
    """
    if word[:1].isdigit():
        return number_key(word)
    if language == "en" and word in _WORD_NUMBERS:
        return _WORD_NUMBERS[word]
    st = _stemmer(language)
    if st is not None:
        try:
            return st.stem(word)
        except Exception:  # nltk raises on a few odd inputs; fall back to prefix
            pass
    return word[:6] if word.isalpha() else word


def number_key(tok: str) -> str:
    """Canonical digits: '1,300' and '1300' -> '1300'; '2.5' stays '2.5'."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", tok):
        return tok.replace(",", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", tok):  # dotted thousands (European)
        return tok.replace(".", "")
    return tok.replace(",", ".")


def words(text: str) -> list[str]:
    """Lowercased word and number tokens."""
    return [m.group().lower() for m in _TOKEN.finditer(text)]


def terms(text: str, language: str | None = "en") -> list[str]:
    """Stemmed matching terms of ``text``."""
    return [stem(w, language) for w in words(text)]
