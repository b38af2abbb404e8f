"""Clough-Stevenson derived-vs-not accuracy of the pipeline with its three fitted models held out by task.

Usage::

    python benchmarks/clough_held_out.py --clough DIR --pair-cache FILE [--pan DIR]
        [--direction-cache FILE] [--docs 200] [--seeds 300,301,302,303,304] [--tasks a,b]
        [--check-shipped] [--out benchmarks/results/clough-held-out.md]

``benchmarks/derivation.py`` traces each Clough-Stevenson answer with its
task's Wikipedia source, but the models that trace uses learnt from those
very answers: the pair model (``benchmarks/fit_pair_model.py``), the edge
calibrator with its ``order_saturation`` and reporting cut-off
``min_confidence`` (``benchmarks/fit_edge_confidence.py``), and the direction
model (``benchmarks/fit_direction_model.py``: 4 coefficients, 55 of its 671
pairs are Clough-Stevenson answers; it feeds the relation and the
calibrator's ``direction_strength``). All three are refitted for each task
in turn:

1. the pair model is refitted without the rows of that task's answers or
   source (:func:`fit_pair_model.fold_rows`; the feature rows come from the ``--cache``
   JSON of ``fit_pair_model.py``, built with ``--pan`` and ``--clough`` when
   ``--pair-cache`` does not exist yet);
2. the direction model is refitted without the rows of that task's answers
   (:func:`fit_direction_model.fit_coefficients`; its feature rows are built
   once by :func:`fit_direction_model.direction_rows` with ``--pan`` and
   ``--clough``, or read from ``--direction-cache``, the ``--cache`` JSON of
   ``fit_direction_model.py``, which is written when missing);
3. the generated corpora (the same seeds and size as the shipped fit) and
   the Clough-Stevenson answers and sources of the *other* tasks are traced
   with those two fold models, and the calibrator, saturation and cut-off are
   chosen from them by the procedure of ``fit_edge_confidence.py``
   (:func:`fit_edge_confidence.fit_calibration`);
4. each of the task's answers is traced with its source using the three fold
   models; the answer counts as derived when an edge joins the two in
   ``trace.edges`` (that is, reaches the fold's cut-off), as in
   ``derivation.py``.

The table also gives, per task, the pair model's own held-out edge decision
(``fit_pair_model.clough_held_out``), the pipeline with the fold pair and
direction models and the shipped calibrator (*pair + direction held out*: what the
calibrator's refit adds), and the shipped models, all on the same answers.
Deterministic; exits 0 when the corpora are missing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(ROOT / "benchmarks")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import benchmarks.fit_edge_confidence as fec  # noqa: E402
from benchmarks._corpora import clough_pair_documents, clough_source_id  # noqa: E402
import fit_direction_model as fdm  # noqa: E402
import fit_pair_model as fpm  # noqa: E402
import provenance.confidence as confidence  # noqa: E402
import provenance.direction as direction  # noqa: E402
import provenance.pair_model as pair_model  # noqa: E402
import provenance.pipeline as pipeline  # noqa: E402
from provenance.fsutil import atomic_write_text  # noqa: E402
from provenance.pair_model import PairModel  # noqa: E402

DEFAULT_OUT = ROOT / "benchmarks" / "results" / "clough-held-out.md"

#: Pipeline settings compared per answer, in table order.
SETTINGS = ("held_out", "pair_held_out", "shipped")


def load_pair_rows(cache: Path, pan: Path, clough: Path) -> dict[str, list]:
    """The cached pair-model feature rows (``rows``, ``labels``, ``groups``, ``tasks``).

    When ``cache`` does not exist it is written by ``fit_pair_model.py`` with
    the given corpora (a few minutes; its fitted model goes to a temporary file).
    """
    if not cache.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fit_pair_model.py"), "--pan", str(pan),
                            "--clough", str(clough), "--cache", str(cache), "--out", str(Path(tmp) / "pair_model.json")],
                           check=True)
    return json.loads(cache.read_text(encoding="utf-8"))


def fit_pair(data: dict[str, list], held: str | None) -> PairModel:
    """The pair model fitted as ``fit_pair_model.py`` does, without task ``held``'s rows (None: all rows)."""
    idx = range(len(data["rows"])) if held is None else fpm.fold_rows(data["tasks"], held)
    y = np.array(data["labels"])
    return PairModel().fit([data["rows"][i] for i in idx], y[list(idx)])


def fit_direction(X: np.ndarray, tasks: Sequence[str], held: str | None) -> np.ndarray:
    """The direction coefficients fitted as ``fit_direction_model.py`` does (rounded to 6 decimals as
    it writes them), without the rows of task ``held``'s answers (None: all rows)."""
    mask = np.array([t != held for t in tasks], dtype=bool) if held is not None else None
    return np.round(fdm.fit_coefficients(X, mask), 6)


@contextmanager
def using_models(pair: PairModel | None = None, calibration: dict[str, Any] | None = None,
                 direction_coef: np.ndarray | None = None) -> Iterator[None]:
    """Trace with ``pair`` as the pair model, ``calibration`` (an ``edge_confidence.json``-shaped dict:
    ``model``, ``order_saturation``, ``min_confidence``) as the calibrator and ``direction_coef`` (the
    4 coefficients of ``direction_model.json``) as the direction model; None keeps the shipped one.

    Patches the names where :mod:`provenance.pipeline`, :mod:`provenance.confidence` and
    :mod:`provenance.direction` look them up (``pipeline.min_confidence`` reads ``confidence._shipped``;
    the pipeline calls ``direction_probability`` without ``coef``, which reads the module-level
    ``direction.direction_coefficients``); trace's forked workers inherit them. The lru caches are
    cleared on entry and exit.
    """
    saved = (pipeline.default_pair_model, pair_model.default_pair_model, confidence._shipped,
             direction.direction_coefficients)
    if pair is not None:
        pipeline.default_pair_model = pair_model.default_pair_model = lambda: pair
    if calibration is not None:
        confidence._shipped = lambda: calibration
    if direction_coef is not None:
        coef = np.array(direction_coef, dtype=float)
        coef.setflags(write=False)
        direction.direction_coefficients = lambda: coef
    _clear_caches(saved[3])
    try:
        yield
    finally:
        (pipeline.default_pair_model, pair_model.default_pair_model, confidence._shipped,
         direction.direction_coefficients) = saved
        _clear_caches(direction.direction_coefficients)


def _clear_caches(direction_coefficients: Any) -> None:
    confidence.default_edge_calibrator.cache_clear()
    if hasattr(direction_coefficients, "cache_clear"):  # not when an outer using_models swapped it
        direction_coefficients.cache_clear()


def check_shipped(data: dict[str, list], clough_root: Path, docs: int, seeds: list[int]) -> dict[str, Any]:
    """Refit the calibrator on everything (all tasks, the pair model fitted on all rows) with
    :func:`fit_edge_confidence.fit_calibration` and compare it with the shipped ``edge_confidence.json``: checks that
    the folds reproduce the shipped procedure."""
    with using_models(fit_pair(data, None)):
        traced = fec.generated(docs, seeds)
        traced.update(fec.clough_groups(clough_root)[0])
    mine, shipped = fec.fit_calibration(traced).shipped(), confidence._shipped()
    diff = np.max(np.abs(np.array(mine["model"]["coef"]) - np.array(shipped["model"]["coef"])))
    return {"max_coef_difference": round(float(diff), 6),
            "order_saturation": (mine["order_saturation"], shipped["order_saturation"]),
            "min_confidence": (mine["min_confidence"], shipped["min_confidence"])}


def trace_answers(answers: list[dict], sources: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each answer traced with its task's source: whether an edge joins them in ``trace.edges``,
    and the highest confidence of an edge between them (reported or weak, 0 when none)."""
    out = {}
    for a in answers:
        tr = pipeline.trace(documents=clough_pair_documents(a, sources), seed=1, jobs=2)
        pair = {clough_source_id(a["task"]), a["file"]}
        kept = [e.confidence for e in tr.edges if {e.source, e.target} == pair]
        weak = [e.confidence for e in tr.weak_edges if {e.source, e.target} == pair]
        out[a["file"]] = {"task": a["task"], "category": a["category"], "derived": bool(kept),
                          "confidence": max(kept + weak, default=0.0)}
    return out


def run_fold(held: str, data: dict[str, list], direction_rows: tuple[np.ndarray, list[str], list[str]],
             clough_root: Path, answers: list[dict], sources: dict[str, str],
             docs: int, seeds: list[int]) -> dict[str, Any]:
    """Fit the three models without task ``held`` and trace its answers with them (and with the fold pair
    and direction models and the shipped calibrator)."""
    t0 = time.perf_counter()
    pair = fit_pair(data, held)
    coef = fit_direction(direction_rows[0], direction_rows[2], held)
    n_direction = sum(1 for t in direction_rows[2] if t != held)
    mine = [a for a in answers if a["task"] == held]
    with using_models(pair, direction_coef=coef):
        traced = fec.generated(docs, seeds)
        traced.update(fec.clough_groups(clough_root, tasks=[t for t in sorted(sources) if t != held])[0])
        pair_only = trace_answers(mine, sources)
    calibration = fec.fit_calibration(traced).shipped()
    with using_models(pair, calibration, coef):
        held_out = trace_answers(mine, sources)
    return {"task": held, "held_out": held_out, "pair_held_out": pair_only,
            "order_saturation": calibration["order_saturation"], "min_confidence": calibration["min_confidence"],
            "direction_coef": [float(c) for c in coef], "direction_rows": n_direction,
            "seconds": round(time.perf_counter() - t0, 1)}


def accuracy(results: dict[str, dict[str, Any]]) -> tuple[int, int]:
    """``(correct, n)`` of derived-vs-not: derived answers (cut/light/heavy) need an edge, ``non`` none."""
    ok = sum(1 for r in results.values() if r["derived"] == (r["category"] != "non"))
    return ok, len(results)


def flips(folds: list[dict[str, Any]], shipped: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Answers whose derived-vs-not outcome differs between the shipped and the held-out models."""
    out = []
    for f in folds:
        for name, r in sorted(f["held_out"].items()):
            s = shipped[name]
            if s["derived"] != r["derived"]:
                out.append({"file": name, "category": r["category"], "shipped": s["derived"],
                            "shipped_confidence": s["confidence"], "held_out": r["derived"],
                            "held_out_confidence": r["confidence"], "fold_cut": f["min_confidence"],
                            "pair_held_out": f["pair_held_out"][name]["derived"]})
    return out


def _acc(ok: int, n: int) -> str:
    return f"{ok / n:.3f} ({ok}/{n})" if n else "n/a"


def markdown(folds: list[dict[str, Any]], shipped: dict[str, dict[str, Any]], pair_alone: dict[str, Any],
             argv: Sequence[str], seconds: float, check: dict[str, Any] | None = None,
             shipped_direction: Sequence[float] | None = None) -> str:
    """The result table, per task and pooled, and the answers that flip."""
    lines = ["# Clough-Stevenson derived-vs-not, pair model, direction model and edge calibrator held out by task",
             "",
             f"Command: `python benchmarks/clough_held_out.py {' '.join(argv)}`", "",
             "Each answer traced with its task's source; derived when an edge joins them in `trace.edges`. "
             "*held out*: all three fitted models refitted without the task: the pair model without the rows of "
             "the task's answers and source, the direction model without the rows of the task's answers "
             "(`fit_direction_model.py`), and the edge calibrator (with its saturation and cut-off) on traces "
             "made with those two fold models, without the task's answers and source; *pair + direction held "
             "out*: the fold pair model and the fold direction model with the shipped calibrator; "
             "*pair model alone*: the held-out pair model's own edge decision on its cached feature rows "
             "(`fit_pair_model.py`); *shipped*: `provenance/data` as committed.", "",
             "| task | n | derived | held out | pair + direction held out | shipped | pair model alone | fold saturation "
             "| fold cut-off | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    tot = {s: [0, 0] for s in SETTINGS}
    for f in folds:
        per = {"held_out": f["held_out"], "pair_held_out": f["pair_held_out"],
               "shipped": {k: shipped[k] for k in f["held_out"]}}
        cells = []
        for s in SETTINGS:
            ok, n = accuracy(per[s])
            tot[s][0] += ok
            tot[s][1] += n
            cells.append(_acc(ok, n))
        n_derived = sum(1 for r in f["held_out"].values() if r["category"] != "non")
        alone = pair_alone["per_task"].get(f["task"], {}).get("accuracy", float("nan"))
        lines.append(f"| {f['task']} | {len(f['held_out'])} | {n_derived} | " + " | ".join(cells)
                     + f" | {alone:.3f} | {f['order_saturation']:g} | {f['min_confidence']:.2f} | {f['seconds']:.0f} |")
    n_derived = sum(1 for f in folds for r in f["held_out"].values() if r["category"] != "non")
    per_task = [pair_alone["per_task"][f["task"]] for f in folds if f["task"] in pair_alone["per_task"]]
    alone = sum(t["accuracy"] * t["n"] for t in per_task) / max(1, sum(t["n"] for t in per_task))
    lines.append(f"| **all** | {tot['held_out'][1]} | {n_derived} | "
                 + " | ".join(f"**{_acc(*tot[s])}**" for s in SETTINGS)
                 + f" | {alone:.3f} | | | {seconds:.0f} |")
    if check is not None:
        lines += ["", "Check of the procedure (`--check-shipped`): the calibrator refitted here on all tasks, "
                  f"with the pair model fitted on all rows, differs from the shipped one by at most "
                  f"{check['max_coef_difference']:g} in a coefficient; saturation {check['order_saturation'][0]:g} "
                  f"(shipped {check['order_saturation'][1]:g}), cut-off {check['min_confidence'][0]:.2f} "
                  f"(shipped {check['min_confidence'][1]:.2f})."]
    if shipped_direction is not None:
        names = ", ".join(direction.DIRECTION_FEATURES)
        lines += ["", f"Direction model coefficients ({names}): shipped "
                  + ", ".join(f"{c:g}" for c in shipped_direction) + "; per fold (rows kept): "
                  + "; ".join(f"{f['task']} " + ", ".join(f"{c:g}" for c in f["direction_coef"])
                              + f" ({f['direction_rows']})" for f in folds) + "."]
    fl = flips(folds, shipped)
    lines += ["", f"Answers whose outcome differs between the shipped and the held-out models: {len(fl)}", ""]
    if fl:
        lines += ["| answer | category | shipped (confidence) | held out (confidence) | fold cut-off "
                  "| pair + direction held out |",
                  "|---|---|---|---|---:|---|"]
        for r in fl:
            word = {True: "derived", False: "not"}
            lines.append(f"| {r['file']} | {r['category']} | {word[r['shipped']]} ({r['shipped_confidence']:.3f}) "
                         f"| {word[r['held_out']]} ({r['held_out_confidence']:.3f}) | {r['fold_cut']:.2f} "
                         f"| {word[r['pair_held_out']]} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clough", type=Path, required=True, help="Clough-Stevenson folder")
    ap.add_argument("--pan", type=Path, default=None, help="PAN13 text-alignment folder (only to build --pair-cache)")
    ap.add_argument("--pair-cache", type=Path, required=True,
                    help="fit_pair_model.py --cache JSON of feature rows (built here when missing)")
    ap.add_argument("--direction-cache", type=Path, default=None,
                    help="fit_direction_model.py --cache JSON of direction feature rows (built here when missing; "
                         "without it the rows are built in memory)")
    ap.add_argument("--docs", type=int, default=200, help="documents per generated corpus (as the shipped fit)")
    ap.add_argument("--seeds", default="300,301,302,303,304", help="generated-corpus seeds (as the shipped fit)")
    ap.add_argument("--tasks", default="", help="comma-separated tasks to hold out (default: all)")
    ap.add_argument("--check-shipped", action="store_true",
                    help="also refit the calibrator on all tasks and compare it with the shipped one (~2-3 min)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not (args.clough / "file_information.csv").is_file():
        print(f"Clough-Stevenson corpus not found at {args.clough}: skipping (see README, 'Public corpora').")
        return 0
    if not args.pair_cache.is_file() and (args.pan is None or not args.pan.is_dir()):
        print(f"no pair-model cache at {args.pair_cache} and no PAN corpus to build it: skipping.")
        return 0
    if (args.direction_cache is None or not args.direction_cache.is_file()) and (args.pan is None
                                                                                  or not args.pan.is_dir()):
        print("no direction-model cache (--direction-cache) and no PAN corpus to build its rows: skipping.")
        return 0
    from benchmarks._corpora import clough, clough_sources

    t0 = time.perf_counter()
    data = load_pair_rows(args.pair_cache, args.pan or Path("."), args.clough)
    answers, sources = clough(args.clough), clough_sources(args.clough)
    full = fit_pair(data, None)
    shipped_coef = np.array(pair_model.default_pair_model().coef_)
    if not np.allclose(full.coef_, shipped_coef, atol=1e-3):
        print("warning: the cached rows do not reproduce the shipped pair model "
              f"(max coefficient difference {np.max(np.abs(full.coef_ - shipped_coef)):.4f})")
    # the direction model's rows (X, groups, tasks) with the shipped fit's arguments
    direction_rows = fdm.cached_rows(args.direction_cache, args.pan or Path("."), args.clough)
    shipped_direction = direction.direction_coefficients()
    refit = fit_direction(direction_rows[0], direction_rows[2], None)
    if not np.array_equal(refit, shipped_direction):
        print(f"warning: the direction rows do not reproduce the shipped direction model ({refit} vs {shipped_direction})")
    pair_alone = fpm.clough_held_out(data["rows"], np.array(data["labels"]), data["groups"], data["tasks"])
    shipped = trace_answers(answers, sources)
    ok, n = accuracy(shipped)
    print(f"shipped models: derived-vs-not {ok / n:.3f} ({ok}/{n})", flush=True)
    seeds = [int(s) for s in args.seeds.split(",")]
    check = None
    if args.check_shipped:
        check = check_shipped(data, args.clough, args.docs, seeds)
        print("calibrator refitted on all tasks vs shipped:", check, flush=True)
    held = [t.strip() for t in args.tasks.split(",") if t.strip()] or fpm.clough_tasks(data["tasks"])
    folds = []
    for t in held:
        print(f"task {t} held out:", flush=True)
        f = run_fold(t, data, direction_rows, args.clough, answers, sources, args.docs, seeds)
        folds.append(f)
        ok, n = accuracy(f["held_out"])
        print(f"task {t}: held out {ok}/{n}, saturation {f['order_saturation']:g}, "
              f"cut-off {f['min_confidence']:.2f}, direction {f['direction_coef']} ({f['seconds']:.0f} s)", flush=True)
    text = markdown(folds, shipped, pair_alone, argv, time.perf_counter() - t0, check,
                    [float(c) for c in shipped_direction])
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out, text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
