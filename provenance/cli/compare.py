"""``provenance compare A B`` and the batch form ``--pairs FILE --jsonl``."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from ._common import max_bytes_option, shown_signals, user_errors


def _load_pair(a: str, b: str, max_bytes: int | None = None):
    from dataclasses import replace

    from ..errors import InputError
    from ..io import DEFAULT_MAX_BYTES, load

    for p in (a, b):
        if Path(p).is_dir():
            raise InputError(p, "is a directory, expected a file")
    cap = max_bytes or DEFAULT_MAX_BYTES
    da, db = load(a, max_bytes=cap).documents[0], load(b, max_bytes=cap).documents[0]
    if da.id == db.id:  # same stem in two folders
        db = replace(db, id=db.id + "~b")
    return da, db


def _compare_paths(job: tuple[str, str, str, int, int]) -> dict:
    from ..errors import ProvenanceError
    from ..pipeline import compare

    a, b, method, seed, max_bytes = job
    try:
        return compare(*_load_pair(a, b, max_bytes), method=method, seed=seed).to_dict()
    except ProvenanceError as exc:  # batch mode: report per line, keep going
        return {"a": a, "b": b, "error": str(exc)}


def _side_by_side(cmp) -> list[str]:
    out = []
    ra, rb = cmp.a.doc.raw, cmp.b.doc.raw
    e = cmp.edge
    head = f"{cmp.a.doc.id}  vs  {cmp.b.doc.id}: {cmp.relation}"
    if e is not None:
        head += f" (confidence {e.confidence:.2f})"
        if e.relation == "derives_from":
            head += f"; upstream: {e.source}"
    out.append(head)
    for s in shown_signals(e.signals if e else ()):
        out.append(f"  signal {s.name}: {s.detail or s.value}")
    out.append(f"  {len(cmp.passages)} aligned passage(s), method {cmp.method}")
    width = 60
    for k, p in enumerate(cmp.passages, 1):
        ta = " ".join(ra[p.source_start:p.source_end].split())
        tb = " ".join(rb[p.target_start:p.target_end].split())
        out.append(f"  -- passage {k}  score {p.score:.2f}  A[{p.source_start}:{p.source_end}]  B[{p.target_start}:{p.target_end}]")
        la = [ta[i:i + width] for i in range(0, min(len(ta), width * 6), width)] or [""]
        lb = [tb[i:i + width] for i in range(0, min(len(tb), width * 6), width)] or [""]
        for x, y in zip(la + [""] * (len(lb) - len(la)), lb + [""] * (len(la) - len(lb))):
            out.append(f"  {x:<{width}} | {y}")
    return out


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--method", default="tfidf", show_default=True, help="Aligner for the passages shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False), help="File of two paths per line (batch mode).")
@click.option("--root", type=click.Path(file_okay=False), default=".", help="Base folder of the paths in --pairs.")
@click.option("--jsonl", is_flag=True, help="Batch mode: one JSON object per line, in input order.")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(min=1), help="Parallel processes in batch mode.")
@click.option("--seed", default=1, show_default=True, type=int)
@max_bytes_option
@user_errors
def compare(paths, method, as_json, pairs_file, root, jsonl, jobs, seed, max_bytes) -> None:
    """Compare two texts A B: relation, direction and aligned passages side by side."""
    from ..aligners import METHODS

    if method not in METHODS:
        raise click.UsageError(f"unknown --method {method!r}; choose from {', '.join(sorted(METHODS))}")
    if pairs_file:
        if paths:
            raise click.UsageError("give either A B or --pairs FILE, not both")
        try:
            lines = Path(pairs_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{pairs_file}: cannot read ({exc})") from None
        jobs_list = []
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2:
                raise click.ClickException(f"{pairs_file}:{n}: expected two paths, got {len(parts)} fields")
            jobs_list.append((str(Path(root) / parts[0]), str(Path(root) / parts[1]), method, seed, max_bytes))
        if jobs > 1 and len(jobs_list) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as ex:
                results = ex.map(_compare_paths, jobs_list, chunksize=4)
                for r in results:
                    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            for j in jobs_list:
                sys.stdout.write(json.dumps(_compare_paths(j), ensure_ascii=False) + "\n")
        return
    if len(paths) != 2:
        raise click.UsageError("compare needs two paths A B (or --pairs FILE)")
    from ..pipeline import compare as run_compare

    cmp = run_compare(*_load_pair(paths[0], paths[1], max_bytes), method=method, seed=seed)
    if as_json or jsonl:
        sys.stdout.write(json.dumps(cmp.to_dict(), ensure_ascii=False, indent=None if jsonl else 2) + "\n")
        return
    for line in _side_by_side(cmp):
        click.echo(line)
