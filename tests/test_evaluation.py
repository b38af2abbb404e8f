"""PlagDet on hand-made cases with answers worked out by hand."""

import math

import pytest

from provenance.evaluation import (
    Annotation, case_recall, evaluate, granularity, macro_precision, macro_recall, plagdet_score,
)

A = Annotation


def test_perfect_detection():
    c = A("s", 0, 100, "r", 0, 100)
    sc = evaluate([c], [c])
    assert (sc.plagdet, sc.precision, sc.recall, sc.granularity) == (1.0, 1.0, 1.0, 1.0)


def test_empty_sets():
    assert evaluate([], []).plagdet == 1.0  # evaluator convention: nothing to find, nothing found
    c = A("s", 0, 100, "r", 0, 100)
    assert evaluate([c], []).plagdet == 0.0
    assert evaluate([], [c]).plagdet == 0.0


def test_half_detection_counts_both_documents():
    c = A("s", 0, 100, "r", 0, 100)
    # detects the first half in the suspicious doc, all of the source: (50 + 100) / 200
    assert case_recall(c, [A("s", 0, 50, "r", 0, 100)]) == 0.75
    assert case_recall(c, [A("s", 0, 50, "r", 0, 50)]) == 0.5


def test_overlap_needs_both_sides_and_same_pair():
    c = A("s", 0, 100, "r", 0, 100)
    assert case_recall(c, [A("s", 0, 100, "r", 200, 100)]) == 0.0  # source side misses
    assert case_recall(c, [A("s", 0, 100, "q", 0, 100)]) == 0.0  # other source document
    assert case_recall(c, [A("t", 0, 100, "r", 0, 100)]) == 0.0  # other suspicious document


def test_overlapping_detections_counted_once():
    c = A("s", 0, 100, "r", 0, 100)
    dets = [A("s", 0, 60, "r", 0, 60), A("s", 40, 60, "r", 40, 60)]
    assert case_recall(c, dets) == 1.0
    assert granularity([c], dets) == 2.0
    sc = evaluate([c], dets)
    assert sc.recall == 1.0 and sc.precision == 1.0
    assert sc.plagdet == pytest.approx(1 / math.log2(3))


def test_precision_of_oversized_detection():
    c = A("s", 100, 100, "r", 100, 100)
    d = A("s", 0, 400, "r", 0, 400)  # covers the case and 300 extra chars per side
    sc = evaluate([c], [d])
    assert sc.recall == 1.0
    assert sc.precision == 0.25
    assert sc.plagdet == pytest.approx(2 * 0.25 / 1.25)


def test_macro_averaging_over_cases_and_detections():
    c1 = A("s", 0, 100, "r", 0, 100)
    c2 = A("s", 500, 100, "r", 500, 100)
    d1 = A("s", 0, 100, "r", 0, 100)          # exact on c1
    d2 = A("s", 1000, 50, "r", 1000, 50)      # false positive
    assert macro_recall([c1, c2], [d1, d2]) == 0.5
    assert macro_precision([c1, c2], [d1, d2]) == 0.5
    assert granularity([c1, c2], [d1, d2]) == 1.0
    assert evaluate([c1, c2], [d1, d2]).plagdet == pytest.approx(0.5)


def test_duplicates_are_removed():
    c = A("s", 0, 100, "r", 0, 100)
    assert evaluate([c, c], [c, c, c]).granularity == 1.0


def test_pooling_over_documents():
    cases = [A("s1", 0, 100, "r1", 0, 100), A("s2", 0, 100, "r2", 0, 100)]
    dets = [A("s1", 0, 100, "r1", 0, 100)]
    sc = evaluate(cases, dets)
    assert sc.recall == 0.5 and sc.precision == 1.0
    assert sc.plagdet == pytest.approx(2 / 3)


def test_plagdet_score_formula():
    assert plagdet_score(0, 0, 1) == 0.0
    assert plagdet_score(1, 1, 1) == 1.0
    assert plagdet_score(0.8, 0.6, 1.5) == pytest.approx((2 * 0.48 / 1.4) / math.log2(2.5))


def test_expected_calibration_error_on_hand_made_cases():
    from provenance.evaluation import expected_calibration_error as ece

    assert ece([], []) == 0.0
    assert ece([1.0, 1.0], [1, 1]) == 0.0  # 1.0 falls in the last bin
    assert abs(ece([0.75, 0.75, 0.75, 0.75], [1, 1, 1, 0])) < 1e-12
    assert abs(ece([0.95, 0.05], [0, 1]) - 0.95) < 1e-12
