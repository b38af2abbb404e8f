"""Export a trace to Gephi (GEXF), and to any other graph tool (GraphML, DOT).

Run from the repository root::

    python examples/export_to_gephi.py [PATH ...]

Then in Gephi: File > Open > ``gephi-export/graph.gexf`` ("Append to existing
workspace" not needed). Nodes carry ``kind`` (document or latent), ``title``,
``date``, ``language``, ``translated`` and ``translation_score``; edges carry
``relation``, ``confidence`` (also the edge weight), the number of aligned
passages and of shared claims; ``shares_source`` and ``near_duplicate`` edges
are undirected. In the Appearance panel, colour nodes by ``kind`` or
``translated`` and size edges by ``weight``; the Layout panel's "Yifan Hu" or
"ForceAtlas 2" spreads the graph. ``graph.graphml`` opens in Gephi, yEd and
Cytoscape; ``graph.dot`` renders with Graphviz (``dot -Tsvg graph.dot``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from provenance.fsutil import atomic_write_bytes
from provenance.pipeline import trace
from provenance.readwrite import to_gexf, to_graphml, write_outputs


def main(paths: list[str], out_dir: str = "gephi-export") -> None:
    tr = trace(paths or ["seeds"])
    out = Path(out_dir)
    # everything at once (trace.json, graph.graphml, graph.gexf, graph.dot, report.html) ...
    written = write_outputs(tr, out)
    # ... or just the graph files, e.g. into a Gephi project folder
    atomic_write_bytes(out / "only-graph.gexf", to_gexf(tr))
    atomic_write_bytes(out / "only-graph.graphml", to_graphml(tr))
    g = tr.to_networkx()
    print(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    print(f"Open {written['gexf']} in Gephi (File > Open).")


if __name__ == "__main__":
    main(sys.argv[1:])
