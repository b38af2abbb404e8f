"""A persistent, incremental near-duplicate index in an embedded SQLite file.

The file holds the engine parameters (``num_perm``, scheme, seed, shingling,
thresholds) and, per document, its MinHash signature and its exact shingle
fingerprint set (see :mod:`provenance.dedup`); texts are not stored and never
re-read. Opening an index with other parameters raises
:class:`~provenance.errors.ConfigError` instead of mixing sketches.

Each :meth:`DedupIndex.add` is one SQLite transaction in WAL mode with full
synchronous commits: if the process dies in the middle (even ``kill -9``),
the file reopens with exactly the documents committed before.

Queries load the signatures of all indexed documents into a datasketch
``MinHashLSH`` (and, for containment, a ``MinHashLSHEnsemble``) once per open
index, then verify candidates on the stored fingerprint sets.

Storage: ``4 * num_perm`` bytes of signature plus 8 bytes per distinct
shingle, i.e. about 3.7 KB for a 400-word document at 128 permutations, or
about 3.7 GB for 10^6 such documents.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .dedup import (
    CONTAINED, NEAR_DUPLICATE, DedupParams, Sketch, _Sig, containment_ensemble, jaccard_lsh,
    prepare_texts, sketch_texts,
)
from .errors import ConfigError, InputError
from .minhash import SCHEME, exact_overlap
from .records import Document

FORMAT = "provenance-dedup-index/1"
_PARAM_KEYS = ("num_perm", "seed", "scheme", "shingle_kind", "shingle_n", "threshold", "containment")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT,
    date TEXT,
    length INTEGER NOT NULL,
    size INTEGER NOT NULL,
    signature BLOB NOT NULL,
    fingerprints BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class IndexMatch:
    """A verified match of a query document against an indexed one (exact similarities)."""

    query: str
    match: str
    relation: str  # "near_duplicate" | "contained"
    jaccard: float
    containment_query_in_match: float
    containment_match_in_query: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "match": self.match, "relation": self.relation,
            "jaccard": round(self.jaccard, 4),
            "containment_query_in_match": round(self.containment_query_in_match, 4),
            "containment_match_in_query": round(self.containment_match_in_query, 4),
        }


@dataclass(frozen=True)
class AddReport:
    """What one :meth:`DedupIndex.add` did."""

    added: int
    replaced: int


def _params_from_meta(meta: dict[str, str]) -> DedupParams:
    p = json.loads(meta["params"])
    if p.get("scheme") != SCHEME:
        raise ConfigError(f"index uses MinHash scheme {p.get('scheme')!r}; this version reads {SCHEME!r}")
    return DedupParams(float(p["threshold"]), float(p["containment"]), int(p["num_perm"]),
                       int(p["seed"]), str(p["shingle_kind"]), int(p["shingle_n"]))


class DedupIndex:
    """Open (or create) the index file ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        SQLite file; created when missing and ``create`` is true.
    params : DedupParams, optional
        Parameters a new index is created with; for an existing index they
        must equal the stored ones (``None`` accepts whatever is stored).
    create : bool, default True
        If false, a missing file raises :class:`InputError`.

    Examples
    --------
    >>> import tempfile, os
    >>> from provenance.io import documents_from_texts
    >>> db = os.path.join(tempfile.mkdtemp(), "x.db")
    >>> text = " ".join(f"w{i}" for i in range(50))
    >>> with DedupIndex(db) as ix:
    ...     ix.add(documents_from_texts({"a": text}))
    AddReport(added=1, replaced=0)
    >>> with DedupIndex(db) as ix:
    ...     [m.match for m in ix.query(documents_from_texts({"q": text + " more"}))]
    ['a']
    """

    def __init__(self, path: str | os.PathLike[str], params: DedupParams | None = None,
                 create: bool = True) -> None:
        self.path = os.fspath(path)
        exists = os.path.exists(self.path)
        if not exists and not create:
            raise InputError(self.path, "no such index (create one with `provenance index add`)")
        if exists and os.path.isdir(self.path):
            raise InputError(self.path, "is a directory, expected an index file")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            meta = self._read_meta()
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "_db"):
                self._db.close()
            raise InputError(self.path, f"not a provenance index ({exc})") from None
        if meta:
            try:
                if meta.get("format") != FORMAT:
                    raise InputError(self.path, f"not a provenance index (format {meta.get('format')!r})")
                stored = _params_from_meta(meta)
                if params is not None and params != stored:
                    raise ConfigError(_mismatch(self.path, stored, params))
            except BaseException:
                self._db.close()
                raise
            self.params = stored
        else:
            self.params = params or DedupParams()
            with self._transaction():
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        self._db.execute(stmt)
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("format", FORMAT), ("params", json.dumps(self.params.to_dict(), sort_keys=True)),
                ])
        self._lsh: Any = None
        self._ensemble: Any = None
        self._rowids: np.ndarray | None = None
        self._sizes: np.ndarray | None = None

    # -------------------------------------------------------------- plumbing

    def _read_meta(self) -> dict[str, str]:
        has = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if not has:
            return {}
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    class _Tx:
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def __enter__(self) -> None:
            self.db.execute("BEGIN IMMEDIATE")

        def __exit__(self, exc_type: Any, *rest: Any) -> None:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")

    def _transaction(self) -> "_Tx":
        return DedupIndex._Tx(self._db)

    def _invalidate(self) -> None:
        self._lsh = self._ensemble = self._rowids = self._sizes = None

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> "DedupIndex":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def __contains__(self, doc_id: object) -> bool:
        return self._db.execute("SELECT 1 FROM docs WHERE id = ?", (str(doc_id),)).fetchone() is not None

    # -------------------------------------------------------------- writing

    def add(self, docs: Sequence[Document], chunk_size: int = 1000,
            progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Add (or replace, by id) documents, in one transaction.

        Boilerplate lines are judged across the documents of this call.
        Documents are sketched and written ``chunk_size`` at a time inside the
        transaction; ``progress(done, total)`` is called after each chunk.
        """
        docs = list(docs)
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise ConfigError("document ids in one add must be unique")
        texts = prepare_texts([d.raw for d in docs])

        def chunks() -> Iterator[tuple[Sketch, str]]:
            for k in range(0, len(docs), chunk_size):
                part = docs[k:k + chunk_size]
                sks = sketch_texts([d.id for d in part], texts[k:k + chunk_size],
                                   [d.date for d in part], self.params)
                yield from zip(sks, (d.path for d in part))
                if progress:
                    progress(min(k + chunk_size, len(docs)), len(docs))

        return self.add_sketches(chunks())

    def add_sketches(self, items: Iterable[tuple[Sketch, str]]) -> AddReport:
        """Write ``(sketch, path)`` items in one transaction (all or nothing)."""
        added = replaced = 0
        self._invalidate()
        with self._transaction():
            for sk, path in items:
                if len(sk.signature) != self.params.num_perm:
                    raise ConfigError(f"{sk.id}: signature has {len(sk.signature)} values, "
                                      f"index uses num_perm={self.params.num_perm}")
                cur = self._db.execute("DELETE FROM docs WHERE id = ?", (sk.id,))
                replaced += cur.rowcount > 0
                added += cur.rowcount <= 0
                self._db.execute(
                    "INSERT INTO docs (id, path, date, length, size, signature, fingerprints) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (sk.id, path, sk.date, sk.length, sk.size,
                     np.ascontiguousarray(sk.signature, dtype="<u4").tobytes(),
                     np.ascontiguousarray(sk.fingerprints, dtype="<u8").tobytes()),
                )
        return AddReport(added, replaced)

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id, in one transaction; returns the ids not found."""
        missing = []
        self._invalidate()
        with self._transaction():
            for doc_id in ids:
                if self._db.execute("DELETE FROM docs WHERE id = ?", (doc_id,)).rowcount == 0:
                    missing.append(doc_id)
        return missing

    # -------------------------------------------------------------- reading

    def _load(self) -> None:
        if self._rowids is not None:
            return
        rows = self._db.execute("SELECT rowid, size, signature FROM docs WHERE size > 0").fetchall()
        n, k = len(rows), self.params.num_perm
        self._rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        self._sizes = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
        sigs = np.frombuffer(b"".join(r[2] for r in rows), dtype="<u4").reshape(n, k).astype(np.uint32)
        del rows
        self._sigs = sigs
        self._lsh = jaccard_lsh(sigs, self._rowids.tolist(), self.params.threshold) if n else None

    def _containment_index(self) -> Any:
        if self._ensemble is None and self.params.containment > 0 and len(self._rowids):
            self._ensemble = containment_ensemble(self._sigs, self._rowids.tolist(),
                                                  self._sizes.tolist(), self.params.containment)
        return self._ensemble

    def query(self, docs: Sequence[Document]) -> list[IndexMatch]:
        """Verified matches of ``docs`` against the index, sorted by (query, match)."""
        docs = list(docs)
        texts = prepare_texts([d.raw for d in docs])
        sketches = sketch_texts([d.id for d in docs], texts, [d.date for d in docs], self.params)
        return self.query_sketches(sketches)

    def query_sketches(self, sketches: Sequence[Sketch]) -> list[IndexMatch]:
        """Like :meth:`query`, from sketches made with this index's parameters."""
        self._load()
        if self._lsh is None:
            return []
        ens = self._containment_index()
        p = self.params
        out = []
        for q in sketches:
            if q.size == 0:
                continue
            sig = _Sig(np.asarray(q.signature, dtype=np.uint32))
            cands = set(self._lsh.query(sig))
            if ens is not None:
                cands.update(ens.query(sig.hashvalues, q.size))
            if not cands:
                continue
            marks = ",".join("?" * len(cands))
            for doc_id, size, blob in self._db.execute(
                f"SELECT id, size, fingerprints FROM docs WHERE rowid IN ({marks})", sorted(cands)
            ):
                fp = np.frombuffer(blob, dtype="<u8")
                inter = exact_overlap(q.fingerprints, fp)
                jac = inter / (q.size + size - inter)
                cq, cm = inter / q.size, inter / size
                if jac >= p.threshold:
                    rel = NEAR_DUPLICATE
                elif p.containment > 0 and max(cq, cm) >= p.containment:
                    rel = CONTAINED
                else:
                    continue
                out.append(IndexMatch(q.id, doc_id, rel, jac, cq, cm))
        out.sort(key=lambda m: (m.query, m.match))
        return out

    def stats(self) -> dict[str, Any]:
        """Document count, parameters and storage figures."""
        n, shingles, sig_bytes, fp_bytes = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(LENGTH(signature)), 0), "
            "COALESCE(SUM(LENGTH(fingerprints)), 0) FROM docs").fetchone()
        return {
            "path": self.path,
            "documents": int(n),
            "params": self.params.to_dict(),
            "mean_shingles": round(shingles / n, 1) if n else 0.0,
            "signature_bytes": int(sig_bytes),
            "fingerprint_bytes": int(fp_bytes),
            "file_bytes": os.path.getsize(self.path),
        }


def _mismatch(path: str, stored: DedupParams, given: DedupParams) -> str:
    a, b = stored.to_dict(), given.to_dict()
    diff = ", ".join(f"{k}={b[k]!r} (index has {a[k]!r})" for k in _PARAM_KEYS if a[k] != b[k])
    return f"{path}: index was built with other parameters: {diff}; refusing to mix them"


__all__ = ["AddReport", "DedupIndex", "IndexMatch"]
