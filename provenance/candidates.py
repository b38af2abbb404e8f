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

from .forkpool import can_fork, fork_map


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
    jobs: int = 1,
) -> set[tuple[int, int]]:
    """The term-overlap part of :func:`candidate_pairs` (same parameters), unsorted.

    Separate so that it can run before the near-duplicate pairs are known.
    The similarity blocks (quadratic in the collection) are computed in
    ``jobs`` forked workers when there are several; each block's pairs do not
    depend on the others.
    """
    n = len(sentence_matrices)
    if n < all_pairs_below:
        return {(i, j) for i in range(n) for j in range(i + 1, n)}
    m = document_matrix(sentence_matrices)
    state = (m, m.T.tocsr(), min(k, n - 1), min_cosine)  # the transpose once, not once per block
    starts = list(range(0, n, BLOCK))
    if jobs > 1 and len(starts) > 1 and can_fork():
        parts = fork_map(_block_pairs, state, starts, jobs)
    else:
        parts = (_block_pairs(state, s) for s in starts)
    out: set[tuple[int, int]] = set()
    for part in parts:
        out.update(part)
    return out


#: Documents per similarity block: bounds the dense block's memory (8 bytes x BLOCK x n).
BLOCK = 1000


def _block_pairs(state: tuple[sparse.csr_matrix, sparse.csr_matrix, int, float], start: int) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, with ``i`` or ``j`` in the block at ``start`` whose
    other end is among the block document's ``kk`` nearest at ``min_cosine`` or more."""
    m, mt, kk, min_cosine = state
    block = (m[start:start + BLOCK] @ mt).toarray()
    rows = np.arange(block.shape[0])
    block[rows, rows + start] = -1.0
    # row-wise argpartition of the whole block: the same selection (ties
    # included) as one row at a time, without a Python loop per row
    top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
    r, c = np.nonzero(np.take_along_axis(block, top, axis=1) >= min_cosine)
    i, j = r + start, top[r, c]
    return list(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist()))
