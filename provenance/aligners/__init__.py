"""Alignment methods sharing one estimator-style interface."""

from .base import Aligner, SentencePair, build_passages, prepare_for_alignment
from .charngram import CharNgramAligner
from .dense import DenseSentenceAligner  # imports wordllama only when fitted
from .galechurch import GaleChurchAligner
from .minhash import MinHashAligner
from .tfidf import TfidfSentenceAligner

#: Registry of method names to aligner classes (``--method``).
METHODS: dict[str, type[Aligner]] = {
    "tfidf": TfidfSentenceAligner,
    "charngram": CharNgramAligner,
    "minhash": MinHashAligner,
    "galechurch": GaleChurchAligner,
    # optional extra: needs `pip install 'provenance[dense]'` to fit
    "dense": DenseSentenceAligner,
}


def get_aligner(method: str = "tfidf", **params) -> Aligner:
    """An unfitted aligner by method name."""
    from ..errors import ConfigError

    try:
        cls = METHODS[method]
    except KeyError:
        raise ConfigError(f"unknown alignment method {method!r}; choose from {', '.join(sorted(METHODS))}") from None
    return cls(**params)


__all__ = [
    "Aligner", "CharNgramAligner", "DenseSentenceAligner", "GaleChurchAligner", "METHODS", "MinHashAligner",
    "SentencePair",
    "TfidfSentenceAligner", "build_passages", "get_aligner", "prepare_for_alignment",
]
