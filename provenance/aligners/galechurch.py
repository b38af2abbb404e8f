"""Length-based Gale-Church sentence alignment, a baseline.

Gale and Church (1993) align two texts that are translations of each other,
in order, by sentence lengths alone (``nltk.translate.gale_church``). It knows
nothing about content, so it "aligns" any two texts: it is here as the
baseline the content-based methods must beat, not for use.
"""

from __future__ import annotations

from ..records import Alignment
from ..text import PreparedText
from .base import Aligner, SentencePair, as_prepared, build_passages


class GaleChurchAligner(Aligner):
    """Monotonic sentence alignment from character lengths (baseline).

    Parameters
    ----------
    max_gap, min_passage_chars :
        see :func:`~provenance.aligners.base.build_passages`.
    """

    method = "galechurch"

    def __init__(self, max_gap: int = 2, min_passage_chars: int = 0) -> None:
        self.max_gap = max_gap
        self.min_passage_chars = min_passage_chars

    def sentence_pairs(self, a: PreparedText, b: PreparedText) -> list[SentencePair]:
        from nltk.translate.gale_church import align_blocks

        la = [max(s.end - s.start, 1) for s in a.sentences]
        lb = [max(s.end - s.start, 1) for s in b.sentences]
        if not la or not lb:
            return []
        return [SentencePair(i, j, 1.0) for i, j in align_blocks(la, lb)]

    def align(self, a: str | PreparedText, b: str | PreparedText) -> list[Alignment]:
        pa, pb = as_prepared(a, "a"), as_prepared(b, "b")
        return build_passages(self.sentence_pairs(pa, pb), pa, pb, self.method,
                              max_gap=self.max_gap, min_passage_chars=self.min_passage_chars)
