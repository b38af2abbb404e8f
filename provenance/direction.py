"""Which of two related texts is upstream: direction signals and a fitted model.

Each signal is evidence with a side it favours. The model turns them into
antisymmetric features (positive when they favour ``a``) and combines them
with a logistic regression without intercept, so swapping ``a`` and ``b``
gives exactly ``1 - p``. Its coefficients are fitted by
``benchmarks/fit_direction_model.py`` on pairs with known direction
(generated corpora from :mod:`provenance.simulate`, PAN 2013 source ->
suspicious pairs, Clough-Stevenson Wikipedia source -> answer) and ship as
``provenance/data/direction_model.json``.

Signals:

* ``date``: the earlier dateline is upstream (value: days between them).
* ``translation``: the machine-translated text is downstream of its original.
* ``claim_precision``: copy-editing rounds ("eight weeks" -> "2 months",
  1,800 -> "nearly 2,000"); the rounder figure is downstream.
* ``coverage``: the text made more of the shared material is downstream (a
  rewrite keeps part of its source and adds less than the source had).
* ``shared_rare_error``: the same malformed figure in both: copying, no side.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from .evidence import PairEvidence
from .records import Signal, Translation
from .signals import numeric_value

#: Direction is reported when the odds reach 3:1.
MIN_DIRECTION_PROBABILITY = 0.75
#: Antisymmetric features, in model order.
DIRECTION_FEATURES = ("date", "translation", "claim_precision", "coverage")


@dataclass(frozen=True)
class DocFacts:
    """Per-document facts the direction signals use."""

    id: str
    date: str | None
    date_reliability: float
    translation: Translation


def roundness(x: float) -> int:
    """Trailing zeros of an integer value (1,800 -> 2; 2,000 -> 3; 56 -> 0; 60 -> 1)."""
    if x <= 0 or x != int(x):
        return 0
    n, z = int(x), 0
    while n % 10 == 0:
        n //= 10
        z += 1
    return z


def direction_signals(a: DocFacts, b: DocFacts, ev: PairEvidence) -> list[Signal]:
    """Signals on whether ``a`` is upstream of ``b`` (``favours`` names the upstream id)."""
    out: list[Signal] = []
    if a.date and b.date and a.date != b.date:
        days = (_dt.date.fromisoformat(b.date) - _dt.date.fromisoformat(a.date)).days
        out.append(Signal("date", float(abs(days)), a.id if days > 0 else b.id,
                          f"{a.id} dated {a.date}, {b.id} dated {b.date} "
                          f"(reliability {a.date_reliability:.1f}, {b.date_reliability:.1f})"))
    ta, tb = a.translation, b.translation
    if ta.translated != tb.translated:
        up = a.id if tb.translated else b.id
        out.append(Signal("translation", abs(ta.score - tb.score), up,
                          f"{b.id if tb.translated else a.id} shows machine translation"))
    n = 0
    for c in ev.shared_claims:
        if not c.drift or n >= 3:
            continue
        va, vb = numeric_value(c.key_a), numeric_value(c.key_b)
        if va is None or vb is None:
            continue
        ra, rb = roundness(va), roundness(vb)
        if c.key_a.startswith("days:"):
            # months and weeks: 60 days is "2 months", rounder than 56
            ra, rb = (1 if va % 30 == 0 else 0), (1 if vb % 30 == 0 else 0)
        if ra != rb:
            n += 1
            out.append(Signal("claim_precision", 1.0, a.id if ra < rb else b.id,
                              f"{c.a.text!r} vs {c.b.text!r}: the rounder figure is downstream"))
    cov = ev.features.get("coverage_b", 0.0) - ev.features.get("coverage_a", 0.0)
    if abs(cov) > 1e-9:
        out.append(Signal("coverage", abs(cov), a.id if cov > 0 else b.id,
                          f"shared material is {ev.features.get('coverage_a', 0.0):.0%} of {a.id} "
                          f"and {ev.features.get('coverage_b', 0.0):.0%} of {b.id}"))
    for c in ev.shared_claims:
        if c.a.kind == "anomaly":
            out.append(Signal("shared_rare_error", 1.0, None,
                              f"both texts contain the malformed figure {c.a.text!r}: copying, direction unknown"))
    return out


def direction_features(a: DocFacts, b: DocFacts, signals: Sequence[Signal]) -> np.ndarray:
    """Antisymmetric feature vector (``DIRECTION_FEATURES`` order): positive favours ``a``."""
    f = dict.fromkeys(DIRECTION_FEATURES, 0.0)
    for s in signals:
        if s.favours is None or s.name not in f:
            continue
        sign = 1.0 if s.favours == a.id else -1.0
        if s.name == "date":
            f["date"] += sign * a.date_reliability * b.date_reliability
        elif s.name == "coverage":
            # square root: a difference of a tenth already points the way (a
            # linear term left Clough-Stevenson pairs under-confident; shapes
            # compared by cross-validation, see docs/derivation.md)
            f["coverage"] += sign * math.sqrt(min(1.0, s.value))
        elif s.name == "translation":
            f[s.name] += sign * min(1.0, s.value)
        else:
            f[s.name] += sign
    return np.array([f[k] for k in DIRECTION_FEATURES])


@lru_cache(maxsize=1)
def direction_coefficients() -> np.ndarray:
    """Fitted coefficients shipped with the package (see the module docstring)."""
    data = json.loads(resources.files("provenance").joinpath("data/direction_model.json").read_text("utf-8"))
    if tuple(data["features"]) != DIRECTION_FEATURES:
        raise ValueError("direction_model.json does not match DIRECTION_FEATURES; refit it")
    return np.array(data["coef"], dtype=float)


def direction_probability(a: DocFacts, b: DocFacts, signals: Sequence[Signal],
                          coef: np.ndarray | None = None) -> float:
    """Calibrated ``P(a upstream of b)``; 0.5 when no signal has a side."""
    w = direction_coefficients() if coef is None else coef
    z = float(np.dot(w, direction_features(a, b, signals)))
    return 1.0 / (1.0 + math.exp(-z))
