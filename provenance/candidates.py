"""Candidate pairs for alignment: near-duplicate sketch pairs plus a
rarity-weighted term overlap that still finds heavy rewrites.

MinHash/LSH (see :mod:`provenance.dedup`) only finds texts that share many
word 5-grams; rewritten and translated texts share almost none (the seed
articles share ~1 %). The second source of candidates is a document-level
cosine over the rarity-weighted TF-IDF sentence vectors already computed for
alignment (a document vector is the sum of its sentence vectors), where
shared rare words (names, numbers, technical terms) dominate: each document
keeps its ``k`` nearest neighbours above ``min_cosine``. For small
collections every pair is a candidate, since alignment itself is cheap there.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize as l2_normalize


def document_matrix(sentence_matrices: Sequence[sparse.csr_matrix]) -> sparse.csr_matrix:
    """L2-normalized documents x terms matrix: each row sums a document's sentence vectors."""
    rows = [sparse.csr_matrix(m.sum(axis=0)) if m.shape[0] else sparse.csr_matrix((1, m.shape[1]))
            for m in sentence_matrices]
    return l2_normalize(sparse.vstack(rows).tocsr())


def candidate_pairs(
    sentence_matrices: Sequence[sparse.csr_matrix],
    extra: Iterable[tuple[int, int]] = (),
    all_pairs_below: int = 300,
    k: int = 10,
    min_cosine: float = 0.1,
) -> list[tuple[int, int]]:
    """Sorted index pairs ``(i, j)``, ``i < j``, worth aligning.

    Parameters
    ----------
    sentence_matrices : per document, its sentence vectors (one shared vocabulary).
    extra : pairs that must be included (near-duplicates from the sketch).
    all_pairs_below : collections smaller than this align every pair.
    k, min_cosine : neighbours kept per document by the term overlap. With
        ``k = 10`` a document can have up to ten sources or derivatives
        beyond its near-duplicates; ``min_cosine`` drops neighbours that share
        little more than function words.
    """
    return with_extra(neighbour_pairs(sentence_matrices, all_pairs_below, k, min_cosine), extra)


def with_extra(pairs: set[tuple[int, int]], extra: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ``pairs`` plus ``extra`` (either order, self-pairs dropped) as ``(i, j)``, ``i < j``."""
    out = set(pairs)
    out.update((min(i, j), max(i, j)) for i, j in extra if i != j)
    return sorted(out)


def neighbour_pairs(
    sentence_matrices: Sequence[sparse.csr_matrix],
    all_pairs_below: int = 300,
    k: int = 10,
    min_cosine: float = 0.1,
) -> set[tuple[int, int]]:
    """The term-overlap part of :func:`candidate_pairs` (same parameters), unsorted.

    Separate so that it can run before the near-duplicate pairs are known.
    """
    n = len(sentence_matrices)
    if n < all_pairs_below:
        return {(i, j) for i in range(n) for j in range(i + 1, n)}
    out: set[tuple[int, int]] = set()
    m = document_matrix(sentence_matrices)
    kk = min(k, n - 1)
    for start in range(0, n, 1000):  # blocks bound the dense similarity memory
        block = (m[start:start + 1000] @ m.T).toarray()
        for r in range(block.shape[0]):
            i = start + r
            block[r, i] = -1.0
            top = np.argpartition(-block[r], kk - 1)[:kk]
            for j in sorted(int(x) for x in top):
                if block[r, j] >= min_cosine:
                    out.add((min(i, j), max(i, j)))
    return out
