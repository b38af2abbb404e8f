"""The derivation graph: edges, latent sources, the Trace result, and DAG repair."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .records import Alignment, Signal

if TYPE_CHECKING:
    import networkx as nx

    from .evidence import SharedClaim
    from .pipeline import Analysis

SCHEMA = "provenance-trace/1"


@dataclass(frozen=True)
class LatentSource:
    """An upstream text that is not in the collection."""

    id: str
    label: str
    kind: str  # "cited" | "inferred"
    evidence: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "evidence": list(self.evidence)}


@dataclass(frozen=True)
class Edge:
    """A relation between two nodes with the evidence for it.

    For ``derives_from``, ``source`` is upstream and ``target`` derived. For
    undirected relations ``source < target`` by id. Alignment offsets index
    the raw texts of ``source`` and ``target`` respectively.
    """

    source: str
    target: str
    relation: str  # "near_duplicate" | "derives_from" | "shares_source"
    directed: bool
    confidence: float
    alignments: tuple[Alignment, ...] = ()
    shared_claims: tuple["SharedClaim", ...] = ()
    signals: tuple[Signal, ...] = ()
    sibling_alignments: tuple[dict[str, Any], ...] = ()

    def sort_key(self) -> tuple:
        return (self.source, self.target, self.relation)

    def to_dict(self) -> dict[str, Any]:
        ev: dict[str, Any] = {
            "alignments": [a.to_dict() for a in self.alignments],
            "shared_claims": [c.to_dict() for c in self.shared_claims],
            "signals": [s.to_dict() for s in self.signals],
        }
        if self.sibling_alignments:
            ev["sibling_alignments"] = list(self.sibling_alignments)
        return {"source": self.source, "target": self.target, "relation": self.relation,
                "directed": self.directed, "confidence": self.confidence, "evidence": ev}


def enforce_dag(edges: list[Edge]) -> list[Edge]:
    """Break cycles among ``derives_from`` edges, weakest edge first.

    A broken edge stays as an undirected ``shares_source`` edge: the texts
    are related, the direction was wrong somewhere in the cycle.
    """
    import networkx as nx

    edges = list(edges)
    while True:
        g = nx.DiGraph()
        for k, e in enumerate(edges):
            if e.relation == "derives_from":
                g.add_edge(e.source, e.target, k=k)
        try:
            cycle = nx.find_cycle(g)
        except nx.NetworkXNoCycle:
            return edges
        ks = [g.edges[u, v]["k"] for u, v in cycle]
        weakest = min(ks, key=lambda k: (edges[k].confidence, edges[k].sort_key()))
        e = edges[weakest]
        a, b = sorted([e.source, e.target])
        flip = a != e.source
        edges[weakest] = Edge(
            a, b, "shares_source", False, e.confidence,
            tuple(x.swapped() for x in e.alignments) if flip else e.alignments,
            e.shared_claims, e.signals + (Signal("cycle_broken", 1.0, None, "direction dropped to break a cycle"),),
        )


@dataclass(frozen=True)
class Trace:
    """Result of :func:`provenance.trace`."""

    analyses: tuple["Analysis", ...]
    edges: tuple[Edge, ...]
    latent_sources: tuple[LatentSource, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    skipped: tuple[tuple[str, str], ...] = ()

    def document_dicts(self) -> list[dict[str, Any]]:
        out = []
        for a in self.analyses:
            d = a.doc
            out.append({
                "id": d.id, "path": d.path, "title": d.title, "date": a.date,
                "language": a.prepared.language, "translation": a.translation.to_dict(),
                "artifacts": [x.to_dict() for x in a.artifacts],
            })
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``provenance-trace/1`` document (see README, 'trace.json')."""
        from . import __version__

        return {
            "schema": SCHEMA,
            "generator": {"name": "provenance", "version": __version__},
            "config": self.config,
            "documents": self.document_dicts(),
            "latent_sources": [x.to_dict() for x in self.latent_sources],
            "edges": [e.to_dict() for e in self.edges],
            "skipped": [{"path": p, "problem": m} for p, m in self.skipped],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict`` as JSON text; byte-identical for identical input and seed."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=False) + "\n"

    def to_networkx(self) -> "nx.MultiDiGraph":
        """Documents and latent sources as nodes, relations as edges (scalar attributes)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for a in self.analyses:
            g.add_node(a.doc.id, kind="document", title=a.doc.title or "", path=a.doc.path,
                       date=a.date or "", language=a.prepared.language or "",
                       translated=a.translation.translated, translation_score=a.translation.score,
                       source_language=a.translation.source_language or "")
        for s in self.latent_sources:
            g.add_node(s.id, kind="latent", title=s.label, latent_kind=s.kind)
        for e in self.edges:
            g.add_edge(e.source, e.target, relation=e.relation, directed=e.directed,
                       confidence=e.confidence, alignments=len(e.alignments),
                       shared_claims=len(e.shared_claims))
        return g
