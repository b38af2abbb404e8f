"""Generated corpora: determinism, a consistent truth, transformations that happen, and trace on them."""

import random
import re

import pytest

from provenance.signals import find_attributions, find_claims, publication_date
from provenance.simulate import (
    NOISE_LEVELS, SimulatedCorpus, _drift_text, _paraphrase_sentence, _Sent, simulate,
)

NUM = re.compile(r"\d[\d,.]*")


@pytest.fixture(scope="module")
def corpus() -> SimulatedCorpus:
    return simulate(n_documents=150, noise="moderate", seed=7)


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = simulate(n_documents=40, noise="high", seed=3)
    b = simulate(n_documents=40, noise="high", seed=3)
    c = simulate(n_documents=40, noise="high", seed=4)
    assert a == b
    assert [d.raw for d in a.documents] != [d.raw for d in c.documents]


def test_sizes_ids_and_lengths(corpus):
    assert len(corpus.documents) == 150
    assert [d.id for d in corpus.documents] == sorted(d.id for d in corpus.documents)
    assert all(re.fullmatch(r"d\d{5}", d.id) for d in corpus.documents)
    assert all(re.fullmatch(r"h\d{5}", h) for h in corpus.hidden)
    roots = [d for d in corpus.documents if dict(d.meta)["kind"] == "root"]
    mean_words = sum(len(d.raw.split()) for d in roots) / len(roots)
    assert 350 <= mean_words <= 520


def test_truth_is_consistent(corpus):
    ids = {d.id for d in corpus.documents}
    hidden = set(corpus.hidden)
    assert hidden and not hidden & ids
    for e in corpus.edges:
        assert e.parent in ids | hidden and e.child in ids | hidden
        assert e.kind in ("copy", "excerpt", "paraphrase", "merge")
        # every child is dated after each of its parents
        assert corpus.dates[e.parent] < corpus.dates[e.child]
    for h in corpus.hidden:
        kids = corpus.latent_groups[h]
        assert len(kids) >= 2 and set(kids) <= ids
        assert all(e.parent != h or e.child in kids for e in corpus.edges)
    # no document text names a hidden id, and hidden parents are roots
    assert not any(h in d.raw for d in corpus.documents for h in hidden)
    assert not any(e.child in hidden for e in corpus.edges)
    merges = [c for c, ps in corpus.parents().items() if len(ps) > 1]
    assert merges and all(all(e.kind == "merge" for e in corpus.edges if e.child == c) for c in merges)


def test_multi_generation_chains_exist(corpus):
    par = corpus.parents()
    grandchildren = [c for c, ps in par.items() if any(p in par for p in ps)]
    assert grandchildren


def test_pair_helpers(corpus):
    directed = corpus.true_directed()
    ids = {d.id for d in corpus.documents}
    assert all(p in ids and c in ids for p, c in directed)
    pairs = corpus.true_pairs()
    assert {frozenset(x) for x in directed} <= pairs
    for kids in corpus.latent_groups.values():
        assert frozenset(kids[:2]) in pairs
    assert pairs <= corpus.family_pairs()


def test_printed_dates_are_the_true_dates(corpus):
    undated = set(corpus.undated)
    assert 0 < len(undated) < len(corpus.documents)
    for d in corpus.documents:
        iso, _ = publication_date(d.raw)
        assert iso == (None if d.id in undated else corpus.dates[d.id]), d.id


def test_topic_overlap_without_derivation(corpus):
    """Many unrelated pairs on one topic: they share vocabulary but no specific figures."""
    fam = corpus.family_pairs()
    docs = corpus.documents
    same_topic_unrelated = [
        (a, b) for i, a in enumerate(docs) for b in docs[i + 1:]
        if corpus.topics[a.id] == corpus.topics[b.id] and frozenset((a.id, b.id)) not in fam
    ]
    assert len(same_topic_unrelated) > 500
    # unrelated same-topic texts rarely share a specific 4+ digit figure
    def figs(d):
        return {c.key for c in find_claims(d.raw) if c.kind == "number" and float(c.key[4:]) >= 1000}
    shared = sum(1 for a, b in same_topic_unrelated[:300] if figs(a) & figs(b))
    assert shared / 300 < 0.05


def test_paraphrase_changes_words_but_keeps_numbers():
    rng = random.Random(1)
    s = _Sent("the Harbor Port Authority reported that 1,873 containers were recorded at the cargo pier "
              "in Halden last year", "after dredging delays slowed work at the ferry berth for eight weeks", False)
    changed = 0
    for _ in range(20):
        p = _paraphrase_sentence(s, rng)
        assert sorted(NUM.findall(p.render())) == sorted(NUM.findall(s.render()))
        assert "Harbor Port Authority" in p.render() and "Halden" in p.render()
        changed += p.render() != s.render()
    assert changed >= 18


def test_numeric_drift_rounds_figures():
    rng = random.Random(0)
    out = _drift_text("It counted 1,870 beds, spent $46.3 million, saw a 37% rise in eight weeks.", rng, 1.0)
    assert "nearly 1,900" in out and "$46 million" in out and "nearly 40%" in out and "two months" in out
    assert _drift_text("It counted 1,870 beds.", rng, 0.0) == "It counted 1,870 beds."


def test_paraphrase_children_differ_from_parents_in_wording(corpus):
    by_id = corpus.by_id()
    checked = 0
    for e in corpus.edges:
        if e.kind != "paraphrase" or e.parent not in by_id:
            continue
        pw = set(by_id[e.parent].raw.lower().split())
        cw = set(by_id[e.child].raw.lower().split())
        assert pw != cw
        checked += 1
    assert checked >= 5


def test_copies_keep_the_parent_body(corpus):
    by_id = corpus.by_id()
    copies = [e for e in corpus.edges if e.kind == "copy" and e.parent in by_id]
    assert copies
    for e in copies:
        parent_body = by_id[e.parent].raw.split("\n\n")[2:]
        child = by_id[e.child].raw
        # the dateline prefix of the first paragraph may differ
        assert all(p.split(" - ", 1)[-1].strip() in child for p in parent_body[1:])


def test_typos_propagate_to_children():
    c = simulate(n_documents=300, noise="low", seed=11)
    par = c.parents()

    def descends(x: str, anc: str) -> bool:
        stack = list(par.get(x, ()))
        while stack:
            p = stack.pop()
            if p == anc:
                return True
            stack.extend(par.get(p, ()))
        return False

    assert len(c.typos) >= 5
    copied = 0
    for origin, bad in c.typos:
        pat = re.compile(r"(?<![\d,])" + re.escape(bad) + r"(?![\d,])")
        holders = [d for d in c.documents if pat.search(d.raw)]
        for d in holders:
            # the malformed figure is recognised, and only the origin and its descendants have it
            assert any(cl.kind == "anomaly" and cl.text == bad for cl in find_claims(d.raw))
            assert d.id == origin or descends(d.id, origin), (origin, bad, d.id)
        copied += sum(1 for d in holders if d.id != origin)
    assert copied >= 3


def test_children_name_hidden_parents(corpus):
    assert corpus.attributions
    par = corpus.parents()
    by_id = corpus.by_id()
    for doc_id in corpus.attributions:
        assert any(p in corpus.hidden for p in par[doc_id])
        assert find_attributions(by_id[doc_id].raw)


def test_noise_levels_order():
    assert NOISE_LEVELS["low"].paraphrase_rate < NOISE_LEVELS["moderate"].paraphrase_rate < NOISE_LEVELS["high"].paraphrase_rate
    with pytest.raises(ValueError):
        simulate(10, noise="extreme")


def test_trace_finds_copy_edges_at_low_noise():
    """End to end: ``trace`` on a small low-noise corpus recovers most true relations."""
    from provenance.pipeline import trace

    c = simulate(n_documents=30, noise="low", seed=0)
    tr = trace(documents=list(c.documents))
    reported = {frozenset((e.source, e.target)) for e in tr.edges if not e.source.startswith("latent:")}
    copies = {frozenset((e.parent, e.child)) for e in c.edges if e.kind == "copy" and not e.parent.startswith("h")}
    assert copies
    assert len(copies & reported) / len(copies) >= 0.8
    truth = c.true_pairs()
    assert len(truth & reported) / len(truth) >= 0.8


@pytest.mark.parametrize("n", [1, 2, 3, 7])
@pytest.mark.parametrize("hidden_fraction", [0.0, 0.3])
def test_small_corpora_have_the_requested_size(n, hidden_fraction):
    c = simulate(n_documents=n, noise="high", seed=1, hidden_fraction=hidden_fraction, words_per_doc=100)
    assert len(c.documents) == n
    assert all(len(kids) >= 2 for kids in c.latent_groups.values())
    assert set(c.latent_groups) == set(c.hidden)
