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


# ---------------------------------------------------------------- boundary refinement

def test_refinement_trims_copy_that_starts_and_ends_mid_sentence():
    """The copy starts mid-sentence on both sides: sentence-built passages overshoot, refinement cuts there."""
    from provenance.aligners.refine import refine_passage
    from provenance.records import Alignment

    copy = COPIED.strip()
    a = FILLER_A + "As the report put it, " + copy + " Nobody was charged. " + FILLER_A
    b = FILLER_B + "Our sources say that " + copy + " Weather was mild. " + FILLER_B
    s_a, s_b = a.index(copy), b.index(copy)
    # The passage a sentence-level aligner builds: whole sentences around the copy.
    p = Alignment(len(FILLER_A), s_a + len(copy) + len(" Nobody was charged."),
                  len(FILLER_B), s_b + len(copy) + len(" Weather was mild."), 0.9, "tfidf")
    q = refine_passage(a, b, p, ngram=2, penalty=1.0, min_share=0.6)
    assert a[q.source_start:q.source_end] == copy
    assert b[q.target_start:q.target_end] == copy
    # Too high a required share of matched n-grams: the passage is left as it is.
    assert refine_passage(a, b, p, ngram=2, penalty=1.0, min_share=0.99) == p


def test_refinement_extends_over_verbatim_words_outside_the_passage():
    from provenance.aligners.refine import refine_passage
    from provenance.records import Alignment

    head = "Contraband Report\n"
    a = "Weather notes. " + head + COPIED
    b = "Garden news. " + head.replace("\n", " ") + COPIED
    p = Alignment(a.index(COPIED), len(a.rstrip()), b.index(COPIED), len(b.rstrip()), 0.9, "charngram")
    assert refine_passage(a, b, p, extend=0) == p
    q = refine_passage(a, b, p, extend=30)
    assert a[q.source_start:q.source_end].startswith("Contraband Report\nSmugglers")
    assert b[q.target_start:q.target_end].startswith("Contraband Report Smugglers")
    assert q.source_end == len(a.rstrip()) and q.target_end == len(b.rstrip())


def test_refinement_leaves_sparse_paraphrase_alone():
    """A reworded passage (few shared word pairs) keeps its sentence-built bounds under a share gate."""
    from provenance.aligners.refine import refine_passage
    from provenance.records import Alignment

    a = "Officials arrested two thousand smugglers in eight weeks near the border. The weather was fine."
    b = "In eight weeks, police detained some 2,000 traffickers close to the frontier. The weather stayed good."
    p = Alignment(0, len(a), 0, len(b), 0.5, "tfidf")
    assert refine_passage(a, b, p, ngram=2, min_share=0.6) == p


@pytest.mark.parametrize("method", ["tfidf", "charngram"])
def test_aligner_refinement_parameter_trims_the_detected_passage(method):
    copy = COPIED.strip()
    a = FILLER_A + "As the report put it, " + copy + " " + FILLER_A.replace("Tuesday", "Friday")
    b = FILLER_B + "Our sources say that " + copy + " " + FILLER_B.replace("spring", "autumn")
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    plain = get_aligner(method, min_passage_chars=100, refine_ngram=0).fit([pa, pb]).align(pa, pb)
    refined = get_aligner(method, min_passage_chars=100, refine_ngram=2, refine_min_share=0.6,
                          refine_extend=30).fit([pa, pb]).align(pa, pb)
    assert len(plain) == len(refined) == 1
    assert a[plain[0].source_start:plain[0].source_end] != copy
    assert a[refined[0].source_start:refined[0].source_end] == copy
    assert b[refined[0].target_start:refined[0].target_end] == copy


def test_prune_dominated_keeps_second_best_match_from_stretching_a_passage():
    from provenance.aligners.base import SentencePair, build_passages

    a = prepare_for_alignment("Alpha one here now. Beta two here now. Gamma three here now. Delta four here.", "a")
    b = prepare_for_alignment("Beta two here now. Gamma three here now.", "b")
    seeds = [SentencePair(1, 0, 0.95), SentencePair(2, 1, 0.9), SentencePair(0, 0, 0.4)]
    loose = build_passages(seeds, a, b, "x")
    tight = build_passages(seeds, a, b, "x", prune_dominated=True)
    assert loose[0].source_start == a.sentences[0].start
    assert tight[0].source_start == a.sentences[1].start
    assert tight[0].source_end == loose[0].source_end == a.sentences[2].end


def test_refinement_never_extends_into_the_middle_of_a_long_unspaced_word():
    from provenance.aligners.refine import refine_passage
    from provenance.records import Alignment

    run = "見出し" * 40  # one 120-character token, longer than the extension window
    a = "Intro A. " + run + " The smugglers crossed the river at night. Other."
    b = "Other intro text here. " + run + " The smugglers crossed the river at night. More."
    p = Alignment(a.index("The smugglers"), a.index(" Other"), b.index("The smugglers"), b.index(" More"), 0.9, "tfidf")
    q = refine_passage(a, b, p, ngram=2, penalty=0.5, min_share=0.8, extend=3)
    for raw, start in ((a, q.source_start), (b, q.target_start)):
        assert start == 0 or not raw[start - 1].isalnum()


# ---------------------------------------------------------------- recall machinery

@pytest.mark.parametrize("method", ["tfidf", "charngram"])
def test_copy_inside_an_overlong_segmenter_span_is_found(method):
    a = FILLER_A + COPIED + FILLER_A.replace("Tuesday", "Friday")
    # An opening apostrophe-quote and a closing one make the segmenter keep all of b in one span.
    b = ("The 'old guard of the valley said little. " + FILLER_B + COPIED + FILLER_B.replace("spring", "autumn")
         + "So ended the members' meeting.")
    whole = prepare_for_alignment(b, "b", max_sentence_chars=0)
    assert len(whole.sentences) == 1
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    out = get_aligner(method, min_passage_chars=100).fit([pa, pb]).align(pa, pb)
    assert len(out) == 1
    x, n = out[0], len(COPIED.rstrip())
    assert (x.target_start, x.target_end) == (b.index(COPIED), b.index(COPIED) + n)
    assert (x.source_start, x.source_end) == (a.index(COPIED), a.index(COPIED) + n)


def test_weak_seeds_grow_a_passage_but_start_none():
    from provenance.aligners.base import SentencePair, build_passages

    a = prepare_for_alignment(FILLER_A + COPIED, "a")
    b = prepare_for_alignment(FILLER_B + COPIED, "b")
    # Sentences 3-6 of both texts are the copy; 3 and 6 are only weakly matched.
    strong = [SentencePair(4, 4, 0.9), SentencePair(5, 5, 0.9)]
    weak = [SentencePair(3, 3, 0.2), SentencePair(6, 6, 0.2), SentencePair(0, 0, 0.2)]
    (plain,) = build_passages(strong, a, b, "x")
    assert (plain.source_start, plain.source_end) == (a.sentences[4].start, a.sentences[5].end)
    out = build_passages(strong, a, b, "x", weak_seeds=weak)
    assert len(out) == 1  # the weak pair (0, 0) is not next to the passage: no passage of its own
    assert (out[0].source_start, out[0].source_end) == (a.sentences[3].start, a.sentences[6].end)
    assert (out[0].target_start, out[0].target_end) == (b.sentences[3].start, b.sentences[6].end)
    assert build_passages([], a, b, "x", weak_seeds=weak) == []


SUMMARISED = [
    "Smugglers moved nearly two thousand crates of contraband tobacco across the northern border last winter.",
    "The mountain roads were closed for weeks because of heavy snow and falling rocks.",
    "Local schools reported that many pupils could not reach their classrooms in January.",
    "A new bridge over the river was promised by the regional government years ago.",
    "Farmers complained that the price of feed for their cattle had doubled since autumn.",
    "The village council debated whether to build a second clinic near the railway station.",
    "Tourists still arrived in large numbers to ski on the slopes above the old monastery.",
    "Several hotels closed their doors early because the heating systems had failed.",
    "The museum of local history opened an exhibition about the salt trade.",
    "Shepherds moved their flocks down to the valley earlier than in previous years.",
    "A choir from the capital gave a concert in the church on the main square.",
    "The company denied any knowledge of the operation and blamed a former manager.",
]


@pytest.mark.parametrize("method", ["tfidf", "charngram"])
def test_summary_merge_joins_target_neighbours_with_distant_sources(method):
    # b takes the first and the last sentence of a, side by side: a summary of a.
    a = " ".join(SUMMARISED)
    b = FILLER_B + SUMMARISED[0] + " " + SUMMARISED[-1] + " " + FILLER_B.replace("spring", "autumn")
    pa, pb = prepare_for_alignment(a, "a"), prepare_for_alignment(b, "b")
    t0, t1 = b.index(SUMMARISED[0]), b.index(SUMMARISED[-1]) + len(SUMMARISED[-1])
    apart = get_aligner(method, min_passage_chars=40, summary_merge=False).fit([pa, pb]).align(pa, pb)
    assert len(apart) == 2 and all(x.source_end - x.source_start < 200 for x in apart)
    (x,) = get_aligner(method, min_passage_chars=40, summary_merge=True).fit([pa, pb]).align(pa, pb)
    assert (x.source_start, x.source_end, x.target_start, x.target_end) == (0, len(a), t0, t1)
