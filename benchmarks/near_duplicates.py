"""Benchmark of the near-duplicate engine on a generated corpus with known truth.

The corpus: ``n`` documents of about 400 words drawn from a Zipf vocabulary of
synthetic words, each with a masthead and a footer line (boilerplate). About
10% are *near-duplicates* of another document (1-4% of words replaced,
inserted or deleted) and 5% are *contained copies* (a 50-80% excerpt of
another document, lightly edited). The truth is the exact Jaccard and
containment of every pair inside each planted family, computed on Python
sets of shingles independently of the engine's fingerprints.

Usage::

    python benchmarks/near_duplicates.py --sizes 1000 10000
    python benchmarks/near_duplicates.py --sizes 100000 --e2e
    python benchmarks/near_duplicates.py --sizes 10000 100000 --e2e-only

Each size runs in a child process so that its peak memory is its own. The
table shows, in one process and one run: documents/s of the datasketch
per-shingle ``MinHash.update`` loop on ready shingle sets (``loop_sig_per_s``);
of :func:`provenance.minhash.text_sketches` from normalized text, i.e.
tokenizing, shingling, hashing, signing and fingerprinting included
(``text_sig_per_s``, ratio ``text_ratio``); and of
:func:`provenance.minhash.signatures` on the same ready shingle sets
(``sig_per_s``, ratio ``sig_ratio``), after a one-time JIT load
(``warmup_s``); LSH build and query time; verification
time; peak RSS; recall and precision of verified pairs against exact
Jaccard >= 0.8 and recall of contained copies (containment >= 0.8). With
``--e2e`` it also writes the corpus as files and times
``provenance dedup DIR --json`` end to end in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THRESHOLD = 0.8
CONTAINMENT = 0.8


# ----------------------------------------------------------------- corpus

def _vocabulary(rng: random.Random, size: int = 30000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    seen: set[str] = set()
    out = []
    while len(out) < size:
        w = "".join(rng.choice(letters) for _ in range(rng.randint(2, 10)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _edit(words: list[str], rate: float, rng: random.Random, vocab: list[str]) -> list[str]:
    out = list(words)
    for _ in range(max(1, int(len(out) * rate))):
        op = rng.random()
        k = rng.randrange(len(out))
        if op < 0.5:
            out[k] = rng.choice(vocab)
        elif op < 0.75:
            out.insert(k, rng.choice(vocab))
        elif len(out) > 10:
            del out[k]
    return out


def _render(words: list[str], rng: random.Random, title: str) -> str:
    sentences, i = [], 0
    while i < len(words):
        k = rng.randint(8, 22)
        s = words[i:i + k]
        sentences.append(s[0].capitalize() + " " + " ".join(s[1:]) + ".")
        i += k
    paras = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return "\n\n".join(["The Example Gazette | World | Business", title, *paras,
                        "Share this article", ""])


def generate_corpus(n_docs: int, seed: int = 0, words_per_doc: int = 400):
    """Documents ``{id: text}`` and planted families ``[[id, ...], ...]``.

    Returns
    -------
    texts : dict of str to str
    families : list of list of str
        Each family is a base document and its planted near-duplicates and
        contained copies.
    """
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    weights = [1.0 / (r + 1) ** 1.05 for r in range(len(vocab))]
    n_near = n_docs // 10
    n_cont = n_docs // 20
    n_base = n_docs - n_near - n_cont
    texts: dict[str, str] = {}
    words_of: dict[str, list[str]] = {}
    family_of: dict[str, list[str]] = {}
    for i in range(n_base):
        doc_id = f"d{i:07d}"
        n = max(50, int(rng.gauss(words_per_doc, words_per_doc * 0.15)))
        words_of[doc_id] = rng.choices(vocab, weights=weights, k=n)
    base_ids = list(words_of)
    for i in range(n_near):
        src = rng.choice(base_ids)
        doc_id = f"n{i:07d}"
        words_of[doc_id] = _edit(words_of[src], rng.choice([0.005, 0.01, 0.02, 0.03, 0.04]), rng, vocab)
        family_of.setdefault(src, [src]).append(doc_id)
    for i in range(n_cont):
        src = rng.choice(base_ids)
        doc_id = f"c{i:07d}"
        w = words_of[src]
        k = int(len(w) * rng.uniform(0.5, 0.8))
        start = rng.randrange(0, len(w) - k + 1)
        words_of[doc_id] = _edit(w[start:start + k], rng.choice([0.0, 0.005, 0.01]), rng, vocab)
        family_of.setdefault(src, [src]).append(doc_id)
    for doc_id, w in words_of.items():
        texts[doc_id] = _render(w, rng, f"Report {doc_id} on {' '.join(w[:3])}")
    return texts, list(family_of.values())


def exact_truth(texts: dict[str, str], families: list[list[str]]):
    """Exact near-duplicate and containment pairs within planted families."""
    from provenance.dedup import prepare_texts
    from provenance.shingle import shingles

    ids = list(texts)
    prepared = dict(zip(ids, prepare_texts([texts[i] for i in ids])))
    near, cont = set(), set()
    for fam in families:
        sets = {i: shingles(prepared[i]) for i in fam}
        for x in range(len(fam)):
            for y in range(x + 1, len(fam)):
                a, b = sorted((fam[x], fam[y]))
                sa, sb = sets[a], sets[b]
                inter = len(sa & sb)
                if inter / len(sa | sb) >= THRESHOLD:
                    near.add((a, b))
                elif max(inter / len(sa), inter / len(sb)) >= CONTAINMENT:
                    cont.add((a, b))
    return near, cont


# ----------------------------------------------------------------- one size

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_size(n_docs: int, loop_sample: int, seed: int) -> dict:
    import numpy as np
    from datasketch import MinHash

    from provenance import dedup as D
    from provenance.minhash import signatures
    from provenance.shingle import shingles

    texts, families = generate_corpus(n_docs, seed)
    ids = list(texts)
    params = D.DedupParams(THRESHOLD, CONTAINMENT)
    out: dict = {"docs": n_docs}

    t = time.perf_counter()
    prepared = D.prepare_texts([texts[i] for i in ids])
    out["prepare_s"] = time.perf_counter() - t

    # Signature stage, same process. One-time JIT/cache load first (reported).
    from provenance.minhash import numba_kernel, text_sketches

    t = time.perf_counter()
    text_sketches(prepared[:200] * 10, "word", 5, params.num_perm, params.seed)
    signatures([shingles(p) for p in prepared[:200]] * 10, params.num_perm, params.seed)
    out["warmup_s"] = time.perf_counter() - t
    out["kernel"] = "numba" if numba_kernel() is not None else "numpy"
    # Timed in interleaved rounds (ours on a slice, then the loop on a slice),
    # so that the load of this shared machine hits both sides alike.
    sets = [shingles(p) for p in prepared]
    rounds = max(1, min(10, n_docs // 1000))  # slices of >= 1000 texts, as the engine sketches
    fast_text = fast = slow = 0.0
    sig_t_parts, sig_parts, ref = [], [], []
    looped = 0
    for r in range(rounds):
        lo, hi = r * n_docs // rounds, (r + 1) * n_docs // rounds
        # (a) ours from normalized text: tokenize + shingle + hash + sign + fingerprints.
        t = time.perf_counter()
        sig_t_parts.append(text_sketches(prepared[lo:hi], "word", 5, params.num_perm, params.seed)[0])
        fast_text += time.perf_counter() - t
        # (b) ours from ready shingle sets (the public signatures() API).
        t = time.perf_counter()
        sig_parts.append(signatures(sets[lo:hi], params.num_perm, params.seed))
        fast += time.perf_counter() - t
        # (c) datasketch per-shingle MinHash.update loop on ready shingle sets.
        a, b = r * loop_sample // rounds, (r + 1) * loop_sample // rounds
        t = time.perf_counter()
        for s in sets[a:b]:
            m = MinHash(num_perm=params.num_perm, seed=params.seed, scheme="affine32")
            for x in s:
                m.update(x.encode("utf-8"))
            ref.append(m.hashvalues)
        slow += time.perf_counter() - t
        looped += len(sets[a:b])
    sig, sig_t = np.concatenate(sig_parts), np.concatenate(sig_t_parts)
    assert np.array_equal(np.array(ref), sig[:len(ref)]), "signatures differ from datasketch"
    assert np.array_equal(sig, sig_t), "text path differs from shingle-set path"
    out["text_sig_per_s"] = n_docs / fast_text
    out["sig_per_s"] = n_docs / fast
    out["loop_sig_per_s"] = looped / slow
    out["text_ratio"] = out["text_sig_per_s"] / out["loop_sig_per_s"]
    out["sig_ratio"] = out["sig_per_s"] / out["loop_sig_per_s"]
    del sets

    t = time.perf_counter()
    sketches = D.sketch_texts(ids, prepared, [None] * len(ids), params)
    out["sketch_s"] = time.perf_counter() - t

    live = list(range(len(sketches)))
    sigs = np.stack([s.signature for s in sketches])
    t = time.perf_counter()
    lsh = D.jaccard_lsh(sigs, live, THRESHOLD)
    ens = D.containment_ensemble(sigs, live, [s.size for s in sketches], CONTAINMENT)
    out["lsh_build_s"] = time.perf_counter() - t
    t = time.perf_counter()
    cands = set()
    for i in live:
        for j in lsh.query(D._Sig(sigs[i])):
            if j != i:
                cands.add((min(i, j), max(i, j)))
    for i, found in zip(live, ens.query_many(sigs, [s.size for s in sketches])):
        for j in found:
            if j != i:
                cands.add((min(i, j), max(i, j)))
    out["lsh_query_s"] = time.perf_counter() - t
    out["candidates"] = len(cands)
    t = time.perf_counter()
    pairs = D.verify_pairs(sketches, cands, params)
    out["verify_s"] = time.perf_counter() - t
    t = time.perf_counter()
    D.build_clusters(sketches, pairs)
    out["cluster_s"] = time.perf_counter() - t
    out["bench_peak_mb"] = _peak_mb()

    near_truth, cont_truth = exact_truth(texts, families)
    found_near = {(p.a, p.b) for p in pairs if p.relation == D.NEAR_DUPLICATE}
    found_cont = {(p.a, p.b) for p in pairs if p.relation == D.CONTAINED}
    # Precision is judged against exact Jaccard of *every* reported pair
    # (also pairs outside planted families), recomputed on Python sets.
    prepared_by_id = dict(zip(ids, prepared))
    sets_of: dict[str, set[str]] = {}

    def exact(a: str, b: str) -> float:
        for k in (a, b):
            if k not in sets_of:
                sets_of[k] = shingles(prepared_by_id[k])
        sa, sb = sets_of[a], sets_of[b]
        return len(sa & sb) / len(sa | sb)

    true_found = sum(1 for a, b in found_near if exact(a, b) >= THRESHOLD)
    out["pairs_near"] = len(found_near)
    out["pairs_contained"] = len(found_cont)
    out["truth_near"] = len(near_truth)
    out["truth_contained"] = len(cont_truth)
    out["recall_near"] = len(found_near & near_truth) / max(1, len(near_truth))
    out["precision_near"] = true_found / max(1, len(found_near))
    out["recall_contained"] = len(found_cont & cont_truth) / max(1, len(cont_truth))
    return out


def run_e2e(n_docs: int, seed: int, workdir: Path) -> dict:
    texts, _ = generate_corpus(n_docs, seed)
    corpus = workdir / f"corpus_{n_docs}"
    if not corpus.exists():
        tmp = workdir / f".corpus_{n_docs}.tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        for k, v in texts.items():
            (tmp / f"{k}.txt").write_text(v, encoding="utf-8")
        tmp.rename(corpus)
    del texts
    out_json = workdir / f"dedup_{n_docs}.json"
    cmd = [sys.executable, "-m", "provenance", "dedup", str(corpus), "--json", "-o", str(out_json)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
    res = json.loads(out_json.read_text())
    return {"docs": n_docs, "e2e_s": wall, "e2e_cpu_s": usage.ru_utime + usage.ru_stime,
            "e2e_peak_mb": usage.ru_maxrss / 1024.0,
            "e2e_pairs": len(res["pairs"]), "e2e_clusters": len(res["clusters"])}


# ----------------------------------------------------------------- driver

ROWS = [
    ("docs", "{:d}"), ("prepare_s", "{:.1f}"), ("kernel", "{}"), ("warmup_s", "{:.1f}"),
    ("loop_sig_per_s", "{:.0f}"), ("text_sig_per_s", "{:.0f}"), ("text_ratio", "{:.1f}x"),
    ("sig_per_s", "{:.0f}"), ("sig_ratio", "{:.1f}x"), ("sketch_s", "{:.1f}"), ("lsh_build_s", "{:.1f}"),
    ("lsh_query_s", "{:.1f}"), ("candidates", "{:d}"), ("verify_s", "{:.2f}"),
    ("cluster_s", "{:.2f}"), ("bench_peak_mb", "{:.0f}"), ("truth_near", "{:d}"), ("pairs_near", "{:d}"),
    ("recall_near", "{:.4f}"), ("precision_near", "{:.4f}"), ("truth_contained", "{:d}"),
    ("pairs_contained", "{:d}"), ("recall_contained", "{:.4f}"), ("e2e_s", "{:.1f}"), ("e2e_cpu_s", "{:.1f}"),
    ("e2e_peak_mb", "{:.0f}"), ("e2e_pairs", "{:d}"),
]


def _table(results: list[dict]) -> str:
    lines = []
    width = max(len(k) for k, _ in ROWS)
    for key, fmt in ROWS:
        if not any(key in r for r in results):
            continue
        cells = [fmt.format(r[key]) if key in r else "-" for r in results]
        lines.append(f"{key:<{width}}  " + "  ".join(f"{c:>12}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--loop-sample", type=int, default=500,
                    help="documents timed with the datasketch per-shingle loop")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--e2e", action="store_true", help="also time `provenance dedup` on files")
    ap.add_argument("--e2e-only", action="store_true",
                    help="only time `provenance dedup` (skips the per-stage and recall run)")
    ap.add_argument("--workdir", default=None, help="where --e2e writes corpora")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.child, args.loop_sample, args.seed)))
        return 0
    results = []
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="nd-bench-"))
    for n in args.sizes:
        r = {"docs": n}
        if not args.e2e_only:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(n), "--loop-sample", str(args.loop_sample),
                 "--seed", str(args.seed)],
                check=True, capture_output=True, text=True,
            )
            r = json.loads(proc.stdout.strip().splitlines()[-1])
        if args.e2e or args.e2e_only:
            r.update(run_e2e(n, args.seed, workdir))
        results.append(r)
        print(f"done {n} docs", file=sys.stderr, flush=True)
    print(_table(results))
    if (args.e2e or args.e2e_only) and len(results) > 1:
        a, b = results[0], results[-1]
        print(f"\ne2e cost ratio {b['docs']}/{a['docs']} docs: wall {b['e2e_s'] / a['e2e_s']:.2f}x, "
              f"cpu {b['e2e_cpu_s'] / a['e2e_cpu_s']:.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
