"""``benchmarks/reduction_experiments.py`` replays the trace faithfully, and its oracle only removes false edges."""

from benchmark_module import load_benchmark

from provenance import graph as G
from provenance.simulate import simulate


def test_replay_reproduces_trace_and_oracle_drops_only_false_edges():
    bench = load_benchmark("reduction_experiments")
    derivation = load_benchmark("derivation")
    corpus = simulate(n_documents=60, noise="moderate", seed=5, words_per_doc=250)
    tr, pre, _ = bench.traced(corpus)
    case = {"trace": tr, "pre": pre, "corpus": corpus, "dates": {a.doc.id: a.date for a in tr.analyses}}
    shipped = bench.replay(case, lambda ed, d: G.transitive_reduction(ed))
    as_traced = derivation.score(corpus, tr)
    assert (shipped["f1"], shipped["precision"], shipped["recall"]) == \
        (as_traced["f1"], as_traced["precision"], as_traced["recall"])

    truth = corpus.true_pairs()
    oracle = bench.reduction_by(lambda e, *_: float(frozenset((e.source, e.target)) in truth), 0.5, "learned")
    reduced = oracle(list(pre), case["dates"])
    dropped = {frozenset((e.source, e.target)) for e in pre} - {frozenset((e.source, e.target)) for e in reduced}
    assert dropped and not dropped & truth
    assert bench.replay(case, oracle)["f1"] > shipped["f1"]

    # every training row is a covered detour of a pre-reduction edge, with 26 features
    X, y = bench.rows_of(case)
    assert X and len(X) == len(y) and {len(x) for x in X} == {26} and any(y) and not all(y)
