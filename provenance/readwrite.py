"""Output formats of a trace: JSON, GraphML, DOT. All written atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

from .fsutil import atomic_write_bytes, atomic_write_text
from .graph import Trace


def to_graphml(trace: Trace) -> bytes:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(trace.to_networkx(), buf)
    return buf.getvalue()


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
    """Write trace.json, graph.graphml and graph.dot into ``out_dir``."""
    out = Path(out_dir)
    paths = {"json": out / "trace.json", "graphml": out / "graph.graphml", "dot": out / "graph.dot"}
    atomic_write_text(paths["json"], trace.to_json())
    atomic_write_bytes(paths["graphml"], to_graphml(trace))
    atomic_write_text(paths["dot"], to_dot(trace))
    return paths
