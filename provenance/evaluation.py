"""PlagDet: character-level evaluation of text-alignment detections.

Implements the measures of Potthast, Stein, Barrón-Cedeño and Rosso, "An
Evaluation Framework for Plagiarism Detection" (COLING 2010), computed the way
the official PAN 2013 text-alignment evaluator (``perfmeasures``) does it:

* a *case* (truth) and a *detection* are annotations
  ``(this_reference, this_offset, this_length, source_reference,
  source_offset, source_length)``; ``this`` is the suspicious document;
* a detection *overlaps* a case when both refer to the same pair of documents
  and their spans overlap in the suspicious **and** in the source document;
* recall is macro-averaged over cases: for each case, the share of its
  characters (suspicious plus source characters) covered by overlapping
  detections; precision is the same computation with the roles swapped,
  macro-averaged over detections;
* granularity is the mean number of overlapping detections per *detected*
  case (1 when nothing is detected);
* ``plagdet = F1 / log2(1 + granularity)``.

Scores are computed over a whole set of documents at once (cases and
detections pooled, duplicates removed), as the evaluator does over a folder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence


class Annotation(NamedTuple):
    """A plagiarism case or a detection (character offsets, PAN convention)."""

    this_reference: str
    this_offset: int
    this_length: int
    source_reference: str
    source_offset: int
    source_length: int


@dataclass(frozen=True)
class PlagDetScore:
    """PlagDet and its parts over a set of cases and detections."""

    plagdet: float
    precision: float
    recall: float
    granularity: float
    n_cases: int
    n_detections: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "plagdet": round(self.plagdet, 4), "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "granularity": round(self.granularity, 4),
            "n_cases": self.n_cases, "n_detections": self.n_detections,
        }


def is_overlapping(case: Annotation, det: Annotation) -> bool:
    """Same document pair and overlapping spans on both sides."""
    return (
        case.this_reference == det.this_reference
        and case.source_reference == det.source_reference
        and det.this_offset + det.this_length > case.this_offset
        and det.this_offset < case.this_offset + case.this_length
        and det.source_offset + det.source_length > case.source_offset
        and det.source_offset < case.source_offset + case.source_length
    )


def _covered(lo: int, hi: int, spans: Iterable[tuple[int, int]]) -> int:
    """Characters of ``[lo, hi)`` covered by the union of ``spans``."""
    clipped = sorted((max(lo, s), min(hi, e)) for s, e in spans if min(hi, e) > max(lo, s))
    total, cur_s, cur_e = 0, None, None
    for s, e in clipped:
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def case_recall(case: Annotation, detections: Sequence[Annotation]) -> float:
    """Share of the case's characters (both documents) covered by overlapping detections."""
    size = case.this_length + case.source_length
    if size == 0:
        return 0.0
    dets = [d for d in detections if is_overlapping(case, d)]
    if not dets:
        return 0.0
    this = _covered(case.this_offset, case.this_offset + case.this_length,
                    ((d.this_offset, d.this_offset + d.this_length) for d in dets))
    source = _covered(case.source_offset, case.source_offset + case.source_length,
                      ((d.source_offset, d.source_offset + d.source_length) for d in dets))
    return (this + source) / size


def _index(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    index: dict[str, list[Annotation]] = {}
    for a in annotations:
        index.setdefault(a.this_reference, []).append(a)
    return index


def macro_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Macro-averaged recall (1 when there are neither cases nor detections)."""
    cases, detections = _unique(cases), _unique(detections)
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    det_index = _index(detections)
    total = sum(case_recall(c, det_index.get(c.this_reference, ())) for c in cases)
    return total / len(cases)


def macro_precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Macro-averaged precision: recall with cases and detections swapped."""
    return macro_recall(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of overlapping detections per detected case (>= 1)."""
    cases, detections = _unique(cases), _unique(detections)
    if not detections:
        return 1.0
    det_index = _index(detections)
    counts = [sum(is_overlapping(c, d) for d in det_index.get(c.this_reference, ())) for c in cases]
    detected = [n for n in counts if n > 0]
    if not detected:
        return 1.0
    return sum(detected) / len(detected)


def plagdet_score(recall: float, precision: float, gran: float) -> float:
    """``F1 / log2(1 + granularity)``; 0 when precision and recall are both 0."""
    if (recall == 0 and precision == 0) or recall < 0 or precision < 0 or gran < 1:
        return 0.0
    f1 = 2 * recall * precision / (recall + precision)
    return f1 / math.log2(1 + gran)


def evaluate(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> PlagDetScore:
    """PlagDet, precision, recall and granularity of ``detections`` against ``cases``.

    Examples
    --------
    >>> case = Annotation("s.txt", 0, 100, "r.txt", 0, 100)
    >>> evaluate([case], [Annotation("s.txt", 0, 50, "r.txt", 0, 50)]).recall
    0.5
    """
    cs, ds = _unique(cases), _unique(detections)
    rec = macro_recall(cs, ds)
    prec = macro_precision(cs, ds)
    gran = granularity(cs, ds)
    return PlagDetScore(plagdet_score(rec, prec, gran), prec, rec, gran, len(cs), len(ds))


def _unique(annotations: Iterable[Annotation]) -> list[Annotation]:
    """Duplicates removed (the evaluator reads annotations into a set), in a stable order."""
    return sorted(set(annotations))


__all__ = [
    "Annotation", "PlagDetScore", "case_recall", "evaluate", "granularity",
    "is_overlapping", "macro_precision", "macro_recall", "plagdet_score",
]


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool | int], bins: int = 10) -> float:
    """Expected calibration error over ``bins`` equal-width confidence bins.

    The share-weighted mean, over non-empty bins, of ``|mean confidence - accuracy|``;
    the last bin includes 1.0.

    Examples
    --------
    >>> expected_calibration_error([0.9, 0.9, 0.1, 0.1], [1, 0, 0, 0])
    0.25
    """
    n = len(confidences)
    if not n:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [k for k, c in enumerate(confidences) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if idx:
            conf = sum(float(confidences[k]) for k in idx) / len(idx)
            acc = sum(float(correct[k]) for k in idx) / len(idx)
            total += len(idx) / n * abs(conf - acc)
    return total
