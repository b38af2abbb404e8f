"""Trace the seed articles from Python and walk the evidence of each edge.

Run from the repository root: ``python examples/trace_api.py``.
"""

from pathlib import Path

import provenance

ROOT = Path(__file__).resolve().parent.parent
tr = provenance.trace([ROOT / "seeds"], seed=1)
raw = {a.doc.id: a.doc.raw for a in tr.analyses}

for e in tr.edges:
    arrow = "->" if e.directed else "--"
    print(f"{e.source} {arrow} {e.target}: {e.relation} ({e.confidence:.2f})")
    for al in e.alignments[:2]:
        print("   ", raw[e.source][al.source_start:al.source_end][:90])
        print("  ~", raw[e.target][al.target_start:al.target_end][:90])

g = tr.to_networkx()
print(g.number_of_nodes(), "nodes,", g.number_of_edges(), "edges")
