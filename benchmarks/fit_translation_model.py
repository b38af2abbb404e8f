"""Fit the statistical machine-translation score on the PAN13 text-alignment corpus.

Usage::

    python benchmarks/fit_translation_model.py CORPUS [--out provenance/data/translation_model.json]

``CORPUS`` is the PAN13 training folder (``susp/``, ``src/``,
``02-no-obfuscation/``, ``04-translation-obfuscation/``). Passages:

* positive: suspicious-document passages of type ``translation-chain``
  (cyclic machine translation of a source passage);
* negative: the human source passages they were translated from, and the
  verbatim-copied passages of ``02-no-obfuscation`` (human text).

Pairs are split into train/dev by a hash of the suspicious document name
(30 % dev); only train passages are used here. ``benchmarks/artifacts.py``
reports the dev figures. Offsets are character offsets of files read with
``open(..., newline='')``.

The model is a logistic regression over standardized dense features
(:func:`provenance.artifacts.passage_features`), l2-normalized sublinear-tf
character 1-5-gram tf-idf and tf-idf of 1-3-grams of the function-word
skeleton (:func:`provenance.artifacts.skeleton`), followed by Platt calibration on
out-of-fold train decisions (folds grouped by suspicious document); the threshold maximizes out-of-fold train
accuracy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Iterator

DEV_FRACTION_PERCENT = 30
_FEATURE = re.compile(r"<feature ([^>]*)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_REF = re.compile(r'<document reference="([^"]+)"')


def split_of(susp_name: str) -> str:
    """``"dev"`` or ``"train"``, from a stable hash of the suspicious document name."""
    h = int(hashlib.md5(susp_name.encode("utf-8")).hexdigest(), 16)
    return "dev" if h % 100 < DEV_FRACTION_PERCENT else "train"


def _read(path: Path, cache: dict[Path, str]) -> str:
    if path not in cache:
        with open(path, encoding="utf-8", newline="") as fh:
            cache[path] = fh.read()
    return cache[path]


def _features(folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    for xml in sorted(folder.glob("*.xml")):
        text = xml.read_text(encoding="utf-8")
        ref = _REF.search(text)
        if not ref:
            continue
        for m in _FEATURE.finditer(text):
            yield ref.group(1), dict(_ATTR.findall(m.group(1)))


def check_corpus(corpus: str) -> Path:
    """The corpus root, or exit with a one-line message when it is unusable."""
    root = Path(corpus)
    need = ["susp", "src", "02-no-obfuscation", "04-translation-obfuscation"]
    missing = [n for n in need if not (root / n).is_dir()]
    if missing:
        sys.exit(f"error: {corpus}: not a PAN13 text-alignment corpus (missing {', '.join(missing)})")
    return root


def load_passages(corpus: str) -> list[dict[str, str]]:
    """Labelled passages: ``{split, label ('mt'|'src'|'verbatim'), y, text, susp}``."""
    root = check_corpus(corpus)
    cache: dict[Path, str] = {}
    out: list[dict[str, str]] = []
    for ref, a in _features(root / "04-translation-obfuscation"):
        if a.get("type") != "translation-chain":
            continue
        split = split_of(ref)
        s = _read(root / "susp" / ref, cache)
        o, n = int(a["this_offset"]), int(a["this_length"])
        src = _read(root / "src" / a["source_reference"], cache)
        so, sn = int(a["source_offset"]), int(a["source_length"])
        out.append({"split": split, "label": "mt", "y": "1", "text": s[o:o + n], "susp": ref})
        out.append({"split": split, "label": "src", "y": "0", "text": src[so:so + sn], "susp": ref})
    for ref, a in _features(root / "02-no-obfuscation"):
        s = _read(root / "susp" / ref, cache)
        o, n = int(a["this_offset"]), int(a["this_length"])
        out.append({"split": split_of(ref), "label": "verbatim", "y": "0", "text": s[o:o + n], "susp": ref})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="PAN13 text-alignment training folder")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "provenance" / "data" / "translation_model.json"))
    ap.add_argument("--max-ngrams", type=int, default=10000)
    ap.add_argument("--max-skeleton-ngrams", type=int, default=8000)
    ap.add_argument("--dense-weight", type=float, default=0.05)
    ap.add_argument("--C", type=float, default=10.0)
    args = ap.parse_args(argv)

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    from provenance.artifacts import _prepare, passage_features, skeleton

    rows = [r for r in load_passages(args.corpus) if r["split"] == "train"]
    if not rows:
        sys.exit(f"error: {args.corpus}: no training passages found")
    y = np.array([int(r["y"]) for r in rows])
    texts = [_prepare(r["text"]) for r in rows]
    feats = [passage_features(t) for t in texts]
    names = sorted(feats[0])
    X = np.array([[f[k] for k in names] for f in feats])
    skels = [" ".join(skeleton(t)) for t in texts]

    def design(idx_fit: np.ndarray, idx_apply: np.ndarray):
        mu = X[idx_fit].mean(0)
        sd = X[idx_fit].std(0) + 1e-9
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 5), lowercase=False, sublinear_tf=True,
                              min_df=3, max_features=args.max_ngrams, dtype=np.float64)
        vec.fit([texts[i] for i in idx_fit])
        svec = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False, ngram_range=(1, 3),
                               sublinear_tf=True, min_df=3, max_features=args.max_skeleton_ngrams,
                               dtype=np.float64)
        svec.fit([skels[i] for i in idx_fit])
        from scipy import sparse

        def mat(idx):
            Z = (X[idx] - mu) / sd * args.dense_weight
            return sparse.hstack([sparse.csr_matrix(Z), vec.transform([texts[i] for i in idx]),
                                  svec.transform([skels[i] for i in idx])]).tocsr()

        return mu, sd, (vec, svec), mat(idx_fit), mat(idx_apply)

    # Out-of-fold decisions for calibration and threshold. Folds group by
    # suspicious document so a translated passage and its own source passage
    # never sit on both sides of a fold (as in the train/dev split).
    groups = [r["susp"] for r in rows]
    oof = np.zeros(len(rows))
    for fit_idx, app_idx in StratifiedGroupKFold(5, shuffle=True, random_state=0).split(X, y, groups):
        _, _, _, A, B = design(fit_idx, app_idx)
        clf = LogisticRegression(C=args.C, max_iter=5000).fit(A, y[fit_idx])
        oof[app_idx] = clf.decision_function(B)
    cal = LogisticRegression(C=1e6, max_iter=1000).fit(oof.reshape(-1, 1), y)
    a, b = float(cal.coef_[0][0]), float(cal.intercept_[0])
    p_oof = 1 / (1 + np.exp(-(a * oof + b)))
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    accs = [((p_oof >= t) == y).mean() for t in grid]
    threshold = float(grid[int(np.argmax(accs))])

    all_idx = np.arange(len(rows))
    mu, sd, (vec, svec), A, _ = design(all_idx, all_idx[:1])
    clf = LogisticRegression(C=args.C, max_iter=5000).fit(A, y)
    coef = clf.coef_[0]
    nd = len(names)
    vocab = {g: [round(float(vec.idf_[j]), 6), round(float(coef[nd + j]), 6)]
             for g, j in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])}
    nc = len(vec.vocabulary_)
    svocab = {g: [round(float(svec.idf_[j]), 6), round(float(coef[nd + nc + j]), 6)]
              for g, j in sorted(svec.vocabulary_.items(), key=lambda kv: kv[1])}
    model = {
        "schema": "provenance-translation-model/1",
        "trained_on": "PAN13 text-alignment training corpus, train split (70% of suspicious documents by md5 hash)",
        "positives": "translation-chain passages (04-translation-obfuscation)",
        "negatives": "their human source passages and verbatim passages (02-no-obfuscation)",
        "n_train": {"positive": int(y.sum()), "negative": int((1 - y).sum())},
        "oof_train_auc": round(float(roc_auc_score(y, oof)), 4),
        "oof_train_accuracy": round(float(max(accs)), 4),
        "dense": {"names": names, "mean": [round(float(v), 8) for v in mu],
                  "scale": [round(float(v), 8) for v in sd],
                  "coef": [round(float(v), 6) for v in coef[:nd]], "weight": args.dense_weight},
        "char": {"ngram_range": [1, 5], "sublinear_tf": True, "norm": "l2", "vocab": vocab},
        "skeleton": {"ngram_range": [1, 3], "sublinear_tf": True, "norm": "l2", "vocab": svocab},
        "intercept": round(float(clf.intercept_[0]), 6),
        "calibration": {"a": round(a, 6), "b": round(b, 6)},
        "threshold": threshold,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(model, fh, ensure_ascii=False, indent=0, sort_keys=True)
        fh.write("\n")

    # Check that the pure-Python scorer reproduces scikit-learn.
    from provenance import artifacts as art

    art._model.cache_clear()
    sk = clf.decision_function(A[:50])
    ours = np.array([art._decision(rows[i]["text"]) for i in range(50)])
    err = float(np.max(np.abs(sk - ours)))
    print(f"train passages: {len(rows)} ({int(y.sum())} translated); out-of-fold AUC {model['oof_train_auc']}, "
          f"accuracy {model['oof_train_accuracy']} at threshold {threshold}; "
          f"{len(vocab)} character and {len(svocab)} skeleton n-grams; max |sklearn - provenance| decision = {err:.2e}")
    if err > 1e-3:
        sys.exit("error: pure-Python scorer disagrees with scikit-learn")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
