"""Derivation benchmark: ``trace`` on generated corpora with known truth, and on Clough-Stevenson.

Usage::

    python benchmarks/derivation.py --sizes 200,2000,10000 --noise low,moderate,high \\
        --clough ../shared/data/clough-stevenson-short-answers --seeds 0,1,2,3,4 --out benchmarks/results/derivation.md
    python benchmarks/derivation.py --sizes 200 --noise moderate --no-clough
    python benchmarks/derivation.py --sizes 0 --clough DIR          # Clough-Stevenson only

Generated corpora come from :func:`provenance.simulate.simulate` (seed, size
and noise level as given). One 200-document corpus holds about 140 true pairs
and 5-10 hidden parents, so its F1, latent recall and ECE move by several
points from seed to seed: with several ``--seeds`` the report adds the mean
and standard deviation over seeds, the figures to compare with a bar. Matching rules (also in docs/derivation-benchmark.md):

* **Reported pairs** are the document-document edges of the trace (any
  relation), as unordered pairs; several edges on one pair count once, with
  the highest confidence. ``latent:...`` -> document edges are not pairs of
  documents: they are scored by latent-source recall and latent-edge
  precision below, not in edge precision/recall.
* **True pairs** (:meth:`SimulatedCorpus.true_pairs`): a visible child and
  its visible parent, or its nearest visible ancestor when the parents in
  between are hidden; and two visible children of one hidden parent
  (siblings through the latent source). Grandparent-grandchild pairs and
  siblings of a *visible* parent are not true pairs (transitive reduction
  is expected): they are shown separately as "family" false positives.
  Edge precision, recall and F1 use these pairs.
* **Direction accuracy**: over reported pairs that are true directed pairs
  (:meth:`SimulatedCorpus.true_directed`) and that the trace reported as
  ``derives_from``, the share pointing from parent to child. The share of
  such true directed pairs reported undirected (``near_duplicate`` /
  ``shares_source``) is shown next to it.
* **Latent-source recall**: a hidden parent (all have >= 2 visible
  children) is recalled when some latent node has ``derives_from`` edges to
  >= 2 of its children, or two of its children are joined by a
  ``shares_source`` edge (the brief's rule). The table also shows the
  stricter rule (latent node only) and the looser one (any undirected edge,
  ``near_duplicate`` included).
* **Latent-edge precision**: a ``latent:...`` -> d edge is correct when d has
  a hidden parent.
* **Expected calibration error**: reported document pairs in 10 equal-width
  confidence bins; ECE = sum over bins of (bin share) x |mean confidence -
  share correct|, correct meaning a true pair. "Reported" are the graph's
  edges, at or above the calibrated cut-off ``min_confidence``; the table also
  gives the ECE over those plus the weak edges below it (every confidence the
  trace outputs), and the mean ECE of a perfectly calibrated predictor with
  the same confidences (labels drawn from them): the sampling floor of the
  measure at this corpus size.

Clough-Stevenson: each answer is traced with its task's Wikipedia source
(95 two-document traces), and all 95 answers plus the 5 sources are traced
together. "Derived" is category cut/light/heavy; an answer is predicted
derived when any edge joins it to its source. Direction: the share of
derived answers with a ``derives_from`` edge from the source to the answer.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from provenance.evaluation import expected_calibration_error  # noqa: E402
from provenance.pipeline import trace  # noqa: E402
from provenance.simulate import SimulatedCorpus, simulate  # noqa: E402

DEFAULT_CLOUGH = ROOT.parent / "shared" / "data" / "clough-stevenson-short-answers"
UNDIRECTED = ("near_duplicate", "shares_source")


# ----------------------------------------------------------------- scoring

def ece_floor(confs: list[float], draws: int = 200, seed: int = 0) -> float:
    """Mean ECE of a perfectly calibrated predictor with these confidences (labels drawn from them).

    With a hundred or so edges the ECE of even a perfect calibrator is not 0:
    this is the level below which a measured ECE says nothing more.
    """
    if not confs:
        return float("nan")
    rng = np.random.default_rng(seed)
    p = np.array(confs)
    return float(np.mean([expected_calibration_error(list(p), list(rng.random(len(p)) < p)) for _ in range(draws)]))


def score(corpus: SimulatedCorpus, tr: Any) -> dict[str, Any]:
    """All generated-corpus metrics of one trace (see the module docstring)."""
    truth = corpus.true_pairs()
    directed = corpus.true_directed()
    family = corpus.family_pairs()
    topics = corpus.topics
    reported: dict[frozenset[str], Any] = {}
    latent_children: dict[str, set[str]] = {}
    latent_edges = []
    for e in tr.edges:
        if e.source.startswith("latent:"):
            latent_children.setdefault(e.source, set()).add(e.target)
            latent_edges.append(e)
            continue
        key = frozenset((e.source, e.target))
        if key not in reported or e.confidence > reported[key].confidence:
            reported[key] = e
    tp = sum(1 for p in reported if p in truth)
    precision = tp / len(reported) if reported else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    # false positives by kind
    fp = Counter()
    for p, e in reported.items():
        if p in truth:
            continue
        a, b = tuple(p)
        if p in family:
            fp["family (not reduced)"] += 1
        elif topics[a] == topics[b]:
            fp["unrelated, same topic"] += 1
        else:
            fp["unrelated, other topic"] += 1

    # recall by transformation kind (direct visible edges) and hidden siblings
    by_kind: dict[str, list[int]] = {}
    hidden = set(corpus.hidden)
    for te in corpus.edges:
        if te.parent in hidden:
            continue
        r = by_kind.setdefault(te.kind, [0, 0])
        r[1] += 1
        r[0] += frozenset((te.parent, te.child)) in reported
    sib = by_kind.setdefault("hidden siblings", [0, 0])
    for kids in corpus.latent_groups.values():
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                sib[1] += 1
                sib[0] += frozenset((a, b)) in reported or any(
                    {a, b} <= ch for ch in latent_children.values())

    # direction
    right = wrong = undirected = 0
    for p, e in reported.items():
        a, b = tuple(p)
        if (a, b) not in directed and (b, a) not in directed:
            continue
        if e.relation == "derives_from":
            if (e.source, e.target) in directed:
                right += 1
            else:
                wrong += 1
        else:
            undirected += 1
    siblings_directed = sum(1 for p, e in reported.items() if p in truth and e.relation == "derives_from"
                            and not any((x, y) in directed for x, y in (tuple(p), tuple(p)[::-1])))

    # latent sources
    groups = {h: kids for h, kids in corpus.latent_groups.items() if len(kids) >= 2}

    def linked(kids: tuple[str, ...], relations: tuple[str, ...]) -> bool:
        return any(frozenset((a, b)) in reported and reported[frozenset((a, b))].relation in relations
                   for i, a in enumerate(kids) for b in kids[i + 1:])

    by_node = sum(1 for kids in groups.values() if any(len(ch & set(kids)) >= 2 for ch in latent_children.values()))
    rule = sum(1 for kids in groups.values()
               if any(len(ch & set(kids)) >= 2 for ch in latent_children.values()) or linked(kids, ("shares_source",)))
    loose = sum(1 for kids in groups.values()
                if any(len(ch & set(kids)) >= 2 for ch in latent_children.values()) or linked(kids, UNDIRECTED))
    parents = corpus.parents()
    latent_ok = sum(1 for e in latent_edges if any(p in hidden for p in parents.get(e.target, ())))

    confs = [e.confidence for e in reported.values()]
    corr = [p in truth for p in reported]
    # every confidence the trace outputs: the graph's edges and the weak ones below the cut-off
    weak: dict[frozenset[str], Any] = {}
    for e in getattr(tr, "weak_edges", ()):
        key = frozenset((e.source, e.target))
        if key not in reported and (key not in weak or e.confidence > weak[key].confidence):
            weak[key] = e
    ece_all = expected_calibration_error(confs + [e.confidence for e in weak.values()],
                                         corr + [p in truth for p in weak])
    # how well confidence ranks: the best F1 over confidence cut-offs
    best = (f1, 0.0)
    for k in range(5, 100, 5):
        t = k / 100
        kept = [c for x, c in zip(confs, corr) if x >= t]
        tp_t = sum(kept)
        if kept and truth:
            p_t, r_t = tp_t / len(kept), tp_t / len(truth)
            if p_t + r_t and 2 * p_t * r_t / (p_t + r_t) > best[0]:
                best = (2 * p_t * r_t / (p_t + r_t), t)
    return {
        "docs": len(corpus.documents), "true_pairs": len(truth), "reported": len(reported), "tp": tp,
        "precision": precision, "recall": recall, "f1": f1,
        "precision_family": sum(1 for p in reported if p in family) / len(reported) if reported else 1.0,
        "false_positives": dict(fp),
        "recall_by_kind": {k: v for k, v in sorted(by_kind.items())},
        "direction_right": right, "direction_wrong": wrong, "direction_undirected": undirected,
        "direction_accuracy": right / (right + wrong) if right + wrong else float("nan"),
        "undirected_share": undirected / (right + wrong + undirected) if right + wrong + undirected else float("nan"),
        "siblings_given_direction": siblings_directed,
        "hidden_parents": len(groups),
        "latent_recall": rule / len(groups) if groups else float("nan"),
        "latent_recall_node_only": by_node / len(groups) if groups else float("nan"),
        "latent_recall_any_undirected": loose / len(groups) if groups else float("nan"),
        "latent_nodes": len(latent_children), "latent_edges": len(latent_edges),
        "latent_edge_precision": latent_ok / len(latent_edges) if latent_edges else float("nan"),
        "ece": expected_calibration_error(confs, corr),
        "ece_with_weak": ece_all, "weak_edges": len(weak),
        "ece_floor": ece_floor(confs),
        "edge_confidences": [[round(float(c), 4), bool(k)] for c, k in zip(confs, corr)],
        "best_f1": best[0], "best_f1_cutoff": best[1],
        "relations": dict(Counter(e.relation for e in reported.values())),
    }


def _cpu() -> float:
    """CPU seconds of this process and its finished children (robust to a shared, loaded machine)."""
    import resource

    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def run_generated(size: int, noise: str, seed: int, words: int) -> dict[str, Any]:
    corpus = simulate(n_documents=size, noise=noise, seed=seed, words_per_doc=words)
    t0, c0 = time.perf_counter(), _cpu()
    tr = trace(documents=list(corpus.documents), seed=1)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    out = score(corpus, tr)
    out.update({"size": size, "noise": noise, "seed": seed, "seconds": seconds, "cpu_seconds": cpu})
    return out


# ----------------------------------------------------------------- Clough-Stevenson

def run_clough(root: Path) -> dict[str, Any]:
    from benchmarks._corpora import clough, clough_documents, clough_pair_documents, clough_source_id, clough_sources

    answers = clough(root)
    sources = clough_sources(root)
    cats = ("cut", "light", "heavy", "non")
    cols = ("none", "near_duplicate", "source->answer", "answer->source", "shares_source")

    def outcome(edges: list[Any], src: str, ans: str) -> tuple[str, float]:
        es = [e for e in edges if {e.source, e.target} == {src, ans}]
        if not es:
            return "none", 0.0
        e = max(es, key=lambda x: x.confidence)
        if e.relation == "derives_from":
            return ("source->answer" if e.source == src else "answer->source"), e.confidence
        return e.relation, e.confidence

    def summarize(results: list[tuple[str, str, float]]) -> dict[str, Any]:
        table = {c: dict.fromkeys(cols, 0) for c in cats}
        for cat, out, _ in results:
            table[cat][out] += 1
        derived = [(c, o) for c, o, _ in results if c != "non"]
        correct = sum(1 for c, o, _ in results if (c != "non") == (o != "none"))
        return {
            "n": len(results), "accuracy": correct / len(results),
            "derived": len(derived),
            "directed_from_source": sum(1 for _, o in derived if o == "source->answer") / len(derived),
            "confusion": table,
            "mean_confidence": {c: (sum(x for cc, _, x in results if cc == c) / max(1, sum(1 for cc, _, _ in results if cc == c)))
                                for c in cats},
        }

    t0 = time.perf_counter()
    pairwise = []
    for a in answers:
        tr = trace(documents=clough_pair_documents(a, sources), seed=1)
        out, conf = outcome(list(tr.edges), clough_source_id(a["task"]), a["file"])
        pairwise.append((a["category"], out, conf))
    t_pair = time.perf_counter() - t0
    t0 = time.perf_counter()
    tr = trace(documents=clough_documents(answers, sources), seed=1)
    edges = list(tr.edges)
    together = []
    for a in answers:
        out, conf = outcome(edges, clough_source_id(a["task"]), a["file"])
        together.append((a["category"], out, conf))
    t_all = time.perf_counter() - t0
    return {"pairwise": {**summarize(pairwise), "seconds": t_pair},
            "together": {**summarize(together), "seconds": t_all,
                         "latent_nodes": len(tr.latent_sources)}}


# ----------------------------------------------------------------- report

def _f(x: float) -> str:
    return "n/a" if x != x else f"{x:.3f}"


def markdown(rows: list[dict[str, Any]], clough_res: dict[str, Any] | None, argv: list[str]) -> str:
    lines = ["# Derivation benchmark", "", "Command: `python benchmarks/derivation.py " + " ".join(argv) + "`", ""]
    if rows:
        lines += ["## Generated corpora", "",
                  "| docs | noise | seed | seconds | CPU s | reported | true | precision | recall | F1 | precision (family) "
                  "| direction acc. | undirected share | latent recall | latent (node only) | latent (any undirected) "
                  "| latent-edge precision | ECE | weak edges | ECE with weak |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            lines.append(
                f"| {r['docs']} | {r['noise']} | {r.get('seed', 0)} | {r['seconds']:.1f} | {r.get('cpu_seconds', float('nan')):.1f} | {r['reported']} | {r['true_pairs']} "
                f"| {_f(r['precision'])} | {_f(r['recall'])} | {_f(r['f1'])} | {_f(r['precision_family'])} "
                f"| {_f(r['direction_accuracy'])} ({r['direction_right']}/{r['direction_right'] + r['direction_wrong']}) "
                f"| {_f(r['undirected_share'])} | {_f(r['latent_recall'])} | {_f(r['latent_recall_node_only'])} "
                f"| {_f(r['latent_recall_any_undirected'])} | {_f(r['latent_edge_precision'])} | {_f(r['ece'])} "
                f"| {r.get('weak_edges', 0)} | {_f(r.get('ece_with_weak', float('nan')))} |")
        groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for r in rows:
            groups.setdefault((r["docs"], r["noise"]), []).append(r)
        if any(len(g) > 1 for g in groups.values()):
            keys = ("precision", "recall", "f1", "direction_accuracy", "latent_recall", "ece", "ece_with_weak",
                    "ece_floor")
            lines += ["", "Mean (standard deviation) over seeds:", "",
                      "| docs | noise | seeds | precision | recall | F1 | direction acc. | latent recall | ECE | ECE with weak "
                      "| ECE of a perfect calibrator |",
                      "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for (docs, noise), g in groups.items():
                cells = []
                for k in keys:
                    v = np.array([r.get(k, float("nan")) for r in g], dtype=float)
                    v = v[~np.isnan(v)]
                    cells.append(f"{v.mean():.3f} ({v.std(ddof=1) if len(v) > 1 else 0.0:.3f})" if len(v) else "n/a")
                seeds = ",".join(str(r.get("seed", 0)) for r in g)
                lines.append(f"| {docs} | {noise} | {seeds} | " + " | ".join(cells) + " |")
            lines += ["", "ECE of the reported edges of all seeds pooled (a larger sample, so a finer measure), "
                      "and the same for a perfect calibrator:", ""]
            for (docs, noise), g in groups.items():
                pooled = [x for r in g for x in r.get("edge_confidences", [])]
                if pooled:
                    confs_p = [c for c, _ in pooled]
                    lines.append(f"- {docs} documents, {noise} noise, {len(pooled)} edges: ECE "
                                 f"{expected_calibration_error(confs_p, [k for _, k in pooled]):.3f} "
                                 f"(perfect calibrator: {ece_floor(confs_p):.3f})")
        lines += ["", "Best F1 over confidence cut-offs (how well confidence ranks edges): "
                  + "; ".join(f"{r['docs']} {r['noise']}: {_f(r['best_f1'])} at >= {r['best_f1_cutoff']:.2f}"
                              for r in rows if "best_f1" in r)]
        lines += ["", "Recall by transformation (found/true) and false positives by kind:", "",
                  "| docs | noise | " + " | ".join(["copy", "excerpt", "paraphrase", "merge", "hidden siblings"])
                  + " | FP family | FP same topic | FP other topic |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            k = r["recall_by_kind"]
            cells = [f"{k[x][0]}/{k[x][1]}" if x in k else "-" for x in
                     ("copy", "excerpt", "paraphrase", "merge", "hidden siblings")]
            fp = r["false_positives"]
            lines.append(f"| {r['docs']} | {r['noise']} | " + " | ".join(cells)
                         + f" | {fp.get('family (not reduced)', 0)} | {fp.get('unrelated, same topic', 0)} "
                           f"| {fp.get('unrelated, other topic', 0)} |")
        by = {(r["docs"], r["noise"]): r for r in rows}
        for noise in ("moderate", "low", "high"):
            if (2000, noise) in by and (10000, noise) in by:
                a, b = by[(2000, noise)]["seconds"], by[(10000, noise)]["seconds"]
                ca, cb = by[(2000, noise)]["cpu_seconds"], by[(10000, noise)]["cpu_seconds"]
                lines += ["", f"Scaling ({noise}): 2,000 docs {a:.1f} s ({ca:.1f} CPU s), 10,000 docs {b:.1f} s "
                              f"({cb:.1f} CPU s), ratio {b / a:.2f} wall, {cb / ca:.2f} CPU (linear = 5.00)."]
                break
    if clough_res:
        lines += ["", "## Clough-Stevenson", ""]
        for mode, title in (("pairwise", "each answer traced with its source"),
                            ("together", "95 answers + 5 sources in one trace")):
            c = clough_res[mode]
            lines += [f"### {title}", "",
                      f"Derived-vs-not accuracy {c['accuracy']:.3f} (n={c['n']}); derived answers directed "
                      f"from the source: {c['directed_from_source']:.3f} (of {c['derived']}); {c['seconds']:.1f} s.",
                      "", "| category | none | near_duplicate | source->answer | answer->source | shares_source | mean confidence |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for cat, row in c["confusion"].items():
                lines.append(f"| {cat} | " + " | ".join(str(v) for v in row.values())
                             + f" | {c['mean_confidence'][cat]:.3f} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def print_row(r: dict[str, Any]) -> None:
    print(f"{r['docs']:>6} {r['noise']:<9} {r['seconds']:8.1f}s ({r['cpu_seconds']:.1f} CPU s)  P={_f(r['precision'])} R={_f(r['recall'])} "
          f"F1={_f(r['f1'])} dir={_f(r['direction_accuracy'])} undirected={_f(r['undirected_share'])} "
          f"latent={_f(r['latent_recall'])} ECE={_f(r['ece'])} best-cutoff F1={_f(r.get('best_f1', float('nan')))}"
          f"@{r.get('best_f1_cutoff', float('nan'))}", flush=True)
    print(f"       recall by kind {r['recall_by_kind']}  FP {r['false_positives']}", flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,2000,10000", help="comma-separated corpus sizes (0 = none)")
    ap.add_argument("--noise", default="low,moderate,high")
    ap.add_argument("--clough", default=str(DEFAULT_CLOUGH), help="Clough-Stevenson folder")
    ap.add_argument("--no-clough", action="store_true")
    ap.add_argument("--seeds", default="0", help="comma-separated corpus seeds; each size and noise level runs once per seed")
    ap.add_argument("--words", type=int, default=400, help="words per root article")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "derivation.md"))
    ap.add_argument("--from-json", default="", help="comma-separated result .json files of earlier runs: "
                    "render them together into --out instead of running")
    args = ap.parse_args(argv)
    if args.from_json:
        rows, clough_res = [], None
        for f in args.from_json.split(","):
            data = json.loads(Path(f).read_text(encoding="utf-8"))
            rows += data.get("generated") or []
            clough_res = data.get("clough") or clough_res
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(markdown(rows, clough_res, argv), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    sizes = [int(x) for x in args.sizes.split(",") if x.strip() and int(x) > 0]
    noises = [x.strip() for x in args.noise.split(",") if x.strip()]
    rows = []
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clough_res = None
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    for size in sizes:
        for noise in noises:
            for seed in seeds:
                r = run_generated(size, noise, seed, args.words)
                rows.append(r)
                print_row(r)
                out.write_text(markdown(rows, clough_res, argv), encoding="utf-8")
                out.with_suffix(".json").write_text(json.dumps({"generated": rows}, indent=1), encoding="utf-8")
    if not args.no_clough:
        root = Path(args.clough)
        if not (root / "file_information.csv").is_file():
            print(f"Clough-Stevenson corpus not found at {root}: skipping.")
        else:
            clough_res = run_clough(root)
            for mode in ("pairwise", "together"):
                c = clough_res[mode]
                print(f"Clough-Stevenson {mode}: accuracy {c['accuracy']:.3f}, directed from source "
                      f"{c['directed_from_source']:.3f}, {c['seconds']:.1f}s")
                for cat, row in c["confusion"].items():
                    print(f"   {cat:<6} {row}")
    out.write_text(markdown(rows, clough_res, argv), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"generated": rows, "clough": clough_res}, indent=1),
                                        encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
