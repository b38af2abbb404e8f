"""Signatures and shingles: bit-identical to datasketch, deterministic, well-formed."""

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings, strategies as st

from provenance.errors import ConfigError
from provenance.minhash import (
    MAX_HASH, exact_overlap, hash_shingles, permutations, signatures, to_datasketch,
)
from provenance.shingle import shingles


def _datasketch(items, num_perm, seed):
    m = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    for s in items:
        m.update(s.encode("utf-8"))
    return m.hashvalues


def test_permutations_match_datasketch():
    for num_perm, seed in [(128, 1), (64, 7), (256, 12345)]:
        a, b = permutations(num_perm, seed)
        ref = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
        assert a.dtype == np.uint32 and np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_signatures_bit_identical_on_real_shingles():
    texts = [
        "The quick brown fox jumps over the lazy dog near the river bank today.",
        "Ünïcödé text — with “quotes”, emoji 🎉 and CJK 漢字 mixed in, repeated words words words.",
        "short",
        "",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 30,
    ]
    sets = [shingles(t, "word", 3) for t in texts] + [shingles(t, "char", 4) for t in texts]
    for num_perm, seed in [(128, 1), (32, 42)]:
        sig = signatures(sets, num_perm=num_perm, seed=seed)
        assert sig.dtype == np.uint32 and sig.shape == (len(sets), num_perm)
        for row, s in zip(sig, sets):
            assert np.array_equal(row, _datasketch(s, num_perm, seed))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sets(st.text(min_size=1, max_size=12), max_size=60), min_size=1, max_size=12),
       st.integers(min_value=0, max_value=2**31 - 1))
def test_signatures_match_datasketch_property(sets, seed):
    sig = signatures(sets, num_perm=16, seed=seed)
    for row, s in zip(sig, sets):
        assert np.array_equal(row, _datasketch(s, 16, seed))


def test_many_documents_span_blocks_and_keep_order():
    rng = np.random.default_rng(0)
    sets = [{f"w{int(x)}" for x in rng.integers(0, 10**6, size=int(n))}
            for n in rng.integers(0, 900, size=400)]
    sig = signatures(sets, num_perm=32, seed=5)
    for i in (0, 1, 57, 199, 399):
        assert np.array_equal(sig[i], _datasketch(sets[i], 32, 5))
    empty = [i for i, s in enumerate(sets) if not s]
    for i in empty:
        assert (sig[i] == MAX_HASH).all()


def test_hash_shingles_fingerprints_and_overlap():
    a = {"x y", "y z", "z w"}
    b = {"y z", "z w", "w v", "v u"}
    ha, fa = hash_shingles(a)
    _, fb = hash_shingles(b)
    assert fa.dtype == np.uint64 and len(fa) == 3 and np.all(fa[1:] > fa[:-1])
    assert set((fa & np.uint64(0xFFFFFFFF)).astype(np.uint32).tolist()) == set(ha.tolist())
    assert exact_overlap(fa, fb) == 2 and exact_overlap(fb, fa) == 2
    assert exact_overlap(fa, np.zeros(0, np.uint64)) == 0


def test_to_datasketch_interoperates():
    s1 = shingles("one two three four five six seven eight", n=2)
    s2 = shingles("one two three four five six seven nine", n=2)
    sig = signatures([s1, s2], num_perm=128, seed=1)
    m1, m2 = to_datasketch(sig[0]), to_datasketch(sig[1])
    ref = MinHash(num_perm=128, seed=1, scheme="affine32")
    for s in s1:
        ref.update(s.encode())
    assert m1 == ref
    assert 0.5 < m1.jaccard(m2) < 1.0


def test_shingles_word_and_char():
    assert shingles("Hello, World! Hello world", n=2) == {"hello world", "world hello"}
    assert shingles("One two", n=5) == {"one two"}
    assert shingles("  ", n=5) == set()
    assert shingles("AB  cd", kind="char", n=3) == {"ab ", "b c", " cd"}
    with pytest.raises(ConfigError):
        shingles("x", kind="line")
    with pytest.raises(ConfigError):
        shingles("x", n=0)
    with pytest.raises(ConfigError):
        signatures([{"a"}], num_perm=1)


def _mixed_sets():
    rng = np.random.default_rng(1)
    sets = [{f"w{int(x)} ü{int(x) % 7}" if i % 5 == 0 else f"w{int(x)} v{int(x) % 11}"
             for x in rng.integers(0, 10**6, size=int(n))}
            for i, n in enumerate(rng.integers(0, 300, size=60))]
    # Shingle byte lengths around the SHA-1 block boundaries (55, 56, 64, 119, 120 bytes).
    sets.append({"y" * 55, "z" * 56, "w" * 63, "v" * 64, "u" * 119, "t" * 120, "s" * 300, ""})
    sets.append(set())
    return sets


@pytest.mark.parametrize("num_perm", [16, 32, 128])
@pytest.mark.parametrize("path", ["numpy", "numba", "numba-portable-sha1"])
def test_all_backends_match_datasketch(monkeypatch, path, num_perm):
    import provenance.minhash as mh

    if path.startswith("numba"):
        if mh.numba_kernel() is None:
            pytest.skip("numba is not installed: the compiled kernel is not used")
        monkeypatch.setattr(mh, "NUMBA_MIN_SHINGLES", 0)
        if path == "numba-portable-sha1":
            from provenance._minhash_numba import portable_kernel
            monkeypatch.setattr(mh, "_kernel", portable_kernel)
    else:
        monkeypatch.setattr(mh, "_kernel", False)
    sets = _mixed_sets()
    sig = mh.signatures(sets, num_perm=num_perm, seed=9)
    sig2, fps = mh.sketch_shingle_sets(sets, num_perm=num_perm, seed=9)
    assert np.array_equal(sig, sig2)
    for row, fp, s in zip(sig, fps, sets):
        assert np.array_equal(row, _datasketch(s, num_perm, 9))
        assert np.array_equal(fp, hash_shingles(s)[1])


@pytest.mark.parametrize("kind,n", [("word", 5), ("word", 2), ("char", 4), ("char", 1)])
def test_text_sketches_equal_shingle_path(monkeypatch, kind, n):
    import provenance.minhash as mh
    from provenance.shingle import shingle_spans

    texts = [
        "Ünïcödé — “quotes”, emoji 🎉, CJK 漢字 and straße mixed with ASCII words " * 3,
        "plain ascii text with enough words to make several shingles here and there",
        "short", "", "   ", "one two three four five",
        "repeated words repeated words repeated words repeated words repeated words",
        "ASCII, with_under_scores & digits 2024: it's (fine) -- isn't it? A_B c9 " * 4,
        "x", "__", "a\tb\nc  d...e",
    ]
    for t in texts:
        buf, st, en = shingle_spans(t, kind, n)
        assert {buf[a:b].decode() for a, b in zip(st, en)} == shingles(t, kind, n)
    want_sig, want_fp = mh.sketch_shingle_sets([shingles(t, kind, n) for t in texts], 32, 4)
    if mh.numba_kernel() is not None:
        monkeypatch.setattr(mh, "NUMBA_MIN_SHINGLES", 0)
    sig, fps = mh.text_sketches(texts, kind, n, 32, 4)
    assert np.array_equal(sig, want_sig)
    assert all(np.array_equal(x, y) for x, y in zip(fps, want_fp))
