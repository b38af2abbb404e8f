"""Output formats of a trace: JSON, GraphML, GEXF, DOT and the HTML report. All written atomically."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from .fsutil import atomic_write_bytes, atomic_write_text
from .graph import Trace


#: Document metadata copied onto graph-file nodes (when the input format has it).
EXPORTED_META = ("author", "sitename", "url", "format")


def export_graph(trace: Trace):
    """``trace.to_networkx()`` plus the documents' author/site/URL/format, for graph files."""
    g = trace.to_networkx()
    for a in trace.analyses:
        meta = dict(a.doc.meta)
        for key in EXPORTED_META:
            if meta.get(key):
                g.nodes[a.doc.id][key] = meta[key]
    return g


def to_graphml(trace: Trace) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(export_graph(trace), buf)
    return buf.getvalue()


def to_gexf(trace: Trace) -> bytes:
    """GEXF 1.2 for Gephi: scalar node and edge attributes, edge weight = confidence."""
    import networkx as nx

    g = export_graph(trace)
    for _u, _v, data in g.edges(data=True):
        data["weight"] = data.get("confidence", 1.0)
        if not data.get("directed", True):
            data["type"] = "undirected"
    for n, data in g.nodes(data=True):
        data["label"] = data.get("title") or n
    buf = io.BytesIO()
    nx.write_gexf(g, buf, version="1.2draft")
    # networkx stamps today's date; drop it so identical input gives identical bytes
    return re.sub(rb'\s+lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)


def _dot_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(trace: Trace) -> str:
    """Graphviz DOT: solid arrows for derives_from, dashed for shares_source, bold for near-duplicates."""
    lines = ["digraph provenance {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for a in trace.analyses:
        label = a.doc.id + ("\\n" + _dot_escape((a.doc.title or "")[:60]) if a.doc.title else "")
        if a.translation.translated:
            label += "\\n[machine-translated" + (f" from {a.translation.source_language}" if a.translation.source_language else "") + "]"
        lines.append(f'  "{_dot_escape(a.doc.id)}" [label="{label}"];')
    for s in trace.latent_sources:
        lines.append(f'  "{_dot_escape(s.id)}" [label="{_dot_escape(s.label)}\\n({s.kind} source, not in corpus)", style=dashed, shape=ellipse];')
    for e in trace.edges:
        style = {"derives_from": "solid", "shares_source": "dashed", "near_duplicate": "bold"}[e.relation]
        arrow = "" if e.directed else ", dir=none"
        lines.append(f'  "{_dot_escape(e.source)}" -> "{_dot_escape(e.target)}" '
                     f'[label="{e.relation} {e.confidence:.2f}", style={style}{arrow}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_outputs(trace: Trace, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write trace.json, graph.graphml, graph.gexf, graph.dot and report.html into ``out_dir``."""
    from .report_html import render_html

    out = Path(out_dir)
    paths = {"json": out / "trace.json", "graphml": out / "graph.graphml", "dot": out / "graph.dot",
             "gexf": out / "graph.gexf", "html": out / "report.html"}
    atomic_write_text(paths["json"], trace.to_json())
    atomic_write_bytes(paths["graphml"], to_graphml(trace))
    atomic_write_text(paths["dot"], to_dot(trace))
    atomic_write_bytes(paths["gexf"], to_gexf(trace))
    atomic_write_text(paths["html"], render_html(trace))
    return paths
