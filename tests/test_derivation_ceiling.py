"""The error breakdown of ``benchmarks/derivation_ceiling.py`` adds up and its oracles only remove errors."""

import importlib.util
from pathlib import Path

from provenance.simulate import simulate

ROOT = Path(__file__).resolve().parents[1]


def _module():
    spec = importlib.util.spec_from_file_location("derivation_ceiling", ROOT / "benchmarks" / "derivation_ceiling.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_error_breakdown_adds_up_and_oracles_do_not_lower_f1():
    mod = _module()
    corpus = simulate(n_documents=60, noise="moderate", seed=5, words_per_doc=250)
    r = mod.analyse(corpus)
    truth = corpus.true_pairs()
    tp = round(r["f1"] * (r["reported"] + r["true"]) / 2)
    assert sum(r["fp"].values()) == r["reported"] - tp
    assert sum(r["missed"].values()) == r["true"] - tp
    assert r["f1"] <= r["f1_oracle_twins"] <= r["f1_oracle_both"] <= 1.0
    tri = r["twin_triangles"]
    one = tri.get("one true", 0)
    assert sum(v for k, v in tri.items() if k.startswith("mass:")) == one
    assert sum(v for k, v in tri.items() if k.startswith("wording at C:")) == one
    assert len(truth) == r["true"]
