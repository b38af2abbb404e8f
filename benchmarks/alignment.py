"""Benchmark the alignment methods on a PAN text-alignment corpus.

Usage::

    python benchmarks/alignment.py CORPUS_DIR [--methods tfidf,charngram,...]
        [--limit N] [--out DIR] [--jobs 2] [--set method.param=value ...]

For every method: PlagDet, precision, recall and granularity per obfuscation
type (none, random, translation, summary; summary scored on its annotated
pairs only) and overall (all scorable pairs, no-plagiarism pairs included as
in the PAN evaluation), the false-positive rate on no-plagiarism pairs (share
of pairs with any detection) and CPU seconds per pair (in the worker:
reading, preparing, fitting on the pair and aligning). With ``--split all``
the same detections are also scored on each pair-index half: the tuning
script (benchmarks/tune_alignment.py) chooses parameters on the even half,
so the odd half is the held-out figure. Writes
``OUT/alignment.md``, ``OUT/alignment.json`` and ``OUT/alignment.png``.

Each pair is aligned as a user would align two texts: the aligner is fitted on
the two texts of the pair alone (``fit([src, susp])``), then
``align(src, susp)``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import OrderedDict
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.aligners import METHODS, get_aligner  # noqa: E402
from provenance.evaluation import Annotation, evaluate  # noqa: E402
from provenance.pan import PanPair, read_corpus, read_text, to_annotations  # noqa: E402
from provenance.aligners.base import prepare_for_alignment  # noqa: E402
from provenance.text import PreparedText  # noqa: E402

OBFUSCATIONS = ("none", "random", "translation", "summary")

# ---------------------------------------------------------------- workers

_STATE: dict[str, Any] = {}


def _init(root: str, method: str, params: dict[str, Any]) -> None:
    _STATE.clear()
    _STATE.update(root=Path(root), method=method, params=params, cache=OrderedDict())


def prepared(kind: str, name: str) -> PreparedText:
    """Prepared corpus text, cached per worker (a suspicious text recurs in many pairs)."""
    cache: OrderedDict = _STATE["cache"]
    key = (kind, name)
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    p = prepare_for_alignment(read_text(_STATE["root"] / kind / name), id=name)
    cache[key] = p
    if len(cache) > 256:
        cache.popitem(last=False)
    return p


def _align_pair(pair: tuple[int, str, str]) -> tuple[int, list[Annotation], float]:
    i, susp, src = pair
    t0 = time.process_time()
    pa, pb = prepared("src", src), prepared("susp", susp)
    aligner = get_aligner(_STATE["method"], **_STATE["params"]).fit([pa, pb])
    dets = to_annotations(aligner.align(pa, pb), susp, src)
    return i, dets, time.process_time() - t0


def run_method(root: str | os.PathLike[str], pairs: Sequence[PanPair], method: str,
               params: dict[str, Any] | None = None, jobs: int = 2) -> tuple[dict[int, list[Annotation]], float, float]:
    """Detections per pair index, summed worker CPU seconds, and wall seconds.

    Per-pair cost is CPU time (``time.process_time`` in the worker), so that
    it does not depend on other load on the machine; wall time does.
    """
    params = params or {}
    tasks = [(p.index, p.susp, p.src) for p in pairs]
    # Group pairs by suspicious document so each worker's cache is reused.
    tasks.sort(key=lambda t: (t[1], t[2]))
    t0 = time.perf_counter()
    out: dict[int, list[Annotation]] = {}
    busy = 0.0
    if jobs <= 1:
        _init(str(root), method, params)
        results = map(_align_pair, tasks)
        for i, dets, sec in results:
            out[i] = dets
            busy += sec
    else:
        with get_context("fork").Pool(jobs, initializer=_init, initargs=(str(root), method, params)) as pool:
            for i, dets, sec in pool.imap_unordered(_align_pair, tasks, chunksize=16):
                out[i] = dets
                busy += sec
    return out, busy, time.perf_counter() - t0


# ---------------------------------------------------------------- scoring

def score(pairs: Sequence[PanPair], detections: dict[int, list[Annotation]]) -> dict[str, Any]:
    """Rows per obfuscation and overall, plus the no-plagiarism false-positive rate."""
    rows: dict[str, Any] = {}
    groups = {o: [p for p in pairs if p.obfuscation == o and p.annotated] for o in OBFUSCATIONS}
    groups["overall"] = [p for p in pairs if p.annotated]
    for name, group in groups.items():
        if not group:
            continue
        cases = [c for p in group for c in p.cases]
        dets = [d for p in group for d in detections.get(p.index, [])]
        r = evaluate(cases, dets).to_dict()
        r["pairs"] = len(group)
        rows[name] = r
    neg = [p for p in pairs if p.obfuscation == "no-plagiarism"]
    if neg:
        flagged = sum(1 for p in neg if detections.get(p.index))
        rows["no-plagiarism"] = {"pairs": len(neg), "fp_pairs": flagged, "fp_rate": round(flagged / len(neg), 4)}
    return rows


def select_pairs(pairs: Sequence[PanPair], limit: int | None = None, split: str = "all") -> list[PanPair]:
    """Pairs to run: ``split`` even/odd by pair index; ``limit`` pairs per obfuscation type."""
    out = [p for p in pairs if p.obfuscation is not None]
    if split == "even":
        out = [p for p in out if p.index % 2 == 0]
    elif split == "odd":
        out = [p for p in out if p.index % 2 == 1]
    if limit:
        seen: dict[str | None, int] = {}
        kept = []
        for p in out:
            if seen.get(p.obfuscation, 0) < limit:
                kept.append(p)
                seen[p.obfuscation] = seen.get(p.obfuscation, 0) + 1
        out = kept
    return out


# ---------------------------------------------------------------- reports

def markdown(results: list[dict[str, Any]], title: str = "Alignment benchmark") -> str:
    lines = [f"# {title}", ""]
    lines += ["## Summary", "",
              "| method | PlagDet overall | none | random | translation | summary | FP rate (no-plag.) | CPU s/pair | wall s |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows = r["rows"]

        def pd(k: str) -> str:
            return f"{rows[k]['plagdet']:.3f}" if k in rows else "-"
        fp = f"{rows['no-plagiarism']['fp_rate']:.3f}" if "no-plagiarism" in rows else "-"
        lines.append(f"| {r['method']} | {pd('overall')} | {pd('none')} | {pd('random')} | {pd('translation')} "
                     f"| {pd('summary')} | {fp} | {r['seconds_per_pair']:.3f} | {r['wall_seconds']:.0f} |")
    lines += ["", "## Per obfuscation type", "",
              "| method | obfuscation | pairs | cases | detections | PlagDet | precision | recall | granularity |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for k in (*OBFUSCATIONS, "overall"):
            if k in r["rows"]:
                x = r["rows"][k]
                lines.append(f"| {r['method']} | {k} | {x['pairs']} | {x['n_cases']} | {x['n_detections']} | "
                             f"{x['plagdet']:.3f} | {x['precision']:.3f} | {x['recall']:.3f} | {x['granularity']:.3f} |")
    held = [r for r in results if "rows_split" in r]
    if held:
        lines += ["", "## By pair-index half", "",
                  "The tuning scripts choose parameters on even pair indices; the odd half is held out.", "",
                  "| method | half | PlagDet overall | none | random | translation | summary | FP rate (no-plag.) |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in held:
            for half, rows in r["rows_split"].items():
                def pdh(k: str) -> str:
                    return f"{rows[k]['plagdet']:.3f}" if k in rows else "-"
                fph = f"{rows['no-plagiarism']['fp_rate']:.3f}" if "no-plagiarism" in rows else "-"
                lines.append(f"| {r['method']} | {half} | {pdh('overall')} | {pdh('none')} | {pdh('random')} | "
                             f"{pdh('translation')} | {pdh('summary')} | {fph} |")
    lines += ["", "Parameters:", ""]
    for r in results:
        lines.append(f"- `{r['method']}`: `{json.dumps(r['params'], sort_keys=True)}`")
    return "\n".join(lines) + "\n"


def chart(results: list[dict[str, Any]], path: Path) -> bool:
    """Grouped bar chart of PlagDet per obfuscation type; False if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    keys = [k for k in (*OBFUSCATIONS, "overall")]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(results), 1)
    for j, r in enumerate(results):
        vals = [r["rows"].get(k, {}).get("plagdet", 0.0) for k in keys]
        ax.bar([i + j * width for i in range(len(keys))], vals, width, label=r["method"])
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(keys))])
    ax.set_xticklabels(keys)
    ax.set_ylabel("PlagDet")
    ax.set_ylim(0, 1)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("PlagDet per obfuscation type (PAN 2013 text alignment)")
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=100, metadata={"Software": None})
    plt.close(fig)
    os.replace(tmp, path)
    return True


def parse_params(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for it in items:
        key, _, value = it.partition("=")
        method, _, param = key.partition(".")
        try:
            v: Any = json.loads(value)
        except json.JSONDecodeError:
            v = value
        out.setdefault(method, {})[param] = v
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="PAN text-alignment corpus directory")
    ap.add_argument("--methods", default=",".join(m for m in METHODS if m != "dense"),
                    help="comma-separated methods (default: all but the optional dense one)")
    ap.add_argument("--limit", type=int, default=None, help="at most N pairs per obfuscation type")
    ap.add_argument("--split", choices=("all", "even", "odd"), default="all")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="METHOD.PARAM=VALUE")
    ap.add_argument("--name", default="alignment", help="output file stem")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not (corpus / "pairs").is_file():
        print(f"corpus not found at {corpus} (no 'pairs' file); nothing to benchmark")
        return 0
    pairs = select_pairs(read_corpus(corpus), args.limit, args.split)
    overrides = parse_params(args.set)
    results = []
    for method in [m.strip() for m in args.methods.split(",") if m.strip()]:
        params = overrides.get(method, {})
        dets, busy, wall = run_method(corpus, pairs, method, params, args.jobs)
        rows = score(pairs, dets)
        res = {"method": method, "params": get_aligner(method, **params).get_params(),
               "pairs": len(pairs), "seconds_per_pair": busy / max(len(pairs), 1),
               "wall_seconds": wall, "jobs": args.jobs, "rows": rows}
        if args.split == "all":
            res["rows_split"] = {
                "even (tuning)": score([p for p in pairs if p.index % 2 == 0], dets),
                "odd (held out)": score([p for p in pairs if p.index % 2 == 1], dets),
            }
        results.append(res)
        o = rows.get("overall", {})
        print(f"{method}: overall PlagDet {o.get('plagdet', 0):.3f} "
              f"(P {o.get('precision', 0):.3f} R {o.get('recall', 0):.3f} G {o.get('granularity', 1):.3f}), "
              f"FP rate {rows.get('no-plagiarism', {}).get('fp_rate', float('nan')):.3f}, "
              f"{busy / max(len(pairs), 1):.3f} s/pair, wall {wall:.0f} s", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"corpus": str(corpus), "limit": args.limit, "split": args.split, "results": results}
    from provenance.fsutil import atomic_write_text

    atomic_write_text(out / f"{args.name}.json", json.dumps(meta, indent=1, sort_keys=True) + "\n")
    title = f"Alignment benchmark ({corpus.name}, split={args.split}, limit={args.limit})"
    atomic_write_text(out / f"{args.name}.md", markdown(results, title))
    if not chart(results, out / f"{args.name}.png"):
        print("matplotlib not installed (pip install 'provenance[bench]'); chart skipped")
    print(f"wrote {out / (args.name + '.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
