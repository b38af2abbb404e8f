"""Batch MinHash signatures, bit-identical to datasketch's ``affine32`` scheme.

For a shingle ``s`` datasketch computes ``h = sha1_hash32(s.encode("utf-8"))``
(the first four bytes of the SHA-1 digest, little-endian), pre-mixes it once
with the 32-bit MurmurHash3 finalizer ``fmix32``, and takes, for each
permutation ``k``, ``min over s of (a_k * fmix32(h) + b_k) mod 2**32``. The
parameters ``a`` (odd) and ``b`` are drawn from ``np.random.RandomState(seed)``
exactly as :class:`datasketch.MinHash` draws them.

This module does the same for many documents at once: one SHA-1 per shingle
(the only per-item Python work), then the fmix, the affine maps and the
per-document minimum as a few numpy operations over all shingles of a batch.
When numba is installed, large batches go through a compiled kernel
(:mod:`provenance._minhash_numba`) that fuses SHA-1, fmix, permutations and
minimum with no Python object per shingle; its output is identical.
The result equals ``datasketch.MinHash(num_perm=..., seed=...,
scheme="affine32")`` updated with the same shingles, bit for bit.

The same SHA-1 digest also yields a 64-bit *fingerprint* per shingle (its
first eight bytes); sorted fingerprint arrays stand in for the shingle sets
when candidates are verified (:func:`exact_overlap`), which keeps 10^5
documents of exact sets in a few hundred MB.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from operator import methodcaller
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import ConfigError

#: The datasketch permutation scheme these signatures follow.
SCHEME = "affine32"
#: Empty-set value of every signature slot (datasketch's sentinel).
MAX_HASH = np.uint32(0xFFFFFFFF)

_sha1 = hashlib.sha1
_digest = methodcaller("digest")
_CHUNK = 1 << 16  # padded shingles per block of documents
_ROWS = 8  # documents per (rows, L, num_perm) product (~1.6 MB at L=400, 128 perms)


def check_num_perm(num_perm: int) -> None:
    """Raise :class:`ConfigError` unless ``2 <= num_perm <= 4096``."""
    if not isinstance(num_perm, (int, np.integer)) or not 2 <= int(num_perm) <= 4096:
        raise ConfigError(f"num_perm must be an integer in [2, 4096], got {num_perm!r}")


@lru_cache(maxsize=16)
def permutations(num_perm: int = 128, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` uint32 permutation parameters datasketch draws for ``seed``.

    Mirrors ``datasketch.MinHash._init_permutations`` for ``affine32``.
    """
    check_num_perm(num_perm)
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finalizer, elementwise on a uint32 array (returns a new array)."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _digests(items: Iterable[str]) -> np.ndarray:
    """SHA-1 digests of the UTF-8 encodings, as an (n, 20) uint8 array."""
    buf = b"".join(map(_digest, map(_sha1, map(str.encode, items))))
    return np.frombuffer(buf, dtype=np.uint8).reshape(-1, 20)


def hash_shingles(shingles: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hash a shingle set once, for both sketching and exact verification.

    Parameters
    ----------
    shingles : iterable of str
        Distinct shingles (a set).

    Returns
    -------
    h32 : ndarray of uint32
        ``datasketch.hashfunc.sha1_hash32`` of each shingle, in input order.
    fingerprints : ndarray of uint64
        Sorted unique 64-bit fingerprints (first 8 digest bytes,
        little-endian); ``fingerprints & 0xFFFFFFFF`` are the ``h32`` values.
    """
    d = _digests(shingles)
    if len(d) == 0:
        return np.zeros(0, np.uint32), np.zeros(0, np.uint64)
    fp = np.ascontiguousarray(d[:, :8]).view("<u8").ravel().astype(np.uint64)
    h32 = (fp & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return h32, np.unique(fp)


def signatures_from_hashes(
    hash_arrays: Sequence[np.ndarray], num_perm: int = 128, seed: int = 1
) -> np.ndarray:
    """Signatures from per-document arrays of ``sha1_hash32`` values.

    Parameters
    ----------
    hash_arrays : sequence of ndarray (uint32)
        One array of shingle hashes per document (duplicates are harmless).
    num_perm, seed : int
        As for :class:`datasketch.MinHash`.

    Returns
    -------
    ndarray of uint32, shape (n_docs, num_perm)
        Row ``i`` equals the datasketch ``hashvalues`` for document ``i``;
        documents without shingles get ``MAX_HASH`` everywhere, as an empty
        datasketch MinHash does.
    """
    a, b = permutations(int(num_perm), int(seed))
    n = len(hash_arrays)
    out = np.full((n, num_perm), MAX_HASH, dtype=np.uint32)
    lengths = np.fromiter((len(h) for h in hash_arrays), dtype=np.int64, count=n)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty) == 0:
        return out
    # Documents of similar length share a padded (k, L) block; padding
    # repeats a document's own first hash, which cannot change its minimum.
    # Then (k, L, num_perm) products are reduced along L, which numpy does
    # with contiguous vector minima (much faster than ``reduceat``).
    order = nonempty[np.argsort(lengths[nonempty], kind="stable")]
    i = 0
    while i < len(order):
        width = int(lengths[order[i]])
        j = i
        while j < len(order) and (j - i + 1) * int(lengths[order[j]]) <= _CHUNK or j == i:
            width = int(lengths[order[j]])
            j += 1
        docs = order[i:j]
        block = np.empty((len(docs), width), dtype=np.uint32)
        for r, k in enumerate(docs):
            h = np.asarray(hash_arrays[k], dtype=np.uint32)
            block[r, : len(h)] = h
            block[r, len(h):] = h[0]
        block = fmix32(block)
        for r0 in range(0, len(docs), _ROWS):
            phv = block[r0:r0 + _ROWS, :, None] * a
            phv += b
            out[docs[r0:r0 + _ROWS]] = phv.min(axis=1)
        i = j
    return out


# ------------------------------------------------------------ accelerator

#: Use the compiled kernel (:mod:`provenance._minhash_numba`) when numba is
#: installed and a call holds at least this many shingles (about 750 texts of
#: 400 words; below it, compiling the kernel, ~2 s once per process, costs more
#: than it saves). Both paths give identical results.
NUMBA_MIN_SHINGLES = 300_000
_kernel: Any = None


def numba_kernel() -> Any:
    """The compiled sketch kernel, or ``None`` when numba is not installed."""
    global _kernel
    if _kernel is None:
        try:
            from ._minhash_numba import sketch_kernel
        except ImportError:
            _kernel = False
        else:
            _kernel = sketch_kernel
    return _kernel or None


def _pack(shingle_sets: Sequence[Iterable[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTF-8 bytes of all shingles, shingle offsets and per-document pointers."""
    pieces, lens_parts, counts = [], [], []
    for s in shingle_sets:
        items = s if isinstance(s, (list, tuple)) else list(s)
        joined = "".join(items)
        enc = joined.encode("utf-8")
        if len(enc) == len(joined):  # ASCII: character lengths are byte lengths
            lens = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
        else:
            lens = np.fromiter(map(len, map(str.encode, items)), dtype=np.int64, count=len(items))
        pieces.append(enc)
        lens_parts.append(lens)
        counts.append(len(items))
    offsets = np.zeros(sum(counts) + 1, dtype=np.int64)
    if counts and offsets.size > 1:
        np.cumsum(np.concatenate(lens_parts), out=offsets[1:])
    ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(np.asarray(counts, dtype=np.int64), out=ptr[1:])
    return np.frombuffer(b"".join(pieces), dtype=np.uint8), offsets, ptr


def _numba_sketch(shingle_sets: Sequence[Iterable[str]], num_perm: int, seed: int,
                  kernel: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    buf, offsets, ptr = _pack(shingle_sets)
    a, b = permutations(int(num_perm), int(seed))
    sig = np.full((len(ptr) - 1, num_perm), MAX_HASH, dtype=np.uint32)
    fp = np.empty(len(offsets) - 1, dtype=np.uint64)
    if len(fp):
        kernel(buf, offsets[:-1], offsets[1:], ptr, a, b, sig, fp)
    return sig, fp, ptr


def _choose_kernel(shingle_sets: Sequence[Iterable[str]]) -> Any:
    kernel = numba_kernel()
    if kernel is None:
        return None
    total = 0
    for s in shingle_sets:
        total += len(s) if hasattr(s, "__len__") else NUMBA_MIN_SHINGLES
        if total >= NUMBA_MIN_SHINGLES:
            return kernel
    return None


def sketch_shingle_sets(
    shingle_sets: Sequence[Iterable[str]], num_perm: int = 128, seed: int = 1
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Signatures and sorted fingerprint sets of many shingle sets, in one pass.

    Returns
    -------
    signatures : ndarray of uint32, shape (n_docs, num_perm)
        As :func:`signatures`.
    fingerprints : list of ndarray of uint64
        As the second value of :func:`hash_shingles`, per document.
    """
    check_num_perm(num_perm)
    kernel = _choose_kernel(shingle_sets)
    if kernel is not None:
        sig, fp, ptr = _numba_sketch(shingle_sets, num_perm, seed, kernel)
        return sig, [np.unique(fp[ptr[i]:ptr[i + 1]]) for i in range(len(ptr) - 1)]
    hashed = [hash_shingles(s) for s in shingle_sets]
    return signatures_from_hashes([h for h, _ in hashed], num_perm, seed), [f for _, f in hashed]


def text_sketches(
    texts: Sequence[str], kind: str = "word", n: int = 5, num_perm: int = 128, seed: int = 1
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Signatures and fingerprint sets straight from normalized texts.

    Equal to ``sketch_shingle_sets([shingles(t, kind, n) for t in texts])``;
    with the compiled kernel no per-shingle string is ever built: ASCII texts
    are tokenized in compiled code (:func:`ascii_word_spans`), others through
    :func:`provenance.shingle.shingle_spans`, and the kernel hashes byte spans.
    """
    from .shingle import check_shingling, shingles

    check_num_perm(num_perm)
    check_shingling(kind, n)
    kernel = numba_kernel()
    if kernel is None or sum(map(len, texts)) < NUMBA_MIN_SHINGLES * 7:  # ~7 chars a shingle
        return sketch_shingle_sets([shingles(t, kind, n) for t in texts], num_perm, seed)
    sig = np.full((len(texts), num_perm), MAX_HASH, dtype=np.uint32)
    fps: list[np.ndarray] = [_EMPTY_FP] * len(texts)
    fast = [i for i, t in enumerate(texts) if t.isascii()] if kind == "word" else []
    if fast:
        from ._minhash_numba import ascii_word_spans

        lowered = [texts[i].lower().encode("ascii") for i in fast]
        doc_off = np.zeros(len(fast) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, lowered), dtype=np.int64, count=len(fast)), out=doc_off[1:])
        room = int(doc_off[-1]) + len(fast)
        buf = np.empty(room, dtype=np.uint8)
        starts, ends = np.empty(room, dtype=np.int64), np.empty(room, dtype=np.int64)
        ptr = np.empty(len(fast) + 1, dtype=np.int64)
        used = ascii_word_spans(np.frombuffer(b"".join(lowered), dtype=np.uint8), doc_off, n,
                                buf, starts, ends, ptr)
        del lowered
        buf = buf[:used]
        buf.setflags(write=False)  # same array type as np.frombuffer: one compiled kernel
        _run_kernel(kernel, buf, starts[: ptr[-1]], ends[: ptr[-1]], ptr, fast,
                    num_perm, seed, sig, fps)
    in_fast = set(fast)
    rest = [i for i in range(len(texts)) if i not in in_fast]
    if rest:
        from .shingle import shingle_spans

        bufs, starts_l, ends_l, counts, base = [], [], [], [], 0
        for i in rest:
            buf_i, st, en = shingle_spans(texts[i], kind, n)
            bufs.append(buf_i)
            starts_l.append(st + base)
            ends_l.append(en + base)
            counts.append(len(st))
            base += len(buf_i)
        ptr = np.zeros(len(rest) + 1, dtype=np.int64)
        np.cumsum(np.asarray(counts, dtype=np.int64), out=ptr[1:])
        _run_kernel(kernel, np.frombuffer(b"".join(bufs), dtype=np.uint8),
                    np.concatenate(starts_l), np.concatenate(ends_l), ptr, rest,
                    num_perm, seed, sig, fps)
    return sig, fps


_EMPTY_FP = np.zeros(0, dtype=np.uint64)


def _run_kernel(kernel: Any, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                ptr: np.ndarray, rows: list[int], num_perm: int, seed: int,
                sig: np.ndarray, fps: list[np.ndarray]) -> None:
    """Sketch the documents ``rows`` (spans given) into ``sig`` and ``fps``."""
    from ._minhash_numba import segment_unique

    if int(ptr[-1]) == 0:
        return
    a, b = permutations(int(num_perm), int(seed))
    part = np.full((len(rows), num_perm), MAX_HASH, dtype=np.uint32)
    fp = np.empty(int(ptr[-1]), dtype=np.uint64)
    kernel(buf, starts, ends, ptr, a, b, part, fp)
    sig[rows] = part
    uniq = np.empty_like(fp)
    uptr = np.empty_like(ptr)
    k = segment_unique(fp, ptr, uniq, uptr)
    uniq = uniq[:k].copy()
    for j, i in enumerate(rows):
        fps[i] = uniq[uptr[j]:uptr[j + 1]]


def signatures(
    shingle_sets: Sequence[Iterable[str]], num_perm: int = 128, seed: int = 1
) -> np.ndarray:
    """MinHash signatures of many shingle sets at once (scheme ``affine32``).

    Parameters
    ----------
    shingle_sets : sequence of iterable of str
        One shingle collection per document; each string is hashed as its
        UTF-8 bytes, like ``MinHash.update(s.encode("utf-8"))``.
    num_perm : int, default 128
        Number of permutations.
    seed : int, default 1
        Seed of the permutations (datasketch's default is 1).

    Returns
    -------
    ndarray of uint32, shape (n_docs, num_perm)

    Examples
    --------
    >>> from datasketch import MinHash
    >>> sig = signatures([{"a b", "b c"}], num_perm=16, seed=3)
    >>> m = MinHash(num_perm=16, seed=3, scheme="affine32")
    >>> for s in ("a b", "b c"):
    ...     m.update(s.encode("utf-8"))
    >>> bool((sig[0] == m.hashvalues).all())
    True
    """
    check_num_perm(num_perm)
    kernel = _choose_kernel(shingle_sets)
    if kernel is not None:
        return _numba_sketch(shingle_sets, num_perm, seed, kernel)[0]
    hashes = []
    for s in shingle_sets:
        d = _digests(s)
        hashes.append(np.ascontiguousarray(d[:, :4]).view("<u4").ravel())
    return signatures_from_hashes(hashes, num_perm, seed)


def exact_overlap(fa: np.ndarray, fb: np.ndarray) -> int:
    """Size of the intersection of two sorted unique fingerprint arrays."""
    if len(fa) == 0 or len(fb) == 0:
        return 0
    if len(fa) > len(fb):
        fa, fb = fb, fa
    pos = np.searchsorted(fb, fa)
    pos[pos == len(fb)] = 0
    return int(np.count_nonzero(fb[pos] == fa))


def to_datasketch(signature: np.ndarray, seed: int = 1):
    """A ``datasketch.MinHash`` holding ``signature`` (for interoperation)."""
    from datasketch import MinHash

    sig = np.asarray(signature, dtype=np.uint32)
    return MinHash(seed=seed, hashvalues=sig, permutations=permutations(len(sig), seed), scheme=SCHEME)


__all__ = [
    "MAX_HASH", "NUMBA_MIN_SHINGLES", "SCHEME", "check_num_perm", "exact_overlap", "fmix32",
    "hash_shingles", "numba_kernel", "permutations", "signatures", "signatures_from_hashes",
    "sketch_shingle_sets", "text_sketches", "to_datasketch",
]
