"""Evidence between two prepared texts: one-to-one sentence alignments and shared claims.

This is the stage between alignment and the derivation model: it turns a
sentence similarity matrix into a one-to-one set of aligned sentence pairs
(a sentence is evidence once), finds the specific claims both texts state
(with numeric drift), and summarizes both as the features the pair model uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
import json
from bisect import bisect_left
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from .aligners import TfidfSentenceAligner
from .forkpool import can_fork, fork_map
from .order import content_terms, ordered_excess_terms
from .records import Alignment, Claim
from .signals import claims_match, find_claims, is_specific, numeric_value
from .text import PreparedText


#: Sentence-level parameters of the evidence aligner. The evidence threshold
#: and the pair model were fitted with exactly these, so they are pinned here
#: rather than taken from the aligner's defaults (which are tuned for PAN
#: passage detection and may change with that benchmark).
EVIDENCE_ALIGNER_PARAMS = {"threshold": 0.35, "min_terms": 3, "prior_sentences": 2000}


def evidence_aligner() -> TfidfSentenceAligner:
    """An unfitted aligner with the pinned evidence parameters."""
    return TfidfSentenceAligner(**EVIDENCE_ALIGNER_PARAMS)


@lru_cache(maxsize=1)
def evidence_min_score() -> float:
    """Minimum alignment score shown as evidence (fitted, see the data file)."""
    data = json.loads(resources.files("provenance").joinpath("data/evidence_threshold.json").read_text("utf-8"))
    return float(data["min_score"])


#: Specific claims (numbers, money, percentages, durations, dates) shared
#: inside one sentence pair that make a weaker match evidence anyway: two
#: independent figures agreeing in one sentence pair is rarely chance.
MIN_CORROBORATING_CLAIMS = 2


@dataclass(frozen=True)
class SharedClaim:
    """A specific claim stated by both texts (``drift`` when values differ slightly)."""

    key_a: str
    key_b: str
    a: Claim
    b: Claim
    drift: bool

    def swapped(self) -> "SharedClaim":
        return SharedClaim(self.key_b, self.key_a, self.b, self.a, self.drift)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.a.kind,
            "key": self.key_a if not self.drift else f"{self.key_a} ~ {self.key_b}",
            "source_start": self.a.start, "source_end": self.a.end, "source_text": self.a.text,
            "target_start": self.b.start, "target_end": self.b.end, "target_text": self.b.text,
            "drift": self.drift,
        }


@dataclass(frozen=True)
class PairEvidence:
    """Everything observed between texts ``a`` and ``b`` (``a`` on the source side)."""

    a: str
    b: str
    alignments: tuple[Alignment, ...]  # evidence-grade one-to-one sentence pairs, best first
    shared_claims: tuple[SharedClaim, ...]
    features: dict[str, float] = field(default_factory=dict)

    def swapped(self) -> "PairEvidence":
        return PairEvidence(
            self.b, self.a, tuple(x.swapped() for x in self.alignments),
            tuple(c.swapped() for c in self.shared_claims),
            dict(self.features),
        )


def one_to_one(sim: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Greedy best-first matching: each sentence on each side used at most once.

    Ties are broken by position so the result is deterministic.
    """
    ii, jj = np.nonzero(sim >= threshold)
    order = sorted(zip(ii.tolist(), jj.tolist()), key=lambda ij: (-sim[ij], ij[0], ij[1]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for i, j in order:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, float(sim[i, j])))
    return out


class ClaimIndex:
    """The specific claims of one text, sorted by offset, for span look-ups."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.claims = sorted((c for c in claims if is_specific(c)), key=lambda c: (c.start, c.end, c.key))
        self.starts = [c.start for c in self.claims]

    def within(self, start: int, end: int) -> list[Claim]:
        return self.claims[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def _index(claims: Sequence[Claim] | ClaimIndex) -> ClaimIndex:
    return claims if isinstance(claims, ClaimIndex) else ClaimIndex(claims)


def shared_claims(claims_a: Sequence[Claim] | ClaimIndex, claims_b: Sequence[Claim] | ClaimIndex,
                  tolerance: float = 0.15, aligned: Sequence[Alignment] | None = None) -> list[SharedClaim]:
    """Specific claims both texts state, exact first, then within ``tolerance``.

    The tolerance (15 %) admits the drift of copy-editing ("eight weeks" ->
    "2 months" is 56 vs 60 days; "nearly 2,000" -> "1,800"). A drifted
    match only counts inside one aligned sentence pair (when ``aligned`` is
    given): two nearby numbers elsewhere in two texts are usually different
    facts. Each claim is used once.
    """
    ia, ib = _index(claims_a), _index(claims_b)
    out: list[SharedClaim] = []
    used_a: set[str] = set()
    used_b: set[str] = set()
    by_key_b: dict[str, Claim] = {}
    for c in ib.claims:
        by_key_b.setdefault(c.key, c)
    for c in ia.claims:
        if c.key in by_key_b and c.key not in used_a:
            used_a.add(c.key)
            used_b.add(c.key)
            out.append(SharedClaim(c.key, c.key, c, by_key_b[c.key], False))
    for c in ia.claims:
        if c.key in used_a or numeric_value(c.key) is None:
            continue
        if aligned is None:
            partners = ib.claims
        else:  # claims of B in the sentences aligned with the sentence holding c
            found = {d.start: d for x in aligned if x.source_start <= c.start < x.source_end
                     for d in ib.within(x.target_start, x.target_end)}
            partners = [found[k] for k in sorted(found)]
        for d in partners:
            if d.key in used_b:
                continue
            if claims_match(c.key, d.key, tolerance):
                used_a.add(c.key)
                used_b.add(d.key)
                out.append(SharedClaim(c.key, d.key, c, d, True))
                break
    return out


@dataclass(frozen=True)
class SentenceVectors:
    """TF-IDF sentence vectors of one text in a collection-wide vocabulary."""

    matrix: sparse.csr_matrix
    n_terms: np.ndarray

    @cached_property
    def transposed(self) -> sparse.csr_matrix:
        """``matrix.T`` as CSR, made once per text rather than once per pair.

        ``csr @ csc`` converts the right operand to exactly this inside
        scipy, so products with it are bit-identical.
        """
        return self.matrix.T.tocsr()


#: Below this many texts, vectorizing in one process is cheaper than forking.
PARALLEL_MIN_TEXTS = 1000
#: Texts per worker task when vectorizing in parallel.
VECTOR_CHUNK = 250


def collection_vectors(aligner: TfidfSentenceAligner, texts: Sequence[PreparedText],
                       jobs: int = 1) -> list[SentenceVectors]:
    """Vectorize every text once, in one vocabulary, so pairs cost one sparse product.

    Weights are exactly those of ``aligner.vectors`` (which memoizes its IDF).
    With ``jobs > 1`` texts are vectorized in forked workers, each in its own
    vocabulary, and remapped here (:func:`_in_shared_vocabulary`): the
    matrices are identical to one process's.
    """
    vocab: dict[str, int] = {}
    if jobs > 1 and len(texts) >= PARALLEL_MIN_TEXTS and can_fork():
        spans = [(k, min(k + VECTOR_CHUNK, len(texts))) for k in range(0, len(texts), VECTOR_CHUNK)]
        raw = [_in_shared_vocabulary(vocab, *local) for part in fork_map(_local_vectors, (aligner, texts), spans, jobs)
               for local in part]
    else:
        raw = [aligner.vectors(p, vocab) for p in texts]
    width = max(len(vocab), 1)
    out = []
    for m, n in raw:
        m.resize((m.shape[0], width))
        out.append(SentenceVectors(m.tocsr(), n))
    return out


_LocalVectors = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _local_vectors(state: tuple[TfidfSentenceAligner, Sequence[PreparedText]],
                   span: tuple[int, int]) -> list[_LocalVectors]:
    """Worker task: vectors of texts ``span[0]:span[1]``, each in a vocabulary of its own.

    Returns per text its terms (in first-occurrence order, the order in which
    a shared vocabulary would number them), the entries as (row, local
    column, weight) in row-major order, and the distinct terms per sentence.
    """
    aligner, texts = state
    out = []
    for p in texts[span[0]:span[1]]:
        vocab: dict[str, int] = {}
        m, n_terms = aligner.vectors(p, vocab)
        coo = m.tocoo()
        out.append((list(vocab), coo.row, coo.col, coo.data, n_terms))
    return out


def _in_shared_vocabulary(vocab: dict[str, int], terms: list[str], rows: np.ndarray, cols: np.ndarray,
                          vals: np.ndarray, n_terms: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One text's local vectors renumbered in ``vocab`` (extended as ``aligner.vectors`` would).

    ``aligner.vectors`` lists a row's entries by shared column; the weights
    themselves do not depend on the numbering (a sentence's norm sums its
    terms in text order), so sorting the renumbered entries the same way
    rebuilds the same matrix.
    """
    ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms), dtype=np.int64, count=len(terms))
    shared = ids[cols]
    order = np.lexsort((shared, rows))
    indptr = np.zeros(len(n_terms) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(n_terms)), out=indptr[1:])
    m = sparse.csr_matrix((vals[order], shared[order].astype(np.int32), indptr),
                          shape=(len(n_terms), max(len(vocab), 1)))
    return m, n_terms


def similarity_matrix(aligner: TfidfSentenceAligner, va: SentenceVectors, vb: SentenceVectors) -> np.ndarray:
    """Cosine matrix between two vectorized texts, short sentences masked (as ``aligner.similarity``)."""
    sim = (va.matrix @ vb.transposed).toarray()
    sim[va.n_terms < aligner.min_terms, :] = 0.0
    sim[:, vb.n_terms < aligner.min_terms] = 0.0
    return sim


def pair_evidence(a: PreparedText, b: PreparedText, aligner: TfidfSentenceAligner,
                  claims_a: Sequence[Claim] | ClaimIndex | None = None,
                  claims_b: Sequence[Claim] | ClaimIndex | None = None,
                  vectors: tuple[SentenceVectors, SentenceVectors] | None = None,
                  terms: tuple[Sequence[str], Sequence[str]] | None = None) -> PairEvidence:
    """Aligned sentence pairs, shared claims and model features for ``a`` ~ ``b``.

    ``vectors`` (from :func:`collection_vectors`) skips re-vectorizing;
    claims given as a :class:`ClaimIndex` skip re-indexing (a text is in many pairs);
    ``terms`` (from :func:`provenance.order.content_terms`) skips re-tokenizing.
    """
    if not a.sentences or not b.sentences:
        sim = np.zeros((0, 0))
    elif vectors is not None:
        sim = similarity_matrix(aligner, *vectors)
    else:
        sim = aligner.similarity(a, b)
    matches = one_to_one(sim, aligner.threshold) if sim.size else []
    als = tuple(
        Alignment(a.sentences[i].start, a.sentences[i].end, b.sentences[j].start, b.sentences[j].end, s, aligner.method)
        for i, j, s in matches
    )
    ca = _index(claims_a if claims_a is not None else find_claims(a.raw))
    cb = _index(claims_b if claims_b is not None else find_claims(b.raw))
    agreement = [claim_agreement(al, ca, cb) for al in als]
    # A pair of sentences whose figures all disagree is the same template of
    # wording about different facts (topic overlap), not copied material.
    kept = tuple(al for al, g in zip(als, agreement) if g >= 0)
    shared = shared_claims(ca, cb, aligned=kept)
    shown = evidence_grade(kept, shared)
    feats = features(a, b, matches, shared)
    # Only pairs with an aligned sentence can become edges: skip the LCS otherwise.
    if matches:
        ta, tb = terms if terms is not None else (content_terms(a), content_terms(b))
        excess = ordered_excess_terms(ta, tb)
    else:
        ta, tb, excess = (), (), 0.0
    # as a share of the shorter text (a rewrite) and in terms (a copied passage in a longer text)
    feats["order_excess"] = excess / max(1, min(len(ta), len(tb)))
    feats["log_order_excess"] = math.log1p(max(0.0, excess))
    feats["n_evidence"] = float(len(shown))
    feats["log_evidence"] = math.log1p(len(shown))
    n_contra = sum(1 for g in agreement if g < 0)
    feats["n_contradicted"] = float(n_contra)
    feats["log_contradicted"] = math.log1p(n_contra)
    feats["n_corroborated"] = float(sum(1 for g in agreement if g > 0))
    return PairEvidence(a.id, b.id, shown, tuple(shared), feats)


def claim_agreement(al: Alignment, claims_a: Sequence[Claim] | ClaimIndex, claims_b: Sequence[Claim] | ClaimIndex,
                    tolerance: float = 0.15) -> int:
    """+1 if the two aligned sentences share a specific claim, -1 if both state
    specific claims and none agree (within ``tolerance``), 0 otherwise."""
    xa = _index(claims_a).within(al.source_start, al.source_end)
    xb = _index(claims_b).within(al.target_start, al.target_end)
    if not xa or not xb:
        return 0
    if any(claims_match(c.key, d.key, tolerance) for c in xa for d in xb):
        return 1
    return -1


def claims_inside(al: Alignment, shared: Sequence[SharedClaim]) -> int:
    """Shared claims whose two mentions both lie in the aligned sentences."""
    return sum(1 for c in shared
               if al.source_start <= c.a.start < al.source_end and al.target_start <= c.b.start < al.target_end)


def evidence_grade(als: Sequence[Alignment], shared: Sequence[SharedClaim]) -> tuple[Alignment, ...]:
    """Alignments a reader can trust: score at the fitted bar, or corroborated by claims."""
    bar = evidence_min_score()
    return tuple(al for al in als if al.score >= bar or claims_inside(al, shared) >= MIN_CORROBORATING_CLAIMS)


def _content_chars(p: PreparedText) -> int:
    return sum(s.end - s.start for s in p.sentences) or 1


def features(a: PreparedText, b: PreparedText, matches: list[tuple[int, int, float]],
             shared: list[SharedClaim]) -> dict[str, float]:
    """Scale-free summary of the evidence, the inputs of the pair model."""
    strong = [s for _, _, s in matches]
    chars_a = sum(a.sentences[i].end - a.sentences[i].start for i, _, _ in matches)
    chars_b = sum(b.sentences[j].end - b.sentences[j].start for _, j, _ in matches)
    cov_a = chars_a / _content_chars(a)
    cov_b = chars_b / _content_chars(b)
    exact = sum(1 for c in shared if not c.drift)
    return {
        "n_aligned": float(len(strong)),
        "log_aligned": math.log1p(len(strong)),
        "best_score": max(strong, default=0.0),
        "mass": float(sum(strong)),
        "coverage_max": max(cov_a, cov_b),
        "coverage_a": cov_a,
        "coverage_b": cov_b,
        "shared_claims": float(exact),
        "log_shared_claims": math.log1p(exact),
        "drifted_claims": float(len(shared) - exact),
    }
