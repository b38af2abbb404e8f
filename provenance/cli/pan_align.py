"""``provenance pan-align``: PAN text-alignment detections for a list of pairs."""

from __future__ import annotations

import os
from multiprocessing import get_context
from pathlib import Path

import click

from ._common import user_errors


def _work(task: tuple[str, str, str, str, str, str]) -> str:
    susp, src, susp_dir, src_dir, out, method = task
    from ..pan import detect_pair, write_detections

    dets = detect_pair(Path(susp_dir) / susp, Path(src_dir) / src, method)
    return str(write_detections(out, susp, src, dets))


@click.command("pan-align")
@click.option("--pairs", "pairs_file", required=True, type=click.Path(dir_okay=False),
              help="File of 'SUSP SRC' file-name pairs, one pair a line.")
@click.option("--susp", "susp_dir", required=True, type=click.Path(file_okay=False),
              help="Directory of the suspicious documents.")
@click.option("--src", "src_dir", required=True, type=click.Path(file_okay=False),
              help="Directory of the source documents.")
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False),
              help="Output directory for one SUSP-SRC.xml per pair.")
@click.option("--method", default="tfidf", show_default=True, help="Alignment method.")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: all cores).")
@user_errors
def pan_align(pairs_file: str, susp_dir: str, src_dir: str, out: str, method: str, jobs: int | None) -> None:
    """Write PAN detection XML for every pair of PAIRS (any PAN evaluator scores OUT)."""
    from ..aligners import METHODS
    from ..errors import ConfigError, InputError
    from ..pan import read_pairs

    if method not in METHODS:
        raise ConfigError(f"unknown alignment method {method!r}; choose from {', '.join(sorted(METHODS))}")
    if not Path(pairs_file).is_file():
        raise InputError(pairs_file, "no such file")
    for d in (susp_dir, src_dir):
        if not Path(d).is_dir():
            raise InputError(d, "no such directory")
    pairs = read_pairs(pairs_file)
    for susp, src in pairs:  # fail before any work, naming the first missing file
        for p in (Path(susp_dir) / susp, Path(src_dir) / src):
            if not p.is_file():
                raise InputError(p, "no such file")
    Path(out).mkdir(parents=True, exist_ok=True)
    tasks = [(susp, src, susp_dir, src_dir, out, method) for susp, src in pairs]
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) <= 1:
        written = [_work(t) for t in tasks]
    else:
        with get_context("spawn" if os.name == "nt" else "fork").Pool(min(jobs, len(tasks))) as pool:
            written = pool.map(_work, tasks, chunksize=8)
    click.echo(f"wrote {len(written)} detection files to {out}", err=True)
