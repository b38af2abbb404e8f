"""``report.html``: one self-contained page a reader can check the trace with.

The page has no external resources and no script: inline CSS, an inline SVG
drawing of the derivation graph (laid out here, deterministically), then per
document its metadata and highlighted translation artefacts, and per edge
the aligned passages side by side with shared words and claims highlighted
and the direction signals listed. A Content-Security-Policy forbids any
network request and any script, so even a bug in escaping could not run
code from a document. All text from documents goes through
:func:`html.escape`.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from .graph import Edge, Trace

#: Alignments shown open per edge; the rest are behind a "more" disclosure.
SHOWN_PASSAGES = 8
#: Sibling passages shown per latent-source edge.
SHOWN_SIBLING_PASSAGES = 6
#: Above this many edges the graph drops the numbers on lines (width still shows confidence).
MAX_LABELLED_EDGES = 30
#: Nodes per line of a graph layer before the layer wraps.
MAX_NODES_PER_LINE = 6

_NODE_W, _NODE_H = 190, 56
_GAP_X, _GAP_Y = 40, 120
_MARGIN = 30

_RELATION_TEXT = {
    "derives_from": "derives from",
    "shares_source": "shares a source with",
    "near_duplicate": "is a near-duplicate of",
}

_STOPWORDS = frozenset("""
a an and are as at be been but by for from had has have he her his in into is it its of on or our
said says she that the their them there these they this to was we were which who will with would
""".split())

#: Words, with numbers kept whole ("20,000", "4.2", "600%").
_WORD = re.compile(r"\d+(?:[.,]\d+)*%?|\w+", re.UNICODE)

_CSS = """
:root{--ink:#1d2430;--muted:#5b6473;--line:#d5dae1;--bg:#f7f8fa;--doc:#e8f0fb;--docb:#3b6fb6;
--mt:#fdebd3;--mtb:#c46f0a;--lat:#f1f1f1;--latb:#777;--word:#fff2a8;--claim:#b9e6c9;--art:#ffd0cc}
*{box-sizing:border-box}
body{font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
header,main{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.25em;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:1.8em}
h3{font-size:1.05em;margin:.2em 0}
.muted{color:var(--muted)}
.small{font-size:.86em}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 14px;margin:12px 0;background:#fff}
.card:target{outline:3px solid #7aa7e6}
.graph{border:1px solid var(--line);border-radius:6px;background:var(--bg);overflow:auto;padding:6px}
.graph svg{display:block;margin:0 auto;max-width:100%;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:.86em;color:var(--muted);margin:6px 0}
.legend span{white-space:nowrap}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{font-weight:600;background:var(--bg)}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin:8px 0;padding:8px 0;border-top:1px dashed var(--line)}
.pair .side{background:var(--bg);border-radius:4px;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere}
.pair .who{display:block;font-size:.8em;color:var(--muted);white-space:normal}
.score{font-size:.8em;color:var(--muted)}
mark.w{background:var(--word);padding:0}
mark.c{background:var(--claim);padding:0 1px;border-radius:2px;font-weight:600}
mark.a{background:var(--art);padding:0 1px;border-radius:2px;text-decoration:underline dotted}
.badge{display:inline-block;font-size:.78em;padding:1px 7px;border-radius:10px;border:1px solid var(--line);background:var(--bg);margin-left:4px}
.badge.mt{background:var(--mt);border-color:var(--mtb)}
.badge.rel{background:var(--doc);border-color:var(--docb)}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);padding:8px;border-radius:4px;max-height:32em;overflow:auto}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
details>summary{cursor:pointer;color:#2d5fa3}
footer{max-width:1200px;margin:30px auto;padding:0 20px;color:var(--muted);font-size:.85em}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(value: Any) -> str:
    """Escape any value for HTML/SVG text and attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ------------------------------------------------------------ highlighting

@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    cls: str
    title: str = ""
    priority: int = 0


def highlight(text: str, spans: Iterable[_Span]) -> str:
    """``text`` escaped, with non-overlapping ``spans`` wrapped in ``<mark>``.

    Where spans overlap, the higher ``priority`` (then the earlier, then the
    longer) wins and the other is dropped.

    Examples
    --------
    >>> highlight("a <b> c", [_Span(2, 5, "c")])
    'a <mark class="c">&lt;b&gt;</mark> c'
    """
    chosen: list[_Span] = []
    taken = [False] * len(text)
    for s in sorted(spans, key=lambda s: (-s.priority, s.start, -(s.end - s.start), s.cls)):
        a, b = max(0, s.start), min(len(text), s.end)
        if a >= b or any(taken[a:b]):
            continue
        taken[a:b] = [True] * (b - a)
        chosen.append(_Span(a, b, s.cls, s.title, s.priority))
    out, pos = [], 0
    for s in sorted(chosen, key=lambda s: s.start):
        out.append(_e(text[pos:s.start]))
        title = f' title="{_e(s.title)}"' if s.title else ""
        out.append(f'<mark class="{s.cls}"{title}>{_e(text[s.start:s.end])}</mark>')
        pos = s.end
    out.append(_e(text[pos:]))
    return "".join(out)


def _content_words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORD.finditer(text))
            if (len(w) >= 3 or w.isdigit()) and w not in _STOPWORDS}


def _word_spans(text: str, shared: set[str]) -> list[_Span]:
    return [_Span(m.start(), m.end(), "w") for m in _WORD.finditer(text) if m.group().lower() in shared]


def _passage_pair(left: str, right: str, left_claims: Sequence[_Span], right_claims: Sequence[_Span]) -> tuple[str, str]:
    shared = _content_words(left) & _content_words(right)
    return (highlight(left, [*left_claims, *_word_spans(left, shared)]),
            highlight(right, [*right_claims, *_word_spans(right, shared)]))


# ------------------------------------------------------------ graph layout

@dataclass(frozen=True)
class _Node:
    id: str
    label: str
    title: str
    kind: str  # "document" | "translated" | "latent"
    anchor: str
    x: float = 0.0
    y: float = 0.0


def layered_layout(node_ids: Sequence[str], edges: Sequence[tuple[str, str, bool]]) -> dict[str, tuple[float, float]]:
    """Deterministic layered positions (node centres) for a graph.

    Layers follow the directed edges (upstream above); each node's layer is
    the longest directed path reaching it. Nodes with no edge at all go to a
    last layer. Within a layer nodes are ordered by the mean position of
    their neighbours in the layers above (two sweeps), ties by id; long
    layers wrap after :data:`MAX_NODES_PER_LINE` nodes.
    """
    ids = sorted(node_ids)
    parents: dict[str, set[str]] = {n: set() for n in ids}
    neighbours: dict[str, set[str]] = {n: set() for n in ids}
    for s, t, directed in edges:
        if s not in parents or t not in parents or s == t:
            continue
        neighbours[s].add(t)
        neighbours[t].add(s)
        if directed:
            parents[t].add(s)
    rank: dict[str, int] = {}

    def rank_of(n: str, depth: int = 0) -> int:
        if n not in rank:
            rank[n] = 0  # provisional: guards against a cycle
            if depth < len(ids):
                rank[n] = 1 + max((rank_of(p, depth + 1) for p in sorted(parents[n])), default=-1)
        return rank[n]

    for n in ids:
        rank_of(n)
    connected = [n for n in ids if neighbours[n]]
    last = max((rank[n] for n in connected), default=-1) + 1
    for n in ids:
        if not neighbours[n] and connected:
            rank[n] = last
    layers: dict[int, list[str]] = {}
    for n in ids:
        layers.setdefault(rank[n], []).append(n)
    order = {n: float(i) for layer in layers.values() for i, n in enumerate(layer)}
    for _sweep in range(2):
        for r in sorted(layers):
            if r == 0:
                continue
            def key(n: str) -> tuple[float, str]:
                up = [order[p] for p in neighbours[n] if rank[p] < r]
                return (sum(up) / len(up) if up else order[n], n)
            layers[r].sort(key=key)
            for i, n in enumerate(layers[r]):
                order[n] = float(i)
    widest = min(MAX_NODES_PER_LINE, max((len(v) for v in layers.values()), default=1))
    pos: dict[str, tuple[float, float]] = {}
    line = 0
    for r in sorted(layers):
        layer = layers[r]
        for k in range(0, len(layer), MAX_NODES_PER_LINE):
            chunk = layer[k:k + MAX_NODES_PER_LINE]
            offset = (widest - len(chunk)) * (_NODE_W + _GAP_X) / 2
            for i, n in enumerate(chunk):
                x = _MARGIN + offset + i * (_NODE_W + _GAP_X) + _NODE_W / 2
                y = _MARGIN + line * (_NODE_H + _GAP_Y) + _NODE_H / 2
                pos[n] = (x, y)
            line += 1
    return pos


def _border_point(cx: float, cy: float, tx: float, ty: float, ellipse: bool) -> tuple[float, float]:
    """Where the segment from a node's centre towards (tx, ty) leaves the node's shape."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    hw, hh = _NODE_W / 2, _NODE_H / 2
    if ellipse:
        k = 1.0 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
    else:
        k = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return cx + dx * k, cy + dy * k


def _arc_depth(dx: float) -> float:
    """How far below its two nodes the arc between two nodes on one line dips."""
    return 18 + 0.2 * dx


def _make_room_for_arcs(pos: dict[str, tuple[float, float]], pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Push lines down so that arcs between nodes of the line above do not reach them."""
    need: dict[float, float] = {}
    for s, t in pairs:
        if s in pos and t in pos and abs(pos[s][1] - pos[t][1]) < 1:
            y = pos[s][1]
            need[y] = max(need.get(y, 0.0), _arc_depth(abs(pos[s][0] - pos[t][0])) + 30 - _GAP_Y)
    shift, shifts = 0.0, {}
    for y in sorted({y for _, y in pos.values()}):
        shifts[y] = shift
        shift += max(0.0, need.get(y, 0.0))
    return {n: (x, y + shifts[y]) for n, (x, y) in pos.items()}


def render_svg(trace: "Trace", anchors: dict[str, str], edge_anchors: Sequence[str]) -> str:
    """The derivation graph as an inline SVG element."""
    nodes: list[_Node] = []
    for a in trace.analyses:
        kind = "translated" if a.translation.translated else "document"
        nodes.append(_Node(a.doc.id, a.doc.id, a.doc.title or "", kind, anchors[a.doc.id]))
    for s in trace.latent_sources:
        nodes.append(_Node(s.id, s.label, f"{s.kind} source, not in the collection", "latent", anchors[s.id]))
    by_id = {n.id: n for n in nodes}
    pos = layered_layout(list(by_id), [(e.source, e.target, e.directed) for e in trace.edges])
    pos = _make_room_for_arcs(pos, [(e.source, e.target) for e in trace.edges])
    width = max((x for x, _ in pos.values()), default=0) + _NODE_W / 2 + _MARGIN
    lowest_arc = max((pos[e.source][1] + _NODE_H / 2 + _arc_depth(abs(pos[e.source][0] - pos[e.target][0]))
                      for e in trace.edges if e.source in pos and e.target in pos
                      and abs(pos[e.source][1] - pos[e.target][1]) < 1), default=0.0)
    height = max(max((y for _, y in pos.values()), default=0) + _NODE_H / 2, lowest_arc) + _MARGIN
    width = max(width, 2 * _MARGIN + _NODE_W)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="graph" role="img" aria-label="derivation graph" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="#33415c"/></marker>'
        "</defs>",
    ]
    edge_parts, label_parts = [], []
    for e, anchor in zip(trace.edges, edge_anchors):
        if e.source not in pos or e.target not in pos:
            continue
        (sx, sy), (tx, ty) = pos[e.source], pos[e.target]
        width_px = 1.0 + 4.0 * max(0.0, min(1.0, e.confidence))
        dash = ' stroke-dasharray="7 5"' if e.relation == "shares_source" else ""
        colour = {"derives_from": "#33415c", "shares_source": "#6b7a90", "near_duplicate": "#8a3ab9"}.get(e.relation, "#33415c")
        marker = ' marker-end="url(#arrow)"' if e.directed else ""
        src_ell = by_id[e.source].kind == "latent"
        tgt_ell = by_id[e.target].kind == "latent"
        if abs(sy - ty) < 1:  # same line: an arc below the two nodes
            side = 1.0 if tx >= sx else -1.0  # leave and enter on the facing half of each box
            x0, y0 = sx + side * _NODE_W / 4, sy + _NODE_H / 2
            x1, y1 = tx - side * _NODE_W / 4, ty + _NODE_H / 2
            bend = _arc_depth(abs(tx - sx))
            cx, cy = (x0 + x1) / 2, y0 + bend * 2
            d = f"M{x0:.1f},{y0:.1f} Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}"
            lx, ly = 0.25 * x0 + 0.5 * cx + 0.25 * x1, 0.25 * y0 + 0.5 * cy + 0.25 * y1
        else:
            x0, y0 = _border_point(sx, sy, tx, ty, src_ell)
            x1, y1 = _border_point(tx, ty, sx, sy, tgt_ell)
            d = f"M{x0:.1f},{y0:.1f} L{x1:.1f},{y1:.1f}"
            lx, ly = (x0 + x1) / 2, (y0 + y1) / 2
        title = f"{e.source} {_RELATION_TEXT.get(e.relation, e.relation)} {e.target} (confidence {e.confidence:.2f})"
        if e.relation == "derives_from":
            title = f"{e.target} derives from {e.source} (confidence {e.confidence:.2f})"
        edge_parts.append(
            f'<a href="#{anchor}" class="edge"><title>{_e(title)}</title>'
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width_px:.1f}"{dash}{marker} '
            f'stroke-opacity="{0.45 + 0.55 * e.confidence:.2f}"/></a>'
        )
        label_parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-size="11" fill="{colour}" '
            f'stroke="#f7f8fa" stroke-width="4" paint-order="stroke">{e.confidence:.2f}</text>'
        )
    out.extend(edge_parts)
    for n in nodes:
        x, y = pos[n.id]
        fill, stroke = {"document": ("#e8f0fb", "#3b6fb6"), "translated": ("#fdebd3", "#c46f0a"),
                        "latent": ("#f1f1f1", "#777777")}[n.kind]
        tip = f"{n.id}: {n.title}" if n.title else n.id
        shape = (f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{_NODE_W / 2}" ry="{_NODE_H / 2}" fill="{fill}" '
                 f'stroke="{stroke}" stroke-width="1.5" stroke-dasharray="5 4"/>' if n.kind == "latent" else
                 f'<rect x="{x - _NODE_W / 2:.1f}" y="{y - _NODE_H / 2:.1f}" width="{_NODE_W}" height="{_NODE_H}" '
                 f'rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>')
        line1 = _clip(n.label, 26)
        line2 = _clip(n.title, 30) if n.kind != "latent" else "latent source"
        if n.kind == "translated":
            line2 = _clip("MT · " + n.title, 30)
        out.append(
            f'<a href="#{n.anchor}" class="node"><title>{_e(tip)}</title>{shape}'
            f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-weight="bold">{_e(line1)}</text>'
            f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle" fill="#5b6473" font-size="11">{_e(line2)}</text></a>'
        )
    if len(label_parts) <= MAX_LABELLED_EDGES:
        out.extend(label_parts)
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------ sections

def _doc_section(a: Any, anchor: str, incident: list[tuple[str, str]]) -> str:
    d = a.doc
    t = a.translation
    badges = [f'<span class="badge">{_e(a.prepared.language or "language ?")}</span>']
    if t.translated:
        verdict = "machine-translated" + (f" from {t.source_language}" if t.source_language else "")
        if t.round_trip:
            verdict += " (round trip via " + ", ".join(t.pivot_languages or ("?",)) + ")"
        badges.append(f'<span class="badge mt">{_e(verdict)}</span>')
    rows = [("path", d.path), ("date", a.date or "undated"),
            ("translation score", f"{t.score:.2f}" + ("" if t.translated else " (not machine-translated)"))]
    rows += [(k, v) for k, v in d.meta]
    meta = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    parts = [f'<section class="card doc" id="{anchor}">',
             f'<h3><span class="id">{_e(d.id)}</span> {"".join(badges)}</h3>',
             f'<div>{_e(d.title or "")}</div><dl class="meta">{meta}</dl>']
    if incident:
        parts.append('<div class="small">Edges: ' + ", ".join(
            f'<a href="#{anc}">{_e(label)}</a>' for anc, label in incident) + "</div>")
    if a.artifacts:
        parts.append(f"<p><b>Translation artefacts</b> ({len(a.artifacts)})</p><table><tr><th>rule</th>"
                     "<th>in context</th><th>explanation</th></tr>")
        for art in a.artifacts:
            lo, hi = max(0, art.start - 60), min(len(d.raw), art.end + 60)
            ctx = highlight(d.raw[lo:hi], [_Span(art.start - lo, art.end - lo, "a", art.rule)])
            expl = art.explanation + (f" (English: {art.canonical})" if art.canonical else "")
            parts.append(f"<tr><td><code>{_e(art.rule)}</code></td><td>{'…' if lo else ''}{ctx}{'…' if hi < len(d.raw) else ''}"
                         f"</td><td class=\"small\">{_e(expl)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="muted small">No translation artefacts found.</p>')
    spans = [_Span(x.start, x.end, "a", f"{x.rule}: {x.explanation}") for x in a.artifacts]
    parts.append(f'<details><summary>Full text ({len(d.raw)} characters)</summary>'
                 f'<div class="text">{highlight(d.raw, spans)}</div></details></section>')
    return "".join(parts)


def _signals_table(e: "Edge") -> str:
    if not e.signals:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(s.name)}</code></td><td>{s.value:.3g}</td>"
        f'<td class="id">{_e(s.favours or "neither")}</td><td>{_e(s.detail)}</td></tr>'
        for s in e.signals
    )
    return ("<p><b>Signals</b></p><table class=\"signals\"><tr><th>signal</th><th>value</th>"
            f"<th>says upstream is</th><th>detail</th></tr>{rows}</table>")


def _claim_spans(e: "Edge", side: str, lo: int, hi: int) -> list[_Span]:
    out = []
    for c in e.shared_claims:
        cl = c.a if side == "source" else c.b
        if lo <= cl.start and cl.end <= hi:
            title = f"shared claim ({cl.kind})" + (" with drift" if c.drift else "")
            out.append(_Span(cl.start - lo, cl.end - lo, "c", title, priority=1))
    return out


def _matching_claims(left: str, right: str) -> tuple[list[_Span], list[_Span]]:
    """Spans of the specific claims (same canonical key) two passages both state."""
    from .signals import find_claims, is_specific

    a = [c for c in find_claims(left) if is_specific(c)]
    b = [c for c in find_claims(right) if is_specific(c)]
    keys = {c.key for c in a} & {c.key for c in b}
    return ([_Span(c.start, c.end, "c", f"shared claim ({c.kind})", 1) for c in a if c.key in keys],
            [_Span(c.start, c.end, "c", f"shared claim ({c.kind})", 1) for c in b if c.key in keys])


def _artifact_spans(arts: Sequence[Any], lo: int, hi: int) -> list[_Span]:
    return [_Span(x.start - lo, x.end - lo, "a", f"translation artefact: {x.rule}", 2)
            for x in arts if lo <= x.start and x.end <= hi]


def _edge_section(trace: "Trace", e: "Edge", anchor: str, raws: dict[str, str], anchors: dict[str, str]) -> str:
    rel = _RELATION_TEXT.get(e.relation, e.relation)
    if e.relation == "derives_from":
        head = (f'<a class="id" href="#{anchors.get(e.target, "")}">{_e(e.target)}</a> derives from '
                f'<a class="id" href="#{anchors.get(e.source, "")}">{_e(e.source)}</a>')
    else:
        head = (f'<a class="id" href="#{anchors.get(e.source, "")}">{_e(e.source)}</a> {_e(rel)} '
                f'<a class="id" href="#{anchors.get(e.target, "")}">{_e(e.target)}</a>')
    arts = {a.doc.id: a.artifacts for a in trace.analyses}
    latent_labels = {x.id: x.label for x in trace.latent_sources}
    if e.source in latent_labels:
        head += f' <span class="muted">({_e(latent_labels[e.source])}, cited, not in the collection)</span>'
    parts = [f'<section class="card edge" id="{anchor}"><h3>{head} '
             f'<span class="badge rel">{_e(e.relation)}</span> '
             f'<span class="badge">confidence {e.confidence:.2f}</span></h3>']
    if e.shared_claims:
        claims = sorted({c.a.text if not c.drift else f"{c.a.text} ~ {c.b.text}" for c in e.shared_claims})
        parts.append('<p><b>Shared claims</b>: ' + ", ".join(f'<mark class="c">{_e(c)}</mark>' for c in claims) + "</p>")
    parts.append(_signals_table(e))
    if e.source in raws and e.target in raws:
        shown = e.shown_alignments
        count = f"{len(e.alignments)}" + ("" if len(shown) == len(e.alignments) else f", the best {len(shown)} shown")
        parts.append(f"<p><b>Aligned passages</b> ({count}; left: "
                     f'<span class="id">{_e(e.source)}</span>, right: <span class="id">{_e(e.target)}</span>)</p>')
        rendered = []
        for al in shown:
            src, tgt = raws[e.source], raws[e.target]
            left, right = _passage_pair(
                src[al.source_start:al.source_end], tgt[al.target_start:al.target_end],
                _claim_spans(e, "source", al.source_start, al.source_end)
                + _artifact_spans(arts.get(e.source, ()), al.source_start, al.source_end),
                _claim_spans(e, "target", al.target_start, al.target_end)
                + _artifact_spans(arts.get(e.target, ()), al.target_start, al.target_end))
            rendered.append(
                f'<div class="pair"><div class="side src"><span class="who">{_e(e.source)} '
                f'[{al.source_start}:{al.source_end}] <span class="score">score {al.score:.2f}</span></span>{left}</div>'
                f'<div class="side tgt"><span class="who">{_e(e.target)} [{al.target_start}:{al.target_end}]</span>'
                f"{right}</div></div>")
        parts.extend(rendered[:SHOWN_PASSAGES])
        if len(rendered) > SHOWN_PASSAGES:
            parts.append(f"<details><summary>{len(rendered) - SHOWN_PASSAGES} more aligned passages</summary>"
                         + "".join(rendered[SHOWN_PASSAGES:]) + "</details>")
    else:
        latent = next((s for s in trace.latent_sources if s.id == e.source), None)
        cites = [x for x in (latent.evidence if latent else ()) if x.get("document") == e.target]
        if cites:
            parts.append("<p><b>Attribution</b>: " + "; ".join(
                f'“{_e(c.get("text", ""))}” <span class="muted small">[{_e(c.get("start"))}:{_e(c.get("end"))}]</span>'
                for c in cites) + "</p>")
        sib = list(e.sibling_alignments)
        if sib:
            parts.append(f"<p><b>Material shared with other texts citing this source</b> ({len(sib)} passages)</p>")
        for x in sib[:SHOWN_SIBLING_PASSAGES]:
            a_id, b_id = (list(x.get("documents") or []) + ["", ""])[:2]
            if a_id not in raws or b_id not in raws:
                continue
            try:
                s0, s1, t0, t1 = (int(x[k]) for k in ("source_start", "source_end", "target_start", "target_end"))
            except (KeyError, TypeError, ValueError):
                continue
            left_text, right_text = raws[a_id][s0:s1], raws[b_id][t0:t1]
            left, right = _passage_pair(left_text, right_text, *_matching_claims(left_text, right_text))
            parts.append(
                f'<div class="pair"><div class="side src"><span class="who">{_e(a_id)} [{s0}:{s1}] '
                f'<span class="score">score {float(x.get("score", 0.0)):.2f}</span></span>{left}</div>'
                f'<div class="side tgt"><span class="who">{_e(b_id)} [{t0}:{t1}]</span>{right}</div></div>')
        if len(sib) > SHOWN_SIBLING_PASSAGES:
            parts.append(f'<p class="muted small">{len(sib) - SHOWN_SIBLING_PASSAGES} more in trace.json.</p>')
    parts.append("</section>")
    return "".join(parts)


def render_html(trace: "Trace", title: str = "Provenance report") -> str:
    """The whole report as one self-contained HTML string (deterministic for a given trace).

    Examples
    --------
    >>> from provenance import documents_from_texts
    >>> from provenance.pipeline import trace  # doctest: +SKIP
    >>> page = render_html(trace(documents=documents_from_texts(["a b", "c d"])))  # doctest: +SKIP
    >>> page.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    from . import __version__

    anchors: dict[str, str] = {}
    for k, a in enumerate(trace.analyses):
        anchors[a.doc.id] = f"doc-{k}"
    for k, s in enumerate(trace.latent_sources):
        anchors[s.id] = f"latent-{k}"
    edge_anchors = [f"edge-{k}" for k in range(len(trace.edges))]
    raws = {a.doc.id: a.doc.raw for a in trace.analyses}
    incident: dict[str, list[tuple[str, str]]] = {}
    for e, anc in zip(trace.edges, edge_anchors):
        for n, other in ((e.source, e.target), (e.target, e.source)):
            incident.setdefault(n, []).append((anc, f"{e.relation} {other}"))
    n_mt = sum(1 for a in trace.analyses if a.translation.translated)
    seed = trace.config.get("seed")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="muted">{len(trace.analyses)} documents, {len(trace.edges)} edges, '
        f"{len(trace.latent_sources)} latent sources, {n_mt} machine-translated. "
        f"Generated by provenance {_e(__version__)}" + (f", seed {_e(seed)}" if seed is not None else "") + ".</p></header>",
        "<main>",
        '<section id="graph-section"><h2>Derivation graph</h2>',
        '<p class="small muted">Arrows point from the upstream text to the text derived from it. '
        "Line width (and, in small graphs, the number on each line) is the confidence. "
        "Hover over a node or line for details; click it for its evidence.</p>",
        f'<div class="graph">{render_svg(trace, anchors, edge_anchors)}</div>',
        '<div class="legend"><span>▭ document</span><span style="color:#c46f0a">▭ machine-translated</span>'
        "<span>◌ latent source (cited, not in the collection)</span><span>→ derives from</span>"
        "<span>- - shares a source</span><span>━ near-duplicate</span>"
        '<span><mark class="w">shared word</mark></span><span><mark class="c">shared claim</mark></span>'
        '<span><mark class="a">translation artefact</mark></span></div></section>',
        f'<section id="edges"><h2>Edges and their evidence ({len(trace.edges)})</h2>',
    ]
    if not trace.edges and not trace.weak_edges:
        parts.append("<p>No two texts share specific material (topic overlap alone is not derivation).</p>")
    elif not trace.edges:
        parts.append("<p>No relation reaches the reporting confidence; the weaker ones are listed below.</p>")
    for e, anc in zip(trace.edges, edge_anchors):
        parts.append(_edge_section(trace, e, anc, raws, anchors))
    if trace.weak_edges:
        cut = trace.config.get("min_confidence", 0.0)
        rows = "".join(
            f'<tr><td><span class="id">{_e(e.source)}</span></td><td><span class="id">{_e(e.target)}</span></td>'
            f"<td>{_e(e.relation)}</td><td>{e.confidence:.2f}</td><td>{len(e.alignments)}</td></tr>"
            for e in trace.weak_edges)
        parts.append(f'</section><section id="weak"><h2>Weaker relations ({len(trace.weak_edges)})</h2>'
                     f'<p class="small muted">Found, but with confidence below {_e(f"{cut:.2f}")}: not drawn in the '
                     "graph. Their evidence is under <code>weak_edges</code> in trace.json.</p>"
                     "<table><tr><th>source</th><th>target</th><th>relation</th><th>confidence</th>"
                     f"<th>aligned sentences</th></tr>{rows}</table>")
    parts.append(f'</section><section id="documents"><h2>Documents ({len(trace.analyses)})</h2>')
    for a in trace.analyses:
        parts.append(_doc_section(a, anchors[a.doc.id], incident.get(a.doc.id, [])))
    for s in trace.latent_sources:
        ev = "".join(f'<li><span class="id">{_e(x.get("document"))}</span>: “{_e(x.get("text"))}”</li>' for x in s.evidence)
        links = ", ".join(f'<a href="#{anc}">{_e(label)}</a>' for anc, label in incident.get(s.id, []))
        parts.append(f'<section class="card latent" id="{anchors[s.id]}"><h3><span class="id">{_e(s.id)}</span> '
                     f'<span class="badge">{_e(s.kind)} latent source</span></h3><div>{_e(s.label)}</div>'
                     f'<div class="small">Edges: {links}</div><ul class="small">{ev}</ul></section>')
    parts.append("</section>")
    if trace.skipped:
        rows = "".join(f"<tr><td>{_e(p)}</td><td>{_e(m)}</td></tr>" for p, m in trace.skipped)
        parts.append(f'<section id="skipped"><h2>Skipped inputs ({len(trace.skipped)})</h2>'
                     f"<table><tr><th>input</th><th>problem</th></tr>{rows}</table></section>")
    parts.append("</main><footer>Offsets in brackets are character positions in each document's text "
                 "(trace.json has the same evidence in machine-readable form).</footer></body></html>")
    return "\n".join(parts) + "\n"


__all__ = ["highlight", "layered_layout", "render_html", "render_svg"]
