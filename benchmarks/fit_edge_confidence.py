"""Fit the edge-confidence calibrator and write provenance/data/edge_confidence.json.

Usage::

    python benchmarks/fit_edge_confidence.py [--clough DIR] [--docs 200] [--seeds 300,301,302,303,304]

Every document-document edge of a trace is labelled true when it joins two
texts related directly: on generated corpora (``provenance.simulate``, low,
moderate and high noise, the given seeds, disjoint from the derivation
benchmark's seeds 0-4), a pair of :meth:`SimulatedCorpus.true_pairs`; on
Clough-Stevenson, an answer and its own task's Wikipedia source when the
answer is derived (cut/light/heavy), traced both per answer (answer +
source) and all together (where answer-answer edges are false: siblings of a
visible source). Features come from :func:`provenance.confidence.edge_feature_rows`
on the final edges of each trace (they do not depend on the calibrator).

Chooses the saturation of the ``order_overlap`` feature from
``ORDER_SATURATIONS`` by leave-one-corpus-out log loss
(:func:`choose_saturation`), prints leave-one-corpus-out expected
calibration error and accuracy (each generated corpus and each Clough
setting held out in turn) and the Clough-Stevenson derived-vs-not accuracy
of the per-answer traces from the calibrator fitted without them, then fits
on everything and writes the coefficients and the saturation, with the
reporting cut-off ``min_confidence``: the one whose held-out confidences
give the best mean edge F1 over the generated corpora (:func:`choose_cutoff`;
edges below it are returned as ``weak_edges``). :func:`fit_calibration` is
the whole choice, also used by ``benchmarks/clough_held_out.py``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import provenance.pipeline as pipeline  # noqa: E402
from provenance.confidence import EDGE_FEATURES, EdgeCalibrator, edge_feature_rows  # noqa: E402
from provenance.evaluation import expected_calibration_error  # noqa: E402
from provenance.fsutil import atomic_write_bytes, atomic_write_text  # noqa: E402
from provenance.simulate import simulate  # noqa: E402

DEFAULT_CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson-short-answers"
OUT = ROOT / "provenance" / "data" / "edge_confidence.json"


def _uncalibrated_trace(docs: list[Any]) -> Any:
    # the features must not depend on a previously shipped calibrator, nor on its cut-off
    saved = pipeline.calibrate_edges, pipeline.min_confidence
    pipeline.calibrate_edges = lambda edges, dates=None: list(edges)
    pipeline.min_confidence = lambda: 0.0
    try:
        return pipeline.trace(documents=docs, seed=1, jobs=2)
    finally:
        pipeline.calibrate_edges, pipeline.min_confidence = saved


def _rows(tr: Any, label) -> tuple[list[Any], dict[str, str | None], list[int]]:
    """The trace's edges, dates and a label per edge (features are computed later)."""
    edges = list(tr.edges)
    return edges, {a.doc.id: a.date for a in tr.analyses}, [int(label(e.source, e.target)) for e in edges]


def _features(group: tuple[list[Any], dict[str, str | None], list[int]], saturation: float
              ) -> tuple[list[np.ndarray], list[int]]:
    edges, dates, labels = group
    X, y = [], []
    for row, lab in zip(edge_feature_rows(edges, dates, saturation=saturation), labels):
        if row is not None:
            X.append(row)
            y.append(lab)
    return X, y


#: True related pairs per generated corpus, found or not (the recall denominator for the cut-off).
TRUE_PAIRS: dict[str, int] = {}


def choose_cutoff(held_out: dict[str, tuple[np.ndarray, list[int]]], true_pairs: dict[str, int]
                  ) -> tuple[float, dict, float]:
    """The reporting cut-off on calibrated confidence, mean edge F1 by cut-off, and the standard error used.

    ``held_out`` maps a generated corpus to leave-one-corpus-out confidences
    and labels of its edges; true pairs no edge found count as misses at any
    cut-off. The one-standard-error rule picks the lowest cut-off whose mean
    F1 is within one standard error (across corpora) of the best: F1 is flat
    near its top, and a lower cut-off keeps more true relations in the graph.
    """
    table, per_cut = {}, {}
    for k in range(0, 95, 5):
        t = k / 100
        f1s = []
        for name, (p, y) in held_out.items():
            kept = [lab for q, lab in zip(p, y) if q >= t]
            tp = sum(kept)
            prec = tp / len(kept) if kept else 1.0
            rec = tp / true_pairs[name] if true_pairs[name] else 1.0
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        per_cut[t] = f1s
        table[t] = round(float(np.mean(f1s)), 4)
    best = max(table, key=lambda t: (table[t], -t))
    se = float(np.std(per_cut[best], ddof=1) / np.sqrt(len(per_cut[best]))) if len(per_cut[best]) > 1 else 0.0
    cut = min(t for t in table if table[t] >= table[best] - se)
    return cut, table, round(se, 4)


def generated(docs: int, seeds: list[int]) -> dict[str, tuple[list[np.ndarray], list[int]]]:
    groups = {}
    for noise in ("low", "moderate", "high"):
        for seed in seeds:
            c = simulate(n_documents=docs, noise=noise, seed=seed, words_per_doc=400)
            truth = c.true_pairs()
            tr = _uncalibrated_trace(list(c.documents))
            groups[f"sim:{noise}:{seed}"] = _rows(tr, lambda a, b, t=truth: frozenset((a, b)) in t)
            TRUE_PAIRS[f"sim:{noise}:{seed}"] = len(truth)
            print(f"  sim {noise} seed {seed}: {len(groups[f'sim:{noise}:{seed}'][0])} edges", flush=True)
    return groups


def clough_groups(root: Path, tasks: Collection[str] | None = None
                  ) -> tuple[dict[str, tuple[list[Any], dict[str, str | None], list[Any]]], dict[str, int]]:
    """Clough-Stevenson traced per answer (with its source) and all together, and the number of
    answers by label (``derived``, ``non``); ``tasks``: only the answers and sources of these tasks
    (default all; ``benchmarks/clough_held_out.py`` leaves one out)."""
    from benchmarks._corpora import clough, clough_documents, clough_pair_documents, clough_source_id, clough_sources

    answers, sources = clough(root), clough_sources(root)
    if tasks is not None:
        answers = [a for a in answers if a["task"] in tasks]
        sources = {t: txt for t, txt in sources.items() if t in tasks}
    derived = {a["file"]: clough_source_id(a["task"]) for a in answers if a["category"] != "non"}

    def label(a: str, b: str) -> bool:
        return derived.get(a) == b or derived.get(b) == a

    edges: list[Any] = []
    dates: dict[str, str | None] = {}
    labels: list[int] = []
    for a in answers:
        # each two-text trace is its own graph: no triangles across answers
        e, d, lab = _rows(_uncalibrated_trace(clough_pair_documents(a, sources)), label)
        edges.append(e)
        dates.update(d)
        labels.append(lab)
    together = _rows(_uncalibrated_trace(clough_documents(answers, sources)), label)
    print(f"  clough: {sum(map(len, labels))} pairwise edges, {len(together[0])} edges in one trace", flush=True)
    counts = {"derived": len(derived), "non": len(answers) - len(derived)}
    return {"clough:pairwise": (edges, dates, labels), "clough:together": together}, counts


#: Candidate saturations of the ``order_overlap`` feature (:func:`provenance.confidence.order_overlap`).
ORDER_SATURATIONS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)


def feature_groups(traced: dict[str, Any], saturation: float) -> dict[str, tuple[list[np.ndarray], list[int]]]:
    """Feature rows and labels of each traced corpus (Clough-Stevenson pairwise: each two-text trace apart)."""
    groups = {}
    for name, (edges, dates, labels) in traced.items():
        if name == "clough:pairwise":
            parts = [_features((e, dates, lab), saturation) for e, lab in zip(edges, labels)]
            groups[name] = ([x for X, _ in parts for x in X], [v for _, y in parts for v in y])
        else:
            groups[name] = _features((edges, dates, labels), saturation)
    return groups


def held_out_probabilities(groups: dict[str, tuple[list[np.ndarray], list[int]]], C: float
                           ) -> dict[str, np.ndarray]:
    """Each non-empty group's edge probabilities from a calibrator fitted on all the other groups."""
    out = {}
    for name, (X, y) in groups.items():
        if not y:
            continue
        Xtr = [x for g, (X_, _) in groups.items() if g != name for x in X_]
        ytr = [v for g, (_, y_) in groups.items() if g != name for v in y_]
        out[name] = EdgeCalibrator(C=C).fit(np.array(Xtr), ytr).predict_proba(np.array(X))[:, 1]
    return out


def held_out_log_loss(groups: dict[str, tuple[list[np.ndarray], list[int]]], held: dict[str, np.ndarray]) -> float:
    """Mean log loss of all edges' leave-one-corpus-out probabilities ``held`` (:func:`held_out_probabilities`)."""
    losses = []
    for name, p in held.items():
        y = np.array(groups[name][1])
        p = np.clip(p, 1e-6, 1 - 1e-6)
        losses.extend(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float(np.mean(losses))


def clough_held_out_accuracy(p: np.ndarray | None, group: tuple[list[np.ndarray], list[int]] | None,
                             cut: float, answers: dict[str, int]) -> float | None:
    """Derived-vs-not accuracy of the Clough-Stevenson answers traced with their source, from
    held-out edge probabilities ``p``: an answer counts as derived when its edge reaches ``cut``;
    answers without an edge count as not derived. ``answers``: the number of answers by label
    (``derived``, ``non``; :func:`clough_groups`). None without the corpus."""
    if p is None or group is None or not answers:
        return None
    y = group[1]
    found = sum(1 for q, v in zip(p, y) if v and q >= cut)
    false = sum(1 for q, v in zip(p, y) if not v and q >= cut)
    return (found + answers["non"] - false) / (answers["derived"] + answers["non"])


def choose_saturation(losses: dict[float, float]) -> float:
    """The saturation with the lowest leave-one-corpus-out log loss (the smaller one on a tie)."""
    return min(losses, key=lambda s: (losses[s], s))


@dataclass
class Calibration:
    """What :func:`fit_calibration` chose, and the leave-one-corpus-out figures it chose it by."""

    model: EdgeCalibrator
    saturation: float
    losses: dict[float, float]
    groups: dict[str, tuple[list[np.ndarray], list[int]]]
    held: dict[str, np.ndarray]
    cut: float
    f1_by_cut: dict[float, float]
    f1_se: float

    def shipped(self) -> dict[str, Any]:
        """The part of ``edge_confidence.json`` the pipeline reads."""
        return {"model": self.model.to_dict(), "order_saturation": self.saturation, "min_confidence": self.cut}


def fit_calibration(traced: dict[str, Any], C: float = 1.0) -> Calibration:
    """Choose the ``order_overlap`` saturation (:func:`choose_saturation` over
    ``ORDER_SATURATIONS``), fit the calibrator on every edge and choose the reporting cut-off
    (:func:`choose_cutoff` on the held-out confidences of the generated corpora, those in
    ``TRUE_PAIRS``)."""
    fits = {}
    for s in ORDER_SATURATIONS:
        groups = feature_groups(traced, s)
        fits[s] = groups, held_out_probabilities(groups, C)
    losses = {s: held_out_log_loss(*fit) for s, fit in fits.items()}
    saturation = choose_saturation(losses)
    groups, held = fits[saturation]
    held_out = {name: (p, list(groups[name][1])) for name, p in held.items() if name in TRUE_PAIRS}
    X = np.array([x for X_, _ in groups.values() for x in X_])
    y = [v for _, y_ in groups.values() for v in y_]
    cut, f1_by_cut, f1_se = choose_cutoff(held_out, TRUE_PAIRS) if held_out else (0.0, {}, 0.0)
    return Calibration(EdgeCalibrator(C=C).fit(X, y), saturation, losses, groups, held, cut, f1_by_cut, f1_se)


def _cache_problem(traced: dict[str, Any]) -> str | None:
    """Why a ``--cache`` pickle cannot be used, or None."""
    if "_true_pairs" not in traced:
        return "no true-pair counts"
    edges = []
    for name, group in traced.items():
        if not name.startswith("_"):
            es = group[0]
            edges += [x for part in es for x in part] if name == "clough:pairwise" else es
    if edges and not any(s.name == "ordered_overlap" for e in edges for s in e.signals):
        return "its edges carry no ordered_overlap signal"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clough", type=Path, default=DEFAULT_CLOUGH)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seeds", default="300,301,302,303,304")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=None,
                    help="pickle of the traced corpora: written on the first run, read on later ones "
                         "(only to try other features quickly; delete it after changing the pipeline)")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    clough_answers: dict[str, int] = {}
    if args.cache and args.cache.exists():
        traced = pickle.loads(args.cache.read_bytes())
        problem = _cache_problem(traced)
        if problem:
            print(f"{args.cache} was written by an older version of this script ({problem}): delete it")
            return 2
        TRUE_PAIRS.update(traced.pop("_true_pairs"))
        clough_answers = traced.pop("_clough_answers", {})
    else:
        traced = generated(args.docs, seeds)
        if args.clough.is_dir():
            groups, clough_answers = clough_groups(args.clough)
            traced.update(groups)
        else:
            print(f"Clough-Stevenson corpus not found at {args.clough}; fitting on generated corpora only")
        if args.cache:
            atomic_write_bytes(args.cache, pickle.dumps({**traced, "_true_pairs": TRUE_PAIRS,
                                                         "_clough_answers": clough_answers}))
    cal = fit_calibration(traced, args.C)
    print("\nleave-one-corpus-out log loss by order_overlap saturation:",
          " ".join(f"{s:g}:{v:.4f}" for s, v in cal.losses.items()), f"-> {cal.saturation:g}")
    groups, model, cut = cal.groups, cal.model, cal.cut

    report: dict[str, Any] = {}
    print(f"\n{'held out':22s} {'edges':>6s} {'true':>6s} {'accuracy':>9s} {'ECE':>6s} {'ECE before':>10s}")
    for name, p in cal.held.items():
        X, y = groups[name]
        before = [1 / (1 + np.exp(-4 * x[0])) for x in X]  # the pair model's own probability
        acc = float(np.mean((p >= 0.5) == np.array(y, dtype=bool)))
        ece = expected_calibration_error(list(p), [bool(v) for v in y])
        ece0 = expected_calibration_error(before, [bool(v) for v in y])
        report[name] = {"edges": len(y), "true": int(sum(y)), "accuracy": round(acc, 4),
                        "ece": round(ece, 4), "ece_pair_model": round(ece0, 4)}
        print(f"{name:22s} {len(y):6d} {sum(y):6d} {acc:9.3f} {ece:6.3f} {ece0:10.3f}")
    print("\nmean edge F1 of the generated corpora by cut-off (held-out confidences):",
          " ".join(f"{t:.2f}:{f:.3f}" for t, f in cal.f1_by_cut.items()),
          f"-> min_confidence {cut:.2f} (one-standard-error rule, SE {cal.f1_se:.4f})")
    clough_acc = clough_held_out_accuracy(cal.held.get("clough:pairwise"), groups.get("clough:pairwise"), cut,
                                          clough_answers)
    if clough_acc is not None:
        print(f"Clough-Stevenson derived-vs-not, each answer traced with its source, calibrator fitted "
              f"without those traces: {clough_acc:.3f}")
    print("coefficients:", dict(zip(EDGE_FEATURES, np.round(model.coef_, 3))), "intercept", round(model.intercept_, 3))
    data = {"model": model.to_dict(), "fitted_by": "benchmarks/fit_edge_confidence.py",
            "args": {"docs": args.docs, "seeds": seeds, "C": args.C, "clough": args.clough.is_dir()},
            "leave_one_corpus_out": report,
            "order_saturation": cal.saturation,
            "order_saturation_log_loss": {f"{s:g}": round(v, 5) for s, v in cal.losses.items()},
            "clough_pairwise_held_out_accuracy": None if clough_acc is None else round(clough_acc, 4),
            "min_confidence": cut, "mean_f1_by_cutoff": {f"{t:.2f}": f for t, f in cal.f1_by_cut.items()},
            "mean_f1_standard_error": cal.f1_se}
    atomic_write_text(args.out, json.dumps(data, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
