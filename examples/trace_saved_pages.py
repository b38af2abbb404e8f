"""Trace a folder of saved web pages and open the HTML report.

Run from the repository root (needs the ``html`` extra: ``pip install 'provenance[html]'``)::

    python examples/trace_saved_pages.py [OUT_DIR]

The same as the command line::

    provenance trace examples/saved_pages -o OUT_DIR

``saved_pages/`` holds three pages saved from a browser ("Save page as...,
HTML only"): a wire story, a local paper's rewrite of it (with navigation,
a cookie banner, "most read" links and a footer around the article) and an
unrelated story about the same harbor. The main text of each page is
extracted (trafilatura), with its title, author and publication date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from provenance.pipeline import trace
from provenance.readwrite import write_outputs

HERE = Path(__file__).resolve().parent


def main(out_dir: str = "saved-pages-report") -> None:
    tr = trace([HERE / "saved_pages"])
    for a in tr.analyses:
        meta = dict(a.doc.meta)
        print(f"{a.doc.id}: {a.doc.title!r} by {meta.get('author', '?')}, {a.date or 'undated'}")
    for e in tr.edges:
        arrow = "->" if e.directed else "--"
        print(f"  {e.source} {arrow} {e.target}  {e.relation} ({e.confidence:.2f}), {len(e.alignments)} aligned passages")
    written = write_outputs(tr, out_dir)
    print(f"Open {written['html']} in a browser to read the evidence.")


if __name__ == "__main__":
    main(*sys.argv[1:2])
