"""The near-duplicate engine on Dask (extra ``provenance[dask]``).

The same stages as :mod:`provenance.dedup`, run as Dask bags so that one
command works on a laptop ``LocalCluster`` or on a multi-node cluster:

1. reading: files are read and decoded on the workers (paths must be
   visible to them, e.g. on a shared file system); ids are given on the
   client by the rule of :func:`provenance.io.load`;
2. boilerplate: line keys are counted across the whole collection with a
   distributed ``frequencies``; each text is then judged against the set of
   keys seen in more than one text, which is exactly what
   :func:`provenance.normalize.find_boilerplate` does on the whole list;
3. signatures: :func:`provenance.dedup.sketch_texts` per partition;
4. banding: every sketch emits the band keys of datasketch's ``MinHashLSH``
   (Jaccard) and of ``MinHashLSHEnsemble`` (containment: size partitions
   from datasketch's ``optimal_partitions`` and the ensemble's own
   ``(b, r)`` table), grouped by key with a task shuffle -- a pair is a
   candidate here exactly when the in-memory indexes would return it;
5. verification: candidate pairs meet both sketches through two shuffles
   and are checked on the exact shingle fingerprint sets.

Clusters are built on the client from the verified pairs and the sketches of
their members only. The result equals the in-memory engine's.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .dedup import (
    ENSEMBLE_PERM, DedupParams, DedupResult, Sketch, build_clusters, ensemble_param, sketch_texts,
    verify_pair,
)
from .errors import InputError, MissingExtraError
from .io import DEFAULT_MAX_BYTES, iter_files, read_text_file
from .normalize import _line_key, _line_spans, find_boilerplate, normalize_text


def _require_dask() -> Any:
    try:
        import dask.bag as db  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise MissingExtraError("dask", "dask") from None
    import dask.bag as db

    return db


# ----------------------------------------------------------------- stages

def read_record(item: tuple[int, str], max_bytes: int = DEFAULT_MAX_BYTES) -> tuple:
    """``(index, path)`` -> ``(index, path, text or None, problem or None)``."""
    idx, path = item
    try:
        return idx, path, read_text_file(path, max_bytes=max_bytes), None
    except InputError as exc:
        return idx, path, None, exc.problem


def line_keys(raw: str) -> set[str]:
    """Distinct boilerplate line keys of one text (as ``find_boilerplate`` counts them)."""
    keys = set()
    for a, b in _line_spans(raw):
        body = raw[a:b].strip()
        if body:
            key = _line_key(body)
            if key:
                keys.add(key)
    return keys


def prepare_one(raw: str, shared: frozenset[str] | set[str]) -> str:
    """Normalized text without boilerplate, judged as within the whole collection.

    ``shared`` holds the line keys found in more than one text. A companion
    text made of this text's shared lines makes ``find_boilerplate`` see
    exactly those keys as repeated across texts, and nothing else.
    """
    companion = []
    for a, b in _line_spans(raw):
        body = raw[a:b].strip()
        if body and _line_key(body) in shared:
            companion.append(body)
    marks = find_boilerplate([raw, "\n".join(companion)])[0]
    return normalize_text(raw, drop=[(m.start, m.end) for m in marks]).text


def sketch_partition(records: Iterable[tuple], params: DedupParams) -> list[tuple[int, Sketch]]:
    """``(index, id, text)`` records -> ``(index, Sketch)``, batched per partition."""
    records = list(records)
    sks = sketch_texts([r[1] for r in records], [r[2] for r in records],
                       [None] * len(records), params)
    return [(r[0], s) for r, s in zip(records, sks)]


class BandPlan:
    """The band layout of datasketch's ``MinHashLSH`` and ``MinHashLSHEnsemble``.

    Built on the client from the parameters and the distribution of set
    sizes, shipped to the workers (it is small and picklable).
    """

    def __init__(self, params: DedupParams, sizes: Sequence[int]) -> None:
        from datasketch.lsh import _optimal_param
        from datasketch.lshensemble import MinHashLSHEnsemble
        from datasketch.lshensemble_partition import optimal_partitions

        h = params.num_perm
        self.b, self.r = _optimal_param(params.threshold, h, 0.5, 0.5)
        self.containment = params.containment > 0
        self.uppers: list[int] = []
        if self.containment and len(sizes):
            # Same construction as containment_ensemble() + MinHashLSHEnsemble.index().
            self.eh = min(ENSEMBLE_PERM, h)
            ens = MinHashLSHEnsemble(threshold=params.containment, num_perm=self.eh,
                                     num_part=min(16, len(sizes)))
            self.xqs, self.params = ens.xqs, ens.params
            self.rs = sorted({int(r) for _, r in ens.params})
            uniq, counts = np.array(sorted(Counter(int(s) for s in sizes).most_common())).T
            parts = optimal_partitions(uniq, counts, len(ens.indexes))
            self.uppers = [int(u) for _, u in parts]
        self.h = h

    def keys(self, idx: int, sk: Sketch) -> list[tuple[tuple, tuple[str, int]]]:
        """``(band key, (role, index))`` items of one sketch.

        Role ``"J"`` is a Jaccard band (symmetric); ``"I"`` is an indexed
        ensemble band and ``"Q"`` a query ensemble band.
        """
        if sk.size == 0:
            return []
        raw = np.ascontiguousarray(sk.signature, dtype=">u4").tobytes()  # datasketch's byteswap
        out = [(("J", k, raw[4 * k * self.r:4 * (k + 1) * self.r]), ("J", idx)) for k in range(self.b)]
        if self.uppers:
            part = int(np.searchsorted(self.uppers, sk.size, side="left"))
            for r in self.rs:
                for k in range(self.eh // r):
                    out.append((("E", part, r, k, raw[4 * k * r:4 * (k + 1) * r]), ("I", idx)))
            for p, upper in enumerate(self.uppers):
                b, r = ensemble_param(self.xqs, self.params, upper, sk.size)
                for k in range(b):
                    out.append((("E", p, r, k, raw[4 * k * r:4 * (k + 1) * r]), ("Q", idx)))
        return out


def bucket_pairs(group: tuple[Any, list[tuple[str, int]]]) -> list[tuple[int, int]]:
    """Candidate pairs ``(i, j)``, ``i < j``, of one band bucket."""
    _, members = group
    jac = sorted({i for role, i in members if role == "J"})
    out = list(itertools.combinations(jac, 2))
    if len(members) > len(jac):
        idx = {i for role, i in members if role == "I"}
        for role, q in members:
            if role == "Q":
                out.extend((min(q, j), max(q, j)) for j in idx if j != q)
    return out


def _attach_left(group: tuple[int, list]) -> list[tuple[int, tuple]]:
    _, items = group
    sk = next((x[1] for x in items if x[0] == "S"), None)
    return [(x[1], ("P", sk)) for x in items if x[0] == "P" and sk is not None]


def _verify_right(group: tuple[int, list], params: DedupParams) -> list:
    _, items = group
    sk = next((x[1] for x in items if x[0] == "S"), None)
    out = []
    for x in items:
        if x[0] == "P" and sk is not None:
            p = verify_pair(x[1], sk, params)
            if p is not None:
                out.append(p)
    return out


# ----------------------------------------------------------------- driver

def _assign_ids(meta: Sequence[tuple[int, str, bool]]) -> dict[int, str]:
    """Ids by the rule of :func:`provenance.io.load` (file stem, ``~k`` on clashes)."""
    seen: dict[str, int] = {}
    ids = {}
    for idx, path, ok in sorted(meta):
        if not ok:
            continue
        doc_id = Path(path).stem
        if doc_id in seen:
            seen[doc_id] += 1
            doc_id = f"{doc_id}~{seen[doc_id]}"
        else:
            seen[doc_id] = 0
        ids[idx] = doc_id
    return ids


def dask_find_near_duplicates(
    paths: Sequence[str],
    params: DedupParams | None = None,
    scheduler: str | None = None,
    npartitions: int | None = None,
    client: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[DedupResult, list[tuple[str, str]]]:
    """Run the near-duplicate engine on Dask.

    Parameters
    ----------
    paths : sequence of str
        Files and folders, as for :func:`provenance.io.load`.
    params : DedupParams, optional
    scheduler : str, optional
        Address of a running Dask scheduler; by default a ``LocalCluster``
        is started for the call and closed after it.
    npartitions : int, optional
        Bag partitions (default: about 2000 files each, at least 2).
    client : distributed.Client, optional
        Use this client instead of connecting (``scheduler`` is ignored).
    max_bytes : int, optional
        Per-file size cap (see :func:`provenance.io.read_text_file`).

    Returns
    -------
    result : DedupResult
        Equal to :func:`provenance.dedup.find_near_duplicates` on the same files.
    skipped : list of (path, problem)

    Raises
    ------
    MissingExtraError
        If dask or distributed is not installed.
    """
    db = _require_dask()
    from distributed import Client, LocalCluster

    params = params or DedupParams()
    files = [str(f) for f, _ in iter_files(list(paths))]
    own = []
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
            own.append(cluster)
            client = Client(cluster)
        own.insert(0, client)
    try:
        return _run(db, client, files, params, npartitions, max_bytes)
    finally:
        for x in own:
            x.close()


def _run(db: Any, client: Any, files: list[str], params: DedupParams,
         npartitions: int | None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[DedupResult, list[tuple[str, str]]]:
    nparts = npartitions or max(2, min(len(files) // 2000 + 1, 256))
    read = db.from_sequence(list(enumerate(files)), npartitions=min(nparts, max(1, len(files))))
    read = read.map(read_record, max_bytes=max_bytes).persist()
    meta = read.map(lambda r: (r[0], r[1], r[2] is not None, r[3])).compute()
    skipped = [(p, problem) for _, p, ok, problem in sorted(meta) if not ok]
    ids = _assign_ids([(i, p, ok) for i, p, ok, _ in meta])
    if not ids:
        where = ", ".join(files[:3]) or "(no files)"
        why = "; ".join(f"{p}: {m}" for p, m in skipped[:3]) or "no supported files"
        raise InputError(where, f"nothing readable ({why})")
    texts = read.filter(lambda r: r[2] is not None).map(lambda r: (r[0], r[2]))

    counts = texts.map(lambda r: sorted(line_keys(r[1]))).flatten().frequencies()
    shared = frozenset(k for k, n in counts.filter(lambda kv: kv[1] > 1).compute())
    from dask import delayed

    shared_f, ids_f = delayed(shared, pure=True), delayed(ids, pure=True)  # shipped once

    prepared = texts.map(lambda r, sh, m: (r[0], m[r[0]], prepare_one(r[1], sh)), shared_f, ids_f)
    sketches = prepared.map_partitions(sketch_partition, params).persist()
    del read, texts  # the persisted sketches no longer need the raw texts

    sizes = sketches.map(lambda x: x[1].size).filter(lambda s: s > 0).compute()
    plan = BandPlan(params, sizes)
    bands = sketches.map(lambda x, pl: pl.keys(x[0], x[1]), plan).flatten()
    cands = (bands.groupby(lambda kv: kv[0], shuffle="tasks")
             .map(lambda g: bucket_pairs((g[0], [m for _, m in g[1]])))
             .flatten().distinct())
    left = db.concat([cands.map(lambda p: (p[0], ("P", p[1]))),
                      sketches.map(lambda x: (x[0], ("S", x[1])))])
    attached = (left.groupby(lambda kv: kv[0], shuffle="tasks")
                .map(lambda g: _attach_left((g[0], [v for _, v in g[1]]))).flatten())
    right = db.concat([attached, sketches.map(lambda x: (x[0], ("S", x[1])))])
    pairs = (right.groupby(lambda kv: kv[0], shuffle="tasks")
             .map(lambda g, p: _verify_right((g[0], [v for _, v in g[1]]), p), params)
             .flatten().compute())
    pairs = sorted(pairs)
    members = {p.a for p in pairs} | {p.b for p in pairs}
    member_sketches = (sketches.map(lambda x, m: x[1] if x[1].id in m else None, members)
                       .filter(lambda s: s is not None).compute())
    # Lengths are of the normalized text, as in memory; dates are not read from files.
    clusters = build_clusters(member_sketches, pairs)
    return DedupResult(pairs, clusters), skipped


__all__ = ["BandPlan", "dask_find_near_duplicates", "line_keys", "prepare_one", "read_record",
           "sketch_partition"]
