"""Optional compiled kernel for :mod:`provenance.minhash` (used when numba is installed).

SHA-1 of each shingle's UTF-8 bytes, the fmix32 pre-mix, the affine32
permutations and the per-document minimum, fused in one pass with no Python
object per shingle. Results are bit-identical to the numpy/hashlib path
(tests compare both with datasketch).

SHA-1 itself comes from the system OpenSSL ``libcrypto`` (its ``SHA1_Init``
/ ``SHA1_Update`` / ``SHA1_Final``, called from compiled code with no Python
in between; they use the CPU's SHA instructions where present) when it can be
loaded, else from the portable implementation below (about 3x slower).
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np
from numba import njit

# All arithmetic is on uint64 held below 2**32: numba would turn a mix of
# unsigned and signed integers into floats.
M32 = np.uint64(0xFFFFFFFF)
U0, U1, U2, U5, U8, U13, U16 = (np.uint64(x) for x in (0, 1, 2, 5, 8, 13, 16))
U24, U27, U30, U31, U32 = (np.uint64(x) for x in (24, 27, 30, 31, 32))
UFF, UFF00, U80 = np.uint64(0xFF), np.uint64(0xFF00), np.uint64(0x80)
K0, K1, K2, K3 = (np.uint64(x) for x in (0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6))


@njit(cache=True, inline="always")
def _bswap32(x):
    return ((x & UFF) << U24) | ((x & UFF00) << U8) | ((x >> U8) & UFF00) | (x >> U24)


@njit(cache=True)
def _sha1_head(buf, start, end, w, pad):
    """First two words of SHA-1(buf[start:end]) as (h0, h1), big-endian ints.

    ``w`` is an (80,) uint64 scratch array, ``pad`` a (64,) uint8 scratch block.
    """
    n = end - start
    total = ((n + 8) // 64 + 1) * 64
    bits = np.uint64(n) * U8
    h0 = np.uint64(0x67452301)
    h1 = np.uint64(0xEFCDAB89)
    h2 = np.uint64(0x98BADCFE)
    h3 = np.uint64(0x10325476)
    h4 = np.uint64(0xC3D2E1F0)
    for blk in range(0, total, 64):
        if blk + 64 <= n:  # a whole block of message bytes
            for t in range(16):
                i = start + blk + 4 * t
                w[t] = ((np.uint64(buf[i]) << U24) | (np.uint64(buf[i + 1]) << U16)
                        | (np.uint64(buf[i + 2]) << U8) | np.uint64(buf[i + 3]))
        else:  # the tail: message bytes, 0x80, zeros, then the bit length
            pad[:] = 0
            m = n - blk
            if m > 0:
                for j in range(min(m, 64)):
                    pad[j] = buf[start + blk + j]
            if 0 <= m < 64:
                pad[m] = 0x80
            if blk + 64 == total:
                for j in range(8):
                    pad[56 + j] = np.uint8((bits >> np.uint64(8 * (7 - j))) & UFF)
            for t in range(16):
                w[t] = ((np.uint64(pad[4 * t]) << U24) | (np.uint64(pad[4 * t + 1]) << U16)
                        | (np.uint64(pad[4 * t + 2]) << U8) | np.uint64(pad[4 * t + 3]))
        for t in range(16, 80):
            x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
            w[t] = ((x << U1) | (x >> U31)) & M32
        a, b, c, d, e = h0, h1, h2, h3, h4
        for t in range(0, 20):
            tmp = ((((a << U5) | (a >> U27)) & M32) + ((b & c) | ((b ^ M32) & d)) + e
                   + K0 + w[t]) & M32
            e, d, c, b, a = d, c, ((b << U30) | (b >> U2)) & M32, a, tmp
        for t in range(20, 40):
            tmp = ((((a << U5) | (a >> U27)) & M32) + (b ^ c ^ d) + e + K1 + w[t]) & M32
            e, d, c, b, a = d, c, ((b << U30) | (b >> U2)) & M32, a, tmp
        for t in range(40, 60):
            tmp = ((((a << U5) | (a >> U27)) & M32) + ((b & c) | (b & d) | (c & d)) + e
                   + K2 + w[t]) & M32
            e, d, c, b, a = d, c, ((b << U30) | (b >> U2)) & M32, a, tmp
        for t in range(60, 80):
            tmp = ((((a << U5) | (a >> U27)) & M32) + (b ^ c ^ d) + e + K3 + w[t]) & M32
            e, d, c, b, a = d, c, ((b << U30) | (b >> U2)) & M32, a, tmp
        h0 = (h0 + a) & M32
        h1 = (h1 + b) & M32
        h2 = (h2 + c) & M32
        h3 = (h3 + d) & M32
        h4 = (h4 + e) & M32
    return h0, h1


@njit(cache=True, inline="always")
def _mix_into(row, lo, a64, b64, phv):
    h = lo
    h ^= h >> U16
    h = (h * np.uint64(0x85EBCA6B)) & M32
    h ^= h >> U13
    h = (h * np.uint64(0xC2B2AE35)) & M32
    h ^= h >> U16
    for k in range(a64.shape[0]):
        phv[k] = np.uint32((a64[k] * h + b64[k]) & M32)
    for k in range(a64.shape[0]):
        if phv[k] < row[k]:
            row[k] = phv[k]


def _load_openssl_sha1():
    """``(SHA1_Init, SHA1_Update, SHA1_Final)`` of libcrypto as ctypes functions, or None."""
    name = ctypes.util.find_library("crypto")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
        fns = lib.SHA1_Init, lib.SHA1_Update, lib.SHA1_Final
    except (OSError, AttributeError):
        return None
    # Pointers are passed as integers (same width and registers as size_t).
    fns[0].argtypes = [ctypes.c_size_t]
    fns[1].argtypes = [ctypes.c_size_t, ctypes.c_size_t, ctypes.c_size_t]
    fns[2].argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    for f in fns:
        f.restype = ctypes.c_int
    # Self-check against a known digest before trusting it.
    ctx, md = (ctypes.c_ubyte * 256)(), (ctypes.c_ubyte * 20)()
    data = b"abc"
    fns[0](ctypes.addressof(ctx))
    fns[1](ctypes.addressof(ctx), ctypes.cast(data, ctypes.c_void_p).value, len(data))
    fns[2](ctypes.addressof(md), ctypes.addressof(ctx))
    if bytes(md).hex() != "a9993e364706816aba3e25717850c26c9cd0d89d":
        return None
    return fns


def _make_openssl_kernel(fns):
    sha_init, sha_update, sha_final = fns

    @njit(cache=False)  # holds libcrypto addresses: compiled per process (~2 s)
    def kernel(buf, starts, ends, doc_ptr, a, b, sig_out, fp_out):
        # ctx (SHA_CTX is 96 bytes) and md are only reached through raw
        # addresses, which numba does not count as uses: their addresses are
        # taken afresh at each call so the arrays stay alive (else their
        # memory could be freed and handed to ``phv``).
        ctx = np.zeros(256, dtype=np.uint8)
        md = np.zeros(20, dtype=np.uint8)
        a64 = a.astype(np.uint64)
        b64 = b.astype(np.uint64)
        phv = np.empty(a.shape[0], dtype=np.uint32)
        for d in range(doc_ptr.shape[0] - 1):
            row = sig_out[d]
            for s in range(doc_ptr[d], doc_ptr[d + 1]):
                sha_init(ctx.ctypes.data)
                sha_update(ctx.ctypes.data, buf.ctypes.data + starts[s], ends[s] - starts[s])
                sha_final(md.ctypes.data, ctx.ctypes.data)
                lo = (np.uint64(md[0]) | (np.uint64(md[1]) << U8) | (np.uint64(md[2]) << U16)
                      | (np.uint64(md[3]) << U24))
                hi = (np.uint64(md[4]) | (np.uint64(md[5]) << U8) | (np.uint64(md[6]) << U16)
                      | (np.uint64(md[7]) << U24))
                fp_out[s] = lo | (hi << U32)
                _mix_into(row, lo, a64, b64, phv)

    return kernel


@njit(cache=True)
def portable_kernel(buf, starts, ends, doc_ptr, a, b, sig_out, fp_out):
    """Fill ``sig_out`` (n_docs, num_perm) and ``fp_out`` (n_shingles,).

    Shingle ``s`` is ``buf[starts[s]:ends[s]]``; document ``d`` owns
    shingles ``doc_ptr[d]:doc_ptr[d + 1]``. ``sig_out`` must be pre-filled
    with 0xFFFFFFFF.
    """
    w = np.zeros(80, dtype=np.uint64)
    pad = np.zeros(64, dtype=np.uint8)
    num_perm = a.shape[0]
    a64 = a.astype(np.uint64)
    b64 = b.astype(np.uint64)
    phv = np.empty(num_perm, dtype=np.uint32)
    for d in range(doc_ptr.shape[0] - 1):
        row = sig_out[d]
        for s in range(doc_ptr[d], doc_ptr[d + 1]):
            h0, h1 = _sha1_head(buf, starts[s], ends[s], w, pad)
            lo = _bswap32(h0)
            fp_out[s] = lo | (_bswap32(h1) << U32)
            _mix_into(row, lo, a64, b64, phv)


_openssl = _load_openssl_sha1()
#: The kernel :mod:`provenance.minhash` uses: OpenSSL SHA-1 when available.
sketch_kernel = _make_openssl_kernel(_openssl) if _openssl is not None else portable_kernel


@njit(cache=True)
def ascii_word_spans(text, doc_off, n, out_buf, starts, ends, ptr):
    """Word n-gram spans of lowercased ASCII texts, without Python strings.

    ``text[doc_off[d]:doc_off[d + 1]]`` is document ``d``. Tokens are runs of
    ``[a-z0-9_]`` (what ``\\w+`` matches in lowercased ASCII); each document's
    tokens are written to ``out_buf`` joined by one space, and its shingles
    are the spans ``out_buf[starts[s]:ends[s]]`` for ``s`` in
    ``ptr[d]:ptr[d + 1]`` -- the bytes of ``" ".join(tokens[i:i + n])``, as
    :func:`provenance.shingle.shingles` builds them. ``out_buf``, ``starts``
    and ``ends`` need ``len(text) + n_docs`` slots. Returns the used length
    of ``out_buf``.
    """
    ob = 0
    ns = 0
    tok_s = np.empty(text.shape[0] // 2 + 2, dtype=np.int64)
    tok_e = np.empty(text.shape[0] // 2 + 2, dtype=np.int64)
    ptr[0] = 0
    for d in range(doc_off.shape[0] - 1):
        nt = 0
        inword = False
        for i in range(doc_off[d], doc_off[d + 1]):
            c = text[i]
            word = (97 <= c <= 122) or (48 <= c <= 57) or c == 95 or (65 <= c <= 90)
            if word:
                if not inword:
                    if nt > 0:
                        out_buf[ob] = 32
                        ob += 1
                    tok_s[nt] = ob
                    inword = True
                out_buf[ob] = c
                ob += 1
            elif inword:
                tok_e[nt] = ob
                nt += 1
                inword = False
        if inword:
            tok_e[nt] = ob
            nt += 1
        if nt > 0:
            if nt <= n:
                starts[ns] = tok_s[0]
                ends[ns] = tok_e[nt - 1]
                ns += 1
            else:
                for i in range(nt - n + 1):
                    starts[ns] = tok_s[i]
                    ends[ns] = tok_e[i + n - 1]
                    ns += 1
        ptr[d + 1] = ns
    return ob


@njit(cache=True)
def segment_unique(values, ptr, out, out_ptr):
    """Sort and deduplicate each segment ``values[ptr[d]:ptr[d + 1]]`` into ``out``."""
    k = 0
    out_ptr[0] = 0
    for d in range(ptr.shape[0] - 1):
        seg = np.sort(values[ptr[d]:ptr[d + 1]])
        for i in range(seg.shape[0]):
            if i == 0 or seg[i] != seg[i - 1]:
                out[k] = seg[i]
                k += 1
        out_ptr[d + 1] = k
    return k
