from provenance.aligners import TfidfSentenceAligner, get_aligner
from provenance.evidence import one_to_one, pair_evidence
from provenance.text import prepare

A = ("Officials said the agency arrested nearly 2,000 smugglers in the last eight weeks. "
     "The weather in the capital was mild. Prices of bread rose sharply in the spring.")
B = ("The bakery opened a new shop downtown. In the past eight weeks, law enforcement arrested "
     "nearly 2,000 smugglers, the agency said. The mayor visited the zoo.")


def test_tfidf_aligns_paraphrase_and_not_unrelated():
    al = TfidfSentenceAligner().fit([A, B])
    pairs = al.align_sentences(A, B)
    assert len(pairs) == 1
    p = pairs[0]
    assert "2,000 smugglers" in A[p.source_start:p.source_end]
    assert "2,000 smugglers" in B[p.target_start:p.target_end]
    assert p.method == "tfidf" and 0.5 < p.score <= 1.0


def test_passages_and_registry():
    al = get_aligner("tfidf", min_passage_chars=0).fit([])
    text = "First shared sentence about the harbour crane. Second shared sentence about the harbour crane. "
    ps = al.align(text + "Unrelated tail here about cats.", "Intro on dogs and cats. " + text)
    assert len(ps) == 1 and ps[0].source_start == 0


def test_one_to_one_uses_each_sentence_once():
    import numpy as np

    sim = np.array([[0.9, 0.8], [0.85, 0.1]])
    assert one_to_one(sim, 0.5) == [(0, 0, 0.9)]


def test_evidence_counts_shared_claims_and_drift():
    a, b = prepare(A, id="a"), prepare(B, id="b")
    ev = pair_evidence(a, b, TfidfSentenceAligner().fit([a, b]))
    assert {c.key_a for c in ev.shared_claims} >= {"num:2000", "days:56"}
    assert ev.features["best_score"] > 0.5 and ev.features["n_aligned"] == 1
