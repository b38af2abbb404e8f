"""TF-IDF character n-gram sentence aligner.

Sentences become TF-IDF vectors of character n-grams (within word
boundaries, ``char_wb``), which tolerate inflection, spelling variants and
tokenisation differences that word features miss. Passages are built from the
cosine matrix exactly as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text import PreparedText
from ._matrix import MatrixAligner
from .base import prepare_for_alignment


class CharNgramAligner(MatrixAligner):
    """Align sentences by cosine of character n-gram TF-IDF vectors.

    Parameters
    ----------
    ngram_range : tuple of int
        Character n-gram lengths.
    threshold : float
        Minimum cosine for a sentence pair to seed a passage.
    min_chars : int
        Sentences with fewer characters are not used as seeds.
    seed_top_k, max_gap, min_passage_chars, min_seeds, validate_threshold, summary_ratio, summary_threshold, summary_min_seeds, summary_validate, summary_extend, summary_trigger, refine_ngram, refine_penalty, refine_min_share, refine_extend, prune_dominated, grow_threshold, summary_merge :
        as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`.

    Notes
    -----
    ``fit`` learns the n-gram vocabulary and IDF from the sentences of the
    corpus; n-grams unseen in the corpus are ignored, so fit on a corpus that
    includes the texts to align (a two-text corpus is fine). Unfitted, the
    aligner fits on the two texts it is given.
    """

    method = "charngram"

    # Defaults chosen by benchmarks/tune_alignment.py --method charngram --limit 200
    # (stages A, B and C on the even pairs of 200 per obfuscation type of the
    # PAN 2013 training corpus); rows in benchmarks/results/tuning-charngram.md.
    # ngram_range and min_chars were not swept. grow_threshold and summary_merge: stages G and M of
    # tune_alignment.py --recall-stages (tuning-charngram-recall.md).
    def __init__(self, ngram_range: tuple[int, int] = (3, 5), threshold: float = 0.35, min_chars: int = 20,
                 seed_top_k: int = 1, max_gap: int = 8, min_passage_chars: int = 150, min_seeds: int = 1,
                 validate_threshold: float = 0.4, summary_ratio: float = 3.0, summary_threshold: float = 0.3,
                 summary_min_seeds: int = 3, summary_validate: float = 0.3, summary_extend: float = 0.3,
                 summary_trigger: float = 2.0, refine_ngram: int = 3, refine_penalty: float = 0.5,
                 refine_min_share: float = 0.6, refine_extend: int = 30, prune_dominated: bool = False,
                 grow_threshold: float = 0.1, summary_merge: bool = True) -> None:
        self.ngram_range = ngram_range
        self.threshold = threshold
        self.min_chars = min_chars
        self.seed_top_k = seed_top_k
        self.max_gap = max_gap
        self.validate_threshold = validate_threshold
        self.min_passage_chars = min_passage_chars
        self.min_seeds = min_seeds
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
        self.grow_threshold = grow_threshold
        self.summary_merge = summary_merge

    def _vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range), lowercase=True,
                               sublinear_tf=True, dtype=np.float32)

    def fit(self, corpus: Sequence[str | PreparedText] = ()) -> "CharNgramAligner":
        """Learn n-gram IDF over the sentences of ``corpus``."""
        sents = [s.norm for i, d in enumerate(corpus)
                 for s in (d if isinstance(d, PreparedText) else prepare_for_alignment(d, id=f"fit{i}")).sentences]
        self.vectorizer_ = self._vectorizer().fit(sents) if sents else None
        self.n_documents_ = len(corpus)
        return self

    def pair_vectors(self, a: PreparedText, b: PreparedText):
        """L2-normalised n-gram TF-IDF rows of the sentences of ``a`` and ``b``.

        Rows of sentences shorter than ``min_chars`` are zero.
        """
        ta = [s.norm for s in a.sentences]
        tb = [s.norm for s in b.sentences]
        vec = getattr(self, "vectorizer_", None) or self._vectorizer().fit(ta + tb)
        keep_a = np.array([len(t) >= self.min_chars for t in ta], dtype=np.float32)
        keep_b = np.array([len(t) >= self.min_chars for t in tb], dtype=np.float32)
        va = sparse.csr_matrix(sparse.diags(keep_a) @ vec.transform(ta))
        vb = sparse.csr_matrix(sparse.diags(keep_b) @ vec.transform(tb))
        return va, vb

    def similarity(self, a: PreparedText, b: PreparedText) -> np.ndarray:
        """Dense cosine matrix between the sentences of ``a`` and ``b``."""
        va, vb = self.pair_vectors(a, b)
        return (va @ vb.T).toarray().astype(np.float64)
