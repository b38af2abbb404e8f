"""``provenance index``: a persistent near-duplicate index (SQLite file)."""

from __future__ import annotations

import json

import click

from ._common import max_bytes_option, report_skipped, user_errors, warn


def _params_or_none(**given: object):
    """Parameters given on the command line, or ``None`` when none were."""
    from ..dedup import DedupParams

    if all(v is None for v in given.values()):
        return None
    defaults = DedupParams()
    return DedupParams(**{k: (getattr(defaults, k) if v is None else v) for k, v in given.items()})


@click.group()
def index() -> None:
    """A persistent, incremental near-duplicate index in one SQLite file."""


_db_option = click.option("--db", required=True, type=click.Path(dir_okay=False),
                          help="Index file (SQLite).")


@index.command("add")
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("--threshold", type=float, default=None, help="Near-duplicate Jaccard (new index; default 0.8).")
@click.option("--containment", type=float, default=None, help="Containment threshold (new index; default 0.8).")
@click.option("--num-perm", type=int, default=None, help="MinHash permutations (new index; default 128).")
@click.option("--seed", type=int, default=None, help="MinHash seed (new index; default 1).")
@click.option("--shingle", "shingle_kind", type=click.Choice(["word", "char"]), default=None,
              help="Shingle kind (new index; default word).")
@click.option("--ngram", "shingle_n", type=int, default=None, help="Shingle length (new index; default 5).")
@click.option("--progress", is_flag=True, help="Report progress on stderr.")
@max_bytes_option
@user_errors
def add_cmd(paths: tuple[str, ...], db: str, threshold: float | None, containment: float | None,
            num_perm: int | None, seed: int | None, shingle_kind: str | None, shingle_n: int | None,
            progress: bool, max_bytes: int) -> None:
    """Add the texts at PATHS to the index (one transaction; same id replaces).

    Parameters given here are stored when the index is created; an existing
    index refuses different ones.
    """
    from ..index import DedupIndex
    from ..io import load

    params = _params_or_none(threshold=threshold, containment=containment, num_perm=num_perm,
                             seed=seed, shingle_kind=shingle_kind, shingle_n=shingle_n)
    loaded = load(list(paths), max_bytes=max_bytes)
    report_skipped(loaded.skipped)
    report = (lambda done, total: click.echo(f"indexed {done}/{total}", err=True)) if progress else None
    with DedupIndex(db, params) as ix:
        rep = ix.add(loaded.documents, progress=report)
        total = len(ix)
    click.echo(f"added {rep.added}, replaced {rep.replaced}; {total} document(s) in {db}")


@index.command("query")
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@max_bytes_option
@user_errors
def query_cmd(paths: tuple[str, ...], db: str, as_json: bool, max_bytes: int) -> None:
    """Which indexed texts are near-duplicates of, or contain, the texts at PATHS."""
    from ..index import DedupIndex
    from ..io import load

    loaded = load(list(paths), max_bytes=max_bytes)
    report_skipped(loaded.skipped)
    with DedupIndex(db, create=False) as ix:
        matches = ix.query(loaded.documents)
    matched = {m.query for m in matches}
    unmatched = [d.id for d in loaded.documents if d.id not in matched]
    if as_json:
        click.echo(json.dumps({"matches": [m.to_dict() for m in matches], "unmatched": unmatched},
                              indent=2))
        return
    click.echo(f"{len(matched)} of {len(loaded.documents)} text(s) matched, {len(matches)} match(es)")
    if matches:
        w = max(8, *(len(m.query) for m in matches), *(len(m.match) for m in matches))
        click.echo(f"{'query':<{w}}  {'match':<{w}}  {'relation':<14}  {'jaccard':>7}  "
                   f"{'q_in_m':>6}  {'m_in_q':>6}")
        for m in matches:
            click.echo(f"{m.query:<{w}}  {m.match:<{w}}  {m.relation:<14}  {m.jaccard:>7.3f}  "
                       f"{m.containment_query_in_match:>6.3f}  {m.containment_match_in_query:>6.3f}")


@index.command("remove")
@click.argument("ids", nargs=-1, required=True)
@_db_option
@user_errors
def remove_cmd(ids: tuple[str, ...], db: str) -> None:
    """Remove documents by id (file stem) from the index."""
    from ..index import DedupIndex

    with DedupIndex(db, create=False) as ix:
        missing = ix.remove(ids)
        total = len(ix)
    for doc_id in missing:
        warn(f"not in the index: {doc_id}")
    click.echo(f"removed {len(ids) - len(missing)}; {total} document(s) in {db}")


@index.command("stats")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@user_errors
def stats_cmd(db: str, as_json: bool) -> None:
    """Document count, stored parameters and sizes."""
    from ..index import DedupIndex

    with DedupIndex(db, create=False) as ix:
        st = ix.stats()
    if as_json:
        click.echo(json.dumps(st, indent=2))
        return
    p = st["params"]
    click.echo(f"index        {st['path']}\n"
               f"documents    {st['documents']}\n"
               f"minhash      num_perm={p['num_perm']} scheme={p['scheme']} seed={p['seed']}\n"
               f"shingles     {p['shingle_kind']} {p['shingle_n']}-grams, mean {st['mean_shingles']} per text\n"
               f"thresholds   jaccard>={p['threshold']} containment>={p['containment']}\n"
               f"file size    {st['file_bytes']} bytes")
