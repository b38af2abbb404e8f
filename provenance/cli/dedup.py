"""``provenance dedup``: near-duplicate clusters and contained copies."""

from __future__ import annotations

import json
from typing import Any

import click

from ..dedup import DedupResult
from ..fsutil import atomic_write_text
from ._common import max_bytes_option, report_skipped, user_errors, warn


def engine_options(func: Any) -> Any:
    """Options shared by ``dedup`` and ``index``: similarity and sketch parameters."""
    opts = [
        click.option("--threshold", type=float, default=0.8, show_default=True,
                     help="Minimum exact Jaccard of a near-duplicate pair."),
        click.option("--containment", type=float, default=0.8, show_default=True,
                     help="Minimum exact containment of a contained pair (0 turns it off)."),
        click.option("--num-perm", type=int, default=128, show_default=True,
                     help="MinHash permutations."),
        click.option("--seed", type=int, default=1, show_default=True, help="MinHash seed."),
        click.option("--shingle", "shingle_kind", type=click.Choice(["word", "char"]),
                     default="word", show_default=True, help="Shingle kind."),
        click.option("--ngram", "shingle_n", type=int, default=5, show_default=True,
                     help="Shingle length in words or characters."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def render_table(result: DedupResult) -> str:
    """A readable text report of clusters and pairs."""
    lines = [f"{len(result.clusters)} cluster(s), {len(result.pairs)} pair(s)"]
    if result.clusters:
        lines += ["", "CLUSTERS", f"{'size':>5}  {'min_jac':>7}  {'representative':<24}  members"]
        for c in result.clusters:
            lines.append(f"{c.size:>5}  {c.min_jaccard:>7.3f}  {c.representative:<24}  "
                         + ", ".join(c.members))
    if result.pairs:
        w = max(8, max(len(p.a) for p in result.pairs), max(len(p.b) for p in result.pairs))
        lines += ["", "PAIRS",
                  f"{'a':<{w}}  {'b':<{w}}  {'relation':<14}  {'jaccard':>7}  {'a_in_b':>6}  {'b_in_a':>6}"]
        for p in result.pairs:
            lines.append(f"{p.a:<{w}}  {p.b:<{w}}  {p.relation:<14}  {p.jaccard:>7.3f}  "
                         f"{p.containment_a_in_b:>6.3f}  {p.containment_b_in_a:>6.3f}")
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@engine_options
@click.option("--engine", type=click.Choice(["memory", "dask"]), default="memory", show_default=True,
              help="Run in this process, or on Dask (needs provenance[dask]).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (default: a LocalCluster).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Also write the JSON report to this file (atomically).")
@max_bytes_option
@user_errors
def dedup(paths: tuple[str, ...], threshold: float, containment: float, num_perm: int, seed: int,
          shingle_kind: str, shingle_n: int, engine: str, scheduler: str | None, as_json: bool,
          output: str | None, max_bytes: int) -> None:
    """Cluster near-duplicate texts at PATHS and report contained copies.

    Pairs are verified on exact shingle sets; a cluster's min_jaccard is the
    lowest similarity between any two of its members.
    """
    from ..dedup import DedupParams, NearDuplicateFinder, sketch_documents

    params = DedupParams(threshold, containment, num_perm, seed, shingle_kind, shingle_n)
    if engine == "dask":
        from ..dask_engine import dask_find_near_duplicates

        result, skipped = dask_find_near_duplicates(list(paths), params, scheduler=scheduler,
                                                    max_bytes=max_bytes)
    else:
        if scheduler:
            warn("--scheduler is only used with --engine dask")
        from ..io import load

        loaded = load(list(paths), max_bytes=max_bytes)
        skipped = loaded.skipped
        # find_near_duplicates() in two steps, so the texts can be freed once sketched.
        sketches = sketch_documents(loaded.documents, params)
        del loaded
        result = NearDuplicateFinder(threshold, containment, num_perm, seed, shingle_kind,
                                     shingle_n).fit_sketches(sketches).result()
        del sketches
    report_skipped(skipped)
    doc = result.to_json()
    if output:
        atomic_write_text(output, json.dumps(doc, indent=2) + "\n")
    click.echo(json.dumps(doc, indent=2) if as_json else render_table(result))


def register(group: click.Group) -> None:
    """Add ``dedup`` and ``index`` to the ``provenance`` command group."""
    from .index import index

    group.add_command(dedup)
    group.add_command(index)
