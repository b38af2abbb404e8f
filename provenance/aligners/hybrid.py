"""Word and character n-gram evidence combined in one sentence similarity.

Each sentence's word TF-IDF vector (:class:`~provenance.aligners.tfidf.TfidfSentenceAligner`)
and character n-gram TF-IDF vector (:class:`~provenance.aligners.charngram.CharNgramAligner`),
both L2-normalised, are concatenated with weights ``sqrt(1 - char_weight)`` and
``sqrt(char_weight)``. The cosine of two such vectors is then exactly
``(1 - char_weight) * word_cosine + char_weight * char_cosine``, and passage
validation (the cosine of summed sentence vectors) works in the joint space
unchanged.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import sparse

from ..text import PreparedText
from ._matrix import MatrixAligner
from .charngram import CharNgramAligner
from .tfidf import TfidfSentenceAligner


class HybridAligner(MatrixAligner):
    """Align sentences by a weighted mean of word and character n-gram TF-IDF cosines.

    Parameters
    ----------
    char_weight : float
        Weight of the character n-gram cosine (0: words only, 1: characters only).
    threshold : float
        Minimum combined cosine for a sentence pair to seed a passage.
    min_terms : int
        Sentences with fewer distinct word terms get a zero word vector.
    min_chars : int
        Sentences with fewer characters get a zero character vector.
    seed_top_k, max_gap, min_passage_chars, min_seeds, validate_threshold, summary_ratio, summary_threshold, summary_min_seeds, summary_validate, summary_extend, summary_trigger, refine_ngram, refine_penalty, refine_min_share, refine_extend, prune_dominated :
        as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`.

    Notes
    -----
    ``fit`` fits both component aligners (word IDF with its background prior,
    character n-gram vocabulary and IDF) on the corpus. The word side uses
    :class:`~provenance.aligners.tfidf.TfidfSentenceAligner` defaults for
    ``prior_sentences``; the character side uses (3, 5)-grams.
    """

    method = "hybrid"

    # Defaults chosen by benchmarks/tune_alignment.py --method hybrid --limit 200
    # (rows in benchmarks/results/tuning-hybrid.md); char_weight, min_terms
    # and min_chars were not swept.
    def __init__(self, char_weight: float = 0.5, threshold: float = 0.35, min_terms: int = 3, min_chars: int = 20,
                 seed_top_k: int = 1, max_gap: int = 8, min_passage_chars: int = 150, min_seeds: int = 1,
                 validate_threshold: float = 0.4, summary_ratio: float = 3.0, summary_threshold: float = 0.3,
                 summary_min_seeds: int = 3, summary_validate: float = 0.3, summary_extend: float = 0.3,
                 summary_trigger: float = 2.0, refine_ngram: int = 3, refine_penalty: float = 0.5,
                 refine_min_share: float = 0.6, refine_extend: int = 30, prune_dominated: bool = False) -> None:
        self.char_weight = char_weight
        self.threshold = threshold
        self.min_terms = min_terms
        self.min_chars = min_chars
        self.seed_top_k = seed_top_k
        self.max_gap = max_gap
        self.min_passage_chars = min_passage_chars
        self.min_seeds = min_seeds
        self.validate_threshold = validate_threshold
        self.summary_ratio = summary_ratio
        self.summary_threshold = summary_threshold
        self.summary_min_seeds = summary_min_seeds
        self.summary_validate = summary_validate
        self.summary_extend = summary_extend
        self.summary_trigger = summary_trigger
        self.refine_ngram = refine_ngram
        self.refine_penalty = refine_penalty
        self.refine_min_share = refine_min_share
        self.refine_extend = refine_extend
        self.prune_dominated = prune_dominated

    def fit(self, corpus: Sequence[str | PreparedText] = ()) -> "HybridAligner":
        """Fit the word and the character n-gram components on ``corpus``."""
        self.words_ = TfidfSentenceAligner(min_terms=self.min_terms).fit(corpus)
        self.chars_ = CharNgramAligner(min_chars=self.min_chars).fit(corpus)
        self.n_documents_ = len(corpus)
        return self

    def pair_vectors(self, a: PreparedText, b: PreparedText) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Weighted concatenation of the word and character sentence vectors of ``a`` and ``b``."""
        words = getattr(self, "words_", None) or TfidfSentenceAligner(min_terms=self.min_terms).fit([a, b])
        chars = getattr(self, "chars_", None) or CharNgramAligner(min_chars=self.min_chars).fit([a, b])
        wa, wb = words.pair_vectors(a, b)
        ca, cb = chars.pair_vectors(a, b)
        sw, sc = math.sqrt(1.0 - self.char_weight), math.sqrt(self.char_weight)
        va = sparse.hstack([sw * wa, sc * ca.astype(np.float64)], format="csr")
        vb = sparse.hstack([sw * wb, sc * cb.astype(np.float64)], format="csr")
        return va, vb

    def similarity(self, a: PreparedText, b: PreparedText) -> np.ndarray:
        """Dense combined cosine matrix between the sentences of ``a`` and ``b``."""
        va, vb = self.pair_vectors(a, b)
        return (va @ vb.T).toarray()
