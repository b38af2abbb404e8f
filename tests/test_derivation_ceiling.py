"""The error breakdown of ``benchmarks/derivation_ceiling.py`` adds up and its oracles touch only what they claim."""

from benchmark_module import load_benchmark

from provenance.simulate import simulate


def test_error_breakdown_adds_up_and_oracles_only_fix_errors():
    corpus = simulate(n_documents=60, noise="moderate", seed=5, words_per_doc=250)
    r = load_benchmark("derivation_ceiling").analyse(corpus)
    truth = corpus.true_pairs()
    assert r["true"] == len(truth)
    tp = round(r["f1"] * (r["reported"] + r["true"]) / 2)
    assert sum(r["fp"].values()) == r["reported"] - tp
    assert sum(r["missed"].values()) == r["true"] - tp
    # the first oracle removes only false edges, the second adds back only true pairs not in the graph
    assert r["oracle_dropped"] and not r["oracle_dropped"] & truth
    assert r["oracle_restored"] <= truth
    assert r["f1"] < r["f1_oracle_twins"] <= r["f1_oracle_both"] <= 1.0
    tri = r["twin_triangles"]
    distinct = tri["undated, distinct false edges"]
    assert distinct == len(r["oracle_dropped"]) <= tri["undated, one true (triangles)"]
    assert sum(v for k, v in tri.items() if k.startswith("undated, mass:")) == distinct
    assert sum(v for k, v in tri.items() if k.startswith("undated, wording at C:")) == distinct
