"""The in-memory near-duplicate engine and the ``dedup`` command."""

import itertools
import json

import pytest
from benchmark_module import load_benchmark
from click.testing import CliRunner

from provenance.cli import main
from provenance.dedup import (
    CONTAINED, NEAR_DUPLICATE, DedupParams, find_near_duplicates, prepare_texts,
)
from provenance.errors import ConfigError
from provenance.records import Document
from provenance.shingle import shingles


def _bench():
    return load_benchmark("near_duplicates")


def _docs(texts):
    return [Document(id=k, path=f"<{k}>", raw=v) for k, v in texts.items()]


def _words(seed, n=120):
    import random
    rng = random.Random(seed)
    return [f"w{rng.randrange(5000)}" for _ in range(n)]


def _text(words):
    return " ".join(words) + "."


@pytest.fixture(scope="module")
def corpus():
    texts, families = _bench().generate_corpus(300, seed=3)
    return texts


def _exact_all_pairs(texts):
    ids = sorted(texts)
    prepared = dict(zip(ids, prepare_texts([texts[i] for i in ids])))
    sets = {i: shingles(prepared[i]) for i in ids}
    out = {}
    for a, b in itertools.combinations(ids, 2):
        sa, sb = sets[a], sets[b]
        inter = len(sa & sb)
        if not inter:
            continue
        out[(a, b)] = (inter / len(sa | sb), inter / len(sa), inter / len(sb))
    return out


def test_generated_corpus_against_brute_force(corpus):
    res = find_near_duplicates(_docs(corpus))
    exact = _exact_all_pairs(corpus)
    truth_near = {k for k, (j, _, _) in exact.items() if j >= 0.8}
    truth_cont = {k for k, (j, ca, cb) in exact.items() if j < 0.8 and max(ca, cb) >= 0.8}
    found = {(p.a, p.b): p for p in res.pairs}
    # Every reported pair carries its exact similarities and the right relation.
    for (a, b), p in found.items():
        j, ca, cb = exact[(a, b)]
        assert p.jaccard == pytest.approx(j) and p.containment_a_in_b == pytest.approx(ca)
        assert p.containment_b_in_a == pytest.approx(cb)
        assert p.relation == (NEAR_DUPLICATE if j >= 0.8 else CONTAINED)
    near = {k for k, p in found.items() if p.relation == NEAR_DUPLICATE}
    cont = {k for k, p in found.items() if p.relation == CONTAINED}
    assert len(truth_near) >= 20 and len(truth_cont) >= 10
    assert len(near & truth_near) / len(truth_near) >= 0.95
    assert len(cont & truth_cont) / len(truth_cont) >= 0.9
    assert res.pairs == sorted(res.pairs) and all(p.a < p.b for p in res.pairs)


def test_deterministic_and_json_shape(corpus):
    docs = _docs(dict(list(corpus.items())[:120]) | {k: v for k, v in corpus.items() if k.startswith("n")})
    r1, r2 = find_near_duplicates(docs, seed=7), find_near_duplicates(list(reversed(docs)), seed=7)
    assert r1 == r2
    js = r1.to_json()
    assert set(js) == {"clusters", "pairs"}
    assert js["pairs"] and set(js["pairs"][0]) == {
        "a", "b", "relation", "jaccard", "containment_a_in_b", "containment_b_in_a"}
    assert js["clusters"] and set(js["clusters"][0]) == {"members", "representative", "min_jaccard"}
    json.dumps(js)


def test_chaining_is_visible_in_min_jaccard():
    w = _words(1, 240)
    a, b, c = w[0:200], w[10:210], w[20:220]  # J(a,b) = J(b,c) ~ 0.90, J(a,c) ~ 0.81
    res = find_near_duplicates(_docs({"a": _text(a), "b": _text(b), "c": _text(c)}),
                               threshold=0.85, containment=0)
    rel = {(p.a, p.b): p.jaccard for p in res.pairs}
    assert ("a", "b") in rel and ("b", "c") in rel and ("a", "c") not in rel
    [cl] = res.clusters
    assert cl.members == ("a", "b", "c")
    sa, sc = (shingles(_text(x)) for x in (a, c))
    assert cl.min_jaccard == pytest.approx(len(sa & sc) / len(sa | sc))
    assert cl.min_jaccard < 0.85


def test_containment_and_representative():
    full = _words(5, 300)
    docs = [
        Document("long", "<long>", _text(full)),
        Document("part", "<part>", _text(full[50:250])),
        Document("other", "<other>", _text(_words(6, 300))),
    ]
    res = find_near_duplicates(docs)
    [p] = res.pairs
    assert (p.a, p.b, p.relation) == ("long", "part", CONTAINED)
    assert p.containment_b_in_a == pytest.approx(1.0) and p.jaccard < 0.8
    assert res.clusters[0].representative == "long"  # no dates: the longest
    dated = [Document("long", "<l>", _text(full), date="2021-05-01"),
             Document("part", "<p>", _text(full[50:250]), date="2020-01-01")]
    assert find_near_duplicates(dated).clusters[0].representative == "part"  # earliest
    assert find_near_duplicates(docs, containment=0).pairs == []


def test_boilerplate_is_removed_before_shingling():
    body = "\n\n".join(_text(_words(s, 40)) for s in range(10, 16))
    a = "Daily Planet | Home | World\n" + body + "\nShare this article\n"
    b = "Morning Star > News > Europe\n" + body + "\nPhoto: Getty Images\n"
    res = find_near_duplicates(_docs({"a": a, "b": b}), shingle_n=3)
    [p] = res.pairs
    assert p.relation == NEAR_DUPLICATE and p.jaccard == pytest.approx(1.0)


def test_char_shingles_and_bad_parameters():
    t = "The committee approved the budget after a long debate on Tuesday evening."
    res = find_near_duplicates(_docs({"x": t, "y": t.replace("Tuesday", "Tuesday,")}),
                               shingle_kind="char", shingle_n=4)
    assert [p.relation for p in res.pairs] == [NEAR_DUPLICATE]
    for bad in ({"threshold": 0}, {"containment": 1.5}, {"num_perm": 1}, {"shingle_kind": "x"}):
        with pytest.raises(ConfigError):
            DedupParams(**bad)
    with pytest.raises(ConfigError):
        find_near_duplicates([Document("a", "", "x y z"), Document("a", "", "x y z")])


def test_dedup_command(tmp_path, corpus):
    for k, v in corpus.items():
        (tmp_path / f"{k}.txt").write_text(v, encoding="utf-8")
    runner = CliRunner()
    out_file = tmp_path / "out" / "report.json"
    res = runner.invoke(main, ["dedup", str(tmp_path), "--json", "-o", str(out_file)])
    assert res.exit_code == 0, res.output
    js = json.loads(res.output)
    assert js == json.loads(out_file.read_text())
    docs = [Document(k, "", v) for k, v in corpus.items()]
    assert js["pairs"] and js == find_near_duplicates(docs).to_json()
    table = runner.invoke(main, ["dedup", str(tmp_path)])
    assert table.exit_code == 0 and "PAIRS" in table.output and "cluster(s)" in table.output
    bad = runner.invoke(main, ["dedup", str(tmp_path / "missing")])
    assert bad.exit_code == 1 and "no such file" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(main, ["dedup", str(tmp_path), "--threshold", "2"])
    assert bad.exit_code == 1 and "threshold" in bad.output


def test_containment_query_equals_datasketch_ensemble_query():
    import numpy as np
    from provenance.dedup import ContainmentLSH, _Sig
    from provenance.minhash import signatures

    base = _words(21, 400)
    sets = [shingles(_text(base[i:i + k])) for i, k in
            [(0, 400), (10, 200), (50, 300), (0, 100), (200, 150), (5, 390), (300, 60)]]
    sets += [shingles(_text(_words(100 + s, 80 + 40 * s))) for s in range(8)]
    sig = signatures(sets)
    sizes = [len(s) for s in sets]
    index = ContainmentLSH(sig, range(len(sets)), sizes, 0.8)
    for i in range(len(sets)):
        want = set(index.ensemble.query(_Sig(np.ascontiguousarray(sig[i, :index.num_perm])), sizes[i]))
        assert index.query(sig[i], sizes[i]) == want
    assert {0, 5} <= index.query(sig[1], sizes[1])  # an excerpt is found in its sources
    assert list(index.query_many(sig, sizes)) == [index.query(sig[i], sizes[i]) for i in range(len(sets))]


def test_dask_engine_names_the_extra_when_dask_is_missing(monkeypatch, tmp_path):
    import sys

    from provenance.dask_engine import dask_find_near_duplicates
    from provenance.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "dask.bag", None)  # import fails as if not installed
    with pytest.raises(MissingExtraError, match=r"provenance\[dask\]"):
        dask_find_near_duplicates([str(tmp_path)])
    (tmp_path / "a.txt").write_text("some text here")
    res = CliRunner().invoke(main, ["dedup", str(tmp_path), "--engine", "dask"])
    assert res.exit_code == 1 and "pip install 'provenance[dask]'" in res.output
