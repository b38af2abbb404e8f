"""Fit the edge-confidence calibrator and write provenance/data/edge_confidence.json.

Usage::

    python benchmarks/fit_edge_confidence.py [--clough DIR] [--docs 200] [--seeds 300,301,302]

Every document-document edge of a trace is labelled true when it joins two
texts related directly: on generated corpora (``provenance.simulate``, low,
moderate and high noise, the given seeds, disjoint from the derivation
benchmark's seed 0), a pair of :meth:`SimulatedCorpus.true_pairs`; on
Clough-Stevenson, an answer and its own task's Wikipedia source when the
answer is derived (cut/light/heavy), traced both per answer (answer +
source) and all together (where answer-answer edges are false: siblings of a
visible source). Features come from :func:`provenance.confidence.edge_feature_rows`
on the final edges of each trace (they do not depend on the calibrator).

Prints leave-one-corpus-out expected calibration error and accuracy (each
generated corpus and each Clough setting held out in turn), then fits on
everything and writes the coefficients.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import provenance.pipeline as pipeline  # noqa: E402
from provenance.confidence import EDGE_FEATURES, EdgeCalibrator, edge_feature_rows  # noqa: E402
from provenance.evaluation import expected_calibration_error  # noqa: E402
from provenance.records import Document  # noqa: E402
from provenance.simulate import simulate  # noqa: E402

DEFAULT_CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson-short-answers"
OUT = ROOT / "provenance" / "data" / "edge_confidence.json"


def _uncalibrated_trace(docs: list[Document]) -> Any:
    # the features must not depend on a previously shipped calibrator
    saved = pipeline.calibrate_edges
    pipeline.calibrate_edges = lambda edges, dates=None: list(edges)
    try:
        return pipeline.trace(documents=docs, seed=1, jobs=2)
    finally:
        pipeline.calibrate_edges = saved


def _rows(tr: Any, label) -> tuple[list[Any], dict[str, str | None], list[int]]:
    """The trace's edges, dates and a label per edge (features are computed later)."""
    edges = list(tr.edges)
    return edges, {a.doc.id: a.date for a in tr.analyses}, [int(label(e.source, e.target)) for e in edges]


def _features(group: tuple[list[Any], dict[str, str | None], list[int]]) -> tuple[list[np.ndarray], list[int]]:
    edges, dates, labels = group
    X, y = [], []
    for row, lab in zip(edge_feature_rows(edges, dates), labels):
        if row is not None:
            X.append(row)
            y.append(lab)
    return X, y


def generated(docs: int, seeds: list[int]) -> dict[str, tuple[list[np.ndarray], list[int]]]:
    groups = {}
    for noise in ("low", "moderate", "high"):
        for seed in seeds:
            c = simulate(n_documents=docs, noise=noise, seed=seed, words_per_doc=400)
            truth = c.true_pairs()
            tr = _uncalibrated_trace(list(c.documents))
            groups[f"sim:{noise}:{seed}"] = _rows(tr, lambda a, b, t=truth: frozenset((a, b)) in t)
            print(f"  sim {noise} seed {seed}: {len(groups[f'sim:{noise}:{seed}'][0])} edges", flush=True)
    return groups


def clough_groups(root: Path) -> dict[str, tuple[list[np.ndarray], list[int]]]:
    from benchmarks._corpora import clough, clough_sources

    answers, sources = clough(root), clough_sources(root)
    derived = {a["file"]: f"orig_task{a['task']}" for a in answers if a["category"] != "non"}

    def label(a: str, b: str) -> bool:
        return derived.get(a) == b or derived.get(b) == a

    edges: list[Any] = []
    dates: dict[str, str | None] = {}
    labels: list[int] = []
    for a in answers:
        sid = f"orig_task{a['task']}"
        tr = _uncalibrated_trace([Document(sid, f"<{sid}>", sources[a["task"]]),
                                  Document(a["file"], f"<{a['file']}>", a["text"])])
        # each two-text trace is its own graph: no triangles across answers
        e, d, lab = _rows(tr, label)
        edges.append(e)
        dates.update(d)
        labels.append(lab)
    docs = [Document(f"orig_task{t}", f"<orig_task{t}>", txt) for t, txt in sources.items()]
    docs += [Document(a["file"], f"<{a['file']}>", a["text"]) for a in answers]
    together = _rows(_uncalibrated_trace(docs), label)
    print(f"  clough: {sum(map(len, labels))} pairwise edges, {len(together[0])} edges in one trace", flush=True)
    return {"clough:pairwise": (edges, dates, labels), "clough:together": together}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clough", type=Path, default=DEFAULT_CLOUGH)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--seeds", default="300,301,302")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=None,
                    help="pickle of the traced corpora: written on the first run, read on later ones "
                         "(only to try other features quickly; delete it after changing the pipeline)")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.cache and args.cache.exists():
        traced = pickle.loads(args.cache.read_bytes())
    else:
        traced = generated(args.docs, seeds)
        if args.clough.is_dir():
            traced.update(clough_groups(args.clough))
        else:
            print(f"Clough-Stevenson corpus not found at {args.clough}; fitting on generated corpora only")
        if args.cache:
            args.cache.write_bytes(pickle.dumps(traced))
    groups = {}
    for name, (edges, dates, labels) in traced.items():
        if name == "clough:pairwise":
            parts = [_features((e, dates, lab)) for e, lab in zip(edges, labels)]
            groups[name] = ([x for X, _ in parts for x in X], [v for _, y in parts for v in y])
        else:
            groups[name] = _features((edges, dates, labels))

    report: dict[str, Any] = {}
    print(f"\n{'held out':22s} {'edges':>6s} {'true':>6s} {'accuracy':>9s} {'ECE':>6s} {'ECE before':>10s}")
    for name in groups:
        Xtr = [x for g, (X, _) in groups.items() if g != name for x in X]
        ytr = [v for g, (_, y) in groups.items() if g != name for v in y]
        X, y = groups[name]
        if not y:
            continue
        m = EdgeCalibrator(C=args.C).fit(np.array(Xtr), ytr)
        p = m.predict_proba(np.array(X))[:, 1]
        before = [1 / (1 + np.exp(-4 * x[0])) for x in X]  # the pair model's own probability
        acc = float(np.mean((p >= 0.5) == np.array(y, dtype=bool)))
        ece = expected_calibration_error(list(p), [bool(v) for v in y])
        ece0 = expected_calibration_error(before, [bool(v) for v in y])
        report[name] = {"edges": len(y), "true": int(sum(y)), "accuracy": round(acc, 4),
                        "ece": round(ece, 4), "ece_pair_model": round(ece0, 4)}
        print(f"{name:22s} {len(y):6d} {sum(y):6d} {acc:9.3f} {ece:6.3f} {ece0:10.3f}")
    X = np.array([x for X_, _ in groups.values() for x in X_])
    y = [v for _, y_ in groups.values() for v in y_]
    model = EdgeCalibrator(C=args.C).fit(X, y)
    print("\ncoefficients:", dict(zip(EDGE_FEATURES, np.round(model.coef_, 3))), "intercept", round(model.intercept_, 3))
    data = {"model": model.to_dict(), "fitted_by": "benchmarks/fit_edge_confidence.py",
            "args": {"docs": args.docs, "seeds": seeds, "C": args.C, "clough": args.clough.is_dir()},
            "leave_one_corpus_out": report}
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
