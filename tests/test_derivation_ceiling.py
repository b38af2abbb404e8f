"""The error breakdown of ``benchmarks/derivation_ceiling.py`` adds up and its oracles only remove errors."""

from benchmark_module import load_benchmark

from provenance.simulate import simulate


def test_error_breakdown_adds_up_and_oracles_do_not_lower_f1():
    corpus = simulate(n_documents=60, noise="moderate", seed=5, words_per_doc=250)
    r = load_benchmark("derivation_ceiling").analyse(corpus)
    tp = round(r["f1"] * (r["reported"] + r["true"]) / 2)
    assert sum(r["fp"].values()) == r["reported"] - tp
    assert sum(r["missed"].values()) == r["true"] - tp
    assert r["f1"] <= r["f1_oracle_twins"] <= r["f1_oracle_both"] <= 1.0
    tri = r["twin_triangles"]
    one = tri.get("one true", 0)
    assert sum(v for k, v in tri.items() if k.startswith("mass:")) == one
    assert sum(v for k, v in tri.items() if k.startswith("wording at C:")) == one
    assert r["true"] == len(corpus.true_pairs())
