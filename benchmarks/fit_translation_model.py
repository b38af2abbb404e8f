"""Fit the statistical machine-translation score on the PAN13 text-alignment corpus.

Usage::

    python benchmarks/fit_translation_model.py CORPUS [--out provenance/data/translation_model.json]

``CORPUS`` is the PAN13 training folder (``susp/``, ``src/``,
``02-no-obfuscation/``, ``04-translation-obfuscation/``). Passages:

* positive: suspicious-document passages of type ``translation-chain``
  (cyclic machine translation of a source passage);
* negative: the human source passages they were translated from, and the
  verbatim-copied passages of ``02-no-obfuscation`` (human text).

Weakly labelled windows add training text: the suspicious documents of
``04-translation-obfuscation`` are machine-translated as a whole, not only
their plagiarised passages (outside the passages their text scores like
translations: median decision 0.33 against -2.7 in the other folders), and
those of ``02-no-obfuscation`` are human text. Sentence-aligned windows of at
least 350 characters outside every plagiarised passage of train suspicious
documents (in one folder only) are added to the fit as positives (04) and
negatives (02), and windows of the source documents of train 04 pairs (outside
their source passages; none that feeds the dev split) as negatives, with
sample weight 0.3; cross-validation, calibration and the threshold use the
labelled passages only.

Pairs are split into train/dev by a hash of the suspicious document name
(30 % dev); a train passage whose source document is also paired with a dev
suspicious document (in any folder) is held out of both, so no dev document
contributes to fitting. Only train passages are used here. ``benchmarks/artifacts.py``
reports the dev figures. Offsets are character offsets of files read with
``open(..., newline='')``.

The model is a logistic regression over standardized dense features
(:func:`provenance.artifacts.passage_features`), l2-normalized sublinear-tf
character 1-5-gram tf-idf (scaled by 0.5, as the dense block is by 0.1), tf-idf of 1-3-grams of the function-word
skeleton (:func:`provenance.artifacts.skeleton`), of cased word 1-2-grams and
of part-of-speech 1-3-grams (:func:`provenance.artifacts.pos_tags`), followed by Platt calibration on
out-of-fold train decisions (folds grouped by connected suspicious/source documents); the threshold maximizes out-of-fold train
accuracy.

``--parser`` fits the parsed model (``translation_model_parsed.json``, needs
the ``parser`` extra): the same blocks plus tf-idf of 1-3-grams of spaCy's
part-of-speech tags and of dependency arcs (:func:`provenance.parse.parse_views`,
10,000 n-grams each).
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


_PAIR_FOLDERS = ("01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
                 "04-translation-obfuscation", "05-summary-obfuscation")


def dev_documents(root: Path) -> set[str]:
    """Every document (suspicious or source) paired with a dev suspicious document, in any folder."""
    out: set[str] = set()
    for folder in _PAIR_FOLDERS:
        for xml in sorted((root / folder).glob("*.xml")):
            susp, _, src = xml.stem.partition("-source-")
            if src and split_of(susp + ".txt") == "dev":
                out.update((susp + ".txt", "source-" + src + ".txt"))
    return out


def load_passages(corpus: str) -> list[dict[str, str]]:
    """Labelled passages: ``{split, label ('mt'|'src'|'verbatim'), y, text, susp, src, doc, offset}``.

    ``doc`` is the document the passage sits in (``"susp/NAME"`` or
    ``"src/NAME"``, relative to the corpus root) and ``offset`` its start
    there (a decimal string, like ``y``).

    ``split`` is ``"dev"`` when the suspicious document hashes to dev,
    ``"train"`` when neither the suspicious nor the source document is paired
    with a dev suspicious document in any folder of the corpus, and
    ``"held"`` otherwise (a train passage whose source document also feeds
    the dev split: used for neither fitting nor reporting, so that no dev
    document contributes to fitting).
    """
    root = check_corpus(corpus)
    dev_docs = dev_documents(root)
    cache: dict[Path, str] = {}
    out: list[dict[str, str]] = []

    def split(susp: str, src: str) -> str:
        s = split_of(susp)
        if s == "train" and (susp in dev_docs or src in dev_docs):
            return "held"
        return s

    for ref, a in _features(root / "04-translation-obfuscation"):
        if a.get("type") != "translation-chain":
            continue
        sp = split(ref, a["source_reference"])
        s = _read(root / "susp" / ref, cache)
        o, n = int(a["this_offset"]), int(a["this_length"])
        src = _read(root / "src" / a["source_reference"], cache)
        so, sn = int(a["source_offset"]), int(a["source_length"])
        common = {"split": sp, "susp": ref, "src": a["source_reference"]}
        out.append({**common, "label": "mt", "y": "1", "text": s[o:o + n],
                    "doc": "susp/" + ref, "offset": str(o)})
        out.append({**common, "label": "src", "y": "0", "text": src[so:so + sn],
                    "doc": "src/" + a["source_reference"], "offset": str(so)})
    for ref, a in _features(root / "02-no-obfuscation"):
        s = _read(root / "susp" / ref, cache)
        o, n = int(a["this_offset"]), int(a["this_length"])
        out.append({"split": split(ref, a["source_reference"]), "label": "verbatim", "y": "0",
                    "text": s[o:o + n], "susp": ref, "src": a["source_reference"],
                    "doc": "susp/" + ref, "offset": str(o)})
    return out


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n")


SOURCE_WINDOW_CHARS = 20000


def _windows_between(raw: str, spans: list[tuple[int, int]], min_chars: int) -> Iterator[str]:
    """Runs of sentences (or lines) of at least ``min_chars`` characters outside ``spans``.

    A shorter tail of a stretch between spans is kept when it has at least
    ``min_chars // 2`` non-blank characters.
    """
    cuts = [0] + [x for s, e in sorted(spans) for x in (s, e)] + [len(raw)]
    for a, b in zip(cuts[::2], cuts[1::2]):
        pos, start = a, None
        for m in [*_SENTENCE_BREAK.finditer(raw, a, b), None] if a < b else []:
            end = m.start() if m else b
            if start is None:
                start = pos
            if end - start >= min_chars:
                yield raw[start:end]
                start = None
            pos = m.end() if m else b
        if start is not None and len(raw[start:b].strip()) >= min_chars // 2:
            yield raw[start:b]


def unlabelled_windows(corpus: str, min_chars: int = 350,
                       source_folders: tuple[str, ...] = ("04-translation-obfuscation",)) -> list[dict[str, str]]:
    """Weakly labelled windows: ``{doc, y, text}`` outside every plagiarised passage.

    * Train suspicious documents that appear in exactly one of
      ``02-no-obfuscation`` (``y = "0"``: human text) and
      ``04-translation-obfuscation`` (``y = "1"``: the whole document went
      through the translation chain). The windows hold no text of a source
      document (every plagiarised passage of any folder is cut out), so a
      train suspicious document whose source document also feeds the dev
      split still contributes its own text, and no dev document does.
    * Source documents paired with a train suspicious document in
      ``source_folders`` and with no dev suspicious document (``y = "0"``:
      human text), their first ``SOURCE_WINDOW_CHARS`` characters, every
      source passage of any folder cut out.

    ``doc`` is the document's file name. Windows are runs of sentences (or
    lines) of at least ``min_chars`` characters between the passages.
    """
    root = check_corpus(corpus)
    dev_docs = dev_documents(root)
    folders: dict[str, set[str]] = {}
    sources: set[str] = set()
    for folder in _PAIR_FOLDERS:
        for xml in sorted((root / folder).glob("*.xml")):
            susp, _, src = xml.stem.partition("-source-")
            folders.setdefault(susp + ".txt", set()).add(folder)
            if folder in source_folders and split_of(susp + ".txt") == "train":
                sources.add("source-" + src + ".txt")
    spans: dict[str, list[tuple[int, int]]] = {}
    for folder in _PAIR_FOLDERS[1:]:
        for ref, a in _features(root / folder):
            o, so = int(a["this_offset"]), int(a["source_offset"])
            spans.setdefault(ref, []).append((o, o + int(a["this_length"])))
            spans.setdefault(a["source_reference"], []).append((so, so + int(a["source_length"])))
    label = {"02-no-obfuscation": "0", "04-translation-obfuscation": "1"}
    out: list[dict[str, str]] = []
    for susp in sorted(folders):
        fs = folders[susp]
        if len(fs) != 1 or next(iter(fs)) not in label or split_of(susp) != "train":
            continue
        y = label[next(iter(fs))]
        with open(root / "susp" / susp, encoding="utf-8", newline="") as fh:
            raw = fh.read()
        out.extend({"doc": susp, "y": y, "text": t} for t in _windows_between(raw, spans.get(susp, []), min_chars))
    for src in sorted(sources - dev_docs):
        with open(root / "src" / src, encoding="utf-8", newline="") as fh:
            raw = fh.read()[:SOURCE_WINDOW_CHARS]
        out.extend({"doc": src, "y": "0", "text": t} for t in _windows_between(raw, spans.get(src, []), min_chars))
    return out


def document_groups(rows: list[dict[str, str]]) -> list[int]:
    """Connected components of the suspicious/source documents of ``rows``, one label per row.

    Cross-validation folds grouped by these labels never put two passages
    sharing a document (a translation and its source, or two passages of one
    source document) on both sides of a fold.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        parent[find(r["susp"])] = find(r["src"])
    labels: dict[str, int] = {}
    return [labels.setdefault(find(r["susp"]), len(labels)) for r in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="PAN13 text-alignment training folder")
    ap.add_argument("--out", default=None,
                    help="model file (default: provenance/data/translation_model.json, or "
                         "translation_model_parsed.json with --parser)")
    ap.add_argument("--parser", action="store_true",
                    help="add spaCy tag and dependency-arc blocks (the parsed model; extra 'parser')")
    ap.add_argument("--max-parse-ngrams", type=int, default=10000,
                    help="n-grams per parsed block (tags 1-3-grams, arcs unigrams)")
    ap.add_argument("--max-ngrams", type=int, default=10000)
    ap.add_argument("--max-skeleton-ngrams", type=int, default=8000)
    ap.add_argument("--max-word-ngrams", type=int, default=20000,
                    help="cased word 1-2-grams (0: no word block)")
    ap.add_argument("--max-pos-ngrams", type=int, default=10000,
                    help="1-3-grams of part-of-speech tags (0: no part-of-speech block)")
    ap.add_argument("--dense-weight", type=float, default=0.1)
    ap.add_argument("--char-weight", type=float, default=0.5,
                    help="factor on the l2-normalized character n-gram block (its coefficients are shrunk more)")
    ap.add_argument("--C", type=float, default=10.0)
    ap.add_argument("--window-weight", type=float, default=0.3,
                    help="sample weight of the weakly labelled windows (0: labelled passages only)")
    ap.add_argument("--window-chars", type=int, default=350, help="minimum window length in characters")
    args = ap.parse_args(argv)
    if args.out is None:
        name = "translation_model_parsed.json" if args.parser else "translation_model.json"
        args.out = str(Path(__file__).resolve().parent.parent / "provenance" / "data" / name)

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    from provenance.artifacts import WORD_TOKEN, _prepare, passage_features, pos_tags, skeleton

    rows = [r for r in load_passages(args.corpus) if r["split"] == "train"]
    if not rows:
        sys.exit(f"error: {args.corpus}: no training passages found")
    n = len(rows)
    windows = unlabelled_windows(args.corpus, args.window_chars) if args.window_weight > 0 else []
    # Indices 0..n-1 are the labelled passages, n.. the weakly labelled windows.
    y_all = np.array([int(r["y"]) for r in rows + windows])
    weight = np.r_[np.ones(n), np.full(len(windows), args.window_weight)]
    y = y_all[:n]
    texts = [_prepare(r["text"]) for r in rows + windows]
    feats = [passage_features(t) for t in texts]
    names = sorted(feats[0])
    X = np.array([[f[k] for k in names] for f in feats])
    skels = [" ".join(skeleton(t)) for t in texts]
    tags = [" ".join(pos_tags(t)) for t in texts]
    ptags: list[str] = []
    parcs: list[str] = []
    if args.parser:
        from provenance.parse import parse_views

        for t in texts:
            tg, ar = parse_views(t)
            ptags.append(" ".join(tg))
            parcs.append(" ".join(ar))

    def space_vectorizer(ngram_range: tuple[int, int], max_features: int):
        """tf-idf of space-separated symbols (skeleton tokens, tags, arcs) as they are."""
        return TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=False, ngram_range=ngram_range,
                               sublinear_tf=True, min_df=3, max_features=max_features, dtype=np.float64)

    def design(idx_fit: np.ndarray, idx_apply: np.ndarray):
        mu = X[idx_fit].mean(0)
        sd = X[idx_fit].std(0) + 1e-9
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 5), lowercase=False, sublinear_tf=True,
                              min_df=3, max_features=args.max_ngrams, dtype=np.float64)
        vec.fit([texts[i] for i in idx_fit])
        svec = space_vectorizer((1, 3), args.max_skeleton_ngrams).fit([skels[i] for i in idx_fit])
        wvec = None
        if args.max_word_ngrams:
            wvec = TfidfVectorizer(analyzer="word", token_pattern=WORD_TOKEN, lowercase=False, ngram_range=(1, 2),
                                   sublinear_tf=True, min_df=2, max_features=args.max_word_ngrams,
                                   dtype=np.float64)
            wvec.fit([texts[i] for i in idx_fit])
        pvec = None
        if args.max_pos_ngrams:
            pvec = space_vectorizer((1, 3), args.max_pos_ngrams).fit([tags[i] for i in idx_fit])
        ptvec = pavec = None
        if args.parser:
            ptvec = space_vectorizer((1, 3), args.max_parse_ngrams).fit([ptags[i] for i in idx_fit])
            pavec = space_vectorizer((1, 1), args.max_parse_ngrams).fit([parcs[i] for i in idx_fit])
        from scipy import sparse

        def mat(idx):
            Z = (X[idx] - mu) / sd * args.dense_weight
            return sparse.hstack([sparse.csr_matrix(Z), vec.transform([texts[i] for i in idx]) * args.char_weight,
                                  svec.transform([skels[i] for i in idx])]
                                 + ([wvec.transform([texts[i] for i in idx])] if wvec else [])
                                 + ([pvec.transform([tags[i] for i in idx])] if pvec else [])
                                 + ([ptvec.transform([ptags[i] for i in idx]),
                                     pavec.transform([parcs[i] for i in idx])] if ptvec else [])).tocsr()

        return mu, sd, (vec, svec, wvec, pvec, ptvec, pavec), mat(idx_fit), mat(idx_apply)

    # Out-of-fold decisions for calibration and threshold. Folds group by
    # connected suspicious/source documents so a translated passage and its own
    # source passage never sit on both sides of a fold (as in the train/dev split).
    # A window joins the fold of its suspicious document's group; windows of
    # documents without a labelled train passage are fitted in every fold.
    groups = document_groups(rows)
    group_of = {name: g for r, g in zip(rows, groups) for name in (r["susp"], r["src"])}
    window_group = np.array([group_of.get(w["doc"], -1) for w in windows], dtype=int)
    oof = np.zeros(n)
    for fit_idx, app_idx in StratifiedGroupKFold(5, shuffle=True, random_state=0).split(X[:n], y, groups):
        held = {groups[i] for i in app_idx}
        fit_all = np.r_[fit_idx, [n + j for j, g in enumerate(window_group) if g not in held]].astype(int)
        _, _, _, A, B = design(fit_all, app_idx)
        clf = LogisticRegression(C=args.C, max_iter=5000).fit(A, y_all[fit_all], sample_weight=weight[fit_all])
        oof[app_idx] = clf.decision_function(B)
    cal = LogisticRegression(C=1e6, max_iter=1000).fit(oof.reshape(-1, 1), y)
    a, b = float(cal.coef_[0][0]), float(cal.intercept_[0])
    p_oof = 1 / (1 + np.exp(-(a * oof + b)))
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    accs = [((p_oof >= t) == y).mean() for t in grid]
    threshold = float(grid[int(np.argmax(accs))])

    all_idx = np.arange(len(y_all))
    mu, sd, (vec, svec, wvec, pvec, ptvec, pavec), A, _ = design(all_idx, all_idx[:1])
    clf = LogisticRegression(C=args.C, max_iter=5000).fit(A, y_all, sample_weight=weight)
    coef = clf.coef_[0]
    nd = len(names)
    offset = nd  # the blocks' columns follow the dense features, in the order mat() stacks them

    def block_vocab(v) -> dict[str, list[float]]:
        """``n-gram -> [idf, coef]`` of the next block of the design matrix (empty for an absent block)."""
        nonlocal offset
        if v is None:
            return {}
        out = {g: [round(float(v.idf_[j]), 6), round(float(coef[offset + j]), 6)]
               for g, j in sorted(v.vocabulary_.items(), key=lambda kv: kv[1])}
        offset += len(v.vocabulary_)
        return out

    vocab, svocab, wvocab, pvocab = (block_vocab(v) for v in (vec, svec, wvec, pvec))
    parsed_blocks = {}
    if ptvec is not None:
        for key, v, rng in (("parse_tag", ptvec, [1, 3]), ("parse_arc", pavec, [1, 1])):
            parsed_blocks[key] = {"ngram_range": rng, "sublinear_tf": True, "norm": "l2", "vocab": block_vocab(v)}
        from provenance.parse import MODEL_PACKAGE, MODEL_VERSION

        parsed_blocks["parser"] = {"package": MODEL_PACKAGE, "model_version": MODEL_VERSION}
    model = {
        "schema": "provenance-translation-model/1",
        "trained_on": ("PAN13 text-alignment training corpus, train split (70% of suspicious documents by md5 "
                       "hash, less pairs sharing a source document with the dev split)"),
        "positives": ("translation-chain passages (04-translation-obfuscation); weakly: windows of the "
                      "machine-translated text between them"),
        "negatives": ("their human source passages and verbatim passages (02-no-obfuscation); weakly: windows "
                      "of the human text between verbatim passages"),
        "n_train": {"positive": int(y.sum()), "negative": int((1 - y).sum())},
        "weak_windows": {"positive": int(y_all[n:].sum()), "negative": int(len(windows) - y_all[n:].sum()),
                         "weight": args.window_weight, "min_chars": args.window_chars},
        "oof_train_auc": round(float(roc_auc_score(y, oof)), 4),
        "oof_train_accuracy": round(float(max(accs)), 4),
        "dense": {"names": names, "mean": [round(float(v), 8) for v in mu],
                  "scale": [round(float(v), 8) for v in sd],
                  "coef": [round(float(v), 6) for v in coef[:nd]], "weight": args.dense_weight},
        "char": {"ngram_range": [1, 5], "sublinear_tf": True, "norm": "l2", "weight": args.char_weight,
                 "vocab": vocab},
        "skeleton": {"ngram_range": [1, 3], "sublinear_tf": True, "norm": "l2", "vocab": svocab},
        "word": {"ngram_range": [1, 2], "token_pattern": WORD_TOKEN, "sublinear_tf": True, "norm": "l2",
                 "vocab": wvocab},
        "pos": {"ngram_range": [1, 3], "sublinear_tf": True, "norm": "l2", "vocab": pvocab},
        "intercept": round(float(clf.intercept_[0]), 6),
        "calibration": {"a": round(a, 6), "b": round(b, 6)},
        "threshold": threshold,
        **parsed_blocks,
    }
    # Check that the pure-Python scorer reproduces scikit-learn.
    from provenance import artifacts as art

    from dataclasses import replace

    shipped = art.model_from_dict(json.loads(json.dumps(model)))
    assert shipped.parsed == args.parser
    hashed = replace(shipped, char_block=art._hashed_block(shipped.vocab, *shipped.ngram_range))
    sk = clf.decision_function(A[:50])
    err = 0.0
    for m in (shipped, hashed):  # the dict path and the numpy path used at run time
        ours = np.array([art._decision(rows[i]["text"], m) for i in range(50)])
        err = max(err, float(np.max(np.abs(sk - ours))))
    print(f"train passages: {n} ({int(y.sum())} translated), weak windows: {len(windows)} "
          f"({int(y_all[n:].sum())} translated, weight {args.window_weight}); out-of-fold AUC {model['oof_train_auc']}, "
          f"accuracy {model['oof_train_accuracy']} at threshold {threshold}; "
          f"{len(vocab)} character, {len(svocab)} skeleton, {len(wvocab)} word and {len(pvocab)} part-of-speech n-grams"
          + (f", {len(parsed_blocks['parse_tag']['vocab'])} parsed-tag and {len(parsed_blocks['parse_arc']['vocab'])} "
             "dependency-arc n-grams" if parsed_blocks else "") + f"; max |sklearn - provenance| decision = {err:.2e}")
    if err > 1e-3:
        sys.exit("error: pure-Python scorer disagrees with scikit-learn; model not written")
    from provenance.fsutil import atomic_write_text

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    atomic_write_text(args.out, json.dumps(model, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
