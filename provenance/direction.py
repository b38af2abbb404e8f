"""Which of two related texts is upstream: direction signals and their combination.

Each signal is evidence with a side it favours. They combine as a sum of
log-odds, ``P(a upstream) = sigmoid(sum(weight_i * sign_i))``. The weights
are stated priors, each explained below, not fits: they stand until the
direction model is fitted on generated corpora with known truth (see the
derivation issue). A signal that favours neither side contributes nothing.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Sequence

from .evidence import PairEvidence
from .records import Signal, Translation
from .signals import numeric_value

#: Log-odds per signal at full strength.
#: - date: an earlier dateline is upstream unless a page misdates itself; with
#:   both datelines at reliability 0.8, 2.2 * 0.64 = 1.4 log-odds (80 %).
#: - translation: the machine-translated text is downstream of its original;
#:   scaled by the difference of the two translation scores.
#: - claim_precision: copy-editing rounds ("eight weeks" -> "2 months",
#:   1,800 -> "nearly 2,000"); the rounder figure is downstream; per claim,
#:   at most 3 claims.
WEIGHTS = {"date": 2.2, "translation": 1.5, "claim_precision": 0.6}
#: Direction is reported when the odds reach 3:1.
MIN_DIRECTION_PROBABILITY = 0.75


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
        out.append(Signal("date", float(days), a.id if days > 0 else b.id,
                          f"{a.id} dated {a.date}, {b.id} dated {b.date}"))
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
    for c in ev.shared_claims:
        if c.a.kind == "anomaly":
            out.append(Signal("shared_rare_error", 1.0, None,
                              f"both texts contain the malformed figure {c.a.text!r}: copying, direction unknown"))
    return out


def direction_probability(a_id: str, signals: Sequence[Signal]) -> float:
    """``P(a upstream)`` from the signals (0.5 when none has a side)."""
    z = 0.0
    for s in signals:
        if s.favours is None or s.name not in WEIGHTS:
            continue
        w = WEIGHTS[s.name]
        if s.name == "date":
            w *= 0.64  # both dates at reliability 0.8
        elif s.name == "translation":
            w *= max(0.2, min(1.0, s.value))
        z += w if s.favours == a_id else -w
    return 1.0 / (1.0 + math.exp(-z))
