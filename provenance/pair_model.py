"""Is a pair of texts related by derivation (copy, rewrite, translation, or a
shared upstream) rather than by topic alone?

A logistic regression over the scale-free features of
:func:`provenance.evidence.features`. Coefficients are fitted by
``benchmarks/fit_pair_model.py`` on labelled corpora (PAN 2013 text alignment:
plagiarism pairs vs. no-plagiarism pairs; Clough & Stevenson: cut/light/heavy
answers vs. non-derived answers written on the same topic) and ship as
``provenance/data/pair_model.json``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

def set_logistic_params(model: Any, d: Mapping) -> Any:
    """Give a fitted-logistic estimator its ``coef_``, ``intercept_`` and ``classes_`` from saved JSON."""
    model.coef_ = np.array(d["coef"], dtype=float)
    model.intercept_ = float(d["intercept"])
    model.classes_ = np.array([0, 1])
    return model


FEATURES = ("log_aligned", "log_evidence", "log_contradicted", "best_score", "coverage_max", "log_shared_claims",
            "order_excess", "log_order_excess")


class PairModel(BaseEstimator, ClassifierMixin):
    """Logistic model ``P(related | features)``.

    Parameters
    ----------
    features : sequence of str
        Names of the evidence features used, in order.
    C : float
        Inverse L2 regularization strength of the logistic regression.
    """

    def __init__(self, features: Sequence[str] = FEATURES, C: float = 1.0) -> None:
        self.features = features
        self.C = C

    def _matrix(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return np.array([[float(r[f]) for f in self.features] for r in rows], dtype=float)

    def fit(self, rows: Sequence[Mapping[str, float]], y: Sequence[int]) -> "PairModel":
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=self.C, max_iter=1000).fit(self._matrix(rows), np.asarray(y))
        self.coef_ = lr.coef_[0].astype(float)
        self.intercept_ = float(lr.intercept_[0])
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba_one(self, row: Mapping[str, float]) -> float:
        z = self.intercept_ + float(np.dot(self.coef_, [float(row[f]) for f in self.features]))
        return 1.0 / (1.0 + math.exp(-z))

    def predict_proba(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        p = np.array([self.predict_proba_one(r) for r in rows])
        return np.column_stack([1 - p, p])

    def predict(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return (self.predict_proba(rows)[:, 1] >= 0.5).astype(int)

    def to_dict(self) -> dict:
        return {"features": list(self.features), "coef": [round(float(c), 6) for c in self.coef_],
                "intercept": round(self.intercept_, 6), "C": self.C}

    @classmethod
    def from_dict(cls, d: Mapping) -> "PairModel":
        return set_logistic_params(cls(features=tuple(d["features"]), C=d.get("C", 1.0)), d)


@lru_cache(maxsize=1)
def default_pair_model() -> PairModel:
    """The fitted model shipped with the package."""
    data = json.loads(resources.files("provenance").joinpath("data/pair_model.json").read_text("utf-8"))
    return PairModel.from_dict(data["model"])
