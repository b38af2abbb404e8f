"""Aligners on constructed texts: the copied passage is found, at the right offsets."""

import pytest

from provenance.aligners import METHODS, get_aligner
from provenance.aligners.base import prepare_for_alignment
from provenance.errors import ConfigError

FILLER_A = (
    "The committee met on Tuesday to discuss the budget for the coming year. "
    "Several members raised concerns about the cost of the new library. "
    "A vote was postponed until the next session in March. "
)
COPIED = (
    "Smugglers moved nearly two thousand crates of contraband tobacco across the northern border last winter. "
    "Customs officers seized eleven trucks near the mountain pass after a tip from local farmers. "
    "Investigators later traced the shipments to a warehouse owned by a shipping company in the harbour district. "
    "The company denied any knowledge of the operation and blamed a former manager. "
)
FILLER_B = (
    "Gardening remains a popular hobby among retired teachers in the valley. "
    "The spring festival attracted visitors from many neighbouring villages. "
    "Tomatoes and peppers grow well in the warm southern slopes. "
)


def texts():
    a = FILLER_A + COPIED + FILLER_A.replace("Tuesday", "Friday")
    b = FILLER_B + COPIED + FILLER_B.replace("spring", "autumn")
    return a, b


@pytest.mark.parametrize("method", ["tfidf", "charngram", "minhash"])
def test_copied_passage_found_at_right_offsets(method):
    a, b = texts()
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    al = get_aligner(method, min_passage_chars=100).fit([pa, pb])
    out = al.align(pa, pb)
    assert len(out) == 1
    x = out[0]
    assert x.method == method
    start_a, start_b = a.index(COPIED), b.index(COPIED)
    n = len(COPIED.rstrip())
    assert (x.source_start, x.source_end) == (start_a, start_a + n)
    assert (x.target_start, x.target_end) == (start_b, start_b + n)
    assert a[x.source_start:x.source_end] == b[x.target_start:x.target_end]


@pytest.mark.parametrize("method", ["tfidf", "charngram", "minhash"])
def test_unrelated_texts_give_nothing(method):
    pa, pb = prepare_for_alignment(FILLER_A, "a"), prepare_for_alignment(FILLER_B, "b")
    assert get_aligner(method, min_passage_chars=100).fit([pa, pb]).align(pa, pb) == []


def test_paraphrase_is_aligned_by_default_method():
    a = FILLER_A + COPIED
    para = (
        "Last winter, nearly two thousand crates of contraband tobacco were moved across the northern border by smugglers. "
        "After a tip from local farmers, eleven trucks were seized near the mountain pass by customs officers. "
        "The shipments were later traced by investigators to a harbour district warehouse owned by a shipping company. "
    )
    b = FILLER_B + para
    out = get_aligner("tfidf").fit([a, b]).align(prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b"))
    assert len(out) == 1
    assert out[0].target_start == b.index(para) and out[0].source_start == a.index(COPIED)


def test_minhash_is_deterministic_and_seeded():
    a, b = texts()
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    s1 = get_aligner("minhash", seed=7).similarity(pa, pb)
    s2 = get_aligner("minhash", seed=7).similarity(pa, pb)
    assert (s1 == s2).all()


def test_galechurch_baseline_aligns_in_order():
    a, b = texts()
    out = get_aligner("galechurch").fit([]).align(prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b"))
    assert out and all(x.method == "galechurch" for x in out)
    assert out[0].source_start == 0 and out[0].target_start == 0


def test_registry_and_estimator_contract():
    assert {"tfidf", "charngram", "minhash", "galechurch"} <= set(METHODS)
    with pytest.raises(ConfigError):
        get_aligner("nope")
    from sklearn.base import clone

    for name, cls in METHODS.items():
        est = cls()
        assert clone(est).get_params() == est.get_params()
        assert est.fit([]) is est


def test_mutual_top_k_seeds():
    import numpy as np

    from provenance.aligners._matrix import matrix_seeds

    sim = np.array([[0.9, 0.5, 0.0],
                    [0.6, 0.4, 0.0],
                    [0.0, 0.0, 0.3]])
    all_ = {(s.a_index, s.b_index) for s in matrix_seeds(sim, 0.3)}
    assert all_ == {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)}
    top1 = {(s.a_index, s.b_index) for s in matrix_seeds(sim, 0.3, top_k=1)}
    assert top1 == {(0, 0), (2, 2)}  # (0,1) and (1,0) lose to (0,0); (1,1) is not best of row 1


def test_validation_drops_passage_whose_sides_differ():
    a, b = texts()
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    al = get_aligner("tfidf", min_passage_chars=100, validate_threshold=0.5).fit([pa, pb])
    assert len(al.align(pa, pb)) == 1  # the copy: its sides are identical
    strict = get_aligner("tfidf", min_passage_chars=100, validate_threshold=1.01).fit([pa, pb])
    assert strict.align(pa, pb) == []
