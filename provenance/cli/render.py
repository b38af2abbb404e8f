"""Terminal rendering for ``trace``: rich tables, the graph as a tree, progress bars.

The rich summary is used when stdout is a terminal; piped output stays the
plain :func:`provenance.cli.trace.summary_lines`. Progress bars go to stderr,
only when stderr is a terminal and ``--quiet`` is not given.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from rich.console import Console

    from ..graph import Trace

_STAGE_LABELS = {"load": "Loading files", "analyze": "Analysing documents", "compare": "Comparing candidate pairs"}


def _clip(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _verdict(a) -> str:
    t = a.translation
    if not t.translated:
        return f"no ({t.score:.2f})"
    v = "yes" + (f", from {t.source_language}" if t.source_language else "")
    if t.round_trip:
        v += ", round trip via " + ", ".join(t.pivot_languages or ("?",))
    return f"{v} ({t.score:.2f})"


def graph_tree(tr: "Trace"):
    """The derivation graph as a :class:`rich.tree.Tree`.

    Roots are nodes nothing derives into; children are the texts that derive
    from a node (a text reached twice is shown once, then "see above").
    Undirected relations are listed under the first appearance of a node.
    """
    from rich.markup import escape
    from rich.tree import Tree

    titles = {a.doc.id: a.doc.title or "" for a in tr.analyses}
    titles.update({s.id: f"{s.label} (latent {s.kind} source)" for s in tr.latent_sources})
    children: dict[str, list] = {}
    has_parent: set[str] = set()
    undirected: dict[str, list] = {}
    for e in tr.edges:
        if e.directed:
            children.setdefault(e.source, []).append(e)
            has_parent.add(e.target)
        else:
            undirected.setdefault(e.source, []).append((e.target, e))
            undirected.setdefault(e.target, []).append((e.source, e))
    nodes = [s.id for s in tr.latent_sources] + [a.doc.id for a in tr.analyses]
    connected = set(children) | has_parent | set(undirected)
    tree = Tree("[bold]Derivation graph[/bold]")
    shown: set[str] = set()

    def label(n: str) -> str:
        return f"[bold]{escape(n)}[/bold] [dim]{escape(_clip(titles.get(n, ''), 60))}[/dim]"

    def add(branch, n: str, via=None) -> None:
        text = label(n)
        if via is not None:
            text = f"[cyan]derives {via.confidence:.2f}[/cyan] {text}"
        if n in shown:
            branch.add(text + " [dim](see above)[/dim]")
            return
        shown.add(n)
        node = branch.add(text)
        for other, e in sorted(undirected.get(n, []), key=lambda x: x[0]):
            rel = "near-duplicate of" if e.relation == "near_duplicate" else "shares a source with"
            node.add(f"[magenta]{rel}[/magenta] {escape(other)} [dim]({e.confidence:.2f})[/dim]")
        for e in sorted(children.get(n, []), key=lambda e: e.target):
            add(node, e.target, e)

    for n in nodes:
        if n in connected and n not in has_parent and n not in shown:
            add(tree, n)
    for n in nodes:  # nodes only on undirected edges whose partner was never reached
        if n in connected and n not in shown:
            add(tree, n)
    lonely = [n for n in nodes if n not in connected]
    if lonely:
        tree.add("[dim]no edges: " + escape(", ".join(lonely)) + "[/dim]")
    return tree


def print_summary(tr: "Trace", written: dict, console: "Console") -> None:
    """Documents and edges as tables, the graph as a tree, then the files written."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{len(tr.analyses)}[/bold] documents, [bold]{len(tr.edges)}[/bold] edges, "
                  f"[bold]{len(tr.latent_sources)}[/bold] latent sources")
    docs = Table(title="Documents", title_justify="left", box=box.SIMPLE_HEAD)
    docs.add_column("id", no_wrap=True)
    docs.add_column("lang", no_wrap=True)
    docs.add_column("date", no_wrap=True)
    docs.add_column("MT", overflow="fold")
    docs.add_column("title", overflow="fold", ratio=1)
    for a in tr.analyses:
        docs.add_row(escape(a.doc.id), a.prepared.language or "?", a.date or "undated", _verdict(a),
                     escape(_clip(a.doc.title or "", 70)))
    console.print(docs)
    edges = Table(title="Edges", title_justify="left", box=box.SIMPLE_HEAD)
    for col, just in (("from", "left"), ("", "center"), ("to", "left"), ("relation", "left"),
                      ("conf.", "right"), ("pass.", "right")):
        edges.add_column(col, justify=just, no_wrap=True)
    edges.add_column("shared claims", overflow="fold", ratio=1)
    for e in tr.edges:
        claims = ", ".join(sorted({c.a.text if not c.drift else f"{c.a.text} ~ {c.b.text}" for c in e.shared_claims}))
        n_pass = len(e.alignments) or len(e.sibling_alignments)
        edges.add_row(escape(e.source), "→" if e.directed else "—", escape(e.target), e.relation,
                      f"{e.confidence:.2f}", str(n_pass), escape(_clip(claims, 60)))
    if not tr.edges and not tr.weak_edges:
        console.print("[bold]Edges[/bold]: none (no two texts share specific material; topic overlap alone is not derivation)")
    elif not tr.edges:
        console.print("[bold]Edges[/bold]: none at the reporting confidence")
    else:
        console.print(edges)
    if tr.weak_edges:
        console.print(f"{tr.weak_note()}: weak_edges in trace.json, listed in report.html")
    console.print(graph_tree(tr))
    console.print("")
    console.print("Wrote " + ", ".join(escape(str(p)) for p in written.values()))
    if "html" in written:
        console.print(f"Open [bold]{escape(str(written['html']))}[/bold] in a browser to read the evidence.")


@contextlib.contextmanager
def progress_bars(quiet: bool = False, stream=None) -> Iterator[Callable[[str, int, int], None] | None]:
    """A ``progress(stage, done, total)`` callback drawing rich bars on stderr, or ``None``.

    ``None`` (no bars) when ``quiet`` or when the stream is not a terminal.
    """
    stream = sys.stderr if stream is None else stream
    if quiet or not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(file=stream), transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(_STAGE_LABELS.get(stage, stage), total=total or None)
        bars.update(tasks[stage], completed=done, total=total or None)

    with bars:
        yield update
