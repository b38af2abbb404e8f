"""Relation and direction pieces of the derivation graph, on constructed inputs."""

import numpy as np
import pytest
from scipy import sparse

from provenance.candidates import candidate_pairs
from provenance.direction import DIRECTION_FEATURES, DocFacts, direction_features, direction_probability
from provenance.evidence import claim_agreement
from provenance.graph import MAX_ALIGNMENTS_SHOWN, Edge, transitive_reduction
from provenance.records import Alignment, Signal, Translation
from provenance.signals import find_claims


def test_sentences_whose_figures_disagree_are_contradicted():
    a = "The agency hired 1,240 nurses in 2023."
    b = "The agency hired 3,910 nurses in 2023."
    c = "The agency hired nearly 1,200 nurses last year."
    al = Alignment(0, len(a), 0, len(b), 0.9, "tfidf")
    assert claim_agreement(al, find_claims(a), find_claims(b)) == -1
    al2 = Alignment(0, len(a), 0, len(c), 0.8, "tfidf")
    assert claim_agreement(al2, find_claims(a), find_claims(c)) == 1  # drift within 15 %
    al3 = Alignment(0, len(a), 0, 10, 0.8, "tfidf")
    assert claim_agreement(al3, find_claims(a), find_claims("No figures.")) == 0


def test_direction_is_antisymmetric_and_uses_dates():
    old = DocFacts("a", "2022-01-01", 0.8, Translation(False, 0.0))
    new = DocFacts("b", "2022-03-01", 0.8, Translation(True, 0.9, "es"))
    sig = [Signal("date", 59, "a"), Signal("translation", 0.9, "a")]
    p = direction_probability(old, new, sig)
    assert p > 0.9
    assert abs(direction_probability(new, old, sig) - (1 - p)) < 1e-9
    assert np.allclose(direction_features(old, new, sig), -direction_features(new, old, sig))
    assert direction_probability(old, new, []) == 0.5


def test_coverage_enters_direction_as_a_square_root_clamped_at_one():
    a = DocFacts("a", None, 0.0, Translation(False, 0.0))
    b = DocFacts("b", None, 0.0, Translation(False, 0.0))
    k = list(DIRECTION_FEATURES).index("coverage")
    # b made more of the shared material: a upstream
    assert direction_features(a, b, [Signal("coverage", 0.09, "a")])[k] == pytest.approx(0.3)
    assert direction_features(a, b, [Signal("coverage", 0.09, "b")])[k] == pytest.approx(-0.3)
    assert direction_features(a, b, [Signal("coverage", 4.0, "a")])[k] == pytest.approx(1.0)
    # a tenth of difference already gives the fitted model a side
    assert direction_probability(a, b, [Signal("coverage", 0.1, "a")]) > 0.65


def _edge(s, t, sents, rel="shares_source", conf=0.9, score=0.8):
    # sents: list of (source_sentence_start, target_sentence_start)
    als = tuple(Alignment(a, a + 10, b, b + 10, score, "tfidf") for a, b in sents)
    return Edge(s, t, rel, rel == "derives_from", conf, als)


def test_transitive_reduction_drops_the_detour_edge_only():
    # chain A -> B -> C: C's material from A all passed through B
    ab = _edge("A", "B", [(0, 0), (20, 20), (40, 40), (60, 60)], "derives_from")
    bc = _edge("B", "C", [(0, 0), (20, 20), (40, 40)], "derives_from")
    ac = _edge("A", "C", [(0, 0), (20, 20)], score=0.6)
    kept = transitive_reduction([ab, bc, ac])
    assert {(e.source, e.target) for e in kept} == {("A", "B"), ("B", "C")}
    # ... unless C holds material from A that B lacks
    ac2 = _edge("A", "C", [(0, 0), (80, 30)], score=0.6)
    kept = transitive_reduction([ab, bc, ac2])
    assert ("A", "C") in {(e.source, e.target) for e in kept}


def test_a_text_closer_to_the_original_than_to_the_middle_text_keeps_its_edge():
    # A -> B, A -> C, and the directions also say B -> C, so B looks like the
    # middle of a chain A -> B -> C that holds all of A–C's material. But A's
    # and C's sentences are each closer to the other's wording than to B's:
    # C did not get them through B (B's edits would have come along).
    def scored(s, t, sents, score):
        return Edge(s, t, "derives_from", True, 0.9,
                    tuple(Alignment(a, a + 10, b, b + 10, score, "tfidf") for a, b in sents))

    same = [(0, 0), (20, 20), (40, 40)]
    ab = scored("A", "B", [*same, (80, 80), (100, 100)], 0.7)
    bc = scored("B", "C", [*same, (60, 60)], 0.6)
    ac = scored("A", "C", same, 0.9)
    kept = {(e.source, e.target) for e in transitive_reduction([ab, bc, ac])}
    assert kept == {("A", "B"), ("B", "C"), ("A", "C")}
    # one sentence closer from one end only, or differences within the margin, are noise: A–C goes
    ab_flat = scored("A", "B", [*same, (80, 80), (100, 100)], 0.6)
    bc_first = Edge("B", "C", "derives_from", True, 0.9,
                    (Alignment(0, 10, 0, 10, 0.9, "tfidf"),
                     *(Alignment(a, a + 10, b, b + 10, 0.6, "tfidf") for a, b in [*same[1:], (60, 60)])))
    ac_one = Edge("A", "C", "derives_from", True, 0.9,
                  (Alignment(0, 10, 0, 10, 0.9, "tfidf"),
                   *(Alignment(a, a + 10, b, b + 10, 0.6, "tfidf") for a, b in same[1:])))
    assert ("A", "C") not in {(e.source, e.target) for e in transitive_reduction([ab_flat, bc_first, ac_one])}
    ac_near = scored("A", "C", same, 0.61)
    assert ("A", "C") not in {(e.source, e.target) for e in transitive_reduction([ab_flat, bc, ac_near])}
    # a real chain: C holds B's wording, and B is closer to A than C is
    ab_close = scored("A", "B", [*same, (80, 80), (100, 100)], 0.9)
    bc_close = scored("B", "C", [*same, (60, 60)], 0.9)
    ac_far = scored("A", "C", same, 0.7)
    kept = {(e.source, e.target) for e in transitive_reduction([ab_close, bc_close, ac_far])}
    assert kept == {("A", "B"), ("B", "C")}


def test_a_chain_of_long_texts_is_reduced_and_outputs_list_the_best_alignments():
    # 80 shared sentences: more than the outputs list, all used by the reduction
    many = [(20 * k, 20 * k) for k in range(80)]

    def best_first(s, t, score):  # as pipeline edges list them
        als = sorted((Alignment(a, a + 10, b, b + 10, score(k), "tfidf") for k, (a, b) in enumerate(many)),
                     key=lambda al: -al.score)
        return Edge(s, t, "derives_from", True, 0.9, tuple(als))

    # A–B's best sentences are the first ones, B–C's the last ones: their best
    # fifty overlap on twenty sentences only, yet B holds all of A–C
    ab = best_first("A", "B", lambda k: 0.99 - 0.004 * k)
    bc = best_first("B", "C", lambda k: 0.6 + 0.004 * k)
    ac = best_first("A", "C", lambda k: 0.5)
    kept = transitive_reduction([ab, bc, ac])
    assert {(e.source, e.target) for e in kept} == {("A", "B"), ("B", "C")}
    d = ab.to_dict()["evidence"]
    assert len(d["alignments"]) == MAX_ALIGNMENTS_SHOWN < 80 == d["alignments_total"]
    assert "alignments_total" not in _edge("A", "B", many[:3]).to_dict()["evidence"]


def test_siblings_of_an_unseen_parent_keep_their_edges():
    same = [(0, 0), (20, 20), (40, 40)]
    edges = [_edge("A", "B", same), _edge("B", "C", same), _edge("A", "C", same)]
    assert len(transitive_reduction(edges)) == 3


def test_large_collections_get_nearest_neighbour_candidates():
    rng = np.random.default_rng(0)
    n, vocab = 400, 5000
    mats = []
    for i in range(n):
        cols = rng.choice(vocab, size=30, replace=False)
        if i == 7:
            cols = mats[3].indices  # document 7 shares document 3's terms
        mats.append(sparse.csr_matrix((np.ones(len(cols)), (np.zeros(len(cols), int), cols)), shape=(1, vocab)))
    pairs = candidate_pairs(mats, k=5, min_cosine=0.3)
    assert (3, 7) in pairs
    assert len(pairs) < n * 5
    assert all(i < j for i, j in pairs)


def test_nearest_neighbour_candidates_do_not_depend_on_jobs(monkeypatch):
    from provenance import candidates
    from provenance.candidates import neighbour_pairs

    rng = np.random.default_rng(1)
    n, vocab = 350, 400  # a small vocabulary: many ties and shared terms
    mats = [sparse.csr_matrix((rng.integers(1, 3, 8).astype(float), (np.zeros(8, int), rng.choice(vocab, 8, replace=False))),
                              shape=(1, vocab)) for _ in range(n)]
    mats[10] = mats[20] = mats[30] = mats[5]  # identical documents tie
    monkeypatch.setattr(candidates, "BLOCK", 64)  # several blocks, the last one short
    serial = neighbour_pairs(mats, k=4, min_cosine=0.2)
    assert serial and (5, 10) in serial
    assert neighbour_pairs(mats, k=4, min_cosine=0.2, jobs=2) == serial


def test_contained_copy_is_downstream_whichever_argument_it_is():
    from provenance import documents_from_texts
    from provenance.pipeline import analyze_documents, near_duplicate_pairs, relate
    from provenance.evidence import evidence_aligner, pair_evidence

    full = " ".join(f"Sentence number {k} reports that {k * 37 + 11} crates reached pier {k}." for k in range(40))
    part = ". ".join(full.split(". ")[:25]) + "."
    an = analyze_documents(documents_from_texts({"full": full, "part": part}))
    nd = next(iter(near_duplicate_pairs(an, 1).values()))
    assert nd.relation == "contained"
    al = evidence_aligner().fit([a.prepared for a in an])
    for a, b in ((an[0], an[1]), (an[1], an[0])):
        e = relate(a, b, pair_evidence(a.prepared, b.prepared, al, list(a.claims), list(b.claims)), nd)
        assert e is not None and e.relation == "derives_from"
        assert (e.source, e.target) == ("full", "part")


def test_citation_copied_with_the_text_is_not_evidence_of_a_common_source() -> None:
    from provenance.pipeline import independent_citations
    from provenance.signals import find_attributions

    parent = "Floods reached 4,200 homes, DHS said on Monday."
    copy = "Storm news. Floods reached 4,200 homes, DHS said on Monday."
    own_words = "According to DHS, 4,200 homes were flooded."
    pa, pc, po = (find_attributions(t) for t in (parent, copy, own_words))
    assert pa and pc and po
    assert independent_citations(pa, pc) == []
    assert independent_citations(pa, po) == [pa[0].label]


FILLERS = [["The harbour board will meet again next month.", "Dock workers welcomed the new schedule."],
           ["Shipping firms expect delays to ease soon.", "The mayor visited the terminal on Friday."],
           ["Ferry operators cut two evening sailings.", "A new crane arrives from Rotterdam in May."]]


def _report(rounded: set[int], filler: list[str]) -> str:
    """A rewrite of one report with its own two filler sentences; figure k is rounded when k is in ``rounded``."""
    exact = [1347, 2863, 4718, 6291]
    facts = ["Inspectors counted {} containers at the northern terminal this spring.",
             "The port authority said {} trucks crossed the bridge during the strike.",
             "Customs officers logged {} parcels with forged invoices in the first quarter.",
             "Volunteers delivered {} meals to stranded drivers along the coastal road."]
    sents = [f.format(f"about {round(n, -2):,}" if k in rounded else f"{n:,}")
             for k, (f, n) in enumerate(zip(facts, exact))]
    return " ".join(sents[:2] + filler[:1] + sents[2:] + filler[1:])


def _rewrites_of_one_report(round_in_a: set[int], round_in_b: set[int]) -> dict[str, str]:
    """Two rewrites of one report; figure k is rounded in a text when k is in its set."""
    return {"a": _report(round_in_a, FILLERS[0]), "b": _report(round_in_b, FILLERS[1])}


def test_each_text_rounding_figures_the_other_states_exactly_makes_siblings() -> None:
    from provenance import documents_from_texts
    from provenance.pipeline import compare

    docs = documents_from_texts(_rewrites_of_one_report({0, 1}, {2, 3}))
    e = compare(docs[0], docs[1]).edge
    assert e is not None and e.relation == "shares_source" and not e.directed
    assert any(s.name == "conflicting_precision" for s in e.signals)
    # one text rounding figures the other states exactly: that one is downstream
    docs = documents_from_texts(_rewrites_of_one_report(set(), {0, 2, 3}))
    e = compare(docs[0], docs[1]).edge
    assert e is not None and not any(s.name == "conflicting_precision" for s in e.signals)
    assert {s.favours for s in e.signals if s.name == "claim_precision"} == {"a"}


def _three_rewrites(rounded: list[set[int]]) -> dict[str, str]:
    """Rewrites ``a``, ``b``, ``c`` of one report, each rounding the figures in its set."""
    return {k: _report(r, f) for k, r, f in zip("abc", rounded, FILLERS)}


def test_three_siblings_that_none_explains_get_an_inferred_latent_source() -> None:
    from provenance import documents_from_texts, trace

    # each pair has a figure that each side rounds and the other states exactly
    tr = trace(documents=documents_from_texts(_three_rewrites([{0, 1}, {2, 3}, {0, 3}])))
    inferred = [s for s in tr.latent_sources if s.kind == "inferred"]
    assert len(inferred) == 1
    kids = {e.target for e in tr.edges if e.source == inferred[0].id}
    assert kids == {"a", "b", "c"}
    assert all(e.relation == "derives_from" and e.directed for e in tr.edges if e.source == inferred[0].id)
    # each latent edge shows the sibling sentences it rests on, naming both documents
    for e in tr.edges:
        if e.source == inferred[0].id:
            assert e.sibling_alignments and all(e.target in al["documents"] for al in e.sibling_alignments)


def test_texts_citing_one_source_in_their_own_words_get_a_cited_latent_source() -> None:
    from provenance import documents_from_texts, trace

    texts = _three_rewrites([set(), set(), set()])
    texts = {"a": "According to a Harbor Port Authority release, " + texts["a"],
             "b": texts["b"] + " The Harbor Port Authority said so in a release on Monday."}
    docs = documents_from_texts(texts)
    tr = trace(documents=docs)
    cited = [s for s in tr.latent_sources if s.kind == "cited"]
    assert len(cited) == 1
    assert {e.target for e in tr.edges if e.source == cited[0].id} == {"a", "b"}
    ab = [e for e in tr.edges if {e.source, e.target} == {"a", "b"}]
    assert ab and ab[0].relation == "shares_source" and any(s.name == "common_citation" for s in ab[0].signals)
    raw = {d.id: d.raw for d in docs}
    # the evidence points at the attribution phrases a reader can see
    assert {ev["document"] for ev in cited[0].evidence} == {"a", "b"}
    for ev in cited[0].evidence:
        assert raw[ev["document"]][ev["start"]:ev["end"]] == ev["text"]
        assert "Harbor Port Authority" in ev["text"]
