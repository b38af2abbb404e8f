"""Benchmark translation-artefact detection on the PAN13 dev split.

Usage::

    python benchmarks/artifacts.py CORPUS [--split dev] [--parser] [--json OUT]

``--parser`` measures the parsed model (``translation_model_parsed.json``,
extra ``parser``) instead of the default one.

Reports, for passage-level "machine-translated or not" (translation-chain
passages against their human source passages and verbatim passages, the
dev split defined in ``fit_translation_model.py``):

* ROC AUC (all untranslated passages, and separately against the matched
  human source passages and against verbatim passages, so a model that
  learned topic rather than translation would show up), with its standard
  error from resampling documents (:func:`auc_bootstrap`), and accuracy at the default threshold of the statistical score
  (:func:`provenance.artifacts.passage_score`), and of the combined verdict
  (:func:`provenance.artifacts.analyze`, rules + score);
* an in-document comparison: each passage's statistical decision against
  the median decision of the other paragraph groups of the document it sits
  in (groups of at least 400 characters, as :func:`provenance.artifacts.analyze_passages`
  makes them, not overlapping the passage), on passages with at least three
  such groups. It shows why no document-relative score is used: in PAN13 the
  whole suspicious document of a translated passage went through the
  translation chain, so its other groups look translated too;
* per-rule hit counts on translated and untranslated passages, flagging any
  high-weight rule that fires on an untranslated passage;
* rule hits on whole human source documents of the dev split (more text, so
  a stricter false-positive check).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_translation_model import check_corpus, load_passages  # noqa: E402


def _auc(y: list[int], s: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s))


def auc_bootstrap(y: list[int], s: list[float], clusters: list[str], draws: int = 2000, seed: int = 0
                  ) -> tuple[float, float, float]:
    """Standard error and 95 % interval of the ROC AUC, resampling whole clusters (documents) with replacement.

    Passages of one document are not independent (same topic, same writer,
    and in PAN13 the same translation chain), so the resampling unit is the
    document, not the passage.
    """
    import numpy as np

    yy, ss = np.asarray(y), np.asarray(s)
    members: dict[str, list[int]] = {}
    for i, c in enumerate(clusters):
        members.setdefault(c, []).append(i)
    keys = sorted(members)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(draws):
        pick = [i for k in rng.choice(len(keys), len(keys)) for i in members[keys[k]]]
        if 0 < yy[pick].sum() < len(pick):
            out.append(_auc(yy[pick].tolist(), ss[pick].tolist()))
    lo, hi = np.percentile(out, [2.5, 97.5])
    return float(np.std(out)), float(lo), float(hi)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="PAN13 text-alignment training folder")
    ap.add_argument("--split", default="dev", choices=["dev", "train", "held", "all"])
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    ap.add_argument("--parser", action="store_true",
                    help="measure the parsed model (extra 'parser') instead of the default one")
    args = ap.parse_args(argv)
    root = check_corpus(args.corpus)

    from provenance.artifacts import (
        MODEL_FILES, _decision, _model, _passages, analyze, high_weight, load_rules, model_threshold,
        passage_score,
    )

    model = _model(args.parser)

    rows = [r for r in load_passages(args.corpus) if args.split == "all" or r["split"] == args.split]
    if not rows:
        sys.exit(f"error: {args.corpus}: no passages in split {args.split!r}")
    weights = {r.id: r.weight for r in load_rules()}
    hw = high_weight()
    thr = model_threshold(args.parser)

    y, stat, comb, verdict, labels = [], [], [], [], []
    hits = {"translated": Counter(), "untranslated": Counter()}
    passages_hit = {"translated": Counter(), "untranslated": Counter()}
    elapsed = 0.0  # of analyze alone: the per-passage cost a user pays
    for r in rows:
        yy = int(r["y"])
        p = passage_score(r["text"], args.parser)
        t0 = time.perf_counter()
        t, arts = analyze(r["text"], language="en", parser=args.parser)
        elapsed += time.perf_counter() - t0
        y.append(yy)
        labels.append(r["label"])
        stat.append(p)
        comb.append(t.score)
        verdict.append(int(t.translated))
        side = "translated" if yy else "untranslated"
        hits[side].update(a.rule for a in arts)
        passages_hit[side].update({a.rule for a in arts})

    # In-document baseline: the other paragraph groups of each passage's document.
    group_decisions: dict[str, list[tuple[int, int, float]]] = {}
    own, context = [], []
    for r in rows:
        if r["doc"] not in group_decisions:
            with open(root / r["doc"], encoding="utf-8", newline="") as fh:
                raw = fh.read()
            group_decisions[r["doc"]] = [(a, b, _decision(raw[a:b], model)) for a, b in _passages(raw, 400)]
        o = int(r["offset"])
        e = o + len(r["text"])
        context.append(sorted(d for a, b, d in group_decisions[r["doc"]] if b <= o or a >= e))
        own.append(_decision(r["text"], model))

    # Whole human source documents of the split: a larger false-positive check.
    src_docs = sorted({r["susp"] for r in rows})
    doc_hits: Counter[str] = Counter()
    n_docs = 0
    chars = 0
    from fit_translation_model import _features  # noqa: E402

    refs = set()
    for folder in ("02-no-obfuscation", "04-translation-obfuscation"):
        for ref, a in _features(root / folder):
            if ref in src_docs:
                refs.add(a["source_reference"])
    for name in sorted(refs):
        with open(root / "src" / name, encoding="utf-8", newline="") as fh:
            raw = fh.read()
        n_docs += 1
        chars += len(raw)
        _, arts = analyze(raw, language="en")  # rule hits only: they do not depend on the model
        doc_hits.update(a.rule for a in arts)

    n_pos = sum(y)

    def by_negative(scores: list[float]) -> dict[str, float]:
        """AUC of translated passages against each kind of untranslated passage."""
        out = {}
        for neg in ("src", "verbatim"):
            idx = [i for i, lab in enumerate(labels) if lab in ("mt", neg)]
            out["auc_vs_" + neg] = round(_auc([y[i] for i in idx], [scores[i] for i in idx]), 4)
        return out

    def median(xs: list[float]) -> float:
        k = len(xs)
        return (xs[(k - 1) // 2] + xs[k // 2]) / 2

    with_ctx = [i for i, c in enumerate(context) if len(c) >= 3]
    yc = [y[i] for i in with_ctx]
    in_document = {
        "passages": {"translated": sum(yc), "untranslated": len(yc) - sum(yc)},
        "passages_without_3_groups": {lab: sum(1 for i, c in enumerate(context) if labels[i] == lab and len(c) < 3)
                                      for lab in ("mt", "src", "verbatim")},
        "auc_absolute": round(_auc(yc, [own[i] for i in with_ctx]), 4),
        "auc_relative": round(_auc(yc, [own[i] - median(context[i]) for i in with_ctx]), 4),
        "median_context_decision": {
            lab: round(median(sorted(median(context[i]) for i in with_ctx if labels[i] == lab)), 3)
            for lab in ("mt", "src", "verbatim")},
    }
    res = {
        "split": args.split,
        "model": MODEL_FILES[args.parser],
        "passages": {"translated": n_pos, "untranslated": len(y) - n_pos},
        "threshold": thr,
        "statistical": {
            "auc": round(_auc(y, stat), 4),
            "auc_bootstrap": dict(zip(("se", "low95", "high95"),
                                      (round(v, 4) for v in auc_bootstrap(y, stat, [r["susp"] for r in rows])))),
            "accuracy": round(sum((p >= thr) == bool(t) for p, t in zip(stat, y)) / len(y), 4),
            **by_negative(stat),
        },
        "combined": {
            "auc": round(_auc(y, comb), 4),
            "accuracy": round(sum(v == t for v, t in zip(verdict, y)) / len(y), 4),
            **by_negative(comb),
        },
        "in_document": in_document,
        "ms_per_passage": round(1000 * elapsed / len(y), 2),
        "rule_hits": {
            rid: {"weight": weights[rid],
                  "translated_hits": hits["translated"][rid],
                  "translated_passages": passages_hit["translated"][rid],
                  "untranslated_hits": hits["untranslated"][rid],
                  "untranslated_passages": passages_hit["untranslated"][rid],
                  "source_document_hits": doc_hits[rid]}
            for rid in sorted(set(hits["translated"]) | set(hits["untranslated"]) | set(doc_hits))
        },
        "source_documents_checked": {"documents": n_docs, "characters": chars},
    }
    res["high_weight_rules_on_untranslated_passages"] = sorted(
        rid for rid, h in res["rule_hits"].items() if h["weight"] >= hw and h["untranslated_passages"])
    res["high_weight_rules_on_source_documents"] = sorted(
        rid for rid, h in res["rule_hits"].items() if h["weight"] >= hw and h["source_document_hits"])

    print(f"PAN13 {args.split}, {res['model']}: {n_pos} translated / {len(y) - n_pos} untranslated passages "
          f"(analyze: {res['ms_per_passage']} ms per passage)")
    for key, title in (("statistical", "statistical score"), ("combined", "combined verdict ")):
        m = res[key]
        print(f"{title}: AUC {m['auc']} (vs source passages {m['auc_vs_src']}, vs verbatim "
              f"{m['auc_vs_verbatim']}), accuracy {m['accuracy']}"
              + (f" at threshold {thr}" if key == "statistical" else ""))
        if key == "statistical":
            b = m["auc_bootstrap"]
            print(f"  AUC standard error {b['se']} (95 % interval {b['low95']}-{b['high95']}; 2,000 resamples of "
                  "the suspicious documents)")
    ind = res["in_document"]
    print(f"in-document ({ind['passages']['translated']} / {ind['passages']['untranslated']} passages with >= 3 "
          f"other paragraph groups): AUC of the decision {ind['auc_absolute']}, of the decision minus the median "
          f"of the other groups {ind['auc_relative']}; median context decision "
          + ", ".join(f"{k} {v}" for k, v in ind["median_context_decision"].items()))
    print(f"{'rule':48} {'weight':>6} {'tr.hits':>7} {'untr.hits':>9} {'src.docs':>8}")
    for rid, h in res["rule_hits"].items():
        print(f"{rid:48} {h['weight']:6.2f} {h['translated_hits']:7d} {h['untranslated_hits']:9d} "
              f"{h['source_document_hits']:8d}")
    print(f"high-weight rules (>= {hw}) firing on untranslated passages: "
          f"{res['high_weight_rules_on_untranslated_passages'] or 'none'}")
    print(f"high-weight rules firing on {n_docs} whole human source documents ({chars} chars): "
          f"{res['high_weight_rules_on_source_documents'] or 'none'}")
    if args.json_out:
        from provenance.fsutil import atomic_write_text

        atomic_write_text(args.json_out, json.dumps(res, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
