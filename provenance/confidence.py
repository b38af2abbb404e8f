"""Edge confidence: a calibrated probability that an edge joins two *directly* related texts.

The pair model (:mod:`provenance.pair_model`) judges two texts on their own:
do they share derived material? Whether the edge between them is direct also
depends on the rest of the collection. When a third text holds the material
the two share (a grandparent, the near-identical twin of a parent), the edge
may be the indirect one of a triangle; :func:`provenance.graph.transitive_reduction`
drops it when one side is clearly the detour (and keeps it when its two
texts are closer in wording to each other than to the third), and keeps both
sides when no side can be singled out (for example, a text that took sentences from one of
two near-identical copies: either is its parent as far as the words go). A
reader should see less confidence on such edges than on an edge no other
text explains.

:class:`EdgeCalibrator` is a logistic regression over a few features of each
document-document edge: the pair model's probability (as a logit), the
relation, how much of the edge's aligned material a third linked text also
holds (and how many such texts), how that path's aligned mass compares,
whether the path runs through a near-duplicate twin and which twin came out
first, how many edges the two texts have, the number and scores of aligned
sentences, and how decided the direction is. ``benchmarks/fit_edge_confidence.py`` fits it on generated corpora
with known graphs (seeds disjoint from the derivation benchmark's) and on
Clough-Stevenson answers traced with their sources, and ships the
coefficients as ``provenance/data/edge_confidence.json``. The edge's
``confidence`` is this probability; the direction stays in
``source_upstream_probability``.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .graph import Edge, _mass, _share, detours, drop_by_detour, edge_index, nearer_than_detour
from .pair_model import set_logistic_params
from .records import Signal

#: Edge features, in model order.
EDGE_FEATURES = ("related_logit", "near_duplicate", "shares_source", "explained_cover",
                 "explained_mass", "twin", "twin_order", "log_alignments", "log_explaining",
                 "log_degree_max", "log_degree_min", "best_score", "mean_score", "direction_strength",
                 "date_directed", "order_overlap")

#: A third text explains an edge when it holds at least this share of the
#: edge's aligned sentences on both sides (the same bar as transitive reduction).
EXPLAINED_COVER = 0.8


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def signal_value(e: Edge, name: str, default: float) -> float:
    """The value of ``e``'s first signal called ``name``, ``default`` when it has none."""
    for s in e.signals:
        if s.name == name:
            return float(s.value)
    return default


def related_probability(e: Edge) -> float:
    """The pair model's probability recorded on the edge (its confidence when absent)."""
    return signal_value(e, "pair_model", float(e.confidence))


def best_detour(found: Sequence[tuple[str, Edge, Edge, float]], e: Edge) -> tuple[str | None, float, float, bool]:
    """Of ``found`` (:func:`provenance.graph.detours` of ``e``), the one that best explains ``e``.

    Returns ``(id, cover, mass ratio, twin)``: the highest cover, then the
    lowest ratio of ``e``'s aligned mass to the weaker edge of the detour;
    ``twin`` says whether the detour passes a near-duplicate of one end.
    """
    best: tuple[str | None, float, float, bool] = (None, 0.0, 0.0, False)
    for y, xy, yz, c in found:
        weaker = min(_mass(xy), _mass(yz))
        ratio = _mass(e) / weaker if weaker > 0 else 2.0
        if (c, -ratio) > (best[1], -best[2]):
            best = (y, c, ratio, "near_duplicate" in (xy.relation, yz.relation))
    return best


def date_order(first: str | None, second: str | None) -> float:
    """+1 when ISO date ``first`` is before ``second``, -1 after, 0 when either is missing or they are equal."""
    if first and second and first != second:
        return 1.0 if first < second else -1.0
    return 0.0


def twin_order(e: Edge, y: str, by_pair: dict[frozenset[str], Edge], dates: Mapping[str, str | None]) -> float:
    """+1 when ``e`` joins the earlier of two near-duplicate twins (``y`` and one end), -1 the later, 0 unknown.

    A text linked to both an original and its near-verbatim copy more often
    took its words from the original: the original was out first (and for
    longer). Undated twins or equal dates give 0.
    """
    for end in (e.source, e.target):
        if by_pair[frozenset((end, y))].relation == "near_duplicate":
            return date_order(dates.get(end), dates.get(y))
    return 0.0


def order_overlap(e: Edge, saturation: float) -> float:
    """The edge's ordered overlap (content words shared in the same order beyond chance, as a share
    of the shorter text; :mod:`provenance.order`) relative to ``saturation``, capped at 1.

    Capped because the measure separates at its low end: texts that share a topic
    but not a source keep almost no order beyond chance, while any rewrite keeps
    plenty, and among rewrites more order says nothing more about being direct.
    """
    return min(1.0, max(0.0, signal_value(e, "ordered_overlap", 0.0)) / saturation)


def _features(e: Edge, by_pair: dict[frozenset[str], Edge], neighbours: dict[str, set[str]],
              dates: Mapping[str, str | None], saturation: float | None = None
              ) -> tuple[np.ndarray, str | None, float]:
    found = detours(e, by_pair, neighbours)
    y, cover, ratio, twin = best_detour(found, e)
    explained = cover >= EXPLAINED_COVER
    n_explaining = sum(1 for *_, c in found if c >= EXPLAINED_COVER)
    degrees = (len(neighbours.get(e.source, ())), len(neighbours.get(e.target, ())))
    scores = [a.score for a in e.alignments] or [0.0]
    row = np.array([
        _logit(related_probability(e)) / 4.0,
        float(e.relation == "near_duplicate"),
        float(e.relation == "shares_source"),
        cover,
        min(ratio, 2.0) if explained else 0.0,
        float(explained and twin),
        twin_order(e, y, by_pair, dates) if explained and twin and y is not None else 0.0,
        math.log1p(len(e.alignments)),
        # texts in big families have many edges, and more of them are indirect
        math.log1p(n_explaining),
        math.log1p(max(degrees)),
        math.log1p(min(degrees)),
        max(scores),
        sum(scores) / len(scores),
        abs(2.0 * e.source_upstream_probability - 1.0),
        float(e.relation == "derives_from" and any(s.name == "date" for s in e.signals)),
        order_overlap(e, order_saturation() if saturation is None else saturation),
    ])
    return row, (y if explained else None), cover


def edge_feature_rows(edges: Sequence[Edge], dates: Mapping[str, str | None] | None = None,
                      saturation: float | None = None) -> list[np.ndarray | None]:
    """Feature vector (``EDGE_FEATURES`` order) of each document-document edge; None for latent edges.

    ``dates`` maps document ids to ISO publication dates (or None);
    ``saturation`` overrides the shipped :func:`order_saturation`.
    """
    by_pair, neighbours = edge_index(edges)
    dates = dates or {}
    return [None if e.from_latent else _features(e, by_pair, neighbours, dates, saturation)[0]
            for e in edges]


class EdgeCalibrator(BaseEstimator, ClassifierMixin):
    """Logistic model ``P(edge joins directly related texts | edge features)``.

    Parameters
    ----------
    C : float
        Inverse L2 regularization strength of the logistic regression.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: np.ndarray, y: Sequence[int], sample_weight: Sequence[float] | None = None
            ) -> "EdgeCalibrator":
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=self.C, max_iter=2000).fit(np.asarray(X, dtype=float), np.asarray(y),
                                                             sample_weight=sample_weight)
        self.coef_ = lr.coef_[0].astype(float)
        self.intercept_ = float(lr.intercept_[0])
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = self.intercept_ + np.asarray(X, dtype=float) @ self.coef_
        p = 1.0 / (1.0 + np.exp(-z))
        return np.column_stack([1 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def to_dict(self) -> dict:
        return {"features": list(EDGE_FEATURES), "coef": [round(float(c), 6) for c in self.coef_],
                "intercept": round(self.intercept_, 6), "C": self.C}

    @classmethod
    def from_dict(cls, d: dict) -> "EdgeCalibrator":
        if tuple(d["features"]) != EDGE_FEATURES:
            raise ValueError("edge_confidence.json does not match EDGE_FEATURES; refit it")
        return set_logistic_params(cls(C=d.get("C", 1.0)), d)


@lru_cache(maxsize=1)
def _shipped() -> dict:
    """``provenance/data/edge_confidence.json``, read once."""
    return json.loads(resources.files("provenance").joinpath("data/edge_confidence.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def default_edge_calibrator() -> EdgeCalibrator:
    """The fitted calibrator shipped with the package."""
    return EdgeCalibrator.from_dict(_shipped()["model"])


def _why_explained(e: Edge, y: str, by_pair: dict[frozenset[str], Edge], dates: Mapping[str, str | None]) -> str:
    """What the third text ``y`` that holds ``e``'s material means for ``e``, in words."""
    xy, yz = by_pair[frozenset((e.source, y))], by_pair[frozenset((y, e.target))]
    for twin, other, ed in ((e.source, e.target, xy), (e.target, e.source, yz)):
        if ed.relation == "near_duplicate":
            order = date_order(dates.get(twin), dates.get(y))
            when = ("" if order == 0 else f"; {twin} is dated first" if order > 0 else f"; {y} is dated first")
            # no direction: other may have taken the words from a twin, or a twin from other
            return (f"{twin} and {y} are near-verbatim copies of each other, so the material {other} shares "
                    f"with them may run through either; the texts do not say which{when}")
    # kept by transitive reduction when closer to each other than to y
    if nearer_than_detour(e, xy, yz):
        return f"but in wording these two texts are closer to each other than to {y}"
    return "this edge may be the indirect side of a triangle"


def calibrate_edges(edges: Sequence[Edge], dates: Mapping[str, str | None] | None = None,
                    model: EdgeCalibrator | None = None) -> list[Edge]:
    """Edges with ``confidence`` replaced by the calibrated probability.

    An edge whose material a third text also holds gets an ``explained_by``
    signal naming that text, so a reader sees why its confidence is lower.
    Latent edges are returned unchanged.
    """
    model = default_edge_calibrator() if model is None else model
    by_pair, neighbours = edge_index(edges)
    out = []
    for e in edges:
        if e.from_latent:
            out.append(e)
            continue
        row, y, cover = _features(e, by_pair, neighbours, dates or {})
        p = float(model.predict_proba(row[None, :])[0, 1])
        signals = e.signals
        if y is not None:
            signals = signals + (Signal("explained_by", round(cover, 4), None,
                                        f"{cover:.0%} of the aligned sentences are also aligned with {y}: "
                                        + _why_explained(e, y, by_pair, dates or {})),)
        out.append(replace(e, confidence=round(p, 4), signals=signals))
    return out


def order_saturation() -> float:
    """Ordered overlap at which the calibrator's ``order_overlap`` feature reaches 1.

    Chosen with the calibrator (``benchmarks/fit_edge_confidence.py``): the
    value, of a grid, with the lowest leave-one-corpus-out log loss.
    """
    return float(_shipped().get("order_saturation", 1.0))


def min_confidence() -> float:
    """Calibrated confidence an edge needs to be reported in the graph.

    Fitted with the calibrator (``benchmarks/fit_edge_confidence.py``): the
    lowest cut-off whose mean edge F1 on the generated corpora, from
    leave-one-corpus-out confidences, is within one standard error of the
    best cut-off's. Weaker edges are not dropped silently:
    :func:`provenance.trace` returns them as ``weak_edges``.
    """
    return float(_shipped().get("min_confidence", 0.0))


def split_weak(edges: Sequence[Edge], threshold: float) -> tuple[list[Edge], list[Edge]]:
    """``(reported, weak)``: document-document edges below ``threshold`` are weak; latent edges are reported."""
    kept, weak = [], []
    for e in edges:
        (weak if e.confidence < threshold and not e.from_latent else kept).append(e)
    return kept, weak


#: An explained edge (see :func:`drop_explained`) is kept only at this
#: calibrated confidence: Bayes-optimal for equal costs, as the pair model's bar.
MIN_EXPLAINED_CONFIDENCE = 0.5


def drop_explained(edges: Sequence[Edge], dates: Mapping[str, str | None]) -> list[Edge]:
    """Drop calibrated edges to the likelier-indirect one of two near-duplicate twins.

    A text linked to both an original and its near-verbatim copy has two
    edges that explain each other, which transitive reduction keeps (neither
    carries clearly less material). An edge to the later-dated twin,
    explained through the detour over the earlier one, with calibrated
    confidence below ``MIN_EXPLAINED_CONFIDENCE``, is removed while both
    edges of its detour remain. Undated twins keep both edges: either may be
    the parent. Other triangles are left to
    :func:`provenance.graph.transitive_reduction`.
    """
    by_pair, _ = edge_index(edges)
    weak = sorted((e for e in edges if not e.from_latent
                   and e.confidence < MIN_EXPLAINED_CONFIDENCE
                   and any(s.name == "explained_by" for s in e.signals)),
                  key=lambda e: (e.confidence, e.sort_key()))

    def later_twin(e: Edge, y: str, xy: Edge, yz: Edge) -> bool:
        # undated twins (order 0): either may be the parent, keep both edges
        return ("near_duplicate" in (xy.relation, yz.relation) and twin_order(e, y, by_pair, dates) < 0
                and min(_share(e, e.source, xy), _share(e, e.target, yz)) >= EXPLAINED_COVER)

    return drop_by_detour(edges, weak, later_twin)
