"""report.html: escaping, self-containment, the SVG graph; GEXF; and a real headless Chromium check."""

import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from provenance import documents_from_texts
from provenance.readwrite import write_outputs
from provenance.report_html import highlight, layered_layout, render_html

from cdp_pipe import Browser, find_chromium
from texts import SOURCE

# The derived text of tests/texts.py with hostile markup in it.
DERIVED = (
    "Shipping Boom At The Harbor <script>alert(1)</script>\n\n"
    "Local fishermen complained about noise near the northern pier this week. "
    "According to the port authority, 4.2 million containers passed through the harbor in 2023, "
    "a 17% rise on the year before thanks to grain exports <script>alert(1)</script>. "
    "The crane terminal, which opened in March, cost $310 million, director Ana Velasquez said. "
    '<img src="http://127.0.0.1:9/x.png" onerror="alert(2)"> City council members will debate a new parking plan.'
)

_EXTERNAL = re.compile(r"""<[^>]*\b(?:src|href|action|data|poster)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def hostile_trace():
    from provenance.pipeline import trace

    return trace(documents=documents_from_texts({"source": SOURCE, "derived": DERIVED}))


@pytest.fixture(scope="module")
def hostile_html(hostile_trace):
    return render_html(hostile_trace)


def test_document_text_is_escaped(hostile_trace, hostile_html):
    assert [e for e in hostile_trace.edges if e.alignments], "the constructed pair must give an edge"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html
    assert "<script" not in hostile_html.lower()
    assert "<img" not in hostile_html.lower() and "onerror=" not in hostile_html.replace("onerror=&quot;", "")


def test_report_is_self_contained(hostile_html):
    assert not _EXTERNAL.search(hostile_html)
    assert "@import" not in hostile_html and "url(" not in hostile_html
    assert "Content-Security-Policy" in hostile_html and "default-src 'none'" in hostile_html


def test_svg_graph_has_every_node_and_edge(seed_trace):
    page = render_html(seed_trace)
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('class="node"') == len(seed_trace.analyses) + len(seed_trace.latent_sources)
    assert svg.count('class="edge"') == len(seed_trace.edges)
    for e in seed_trace.edges:
        assert f"{e.confidence:.2f}" in svg
    if any(e.directed for e in seed_trace.edges):
        assert 'marker-end="url(#arrow)"' in svg
    assert render_html(seed_trace) == page  # deterministic


def test_first_edge_passages_are_in_the_page(seed_trace):
    page = render_html(seed_trace)
    e = next(e for e in seed_trace.edges if e.alignments)
    raws = {a.doc.id: a.doc.raw for a in seed_trace.analyses}
    al = e.alignments[0]
    first_words = raws[e.source][al.source_start:al.source_end].split()[:3]
    section = page[page.index('id="edge-0"'):page.index('id="edge-1"')]
    for w in first_words:
        assert w.strip("«»“”,.'\"") in section.replace("&#x27;", "'")


def test_highlight_marks_spans_and_escapes():
    from provenance.report_html import _Span

    assert highlight("x < y", []) == "x &lt; y"
    out = highlight("a <b> cost", [_Span(2, 5, "w"), _Span(3, 10, "c", "claim", priority=1)])
    assert out == 'a &lt;<mark class="c" title="claim">b&gt; cost</mark>'


def test_layered_layout_puts_upstream_above():
    pos = layered_layout(["a", "b", "c", "d"], [("a", "b", True), ("b", "c", True), ("a", "c", False)])
    assert pos["a"][1] < pos["b"][1] < pos["c"][1]
    assert pos["d"][1] > pos["c"][1]  # no edges: last row
    assert layered_layout(["x", "y"], [("x", "y", True), ("y", "x", True)])  # a cycle does not hang


def test_write_outputs_adds_report_and_gexf(tmp_path, seed_trace):
    written = write_outputs(seed_trace, tmp_path / "a")
    write_outputs(seed_trace, tmp_path / "b")
    assert written["html"].name == "report.html" and written["gexf"].name == "graph.gexf"
    for name in ("report.html", "graph.gexf", "graph.graphml", "graph.dot", "trace.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring((tmp_path / "a" / "graph.gexf").read_bytes())
    assert len(root.findall(".//g:node", ns)) == len(seed_trace.analyses) + len(seed_trace.latent_sources)
    edges = root.findall(".//g:edge", ns)
    assert len(edges) == len(seed_trace.edges)
    undirected = sum(1 for e in seed_trace.edges if not e.directed)
    assert sum(1 for e in edges if e.get("type") == "undirected") == undirected
    assert {a.get("type") for a in root.findall(".//g:attribute", ns)} <= {"string", "boolean", "double", "long", "integer", "float"}
    g = nx.read_graphml(tmp_path / "a" / "graph.graphml")
    assert g.number_of_edges() == len(seed_trace.edges)
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------ real browser

CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("no chromium binary installed (.ci/run installs Debian's chromium)")
    b = Browser(CHROMIUM, str(tmp_path_factory.mktemp("chromium-profile")))
    try:
        yield b
    finally:
        b.close()


def test_chromium_harness_sees_errors_and_requests(browser, tmp_path):
    """Control: the checks below would notice a console error or a network request."""
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>')
    s = browser.open_page()
    browser.navigate(s, page.as_uri())
    assert any("boom" in m for m in browser.console_errors())
    assert any(u.startswith("http://127.0.0.1:9/") for u in browser.requests())


def test_seed_report_in_chromium(browser, tmp_path, seed_trace):
    written = write_outputs(seed_trace, tmp_path)
    s = browser.open_page()
    browser.navigate(s, written["html"].as_uri())
    assert browser.console_errors() == []
    assert [u for u in browser.requests() if not u.startswith(("file:", "data:", "about:"))] == []
    box = browser.evaluate(s, "(() => { const r = document.querySelector('svg#graph').getBoundingClientRect();"
                              " return [r.width, r.height, document.querySelectorAll('svg#graph a.node').length]; })()")
    assert box[0] > 200 and box[1] > 100
    assert box[2] == len(seed_trace.analyses) + len(seed_trace.latent_sources)
    e = seed_trace.edges[0]
    raws = {a.doc.id: a.doc.raw for a in seed_trace.analyses}
    if e.alignments:
        al = e.alignments[0]
        src = " ".join(raws[e.source][al.source_start:al.source_end].split())
        tgt = " ".join(raws[e.target][al.target_start:al.target_end].split())
    else:
        x = e.sibling_alignments[0]
        a, b = x["documents"]
        src = " ".join(raws[a][x["source_start"]:x["source_end"]].split())
        tgt = " ".join(raws[b][x["target_start"]:x["target_end"]].split())
    shown = browser.evaluate(s, """(() => {
        const p = document.querySelector('#edge-0 .pair');
        const vis = el => { const r = el.getBoundingClientRect(); const st = getComputedStyle(el);
                            return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none'; };
        const sides = [...p.querySelectorAll('.side')];
        return sides.map(el => [vis(el), el.innerText.replace(/\\s+/g, ' ')]);
    })()""")
    assert len(shown) == 2 and shown[0][0] and shown[1][0]
    assert src[:60] in shown[0][1] and tgt[:60] in shown[1][1]


def test_hostile_text_shows_as_text_in_chromium(browser, tmp_path, hostile_html):
    page = tmp_path / "report.html"
    page.write_text(hostile_html, encoding="utf-8")
    s = browser.open_page()
    browser.navigate(s, page.as_uri())
    assert browser.dialogs() == []
    assert browser.console_errors() == []
    assert [u for u in browser.requests() if not u.startswith(("file:", "data:", "about:"))] == []
    assert browser.evaluate(s, "document.querySelectorAll('script, img').length") == 0
    assert "<script>alert(1)</script>" in browser.evaluate(s, "document.body.innerText")


def test_translated_document_and_artefacts_are_shown(hostile_trace):
    from dataclasses import replace

    from provenance.records import Artifact, Translation

    a = next(x for x in hostile_trace.analyses if x.doc.id == "derived")
    k = a.doc.raw.index("passed through")
    art = Artifact("calque", k, k + len("passed through"), "passed through", "es", 0.8,
                   explanation="literal rendering of 'pasaron por' <b>", canonical="moved through")
    mt = replace(a, translation=Translation(True, 0.91, "es"), artifacts=(art,))
    tr = replace(hostile_trace, analyses=tuple(mt if x is a else x for x in hostile_trace.analyses))
    page = render_html(tr)
    assert "machine-translated from es" in page and "MT · " in page and "#fdebd3" in page
    # legend, artefact table, full text, and the aligned passage that holds it
    assert page.count('<mark class="a"') == 4
    assert '<mark class="a" title="translation artefact: calque">passed through</mark>' in page
    assert "literal rendering of &#x27;pasaron por&#x27; &lt;b&gt;" in page and "(English: moved through)" in page
    assert "1 machine-translated" in page


def test_weak_relations_are_listed_escaped_and_not_drawn(hostile_trace):
    from dataclasses import replace

    edge = next(e for e in hostile_trace.edges if not e.source.startswith("latent:"))
    weak = replace(edge, source="<b>x</b>", confidence=0.07)
    tr = replace(hostile_trace, weak_edges=(weak,), config={**hostile_trace.config, "min_confidence": 0.2})
    page = render_html(tr)
    section = page[page.index('<section id="weak">'):page.index('<section id="documents">')]
    assert "Weaker relations (1)" in section and "below 0.20" in section and "0.07" in section
    assert "&lt;b&gt;x&lt;/b&gt;" in section and "<b>x</b>" not in page
    # not drawn: the graph section does not know the weak edge's end
    assert "&lt;b&gt;x&lt;/b&gt;" not in page[:page.index('<section id="edges">')]
    # only weak relations: the page does not claim that nothing is shared
    only_weak = render_html(replace(tr, edges=()))
    assert "No relation reaches the reporting confidence" in only_weak
    assert "No two texts share specific material" not in only_weak
