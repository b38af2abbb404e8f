"""Candidate pairs for alignment: near-duplicate sketch pairs plus a
rarity-weighted term overlap that still finds heavy rewrites.

MinHash/LSH (see :mod:`provenance.dedup`) only finds texts that share many
word 5-grams; rewritten and translated texts share almost none (the seed
articles share ~1 %). The second source of candidates is a document-level
cosine over stemmed terms weighted by background rarity, where shared rare
words (names, numbers, technical terms) dominate: each document keeps its
``k`` nearest neighbours above ``min_cosine``. For small collections every
pair is a candidate, since alignment itself is cheap there.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from .rarity import background_idf
from .text import PreparedText
from .tokens import stem, words


def term_matrix(docs: Sequence[PreparedText]) -> sparse.csr_matrix:
    """L2-normalized documents x terms matrix, weights = log(1+tf) x rarity x corpus IDF."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    df: dict[int, int] = {}
    per_doc: list[dict[int, float]] = []
    for d in docs:
        counts: dict[int, float] = {}
        bg: dict[int, float] = {}
        for s in d.sentences:
            for w in words(s.norm):
                j = vocab.setdefault(stem(w, d.language), len(vocab))
                counts[j] = counts.get(j, 0.0) + 1.0
                bg[j] = max(bg.get(j, 0.0), background_idf(w, d.language))
        for j in counts:
            df[j] = df.get(j, 0) + 1
        per_doc.append({j: math.log1p(c) * bg[j] for j, c in counts.items()})
    n = len(docs)
    for r, weights in enumerate(per_doc):
        # corpus IDF removes terms every document has (the topic itself)
        w2 = {j: v * math.log((n + 1) / (df[j] + 0.5)) for j, v in weights.items()}
        norm = math.sqrt(sum(v * v for v in w2.values())) or 1.0
        for j in sorted(w2):
            rows.append(r)
            cols.append(j)
            vals.append(w2[j] / norm)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1)))


def candidate_pairs(
    docs: Sequence[PreparedText],
    extra: Iterable[tuple[int, int]] = (),
    all_pairs_below: int = 300,
    k: int = 10,
    min_cosine: float = 0.05,
) -> list[tuple[int, int]]:
    """Sorted index pairs ``(i, j)``, ``i < j``, worth aligning.

    Parameters
    ----------
    extra : pairs that must be included (near-duplicates from the sketch).
    all_pairs_below : collections smaller than this align every pair.
    k, min_cosine : neighbours kept per document by the term overlap.
    """
    n = len(docs)
    out: set[tuple[int, int]] = {(min(i, j), max(i, j)) for i, j in extra if i != j}
    if n < all_pairs_below:
        out.update((i, j) for i in range(n) for j in range(i + 1, n))
        return sorted(out)
    m = term_matrix(docs)
    for start in range(0, n, 1000):  # blocks bound the dense similarity memory
        block = (m[start:start + 1000] @ m.T).toarray()
        for r in range(block.shape[0]):
            i = start + r
            block[r, i] = 0.0
            top = np.argpartition(-block[r], min(k, n - 1) - 1)[:k] if n > 1 else []
            for j in top:
                if block[r, j] >= min_cosine:
                    out.add((min(i, int(j)), max(i, int(j))))
    return sorted(out)
