"""Near-duplicate and containment detection, in memory.

Stages, each a small top-level function over plain records so that the Dask
engine (:mod:`provenance.dask_engine`) can run the very same code:

1. :func:`prepare_texts` -- boilerplate lines removed, text normalized.
2. :func:`sketch_text` / :func:`sketch_texts` -- word or character shingles,
   hashed once: a sorted array of 64-bit shingle fingerprints (the exact set
   used for verification) and a MinHash signature bit-identical to
   ``datasketch.MinHash(scheme="affine32")``.
3. :func:`candidate_pairs` -- datasketch :class:`~datasketch.MinHashLSH` for
   Jaccard and :class:`~datasketch.MinHashLSHEnsemble` for containment.
4. :func:`verify_pair` / :func:`verify_pairs` -- every candidate is checked on
   the exact shingle sets; only verified pairs become edges.
5. :func:`build_clusters` -- connected components of verified edges, each
   reported with the minimum exact Jaccard over *all* its member pairs, so a
   cluster held together by a chain of edges shows a low ``min_jaccard``.

Exactness: shingle sets are compared as sets of 64-bit SHA-1 fingerprints. Two
distinct shingles share a fingerprint with probability 2**-64 per pair, so
for documents of a few thousand shingles the computed overlap is exact except
with probability below 1e-11 per document pair.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from .errors import ConfigError
from .minhash import SCHEME, check_num_perm, exact_overlap, text_sketches
from .normalize import find_boilerplate, normalize_text
from .records import Document
from .shingle import check_shingling

NEAR_DUPLICATE = "near_duplicate"
_SKETCH_CHUNK = 2000  # texts whose shingle strings are alive at once
CONTAINED = "contained"


# ------------------------------------------------------------------ records

@dataclass(frozen=True)
class DedupParams:
    """Everything that decides which pairs are found.

    Attributes
    ----------
    threshold : float
        Exact Jaccard at or above which two texts are near-duplicates.
    containment : float
        Exact containment ``|A & B| / |A|`` at or above which A is reported
        as contained in B; ``0`` turns containment search off.
    num_perm, seed : int
        MinHash permutations and their seed (scheme ``affine32``).
    shingle_kind : {"word", "char"}
    shingle_n : int
    """

    threshold: float = 0.8
    containment: float = 0.8
    num_perm: int = 128
    seed: int = 1
    shingle_kind: str = "word"
    shingle_n: int = 5

    def __post_init__(self) -> None:
        if not 0.0 < float(self.threshold) <= 1.0:
            raise ConfigError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if not 0.0 <= float(self.containment) <= 1.0:
            raise ConfigError(f"containment must be in [0, 1] (0 = off), got {self.containment!r}")
        check_num_perm(self.num_perm)
        check_shingling(self.shingle_kind, self.shingle_n)
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            raise ConfigError(f"seed must be an integer in [0, 2**32), got {self.seed!r}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["scheme"] = SCHEME
        return d


@dataclass(frozen=True, eq=False)
class Sketch:
    """What the engine keeps of one document (picklable, text-free).

    Attributes
    ----------
    id : str
    length : int
        Length of the normalized text (the "longest" tie-break).
    date : str or None
    fingerprints : ndarray of uint64
        Sorted unique shingle fingerprints (the exact shingle set).
    signature : ndarray of uint32
        MinHash signature, ``num_perm`` values.
    """

    id: str
    length: int
    date: str | None
    fingerprints: np.ndarray
    signature: np.ndarray

    @property
    def size(self) -> int:
        """Number of distinct shingles."""
        return int(len(self.fingerprints))


@dataclass(frozen=True, order=True)
class NearDuplicatePair:
    """A verified pair, ``a < b`` by id; similarities are exact."""

    a: str
    b: str
    relation: str  # "near_duplicate" | "contained"
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "relation": self.relation,
            "jaccard": round(self.jaccard, 4),
            "containment_a_in_b": round(self.containment_a_in_b, 4),
            "containment_b_in_a": round(self.containment_b_in_a, 4),
        }


@dataclass(frozen=True)
class Cluster:
    """A connected component of verified edges.

    ``min_jaccard`` is the smallest exact Jaccard over every pair of members,
    not only over the edges, so chaining shows.
    """

    members: tuple[str, ...]
    representative: str
    min_jaccard: float

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": list(self.members),
            "representative": self.representative,
            "min_jaccard": round(self.min_jaccard, 4),
        }


@dataclass(frozen=True)
class DedupResult:
    """Verified pairs (sorted) and clusters (sorted by first member)."""

    pairs: list[NearDuplicatePair] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``provenance dedup --json`` document."""
        return {
            "clusters": [c.to_dict() for c in self.clusters],
            "pairs": [p.to_dict() for p in self.pairs],
        }


# ------------------------------------------------------------------ stages

def prepare_texts(raws: Sequence[str]) -> list[str]:
    """Normalized texts with boilerplate lines removed (judged across ``raws``)."""
    marks = find_boilerplate(list(raws))
    return [
        normalize_text(raw, drop=[(m.start, m.end) for m in bp]).text
        for raw, bp in zip(raws, marks)
    ]


def sketch_text(doc_id: str, text: str, date: str | None, params: DedupParams) -> Sketch:
    """Sketch one normalized text (see :func:`sketch_texts` for many)."""
    return sketch_texts([doc_id], [text], [date], params)[0]


def sketch_texts(
    ids: Sequence[str], texts: Sequence[str], dates: Sequence[str | None], params: DedupParams
) -> list[Sketch]:
    """Sketch normalized texts: exact fingerprint sets and MinHash signatures."""
    out: list[Sketch] = []
    for k in range(0, len(texts), _SKETCH_CHUNK):  # shingle strings of one chunk at a time
        part = texts[k:k + _SKETCH_CHUNK]
        sigs, fps = text_sketches(part, params.shingle_kind, params.shingle_n,
                                  params.num_perm, params.seed)
        out.extend(Sketch(str(i), len(t), d, fp, sig) for i, t, d, fp, sig in
                   zip(ids[k:k + _SKETCH_CHUNK], part, dates[k:k + _SKETCH_CHUNK], fps, sigs))
    return out


def sketch_documents(docs: Sequence[Document], params: DedupParams) -> list[Sketch]:
    """Prepare and sketch documents (boilerplate judged across ``docs``)."""
    texts = prepare_texts([d.raw for d in docs])
    return sketch_texts([d.id for d in docs], texts, [d.date for d in docs], params)


class _Sig:
    """The part of a MinHash that datasketch's LSH indexes read."""

    __slots__ = ("hashvalues",)
    scheme = SCHEME

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)


def jaccard_lsh(signatures: np.ndarray, keys: Iterable[Any], threshold: float):
    """A datasketch ``MinHashLSH`` holding ``signatures`` under ``keys``."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=signatures.shape[1])
    with lsh.insertion_session(buffer_size=100_000) as session:
        for key, sig in zip(keys, signatures):
            session.insert(key, _Sig(sig), check_duplication=False)
    return lsh


#: Signature values the containment ensemble indexes (the first ones of each
#: signature, themselves a valid MinHash). LSH Ensemble keeps ~90 band keys per
#: set at 128 permutations; 64 halves its memory and time, and exact
#: verification removes the extra false positives.
ENSEMBLE_PERM = 64


class ContainmentLSH:
    """A datasketch ``MinHashLSHEnsemble`` over the first ``ENSEMBLE_PERM``
    values of each signature.

    Parameters
    ----------
    signatures : ndarray of uint32, shape (n, num_perm)
    keys : iterable
    sizes : iterable of int
        Distinct shingles per set; sets of size 0 are left out.
    threshold : float
        Containment threshold of the ensemble.
    """

    def __init__(self, signatures: np.ndarray, keys: Iterable[Any], sizes: Iterable[int],
                 threshold: float) -> None:
        from datasketch import MinHashLSHEnsemble

        self.num_perm = min(ENSEMBLE_PERM, signatures.shape[1])
        sub = np.ascontiguousarray(signatures[:, : self.num_perm])
        entries = [(k, _Sig(s), int(n)) for k, s, n in zip(keys, sub, sizes) if n > 0]
        self.ensemble = None
        if entries:
            self.ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=self.num_perm,
                                               num_part=min(16, len(entries)))
            self.ensemble.index(entries)

    def query(self, signature: np.ndarray, size: int) -> set[Any]:
        """Keys of indexed sets that likely contain the query set.

        Returns exactly what ``MinHashLSHEnsemble.query`` returns; band keys
        are sliced from one byteswapped copy of the signature instead of
        being byteswapped band by band (the same bytes datasketch hashes).
        """
        ens = self.ensemble
        if ens is None or size <= 0:
            return set()
        raw = np.ascontiguousarray(signature[: self.num_perm], dtype=">u4").tobytes()
        out: set[Any] = set()
        for index, upper in zip(ens.indexes, ens.uppers):
            if upper is None:
                continue
            b, r = ensemble_param(ens.xqs, ens.params, upper, size)
            tables = index[r].hashtables
            w = 4 * r
            for k in range(b):
                bucket = tables[k].get(raw[k * w:(k + 1) * w])
                if bucket:
                    out.update(bucket)
        return out


    def query_many(self, signatures: np.ndarray, sizes: Sequence[int]) -> Iterator[set[Any]]:
        """``query`` for many sets; the ``(b, r)`` choices are computed at once."""
        ens = self.ensemble
        if ens is None:
            for _ in sizes:
                yield set()
            return
        size_arr = np.maximum(np.asarray(sizes, dtype=np.float64), 1.0)
        parts = [(index, upper) for index, upper in zip(ens.indexes, ens.uppers) if upper is not None]
        # Per partition, the ensemble's (b, r) for every query size at once.
        choice = []
        for index, upper in parts:
            k = np.searchsorted(ens.xqs, float(upper) / size_arr, side="left")
            k[k == len(ens.params)] -= 1
            br = ens.params[k]
            choice.append((index, br[:, 0].tolist(), br[:, 1].tolist()))
        raws = np.ascontiguousarray(signatures[:, : self.num_perm], dtype=">u4")
        for q in range(len(size_arr)):
            if sizes[q] <= 0:
                yield set()
                continue
            raw = raws[q].tobytes()
            out: set[Any] = set()
            for index, bs, rs in choice:
                r = rs[q]
                tables = index[r].hashtables
                w = 4 * r
                for k in range(bs[q]):
                    bucket = tables[k].get(raw[k * w:(k + 1) * w])
                    if bucket:
                        out.update(bucket)
            yield out


def ensemble_param(xqs: np.ndarray, params: np.ndarray, upper: int, size: int) -> tuple[int, int]:
    """``(b, r)`` of ``MinHashLSHEnsemble`` for a partition's upper size and a query size."""
    i = int(np.searchsorted(xqs, float(upper) / float(size), side="left"))
    if i == len(params):
        i -= 1
    b, r = params[i]
    return int(b), int(r)


def containment_ensemble(signatures: np.ndarray, keys: Iterable[Any], sizes: Iterable[int],
                         threshold: float) -> ContainmentLSH:
    """A :class:`ContainmentLSH` over ``signatures``."""
    return ContainmentLSH(signatures, keys, sizes, threshold)


def candidate_pairs(sketches: Sequence[Sketch], params: DedupParams) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, proposed by the LSH indexes."""
    live = [i for i, s in enumerate(sketches) if s.size > 0]
    if len(live) < 2:
        return set()
    sigs = np.stack([sketches[i].signature for i in live])
    out: set[tuple[int, int]] = set()
    lsh = jaccard_lsh(sigs, live, params.threshold)
    for i, sig in zip(live, sigs):
        for j in lsh.query(_Sig(sig)):
            if j != i:
                out.add((i, j) if i < j else (j, i))
    del lsh  # free it before the (larger) containment index is built
    if params.containment > 0:
        sizes = [sketches[i].size for i in live]
        ens = containment_ensemble(sigs, live, sizes, params.containment)
        for i, found in zip(live, ens.query_many(sigs, sizes)):
            for j in found:
                if j != i:
                    out.add((i, j) if i < j else (j, i))
    return out


def verify_pair(x: Sketch, y: Sketch, params: DedupParams) -> NearDuplicatePair | None:
    """The exact relation between two sketches, or ``None`` if below both thresholds."""
    if x.size == 0 or y.size == 0:
        return None
    if y.id < x.id:
        x, y = y, x
    inter = exact_overlap(x.fingerprints, y.fingerprints)
    jac = inter / (x.size + y.size - inter)
    cx, cy = inter / x.size, inter / y.size
    if jac >= params.threshold:
        relation = NEAR_DUPLICATE
    elif params.containment > 0 and max(cx, cy) >= params.containment:
        relation = CONTAINED
    else:
        return None
    return NearDuplicatePair(x.id, y.id, relation, jac, cx, cy)


def verify_pairs(sketches: Sequence[Sketch], pairs: Iterable[tuple[int, int]],
                 params: DedupParams) -> list[NearDuplicatePair]:
    """Verified pairs among ``pairs`` (indices into ``sketches``), sorted."""
    found = (verify_pair(sketches[i], sketches[j], params) for i, j in pairs)
    return sorted(p for p in found if p is not None)


def representative(members: Sequence[Sketch]) -> str:
    """Earliest dated member, else the longest; ties broken by smallest id."""
    dated = [m for m in members if m.date]
    if dated:
        return min(dated, key=lambda m: (m.date, -m.length, m.id)).id
    return min(members, key=lambda m: (-m.length, m.id)).id


def build_clusters(sketches: Sequence[Sketch], pairs: Sequence[NearDuplicatePair]) -> list[Cluster]:
    """Connected components of verified pairs, with exact minimum Jaccard."""
    by_id = {s.id: s for s in sketches}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    known: dict[tuple[str, str], float] = {}
    for p in pairs:
        known[(p.a, p.b)] = p.jaccard
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    clusters = []
    for ids in groups.values():
        ids.sort()
        members = [by_id[i] for i in ids]
        low = 1.0
        for k, x in enumerate(members):
            for y in members[k + 1:]:
                jac = known.get((x.id, y.id))
                if jac is None:
                    inter = exact_overlap(x.fingerprints, y.fingerprints)
                    jac = inter / (x.size + y.size - inter)
                low = min(low, jac)
        clusters.append(Cluster(tuple(ids), representative(members), low))
    clusters.sort(key=lambda c: c.members)
    return clusters


# ------------------------------------------------------------------ estimator

class NearDuplicateFinder:
    """Find near-duplicate and contained documents (scikit-learn style).

    Parameters
    ----------
    threshold, containment, num_perm, seed, shingle_kind, shingle_n
        See :class:`DedupParams`.

    Attributes
    ----------
    sketches_ : list of Sketch
    pairs_ : list of NearDuplicatePair
    clusters_ : list of Cluster

    Examples
    --------
    >>> from provenance.io import documents_from_texts
    >>> base = " ".join(f"word{i}" for i in range(60))
    >>> docs = documents_from_texts({"a": base, "b": base + " extra", "c": "other text"})
    >>> NearDuplicateFinder().fit(docs).result().to_json()["pairs"][0]["relation"]
    'near_duplicate'
    """

    def __init__(self, threshold: float = 0.8, containment: float = 0.8, num_perm: int = 128,
                 seed: int = 1, shingle_kind: str = "word", shingle_n: int = 5) -> None:
        self.threshold = threshold
        self.containment = containment
        self.num_perm = num_perm
        self.seed = seed
        self.shingle_kind = shingle_kind
        self.shingle_n = shingle_n

    @property
    def params(self) -> DedupParams:
        return DedupParams(self.threshold, self.containment, self.num_perm, self.seed,
                           self.shingle_kind, self.shingle_n)

    def fit(self, docs: Sequence[Document]) -> "NearDuplicateFinder":
        """Sketch ``docs``, find candidates, verify them and cluster."""
        return self.fit_sketches(sketch_documents(docs, self.params))

    def fit_sketches(self, sketches: Sequence[Sketch]) -> "NearDuplicateFinder":
        """Like :meth:`fit`, from already computed sketches."""
        params = self.params
        ids = [s.id for s in sketches]
        if len(set(ids)) != len(ids):
            raise ConfigError("document ids must be unique")
        self.sketches_ = list(sketches)
        self.pairs_ = verify_pairs(self.sketches_, candidate_pairs(self.sketches_, params), params)
        self.clusters_ = build_clusters(self.sketches_, self.pairs_)
        return self

    def result(self) -> DedupResult:
        return DedupResult(list(self.pairs_), list(self.clusters_))


def find_near_duplicates(
    docs: Sequence[Document],
    threshold: float = 0.8,
    containment: float = 0.8,
    num_perm: int = 128,
    seed: int = 1,
    shingle_kind: str = "word",
    shingle_n: int = 5,
) -> DedupResult:
    """Near-duplicate and contained pairs of ``docs``, and their clusters.

    Each document is normalized with its boilerplate lines removed, shingled,
    and sketched; candidates from MinHash LSH (Jaccard) and LSH Ensemble
    (containment) are verified on the exact shingle sets.

    Parameters
    ----------
    docs : sequence of Document
        Documents with unique ids.
    threshold : float, default 0.8
        Minimum exact Jaccard of a ``near_duplicate`` pair.
    containment : float, default 0.8
        Minimum exact containment of a ``contained`` pair (0 disables).
    num_perm, seed : int
        MinHash parameters (datasketch ``affine32`` scheme).
    shingle_kind : {"word", "char"}
    shingle_n : int

    Returns
    -------
    DedupResult
        Deterministic for a fixed seed.
    """
    finder = NearDuplicateFinder(threshold, containment, num_perm, seed, shingle_kind, shingle_n)
    return finder.fit(docs).result()


__all__ = [
    "CONTAINED", "ENSEMBLE_PERM", "NEAR_DUPLICATE", "Cluster", "ContainmentLSH", "DedupParams", "DedupResult", "NearDuplicateFinder",
    "NearDuplicatePair", "Sketch", "build_clusters", "candidate_pairs", "find_near_duplicates",
    "prepare_texts", "representative", "sketch_documents", "sketch_text", "sketch_texts",
    "verify_pair", "verify_pairs",
]
