"""How much edge F1 the transitive reduction's decision holds, and whether a learned rule finds it.

Usage::

    python benchmarks/reduction_experiments.py [--seeds 300,301,302,303,304] [--noise low,moderate,high]
        [--cache FILE] [--thresholds 0.3,0.4,0.5] [--out FILE]

On generated corpora (the edge calibrator's seeds by default, not the
derivation benchmark's) it traces each corpus once, keeps the document edges
that reach :func:`provenance.graph.transitive_reduction`, and replays the rest
of :func:`provenance.trace` (calibration, twin drop, latent sources, cut-off)
after a different reduction:

* **shipped**: the reduction as shipped (checks that the replay reproduces
  the trace's F1 exactly);
* **oracle**: an edge with a covering detour (>= 0.8 of its material on
  each side aligned through a third text) is dropped exactly when it is not a
  true pair. Not reachable by the tool: it measures how much F1 the decision
  among covered edges holds at most, the twin triangles whose two candidate
  parents have the same words included;
* **learned** / **learned+rule** / **rule+learned**: a gradient-boosted
  classifier (scikit-learn ``HistGradientBoostingClassifier``, depth 3, 200
  rounds) over features of each (edge, covering detour) triangle: cover, mass
  ratios, wording closeness at each end (:func:`provenance.graph.closer`),
  the direction pattern around the third text, near-duplicate edges on the
  detour, date order of the three texts, alignment scores. Fitted leave one
  corpus out (the corpus replayed is never in the fit). *learned*: the edge
  goes when the classifier gives P(true) below the threshold for some
  covering detour (edges taken most likely false first); *learned+rule*:
  the shipped rule drops it and the classifier agrees (it can only rescue
  edges); *rule+learned*: the shipped rule or the classifier drops it.

Prints edge F1, precision, recall and latent-source recall per noise level,
means over the seeds, and, edge by edge, what each reduction decides otherwise
than the shipped rule (true or false pair, shown in the graph or not). The classifier is an experiment, not shipped: see
docs/derivation.md ("Tried in session 9").
"""

from __future__ import annotations

import argparse
import math
import pickle
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks._report import publish  # noqa: E402
from benchmarks.derivation import score  # noqa: E402
from benchmarks.derivation_ceiling import traced  # noqa: E402
from provenance import graph as G  # noqa: E402
from provenance.confidence import date_order  # noqa: E402
from provenance.fsutil import atomic_write_bytes  # noqa: E402
from provenance.pipeline import derivation_graph  # noqa: E402
from provenance.simulate import simulate  # noqa: E402

COVER = G.MIN_INDIRECT_COVER


def _arrow(ed: G.Edge, u: str) -> int:
    """+1 when ``ed`` is directed away from ``u``, -1 toward it, 0 undirected."""
    if ed.relation != "derives_from":
        return 0
    return 1 if ed.source == u else -1


def triangle_features(e: G.Edge, y: str, xy: G.Edge, yz: G.Edge, dates: dict[str, str | None]) -> list[float]:
    """Features of edge ``e`` (X–Z) and its detour through ``y``."""
    x, z = e.source, e.target
    cx, cz = G._share(e, x, xy), G._share(e, z, yz)
    me, mxy, myz = G._mass(e), G._mass(xy), G._mass(yz)
    clx, clz = G.closer(e, x, xy), G.closer(e, z, yz)
    nx_ = len(G._material(e, x) & G._material(xy, x)) or 1
    nz_ = len(G._material(e, z) & G._material(yz, z)) or 1
    ax, az = _arrow(xy, y), _arrow(yz, y)  # +1: Y -> that end
    dxy, dyz = date_order(dates.get(y), dates.get(x)), date_order(dates.get(y), dates.get(z))

    def mean(ed: G.Edge) -> float:
        return G._mass(ed) / max(1, len(ed.alignments))

    return [
        min(cx, cz), max(cx, cz),
        me / max(1e-9, min(mxy, myz)), me / max(1e-9, max(mxy, myz)), math.log1p(me),
        clx + clz, min(clx, clz), max(clx, clz), (clx + clz) / (nx_ + nz_),
        ax == 1 and az == 1, ax == -1 and az == -1, ax * az == -1,
        (ax, az) in ((1, 0), (0, 1)), (ax, az) in ((-1, 0), (0, -1)), ax == 0 and az == 0,
        e.relation == "derives_from", e.relation == "near_duplicate", e.relation == "shares_source",
        (xy.relation == "near_duplicate") + (yz.relation == "near_duplicate"),
        dxy > 0 and dyz > 0, dxy < 0 and dyz < 0, dxy * dyz < 0, dates.get(y) is None,
        mean(e), min(mean(xy), mean(yz)) - mean(e), math.log1p(len(e.alignments)),
    ]


def _covered(e: G.Edge, xy: G.Edge, yz: G.Edge) -> bool:
    return G._share(e, e.source, xy) >= COVER and G._share(e, e.target, yz) >= COVER


def reduction_by(decide: Callable[[G.Edge, str, G.Edge, G.Edge], float], threshold: float, mode: str
                 ) -> Callable[[list[G.Edge], dict[str, str | None]], list[G.Edge]]:
    """A reduction that drops an edge when ``decide`` (P(true) for a covering detour) is under ``threshold``.

    ``mode``: "learned" (``decide`` alone, edges most likely false first; the oracle is this mode with
    the truth as ``decide``), "learned+rule" (dropped when the shipped rule drops it and ``decide`` agrees
    on a covering detour), "rule+learned" (dropped when either drops it)."""

    def run(edges: list[G.Edge], dates: dict[str, str | None]) -> list[G.Edge]:
        doc_edges = [e for e in edges if not e.from_latent]
        by_pair, nb = G.edge_index(doc_edges)
        memo: dict[tuple[str, str, str], float] = {}

        def prob(e: G.Edge, y: str, xy: G.Edge, yz: G.Edge) -> float:
            k = (e.source, e.target, y)
            if k not in memo:
                memo[k] = decide(e, y, xy, yz)
            return memo[k]

        def drops(e: G.Edge, y: str, xy: G.Edge, yz: G.Edge) -> bool:
            return _covered(e, xy, yz) and prob(e, y, xy, yz) < threshold

        def key(e: G.Edge) -> frozenset[str]:
            return frozenset((e.source, e.target))

        if mode == "learned":
            def minp(e: G.Edge) -> float:
                return min((prob(e, y, xy, yz) for y, xy, yz, _ in G.detours(e, by_pair, nb) if _covered(e, xy, yz)),
                           default=1.0)

            return G.drop_by_detour(edges, sorted(doc_edges, key=lambda e: (minp(e), e.sort_key())), drops)
        # the shipped rule's verdict, read from its output
        shipped = {key(e) for e in G.transitive_reduction(edges)}
        if mode == "learned+rule":
            return [e for e in edges if e.from_latent or key(e) in shipped
                    or not any(drops(e, y, xy, yz) for y, xy, yz, _ in G.detours(e, by_pair, nb))]
        keep = shipped & {key(e) for e in G.drop_by_detour(edges, sorted(doc_edges, key=G.Edge.sort_key), drops)}
        return [e for e in edges if e.from_latent or key(e) in keep]

    return run


def replay(case: dict[str, Any], reduce: Callable[[list[G.Edge], dict[str, str | None]], list[G.Edge]]) -> dict[str, Any]:
    """:func:`provenance.pipeline.derivation_graph` on the trace's cached edges with ``reduce``, scored against the truth."""
    kept: list[G.Edge] = []

    def reduced(edges: list[G.Edge]) -> list[G.Edge]:
        kept.extend(reduce(edges, case["dates"]))
        return list(kept)

    edges, latents, latent_edges, weak = derivation_graph(list(case["trace"].analyses), list(case["pre"]), reduced)
    out = score(case["corpus"], SimpleNamespace(edges=edges + latent_edges, weak_edges=weak, latent_sources=latents))
    # what the reduction kept, and what reached the graph, for comparing reductions edge by edge
    out["kept_by_reduction"] = {frozenset((e.source, e.target)) for e in kept if not e.from_latent}
    out["shown"] = {frozenset((e.source, e.target)) for e in edges if not e.from_latent}
    return out


def changes(shipped: dict[str, Any], other: dict[str, Any], truth: set[frozenset[str]]) -> dict[str, int]:
    """Edge-by-edge difference of a reduction from the shipped one, by truth and by whether the edge is shown.

    "dropped": the shipped rule keeps the edge and ``other`` drops it ("shown": the shipped trace shows it);
    "kept": the shipped rule drops it and ``other`` keeps it ("shown": it reaches ``other``'s graph)."""
    c = {f"{t} {what}": 0 for what in ("dropped", "dropped, shown", "kept", "kept, shown") for t in ("false", "true")}
    for what, pairs, graph in (("dropped", shipped["kept_by_reduction"] - other["kept_by_reduction"], shipped["shown"]),
                               ("kept", other["kept_by_reduction"] - shipped["kept_by_reduction"], other["shown"])):
        for p in pairs:
            t = "true" if p in truth else "false"
            c[f"{t} {what}"] += 1
            c[f"{t} {what}, shown"] += p in graph
    return c


def rows_of(case: dict[str, Any]) -> tuple[list[list[float]], list[bool]]:
    """Training rows: one per (edge, covering detour), labelled by whether the edge is a true pair."""
    by_pair, nb = G.edge_index(case["pre"])
    truth = case["corpus"].true_pairs()
    X, y = [], []
    for e in case["pre"]:
        for t, xy, yz, _ in G.detours(e, by_pair, nb):
            if _covered(e, xy, yz):
                X.append(triangle_features(e, t, xy, yz, case["dates"]))
                y.append(frozenset((e.source, e.target)) in truth)
    return X, y


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="300,301,302,303,304")
    ap.add_argument("--noise", default="low,moderate,high")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--thresholds", default="0.3,0.4,0.5")
    ap.add_argument("--cache", type=Path, help="pickle of the traced corpora (written when missing or "
                    "when it lacks a requested corpus)")
    ap.add_argument("--out", help="also write the table (markdown) to this file")
    args = ap.parse_args(argv)
    from sklearn.ensemble import HistGradientBoostingClassifier

    seeds = [int(s) for s in args.seeds.split(",")]
    noises = args.noise.split(",")
    if len(seeds) * len(noises) < 2:
        ap.error("the classifier is fitted leave one corpus out: give at least two corpora (seeds x noise levels)")
    wanted = [(noise, seed) for noise in noises for seed in seeds]
    cached = pickle.loads(args.cache.read_bytes()) if args.cache and args.cache.exists() else {}
    # traces of another corpus size would be scored against the wrong truth
    if cached.get("docs", args.docs) != args.docs:
        cached = {}
    traced_now = False
    cases = {}
    for noise, seed in wanted:
        corpus = simulate(n_documents=args.docs, noise=noise, seed=seed, words_per_doc=400)
        if (noise, seed) not in cached:
            tr, pre, _ = traced(corpus)
            cached[(noise, seed)] = {"trace": tr, "pre": pre}
            traced_now = True
            print(f"traced {noise} {seed}", file=sys.stderr)
        c = cached[(noise, seed)]
        cases[(noise, seed)] = {**c, "corpus": corpus, "dates": {a.doc.id: a.date for a in c["trace"].analyses}}
    if args.cache and (traced_now or "docs" not in cached):
        atomic_write_bytes(args.cache, pickle.dumps({**cached, "docs": args.docs}))
    rows = {k: rows_of(c) for k, c in cases.items()}

    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    diffs: dict[tuple[str, str], dict[str, int]] = {}

    def record(name: str, noise: str, r: dict[str, Any], shipped: dict[str, Any], truth: set[frozenset[str]]) -> None:
        results.setdefault(name, {}).setdefault(noise, []).append(r)
        if r is not shipped:
            d = diffs.setdefault((name, noise), {})
            for k, v in changes(shipped, r, truth).items():
                d[k] = d.get(k, 0) + v

    thresholds = [float(t) for t in args.thresholds.split(",")]
    for (noise, seed), case in sorted(cases.items()):
        truth = case["corpus"].true_pairs()
        shipped = replay(case, lambda ed, d: G.transitive_reduction(ed))
        record("shipped", noise, shipped, shipped, truth)
        record("oracle", noise, replay(case, reduction_by(
            lambda e, *_: float(frozenset((e.source, e.target)) in truth), 0.5, "learned")), shipped, truth)
        X = [x for k, (xs, _) in rows.items() if k != (noise, seed) for x in xs]
        y = [v for k, (_, ys) in rows.items() if k != (noise, seed) for v in ys]
        model = HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05, random_state=0)
        model.fit(np.array(X, dtype=float), np.array(y))
        dates = case["dates"]

        def decide(e: G.Edge, t: str, xy: G.Edge, yz: G.Edge) -> float:
            return float(model.predict_proba(np.array([triangle_features(e, t, xy, yz, dates)], dtype=float))[0, 1])

        for mode in ("learned", "learned+rule", "rule+learned"):
            for th in thresholds:
                record(f"{mode} {th:g}", noise, replay(case, reduction_by(decide, th, mode)), shipped, truth)
        print(f"replayed {noise} {seed}", file=sys.stderr)

    lines = [f"# Transitive reduction: shipped rule, oracle and a learned rule ({args.docs} documents, seeds {args.seeds})",
             "", f"Command: `python benchmarks/reduction_experiments.py --seeds {args.seeds} --noise {args.noise} "
             f"--thresholds {args.thresholds}`", "",
             "| reduction | " + " | ".join(f"{n} F1 | {n} precision | {n} recall | {n} latent recall" for n in noises) + " |",
             "|---|" + "---:|" * (4 * len(noises))]
    for name, by_noise in results.items():
        cells = []
        for n in noises:
            rs = by_noise.get(n, [])
            cells += [f"{statistics.mean(r[k] for r in rs):.3f}" if rs else "" for k in ("f1", "precision", "recall")]
            cells.append(f"{statistics.mean(r['latent_recall'] for r in rs):.2f}" if rs else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    keys = list(next(iter(diffs.values())))
    lines += ["", "Edges a reduction decides otherwise than the shipped rule, summed over the seeds: dropped "
              "(the shipped rule keeps them; shown: the shipped trace shows them) and kept (the shipped rule drops "
              "them; shown: they reach this reduction's graph):", "",
              "| reduction | noise | " + " | ".join(keys) + " |", "|---|---|" + "---:|" * len(keys)]
    for (name, noise), d in diffs.items():
        lines.append(f"| {name} | {noise} | " + " | ".join(str(d[k]) for k in keys) + " |")
    return publish(lines, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
