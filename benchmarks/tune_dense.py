"""Parameter sweep for the dense aligner: benchmarks/tune_alignment.py with grids on the dense cosine scale.

Usage::

    python benchmarks/tune_dense.py CORPUS_DIR [--limit 60] [--jobs 1] [tune_alignment options]

Runs :func:`benchmarks.tune_alignment.main` with ``--method dense`` (same
even/odd split, same stages A, B and C, same outputs
``OUT/tuning-dense.md`` and ``.json``). Only the grids differ: the
validation and summary thresholds are swept on the dense cosine scale (in a
first sweep at 60 pairs per type, validation thresholds 0 and 0.5 gave
identical rows: the summed embeddings of the two sides of every candidate
passage already reach 0.5), and the grids are smaller (2 shared cores).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import tune_alignment as ta  # noqa: E402

GRID_A = {
    # A first look at 60 pairs per type (thresholds 0.4-0.9, max_gap 4/8,
    # validate 0-0.8) put the best rows at threshold 0.5-0.6, max_gap 4,
    # validate 0.7, seed_top_k 1; a run at 200 per type with thresholds
    # 0.45-0.6 chose 0.45, the grid's edge, so the grid now reaches 0.35.
    "threshold": [0.35, 0.4, 0.45, 0.5, 0.55],
    "seed_top_k": [1, 2],
    "max_gap": [2, 3, 4, 6],
    "min_passage_chars": [100, 150, 200],
    "validate_threshold": [0.6, 0.65, 0.7, 0.75, 0.8],
}
GRID_B = {
    "summary_ratio": [0.0, 3.0],
    "summary_threshold": [0.4, 0.5, 0.6],
    "summary_min_seeds": [3],
    "summary_validate": [0.5, 0.7],
    "summary_extend": [1.0, 0.5, 0.3],
    "summary_trigger": [0.0, 2.0],
}
GRID_C = {
    "prune_dominated": [False, True],
    "refine_ngram": [0, 3],
    "refine_penalty": [0.5, 1.0],  # 1.0 also keys the refinement-off row in tune_alignment.grid_c_configs
    "refine_min_share": [0.6, 0.8],
    "refine_extend": [0, 30],
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # tune_alignment reads its module-level grids when it runs; replace their contents.
    for mine, theirs in ((GRID_A, ta.GRID_A), (GRID_B, ta.GRID_B), (GRID_C, ta.GRID_C)):
        theirs.clear()
        theirs.update(mine)
    if any(a == "--method" or a.startswith("--method=") for a in argv):
        raise SystemExit("tune_dense.py always tunes --method dense")
    return ta.main([*argv, "--method", "dense"])


if __name__ == "__main__":
    raise SystemExit(main())
