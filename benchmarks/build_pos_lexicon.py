"""Build ``provenance/data/pos_lexicon.json``, the part-of-speech lexicon of the translation score.

Usage::

    python benchmarks/build_pos_lexicon.py [--out provenance/data/pos_lexicon.json]

Copies the Brill tagger lexicon (word -> most frequent Penn Treebank tag,
trained on the Brown corpus and the Penn Treebank; MIT license) as shipped
in the ``textblob`` package (``textblob/en/en-lexicon.txt``), keeping its
attribution header. ``textblob`` is needed only here, not at run time.
The output (``{"schema", "license", "tags": {tag: "word word ..."}}``,
words sorted) is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "provenance" / "data"
                                         / "pos_lexicon.json"))
    args = ap.parse_args(argv)
    try:
        text = resources.files("textblob").joinpath("en/en-lexicon.txt").read_text("utf-8")
    except ModuleNotFoundError:
        sys.exit("error: needs the textblob package (pip install textblob)")
    header = [line for line in text.splitlines() if line.startswith(";;;")]
    entries = {}
    for line in text.splitlines():
        parts = line.split()
        if line.startswith(";;;") or len(parts) != 2:
            continue
        entries[parts[0]] = parts[1]
    by_tag: dict[str, list[str]] = {}
    for w, t in sorted(entries.items()):
        by_tag.setdefault(t, []).append(w)
    doc = {
        "schema": "provenance-pos-lexicon/1",
        "license": [h[3:].strip() for h in header if h[3:].strip()]
        + ["Copied from textblob/en/en-lexicon.txt (TextBlob, MIT license)."],
        "tags": {t: " ".join(ws) for t, ws in sorted(by_tag.items())},
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=0, sort_keys=True)
        fh.write("\n")
    print(f"{len(entries)} words -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
