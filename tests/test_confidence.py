"""Edge confidence: the calibrated probability that an edge is direct, and triangles it explains."""

import json
from importlib import resources

import numpy as np
import pytest
from benchmark_module import load_benchmark

from provenance.confidence import (
    EDGE_FEATURES, EdgeCalibrator, _why_explained, calibrate_edges, edge_feature_rows, twin_order,
)
from provenance.graph import Edge
from provenance.pipeline import trace
from provenance.records import Alignment, Document, Signal

FACTS = [
    "The harbour authority counted {n} container ships in the first quarter of the year.",
    "Inspectors seized {n} kilograms of undeclared cargo at the northern terminal.",
    "The port director, Helena Marsh, said the new cranes cost {n} million euros.",
    "Dock workers staged a {n}-hour strike over night-shift pay in March.",
    "A dredging contract worth {n} million euros was awarded to a Dutch firm.",
    "Customs officers reported {n} cases of falsified shipping manifests.",
    "The rail link to the container yard will carry {n} trains a week from June.",
    "Fuel deliveries fell by {n} percent after the refinery closed for repairs.",
    "The city council approved {n} new berths for cruise ships on Tuesday.",
    "Harbour pilots guided {n} vessels through the channel during the storm.",
]
OTHER = [
    "Residents of the old town complained about truck traffic on the coastal road.",
    "A ferry company announced a summer timetable with more evening crossings.",
    "The maritime museum opened an exhibition about nineteenth-century shipbuilding.",
    "Fishermen asked the ministry for compensation after the quota cut.",
]


def _facts(k: int) -> list[str]:
    return [f.format(n=37 + 11 * i) for i, f in enumerate(FACTS[:k])]


def test_near_duplicate_twin_keeps_the_edge_to_the_earlier_text() -> None:
    original = " ".join(_facts(10))
    copy = "Syndicated. " + original + " Copyright the wire service."
    excerpt = " ".join(_facts(10)[2:8]) + " " + " ".join(OTHER)
    docs = [Document("orig", "<orig>", original, date="2023-01-02"),
            Document("copy", "<copy>", copy, date="2023-01-05"),
            Document("excerpt", "<excerpt>", excerpt, date="2023-01-09")]
    tr = trace(documents=docs, seed=1)
    pairs = {frozenset((e.source, e.target)): e for e in tr.edges}
    assert frozenset(("orig", "copy")) in pairs
    assert frozenset(("orig", "excerpt")) in pairs
    # the excerpt's words are in both twins; the later copy is the indirect side
    assert frozenset(("copy", "excerpt")) not in pairs
    why = [s.detail for s in pairs[frozenset(("orig", "excerpt"))].signals if s.name == "explained_by"]
    assert why and why[0].endswith("orig is dated first")
    for e in tr.edges:
        assert 0.0 <= e.confidence <= 1.0


def test_undated_twins_keep_both_edges_and_say_the_texts_cannot_tell_which() -> None:
    original = " ".join(_facts(10))
    copy = "Syndicated. " + original + " Copyright the wire service."
    excerpt = " ".join(_facts(10)[2:8]) + " " + " ".join(OTHER)
    docs = [Document("orig", "<orig>", original), Document("copy", "<copy>", copy),
            Document("excerpt", "<excerpt>", excerpt)]
    tr = trace(documents=docs, seed=1)
    edges = {frozenset((e.source, e.target)): e for e in tr.edges + tr.weak_edges}
    for twin, other in (("orig", "copy"), ("copy", "orig")):
        e = edges[frozenset((twin, "excerpt"))]
        why = [s.detail for s in e.signals if s.name == "explained_by"]
        assert why and f"{twin} and {other} are near-verbatim copies of each other" in why[0]
        assert "the material excerpt shares with them may run through either" in why[0] and "dated" not in why[0]


@pytest.mark.parametrize("dates, ending", [
    ({"x": "2020-01-01", "y": "2020-02-01"}, "; x is dated first"),
    ({"x": "2020-03-01", "y": "2020-02-01"}, "; y is dated first"),
    ({"x": None, "y": "2020-02-01"}, "the texts do not say which"),
])
def test_explained_by_names_the_earlier_twin_only_when_dates_tell(dates, ending) -> None:
    al = (Alignment(0, 10, 0, 10, 0.9, "tfidf"),)
    xz = Edge("x", "z", "derives_from", True, 0.9, al)
    xy = Edge("x", "y", "near_duplicate", False, 0.9, al)
    yz = Edge("y", "z", "derives_from", True, 0.9, al)
    by_pair = {frozenset(("x", "z")): xz, frozenset(("x", "y")): xy, frozenset(("y", "z")): yz}
    why = _why_explained(xz, "y", by_pair, dates)
    assert why.startswith("x and y are near-verbatim copies of each other, so the material z shares")
    assert why.endswith(ending)


def test_twin_order_reads_dates_of_the_near_duplicate_pair() -> None:
    al = (Alignment(0, 10, 0, 10, 0.9, "tfidf"),)
    xz = Edge("x", "z", "shares_source", False, 0.9, al)
    xy = Edge("x", "y", "near_duplicate", False, 0.9, al)
    yz = Edge("y", "z", "shares_source", False, 0.9, al)
    by_pair = {frozenset(("x", "z")): xz, frozenset(("x", "y")): xy, frozenset(("y", "z")): yz}
    assert twin_order(xz, "y", by_pair, {"x": "2020-01-01", "y": "2020-02-01"}) == 1.0
    assert twin_order(xz, "y", by_pair, {"x": "2020-03-01", "y": "2020-02-01"}) == -1.0
    assert twin_order(xz, "y", by_pair, {"x": None, "y": "2020-02-01"}) == 0.0


def test_explained_edge_is_flagged_and_less_confident() -> None:
    al = tuple(Alignment(10 * k, 10 * k + 9, 10 * k, 10 * k + 9, 0.8, "tfidf") for k in range(6))
    rel = (Signal("pair_model", 0.99, None, ""),)
    xz = Edge("x", "z", "shares_source", False, 0.9, al, signals=rel)
    xy = Edge("x", "y", "derives_from", True, 0.9, al, signals=rel)
    yz = Edge("y", "z", "derives_from", True, 0.9, al, signals=rel)
    alone = Edge("p", "q", "shares_source", False, 0.9, al, signals=rel)
    rows = edge_feature_rows([xz, xy, yz, alone])
    assert rows[0][EDGE_FEATURES.index("explained_cover")] == 1.0
    assert rows[3][EDGE_FEATURES.index("explained_cover")] == 0.0
    out = {(e.source, e.target): e for e in calibrate_edges([xz, xy, yz, alone])}
    assert any(s.name == "explained_by" for s in out["x", "z"].signals)
    assert not any(s.name == "explained_by" for s in out["p", "q"].signals)
    assert out["x", "z"].confidence < out["p", "q"].confidence


def test_shipped_calibrator_matches_features_and_was_fitted_by_the_script() -> None:
    data = json.loads(resources.files("provenance").joinpath("data/edge_confidence.json").read_text("utf-8"))
    assert data["fitted_by"] == "benchmarks/fit_edge_confidence.py"
    m = EdgeCalibrator.from_dict(data["model"])
    assert len(m.coef_) == len(EDGE_FEATURES)
    # a stronger pair-model probability never lowers the confidence
    assert m.coef_[EDGE_FEATURES.index("related_logit")] > 0
    bad = dict(data["model"], features=["x"])
    with pytest.raises(ValueError, match="refit"):
        EdgeCalibrator.from_dict(bad)


def test_calibrator_follows_the_estimator_contract() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, len(EDGE_FEATURES)))
    y = (X[:, 0] + 0.3 * rng.normal(size=200) > 0).astype(int)
    m = EdgeCalibrator(C=0.5)
    assert m.fit(X, y) is m
    assert m.get_params() == {"C": 0.5}
    assert (m.predict(X) == y).mean() > 0.8


def test_weak_edges_sit_below_the_fitted_cut_off_and_out_of_the_graph() -> None:
    from provenance.confidence import min_confidence, split_weak
    from provenance.simulate import simulate

    data = json.loads(resources.files("provenance").joinpath("data/edge_confidence.json").read_text("utf-8"))
    cut = min_confidence()
    assert cut == data["min_confidence"] and 0.0 < cut < 0.5
    # the fitted table's one-standard-error choice: the lowest cut-off within one SE of the best F1
    table = {float(k): v for k, v in data["mean_f1_by_cutoff"].items()}
    close = [t for t, f in table.items() if f >= max(table.values()) - data["mean_f1_standard_error"]]
    assert cut == min(close) and table[cut] > table[0.0]
    # the first small generated corpus with a pair of weak evidence (which one depends on the fit)
    for seed in range(7, 17):
        tr = trace(documents=simulate(n_documents=40, noise="high", seed=seed).documents, seed=1, jobs=1)
        if tr.weak_edges:
            break
    assert tr.config["min_confidence"] == cut
    assert tr.weak_edges, "one of these generated corpora has pairs with weak evidence"
    assert all(e.confidence < cut for e in tr.weak_edges)
    assert all(e.confidence >= cut for e in tr.edges if not e.source.startswith("latent:"))
    pairs = {frozenset((e.source, e.target)) for e in tr.edges}
    assert not any(frozenset((e.source, e.target)) in pairs for e in tr.weak_edges)
    d = tr.to_dict()
    assert len(d["weak_edges"]) == len(tr.weak_edges) and d["weak_edges"][0]["confidence"] < cut
    # split_weak never moves a latent edge
    kept, weak = split_weak(list(tr.edges) + list(tr.weak_edges), 1.01)
    assert all(e.source.startswith("latent:") for e in kept) and len(weak) == len(tr.weak_edges) + len(
        [e for e in tr.edges if not e.source.startswith("latent:")])


def test_ordered_overlap_signal_reads_the_order_of_shared_material() -> None:
    # the same ten sentences, once in the original order and once reversed: same vocabulary,
    # same aligned sentences, but only the first keeps the order in which the original says things
    original = " ".join(_facts(10)) + " " + " ".join(OTHER)
    in_order = " ".join(OTHER[:2]) + " " + " ".join(_facts(10))
    reversed_ = " ".join(OTHER[:2]) + " " + " ".join(reversed(_facts(10)))

    def overlap(text: str) -> float:
        tr = trace(documents=[Document("a", "<a>", original), Document("b", "<b>", text)], seed=1)
        (e,) = [e for e in list(tr.edges) + list(tr.weak_edges) if not e.from_latent]
        (s,) = [s for s in e.signals if s.name == "ordered_overlap"]
        assert "same order beyond chance" in s.detail
        return s.value

    kept, lost = overlap(in_order), overlap(reversed_)
    assert kept > 0.5 and lost < 0.1


def test_order_overlap_feature_saturates_at_the_fitted_value() -> None:
    from provenance.confidence import order_overlap, order_saturation

    data = json.loads(resources.files("provenance").joinpath("data/edge_confidence.json").read_text("utf-8"))
    sat = order_saturation()
    # the fit's choice from its grid of leave-one-corpus-out log losses
    losses = {float(k): v for k, v in data["order_saturation_log_loss"].items()}
    assert sat == data["order_saturation"] == load_benchmark("fit_edge_confidence").choose_saturation(losses)
    assert losses[sat] < max(losses.values())
    al = tuple(Alignment(10 * k, 10 * k + 9, 10 * k, 10 * k + 9, 0.7, "tfidf") for k in range(3))

    def edge(value: float) -> Edge:
        return Edge("p", "q", "shares_source", False, 0.9, al,
                    signals=(Signal("pair_model", 0.9, None, ""), Signal("ordered_overlap", value, None, "")))

    assert [order_overlap(edge(v), sat) for v in (0.0, sat / 2, sat, 3 * sat)] == [0.0, 0.5, 1.0, 1.0]
    assert order_overlap(Edge("p", "q", "shares_source", False, 0.9, al), sat) == 0.0
    conf = [calibrate_edges([edge(v)])[0].confidence for v in (0.0, sat / 2, sat, 3 * sat)]
    # texts that share words but not their order are less likely related; beyond the cap, no change
    assert conf[0] < conf[1] < conf[2] == conf[3]
