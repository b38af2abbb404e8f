"""MinHash sentence aligner: estimated Jaccard similarity of word shingles.

Each sentence's set of word ``shingle``-grams (stemmed) is summarised by a
``datasketch`` MinHash (affine 32-bit permutations, explicit ``seed``); the
estimated Jaccard similarity of two sentences is the share of equal signature
slots. Passages are built from that matrix as for the TF-IDF aligner. Needs
no corpus statistics: ``fit`` only records the corpus size.
"""

from __future__ import annotations

import numpy as np

from ..text import PreparedText
from ..tokens import stem, words
from ._matrix import MatrixAligner


class MinHashAligner(MatrixAligner):
    """Align sentences by MinHash-estimated Jaccard similarity of word shingles.

    Parameters
    ----------
    num_perm : int
        Signature length (more permutations, less estimation noise).
    shingle : int
        Words per shingle (1: bag of stemmed words).
    seed : int
        Seed of the hash permutations (fixed for reproducible output).
    threshold : float
        Minimum estimated Jaccard similarity for a seed.
    min_terms : int
        Sentences with fewer shingles are not used as seeds.
    seed_top_k, max_gap, min_passage_chars, min_seeds, validate_threshold, summary_ratio, summary_threshold, summary_min_seeds, summary_validate, summary_extend, summary_trigger, refine_ngram, refine_penalty, refine_min_share, refine_extend, prune_dominated :
        as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`.
    """

    method = "minhash"

    # Defaults chosen by benchmarks/tune_alignment.py --method minhash --limit 60
    # (rows in benchmarks/results/tuning-minhash.md). MinHash has no sentence
    # vectors, so validate_threshold and summary_validate have no effect and
    # are left at 0. num_perm, shingle and min_terms were not swept.
    def __init__(self, num_perm: int = 128, shingle: int = 1, seed: int = 1, threshold: float = 0.3,
                 min_terms: int = 3, seed_top_k: int = 1, max_gap: int = 8, min_passage_chars: int = 150,
                 min_seeds: int = 1, validate_threshold: float = 0.0, summary_ratio: float = 3.0,
                 summary_threshold: float = 0.3, summary_min_seeds: int = 3, summary_validate: float = 0.0,
                 summary_extend: float = 0.5, summary_trigger: float = 2.0, refine_ngram: int = 0,
                 refine_penalty: float = 1.0, refine_min_share: float = 0.0,
                 refine_extend: int = 0, prune_dominated: bool = False) -> None:
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        self.threshold = threshold
        self.min_terms = min_terms
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

    def signatures(self, p: PreparedText) -> tuple[np.ndarray, np.ndarray]:
        """MinHash signatures (one row per sentence) and shingle counts."""
        from datasketch import MinHash

        proto = MinHash(num_perm=self.num_perm, seed=self.seed, scheme="affine32")
        sigs = np.empty((len(p.sentences), self.num_perm), dtype=np.uint32)
        counts = np.zeros(len(p.sentences), dtype=np.int64)
        k = self.shingle
        for r, s in enumerate(p.sentences):
            toks = [stem(w, p.language) for w in words(s.norm)]
            grams = {" ".join(toks[i:i + k]) for i in range(max(len(toks) - k + 1, 0))}
            counts[r] = len(grams)
            m = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=proto.permutations, scheme="affine32")
            m.update_batch([g.encode("utf-8") for g in sorted(grams)])
            sigs[r] = m.hashvalues
        return sigs, counts

    def similarity(self, a: PreparedText, b: PreparedText) -> np.ndarray:
        """Estimated Jaccard similarity matrix between the sentences of ``a`` and ``b``."""
        sa, ca = self.signatures(a)
        sb, cb = self.signatures(b)
        sim = np.zeros((len(sa), len(sb)))
        for i in range(len(sa)):  # row by row keeps memory at |b| x num_perm
            sim[i] = (sb == sa[i]).mean(axis=1)
        sim[ca < self.min_terms, :] = 0.0
        sim[:, cb < self.min_terms] = 0.0
        return sim
