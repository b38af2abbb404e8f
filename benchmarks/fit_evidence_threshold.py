"""Fit the minimum score at which an aligned sentence pair is shown as evidence.

Usage::

    python benchmarks/fit_evidence_threshold.py [--pan DIR] [--per-type N] [--precision P]

On PAN13 pairs with plagiarism (every obfuscation type), each one-to-one
sentence match of the default aligner is labelled true when both sentences
overlap the same annotated case (source side and suspicious side). The
script prints precision and share of true matches kept per threshold and
writes the smallest threshold whose precision reaches ``--precision``
(default 0.9) to provenance/data/evidence_threshold.json. An edge's evidence
lists only matches at or above it, so the sentences a reader is shown state
the same thing far more often than not; weaker matches still count as
features of the pair model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from _corpora import pan_pairs, read_text  # noqa: E402
from provenance.aligners import TfidfSentenceAligner  # noqa: E402
from provenance.evidence import one_to_one  # noqa: E402
from provenance.evidence import EVIDENCE_ALIGNER_PARAMS  # noqa: E402
from provenance.fsutil import atomic_write_text  # noqa: E402
from provenance.text import prepare  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def label_matches(job: tuple[str, str, list[dict]]) -> list[tuple[float, int]]:
    src, susp, cases = job
    a, b = prepare(src, id="src"), prepare(susp, id="susp")
    al = TfidfSentenceAligner(**{**EVIDENCE_ALIGNER_PARAMS, "threshold": 0.2}).fit([a, b])
    if not a.sentences or not b.sentences:
        return []
    out = []
    for i, j, s in one_to_one(al.similarity(a, b), 0.2):
        sa, sb = a.sentences[i], b.sentences[j]
        ok = any(_overlaps(sa.start, sa.end, c["source_offset"], c["source_offset"] + c["source_length"])
                 and _overlaps(sb.start, sb.end, c["this_offset"], c["this_offset"] + c["this_length"])
                 for c in cases)
        out.append((s, int(ok)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pan", default=str(ROOT.parent / "shared/data/pan13-text-alignment-training"))
    ap.add_argument("--per-type", type=int, default=100)
    ap.add_argument("--precision", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "provenance/data/evidence_threshold.json"))
    ns = ap.parse_args()
    pan = Path(ns.pan)
    if not pan.is_dir():
        print(f"PAN corpus not found at {pan}: skipping (see README, 'Public corpora').")
        return
    rng = random.Random(ns.seed)
    by_type: dict[str, list[dict]] = {}
    for p in pan_pairs(pan):
        if p["cases"]:
            by_type.setdefault(p["type"], []).append(p)
    jobs = []
    for t, ps in sorted(by_type.items()):
        for p in rng.sample(ps, min(ns.per_type, len(ps))):
            jobs.append((read_text(pan / "src" / p["src"]), read_text(pan / "susp" / p["susp"]), p["cases"]))
    with ProcessPoolExecutor(max_workers=2) as ex:
        results = [m for part in ex.map(label_matches, jobs, chunksize=4) for m in part]
    scores = np.array([s for s, _ in results])
    truth = np.array([y for _, y in results])
    print(f"pairs: {len(jobs)}  sentence matches >= 0.2: {len(scores)}  true: {int(truth.sum())}")
    print(f"{'threshold':>9s} {'precision':>9s} {'kept_true':>9s} {'n':>6s}")
    rows = []
    chosen = None
    for t in np.round(np.arange(0.2, 0.951, 0.05), 2):
        keep = scores >= t
        prec = float(truth[keep].mean()) if keep.any() else 1.0
        kept = float(truth[keep].sum() / max(1, truth.sum()))
        rows.append({"threshold": float(t), "precision": round(prec, 4), "recall": round(kept, 4), "n": int(keep.sum())})
        print(f"{t:9.2f} {prec:9.3f} {kept:9.3f} {int(keep.sum()):6d}")
        if chosen is None and prec >= ns.precision:
            chosen = float(t)
    chosen = chosen if chosen is not None else 0.95
    print("chosen evidence threshold:", chosen)
    atomic_write_text(ns.out, json.dumps({
        "min_score": chosen, "target_precision": ns.precision, "fitted_by": "benchmarks/fit_evidence_threshold.py",
        "args": {"per_type": ns.per_type, "seed": ns.seed}, "rows": rows,
    }, indent=2) + "\n")
    print("wrote", ns.out)


if __name__ == "__main__":
    main()
