"""Shared machinery of aligners that score every sentence pair (a similarity matrix)."""

from __future__ import annotations

import bisect
from dataclasses import replace

import numpy as np
from scipy import sparse

from ..records import Alignment
from ..text import PreparedText
from .base import Aligner, SentencePair, as_prepared, build_passages
from .refine import refine_passage


def _outside(passages: list[Alignment], covering: list[Alignment]) -> list[Alignment]:
    """``passages`` whose target side overlaps none of ``covering``'s, in order."""
    return [p for p in passages
            if all(p.target_end <= q.target_start or p.target_start >= q.target_end for q in covering)]


def matrix_seeds(sim: np.ndarray, threshold: float, top_k: int = 0) -> list[SentencePair]:
    """Sentence pairs scoring at least ``threshold``.

    With ``top_k > 0`` a pair is kept only if it is among the ``top_k`` best
    of its row *and* of its column (ties kept): a sentence repeated or
    echoed elsewhere does not drag passages across unrelated text.
    """
    mask = sim >= threshold
    if top_k > 0 and mask.any():
        k_r = min(top_k, sim.shape[1])
        k_c = min(top_k, sim.shape[0])
        row_kth = -np.partition(-sim, k_r - 1, axis=1)[:, k_r - 1]
        col_kth = -np.partition(-sim, k_c - 1, axis=0)[k_c - 1, :]
        mask &= (sim >= row_kth[:, None]) & (sim >= col_kth[None, :])
    ii, jj = np.nonzero(mask)
    return [SentencePair(int(i), int(j), float(sim[i, j])) for i, j in zip(ii, jj)]


def _span_rows(p: PreparedText, start: int, end: int) -> slice:
    starts = np.fromiter((s.start for s in p.sentences), dtype=np.int64, count=len(p.sentences))
    ends = np.fromiter((s.end for s in p.sentences), dtype=np.int64, count=len(p.sentences))
    lo = int(np.searchsorted(starts, start, side="left"))
    hi = int(np.searchsorted(ends, end, side="right"))
    return slice(lo, max(hi, lo + 1))


def passage_cosine(va: sparse.csr_matrix, vb: sparse.csr_matrix, a: PreparedText, b: PreparedText,
                   p: Alignment) -> float:
    """Cosine of the summed sentence vectors of the two sides of passage ``p``."""
    x = np.asarray(va[_span_rows(a, p.source_start, p.source_end)].sum(axis=0)).ravel()
    y = np.asarray(vb[_span_rows(b, p.target_start, p.target_end)].sum(axis=0)).ravel()
    nx, ny = float(np.linalg.norm(x)), float(np.linalg.norm(y))
    return float(x @ y) / (nx * ny) if nx and ny else 0.0


class MatrixAligner(Aligner):
    """Base of aligners built on a sentence similarity matrix.

    Subclasses define :meth:`similarity` (and optionally :meth:`pair_vectors`)
    and these hyperparameters: ``threshold``, ``seed_top_k``, ``max_gap``,
    ``min_passage_chars``, ``min_seeds``, ``validate_threshold``,
    ``summary_ratio``, ``summary_threshold``, ``summary_min_seeds``; optional
    ones are read with defaults that turn them off (``grow_threshold``,
    ``summary_merge``, ``summary_*`` refinements, ``refine_*``).
    """

    def similarity(self, a: PreparedText, b: PreparedText) -> np.ndarray:
        raise NotImplementedError

    def pair_vectors(self, a: PreparedText, b: PreparedText):
        """Row-normalised sentence vectors of ``a`` and ``b`` in one space, or ``(None, None)``."""
        return None, None

    def sentence_pairs(self, a: PreparedText, b: PreparedText) -> list[SentencePair]:
        if not a.sentences or not b.sentences:
            return []
        return matrix_seeds(self.similarity(a, b), self.threshold, self.seed_top_k)

    def align(self, a: str | PreparedText, b: str | PreparedText) -> list[Alignment]:
        """Aligned passages of ``a`` (source side) and ``b`` (target side)."""
        pa, pb = as_prepared(a, "a"), as_prepared(b, "b")
        if not pa.sentences or not pb.sentences:
            return []
        va, vb = self.pair_vectors(pa, pb)
        sim = (va @ vb.T).toarray() if va is not None else self.similarity(pa, pb)
        return self.passages_from_similarity(sim, pa, pb, va, vb)

    def passages_from_similarity(self, sim: np.ndarray, a: PreparedText, b: PreparedText,
                                 va: sparse.csr_matrix | None = None,
                                 vb: sparse.csr_matrix | None = None) -> list[Alignment]:
        """Passages from a sentence similarity matrix (rows: ``a``, columns: ``b``).

        1. Seeds: pairs at ``threshold`` (mutual ``seed_top_k`` best if set).
        2. :func:`~provenance.aligners.base.build_passages` with ``max_gap``,
           ``min_passage_chars``, ``min_seeds``; with ``grow_threshold``
           (``0 < grow_threshold < threshold``), pairs at ``grow_threshold``
           (mutual ``seed_top_k`` best likewise) are its ``weak_seeds``:
           they extend passages over neighbouring sentences but start none.
        3. Validation (``validate_threshold > 0`` and sentence vectors given):
           a passage is kept only if the cosine of its two sides, each as the
           sum of its sentence vectors, reaches ``validate_threshold``.
        4. Summary pass (``summary_ratio > 0``): seeds at
           ``summary_threshold`` grouped by target proximity alone; a passage
           whose source side is at least ``summary_ratio`` times its target
           side, with ``summary_min_seeds`` seeds, replaces the passages it
           overlaps on the target side. Optional refinements, when the
           aligner has them: ``summary_validate`` (minimum side-to-side
           cosine of a summary passage) and ``summary_extend`` (a summary
           passage whose source side already spans at least this share of
           the source text is taken to summarise all of it; 1 disables) and
           ``summary_trigger`` (a summary passage must overlap normal passages
           only, at least one, each with source side >= ``summary_trigger``
           times its target side; 0 disables). With ``summary_merge``, runs of
           ordinary passages that are neighbours on the target side also
           become summary passages when their joint sides pass
           ``summary_ratio`` and ``summary_extend`` (see
           :meth:`_merged_summaries`); ``summary_trigger`` does not apply to
           them, ``summary_validate`` does.
        5. Boundary refinement (``refine_ngram > 0``): the ends of every
           passage not made by the summary pass are trimmed to its
           best-matching stretch of words
           (:func:`~provenance.aligners.refine.refine_passage` with
           ``refine_ngram``, ``refine_penalty``, ``refine_min_share`` and
           ``refine_extend``).
        """
        out = self._seeded_passages(sim, a, b, va, vb)
        if self.summary_ratio <= 0:
            return self._refined(out, a, b)
        summ = build_passages(matrix_seeds(sim, self.summary_threshold), a, b, self.method, max_gap=self.max_gap,
                              min_passage_chars=self.min_passage_chars, min_seeds=self.summary_min_seeds,
                              source_gap=len(a.sentences))
        summ = [p for p in summ
                if p.source_end - p.source_start >= self.summary_ratio * (p.target_end - p.target_start)]
        trigger = getattr(self, "summary_trigger", 0.0)
        if trigger > 0:
            # A summary passage must sit on normal passages that already look
            # like summaries (source side >= trigger x target side); one that
            # overlaps an ordinary passage, or none at all, is not trusted.
            def _ratio(p: Alignment) -> float:
                return (p.source_end - p.source_start) / max(p.target_end - p.target_start, 1)

            def _anchored(q: Alignment) -> bool:
                under = [p for p in out if p.target_start < q.target_end and q.target_start < p.target_end]
                return bool(under) and all(_ratio(p) >= trigger for p in under)

            summ = [q for q in summ if _anchored(q)]
        if getattr(self, "summary_merge", False):
            summ += self._merged_summaries(out, summ, a, b)
        if getattr(self, "summary_validate", 0.0) > 0 and va is not None:
            summ = [p for p in summ if passage_cosine(va, vb, a, b, p) >= self.summary_validate]
        extend = getattr(self, "summary_extend", 1.0)
        if extend < 1.0 and summ:
            first, last = a.sentences[0].start, a.sentences[-1].end
            summ = [replace(p, source_start=first, source_end=last)
                    if p.source_end - p.source_start >= extend * (last - first) else p for p in summ]
        if not summ:
            return self._refined(out, a, b)
        rest = _outside(out, summ)
        return sorted(summ + self._refined(rest, a, b), key=lambda p: (p.target_start, p.source_start))

    def _merged_summaries(self, out: list[Alignment], summ: list[Alignment], a: PreparedText,
                          b: PreparedText) -> list[Alignment]:
        """Runs of passages next to each other on the target side (at most
        ``max_gap`` sentences apart), each run as one passage, if its joint
        source side is at least ``summary_ratio`` times its joint target
        side and spans at least ``summary_extend`` of the source text: a
        summary paraphrases source sentences spread far apart, which seed
        passages that are neighbours only in the target. Passages already
        under a seed-built summary passage are left out."""
        cover = getattr(self, "summary_extend", 1.0)
        src_len = a.sentences[-1].end - a.sentences[0].start
        free = sorted(_outside(out, summ), key=lambda p: p.target_start)
        starts = [s.start for s in b.sentences]
        runs: list[list[Alignment]] = []
        for p in free:
            if runs:
                prev = runs[-1][-1]
                between = bisect.bisect_left(starts, p.target_start) - bisect.bisect_left(starts, prev.target_end)
                if between <= self.max_gap:
                    runs[-1].append(p)
                    continue
            runs.append([p])
        merged = []
        for run in runs:
            if len(run) < 2:
                continue
            q = Alignment(min(p.source_start for p in run), max(p.source_end for p in run),
                          run[0].target_start, max(p.target_end for p in run),
                          sum(p.score for p in run) / len(run), self.method)
            span = q.source_end - q.source_start
            if span >= self.summary_ratio * (q.target_end - q.target_start) and span >= cover * src_len:
                merged.append(q)
        return merged

    def _seeded_passages(self, sim: np.ndarray, a: PreparedText, b: PreparedText, va: sparse.csr_matrix | None,
                         vb: sparse.csr_matrix | None) -> list[Alignment]:
        """Steps 1 to 3 of :meth:`passages_from_similarity`: passages from the seeds, validated."""
        threshold = self.threshold
        grow = getattr(self, "grow_threshold", 0.0)
        weak = matrix_seeds(sim, grow, self.seed_top_k) if 0 < grow < threshold else ()
        out = build_passages(matrix_seeds(sim, threshold, self.seed_top_k), a, b, self.method,
                             max_gap=self.max_gap, min_passage_chars=self.min_passage_chars,
                             min_seeds=self.min_seeds, prune_dominated=getattr(self, "prune_dominated", False),
                             weak_seeds=weak)
        if self.validate_threshold > 0 and va is not None:
            out = [p for p in out if passage_cosine(va, vb, a, b, p) >= self.validate_threshold]
        return out

    def _refined(self, passages: list[Alignment], a: PreparedText, b: PreparedText) -> list[Alignment]:
        """Passages with their edges refined (``refine_ngram > 0``); summary passages are not passed here."""
        n = getattr(self, "refine_ngram", 0)
        if n <= 0 or not passages:
            return passages
        share = getattr(self, "refine_min_share", 0.0)
        return [refine_passage(a.raw, b.raw, p, n, self.refine_penalty, share,
                               getattr(self, "refine_extend", 0)) for p in passages]
