"""The aligner interface and the passage builder shared by all methods.

An aligner follows scikit-learn's estimator contract: hyperparameters are set
only in ``__init__``; ``fit(corpus)`` learns corpus statistics into
attributes ending in ``_`` and returns ``self``. ``align(a, b)`` returns
:class:`~provenance.records.Alignment` objects whose ``source_*`` offsets index
``a`` and ``target_*`` offsets index ``b`` (both raw texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from sklearn.base import BaseEstimator

from ..records import Alignment
from ..text import PreparedText, prepare


@dataclass(frozen=True)
class SentencePair:
    """Sentence ``a_index`` of text A matches sentence ``b_index`` of text B."""

    a_index: int
    b_index: int
    score: float


def as_prepared(x: str | PreparedText, id: str) -> PreparedText:
    """``x`` itself if prepared, else :func:`prepare_for_alignment` of it."""
    return x if isinstance(x, PreparedText) else prepare_for_alignment(x, id=id)


class Aligner(BaseEstimator):
    """Base class: subclasses implement :meth:`sentence_pairs`.

    Passage-building hyperparameters are shared: ``max_gap`` (sentences that
    may lie between two seeds of one passage, on either side) and
    ``min_passage_chars`` (shorter passages are dropped on both sides).
    """

    method = "base"

    def fit(self, corpus: Sequence[str | PreparedText] = ()) -> "Aligner":
        """Learn corpus statistics (none for the base class)."""
        self.n_documents_ = len(corpus)
        return self

    def sentence_pairs(self, a: PreparedText, b: PreparedText) -> list[SentencePair]:
        raise NotImplementedError

    def align(self, a: str | PreparedText, b: str | PreparedText) -> list[Alignment]:
        """Aligned passages of ``a`` (source side) and ``b`` (target side)."""
        pa, pb = as_prepared(a, "a"), as_prepared(b, "b")
        seeds = self.sentence_pairs(pa, pb)
        return build_passages(
            seeds, pa, pb, method=self.method,
            max_gap=getattr(self, "max_gap", 2),
            min_passage_chars=getattr(self, "min_passage_chars", 0),
        )

    def align_sentences(self, a: str | PreparedText, b: str | PreparedText) -> list[Alignment]:
        """Sentence-level alignments (the seeds), best first."""
        pa, pb = as_prepared(a, "a"), as_prepared(b, "b")
        out = [sentence_alignment(pa, pb, p, self.method) for p in self.sentence_pairs(pa, pb)]
        return sorted(out, key=lambda x: (-x.score, x.source_start, x.target_start))


def sentence_alignment(pa: PreparedText, pb: PreparedText, p: SentencePair, method: str) -> Alignment:
    sa, sb = pa.sentences[p.a_index], pb.sentences[p.b_index]
    return Alignment(sa.start, sa.end, sb.start, sb.end, p.score, method)


def build_passages(
    seeds: Sequence[SentencePair],
    a: PreparedText,
    b: PreparedText,
    method: str,
    max_gap: int = 2,
    min_passage_chars: int = 0,
    min_seeds: int = 1,
    source_gap: int | None = None,
    prune_dominated: bool = False,
    weak_seeds: Sequence[SentencePair] = (),
) -> list[Alignment]:
    """Grow sentence seeds into maximal passages, as the best PAN systems do.

    1. *Extend*: seeds whose sentence indices lie within ``max_gap + 1`` of a
       passage on both sides join it (repeated until nothing changes), so a
       paraphrased passage with a few unmatched sentences stays whole.
       ``source_gap`` (default ``max_gap``) replaces ``max_gap`` on the
       source side; a large value groups seeds by target proximity alone,
       which suits summaries (one target sentence condenses source sentences
       spread far apart).
    2. *Filter*: passages shorter than ``min_passage_chars`` on either side
       or made of fewer than ``min_seeds`` seeds are dropped; where two
       passages overlap on the target side, the one with more matched
       characters wins (one source per target stretch).

    ``weak_seeds`` (pairs that score below the seed threshold but above a
    lower one) start no passage; after grouping, a weak seed next to a
    passage on both sides (sentence index at most one past either end)
    joins it, repeatedly, so a passage grows over its loosely rewritten
    first and last sentences (hysteresis thresholding).

    With ``prune_dominated``, once the seeds are grouped, a seed that is
    neither the best-scoring seed of its ``a`` sentence nor of its ``b``
    sentence within its passage no longer sets the passage bounds: a
    sentence that merely resembles a copied neighbour (a second-best match)
    then cannot stretch the passage past the copy. Grouping still uses all
    seeds.

    Returns passages sorted by target offset.
    """
    if not seeds:
        return []
    lim_b = max_gap + 1
    lim_a = lim_b if source_gap is None else source_gap + 1
    # A cluster is [a_lo, a_hi, b_lo, b_hi, seeds].
    clusters: list[list] = []

    def near(c: list, d: list) -> bool:
        return (c[0] - lim_a <= d[1] and d[0] <= c[1] + lim_a
                and c[2] - lim_b <= d[3] and d[2] <= c[3] + lim_b)

    for s in sorted(seeds, key=lambda p: (p.b_index, p.a_index)):
        new = [s.a_index, s.a_index, s.b_index, s.b_index, [s]]
        hit = [c for c in clusters if near(c, new)]
        for c in hit:
            new = [min(new[0], c[0]), max(new[1], c[1]), min(new[2], c[2]), max(new[3], c[3]), new[4] + c[4]]
        if hit:
            ids = {id(c) for c in hit}
            clusters = [c for c in clusters if id(c) not in ids]
        clusters.append(new)
    # Merge clusters that became near each other after growing.
    changed = True
    while changed:
        changed = False
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                ci, cj = clusters[i], clusters[j]
                if ci[4] and cj[4] and near(ci, cj):
                    clusters[i] = [min(ci[0], cj[0]), max(ci[1], cj[1]), min(ci[2], cj[2]), max(ci[3], cj[3]), ci[4] + cj[4]]
                    clusters[j] = [0, 0, 0, 0, []]
                    changed = True
        clusters = [c for c in clusters if c[4]]
    if weak_seeds:
        strong = {(s.a_index, s.b_index) for s in seeds}
        weak = [s for s in weak_seeds if (s.a_index, s.b_index) not in strong]
        for c in clusters:
            grown = True
            while grown:
                grown = False
                for s in weak:
                    if (c[0] - 1 <= s.a_index <= c[1] + 1 and c[2] - 1 <= s.b_index <= c[3] + 1
                            and not (c[0] <= s.a_index <= c[1] and c[2] <= s.b_index <= c[3])):
                        c[:4] = [min(c[0], s.a_index), max(c[1], s.a_index), min(c[2], s.b_index), max(c[3], s.b_index)]
                        c[4] = c[4] + [s]
                        grown = True
    clusters = [c[4] for c in clusters]

    passages = []
    for c in clusters:
        if prune_dominated:
            best_a: dict[int, float] = {}
            best_b: dict[int, float] = {}
            for s in c:
                best_a[s.a_index] = max(best_a.get(s.a_index, -1.0), s.score)
                best_b[s.b_index] = max(best_b.get(s.b_index, -1.0), s.score)
            c = [s for s in c if s.score >= best_a[s.a_index] and s.score >= best_b[s.b_index]]
        ai = [s.a_index for s in c]
        bi = [s.b_index for s in c]
        a0, a1 = a.sentences[min(ai)].start, a.sentences[max(ai)].end
        b0, b1 = b.sentences[min(bi)].start, b.sentences[max(bi)].end
        if min(a1 - a0, b1 - b0) < min_passage_chars or len(c) < min_seeds:
            continue
        score = sum(s.score for s in c) / len(c)
        weight = sum(b.sentences[s.b_index].end - b.sentences[s.b_index].start for s in c)
        passages.append((weight, Alignment(a0, a1, b0, b1, score, method)))
    # Overlap resolution on the target side: heavier passage first.
    passages.sort(key=lambda wp: (-wp[0], wp[1].target_start, wp[1].source_start))
    kept: list[Alignment] = []
    for _, p in passages:
        if all(p.target_end <= q.target_start or p.target_start >= q.target_end for q in kept):
            kept.append(p)
    return sorted(kept, key=lambda p: (p.target_start, p.source_start))


_SINGLE_NEWLINE = re.compile(r"(?<![\r\n])\r?\n(?![\r\n])")


# Sentences longer than this are cut further before alignment (see
# provenance.segment.resplit_long): chosen by benchmarks/tune_alignment.py
# --recall-stages (stage S, benchmarks/results/tuning-charngram-recall.md).
MAX_SENTENCE_CHARS = 300


def prepare_for_alignment(raw: str, id: str = "text", join_lines: bool = False,
                          max_sentence_chars: int | None = MAX_SENTENCE_CHARS) -> PreparedText:
    """Prepare ``raw`` for passage alignment of whole documents.

    Unlike :func:`~provenance.text.prepare` with its defaults, no line is
    dropped as boilerplate (a copied passage may look like boilerplate), and
    with ``join_lines`` a single line break does not end a sentence (copied
    text is often re-wrapped; blank lines still do). Off by default: on the
    PAN 2013 dev corpus it lowered translation-chain PlagDet (see
    docs/alignment.md). Sentences longer than ``max_sentence_chars`` (0 or
    None: no limit) are cut at inner sentence ends, then line breaks, then
    spaces (:func:`~provenance.segment.resplit_long`): the segmenter leaves
    some runs of several sentences whole, and a copy inside one cannot seed
    a passage. Offsets index ``raw``.
    """
    if not join_lines:
        return prepare(raw, id=id, boilerplate=(), max_sentence_chars=max_sentence_chars)
    # Same-length substitution: offsets are unchanged.
    joined = _SINGLE_NEWLINE.sub(lambda m: " " * len(m.group()), raw)
    p = prepare(joined, id=id, boilerplate=(), max_sentence_chars=max_sentence_chars)
    if joined == raw:
        return p
    sents = tuple(replace(s, text=raw[s.start:s.end]) for s in p.sentences)
    return replace(p, raw=raw, sentences=sents)
