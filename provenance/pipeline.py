"""``trace``: the whole pipeline, as a chain of small top-level stage functions.

load -> prepare (normalize, boilerplate, segment) -> analyze (language,
dates, artefacts, claims, attributions) -> sketch (near-duplicates) ->
candidates -> align -> evidence -> relation and direction -> latent sources
-> graph.
"""

from __future__ import annotations

import math
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Sequence

from .direction import (
    MIN_DIRECTION_PROBABILITY, DocFacts, direction_probability, direction_signals,
)
from .candidates import neighbour_pairs, with_extra
from .confidence import calibrate_edges, drop_explained, min_confidence, split_weak
from .evidence import ClaimIndex, PairEvidence, SentenceVectors, collection_vectors, evidence_aligner, pair_evidence
from .forkpool import ForkedCall, can_fork, fork_map
from .graph import LATENT_PREFIX, Edge, LatentSource, Trace, enforce_dag, transitive_reduction
from .io import load
from .order import content_terms
from .pair_model import default_pair_model
from .records import Artifact, Attribution, Claim, Document, Signal, Translation
from .signals import find_attributions, find_claims, publication_date
from .text import PreparedText

#: Decision threshold on the calibrated pair-model probability: Bayes-optimal
#: for equal costs. Pairs below it get no edge (topic overlap is not derivation).
MIN_RELATED_PROBABILITY = 0.5


@dataclass(frozen=True)
class Analysis:
    """Per-document findings of the analyze stage."""

    doc: Document
    prepared: PreparedText
    date: str | None
    date_reliability: float
    translation: Translation
    artifacts: tuple[Artifact, ...]
    claims: tuple[Claim, ...]
    attributions: tuple[Attribution, ...]

    def facts(self) -> DocFacts:
        return DocFacts(self.doc.id, self.date, self.date_reliability, self.translation)


# ------------------------------------------------------------------ stages

def _analyze_chunk(job: tuple[list[Document], list[list[Any]]]) -> list[Analysis]:
    from .text import prepare

    docs, bps = job
    return [analyze_document(d, prepare(d.raw, id=d.id, boilerplate=bp)) for d, bp in zip(docs, bps)]


#: Below this many documents, worker processes cost more than they save.
PARALLEL_MIN_DOCUMENTS = 200


def analyze_documents(docs: Sequence[Document], jobs: int = 1) -> list[Analysis]:
    """Prepare and analyze every document, in ``jobs`` processes for large collections.

    Boilerplate is judged across the whole collection first (lines repeated
    across documents), then each document is handled on its own, so the
    result does not depend on ``jobs``.
    """
    from .normalize import find_boilerplate

    bps = find_boilerplate([d.raw for d in docs], jobs=jobs)
    if jobs <= 1 or len(docs) < PARALLEL_MIN_DOCUMENTS:
        return _analyze_chunk((list(docs), bps))
    from concurrent.futures import ProcessPoolExecutor

    # ~32 chunks per worker: when the last chunks finish, the other workers
    # idle for at most one small chunk (a 10,000-text run spent seconds so).
    size = max(20, len(docs) // (jobs * 32))
    chunks = [(list(docs[k:k + size]), bps[k:k + size]) for k in range(0, len(docs), size)]
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        return [a for part in ex.map(_analyze_chunk, chunks) for a in part]


def analyze_document(doc: Document, prepared: PreparedText) -> Analysis:
    """Dates, translation verdict and artefacts, claims, attributions of one text."""
    from .artifacts import analyze as analyze_artifacts

    date, rel = (doc.date, 1.0) if doc.date else publication_date(doc.raw)
    translation, artifacts = analyze_artifacts(doc.raw, prepared.language)
    return Analysis(
        doc=doc, prepared=apply_canonical_rewrites(prepared, artifacts), date=date,
        date_reliability=rel, translation=translation, artifacts=tuple(artifacts),
        claims=tuple(find_claims(doc.raw)), attributions=tuple(find_attributions(doc.raw)),
    )


def apply_canonical_rewrites(prepared: PreparedText, artifacts: Sequence[Artifact]) -> PreparedText:
    """Append the canonical English of calques to the sentences that hold them.

    "US Secretary of National Security" then also carries "Homeland Security
    Secretary", so it aligns with texts that say so; offsets are unchanged.
    """
    extra: dict[int, list[str]] = {}
    for art in artifacts:
        if not art.canonical:
            continue
        for s in prepared.sentences:
            if s.start <= art.start < s.end:
                extra.setdefault(s.index, []).append(art.canonical)
                break
    if not extra:
        return prepared
    sents = tuple(replace(s, norm=s.norm + " " + " ".join(extra[s.index])) if s.index in extra else s
                  for s in prepared.sentences)
    return replace(prepared, sentences=sents)


def near_duplicate_pairs(analyses: Sequence[Analysis], seed: int) -> dict[tuple[str, str], Any]:
    """Near-duplicate and containment pairs from the MinHash/LSH engine, by id pair.

    Sketches the normalized, boilerplate-free texts the analysis stage already
    made (the same texts :func:`provenance.dedup.find_near_duplicates` would
    make again from the raw documents).
    """
    return near_duplicate_texts([a.doc.id for a in analyses], [a.prepared.norm.text for a in analyses],
                                [a.doc.date for a in analyses], seed)


def near_duplicate_texts(ids: Sequence[str], texts: Sequence[str], dates: Sequence[str | None],
                         seed: int) -> dict[tuple[str, str], Any]:
    """:func:`near_duplicate_pairs` from plain lists (cheap to send to another process)."""
    from .dedup import NearDuplicateFinder, sketch_texts

    finder = NearDuplicateFinder(seed=seed)
    sketches = sketch_texts(ids, texts, dates, finder.params)
    return {(p.a, p.b): p for p in finder.fit_sketches(sketches).result().pairs}


@contextmanager
def near_duplicates_future(analyses: Sequence[Analysis], seed: int, background: bool) -> Iterator[Any]:
    """:func:`near_duplicate_pairs` as something with ``.result()``, run in a
    forked child process when ``background`` (and fork is available).

    Sketching and LSH need only the normalized texts and are independent of
    the aligner fit, the vectors and the term-overlap neighbours, so on two
    cores both halves run at once. Otherwise the result is computed here and
    now. Take ``.result()`` inside the ``with``.
    """
    from concurrent.futures import Future

    args = ([a.doc.id for a in analyses], [a.prepared.norm.text for a in analyses],
            [a.doc.date for a in analyses], seed)
    if not (background and can_fork()):
        done: Future[Any] = Future()
        done.set_result(near_duplicate_texts(*args))
        yield done
        return
    call = ForkedCall(near_duplicate_texts, *args)
    try:
        yield call
    finally:
        call.cancel()  # no-op once the result was taken


def relate(a: Analysis, b: Analysis, ev: PairEvidence, near_dup: Any | None) -> Edge | None:
    """The edge between two analysed texts, or None when only topic is shared."""
    p_rel = default_pair_model().predict_proba_one(ev.features)
    signals = direction_signals(a.facts(), b.facts(), ev)
    p_a_up = direction_probability(a.facts(), b.facts(), signals)
    related_signal = Signal("pair_model", p_rel, None, "probability the pair is related by derivation")
    # a rewrite keeps the order in which its source says things (provenance.order); below
    # chance (texts that share words in other orders) reads as none
    share = max(0.0, ev.features.get("order_excess", 0.0))
    order_signal = Signal("ordered_overlap", round(share, 4), None,
                          f"{math.expm1(ev.features.get('log_order_excess', 0.0)):.0f} content words shared "
                          f"in the same order beyond chance ({share:.0%} of the shorter text's content words)")

    def undirected(relation: str, confidence: float, sigs: list[Signal]) -> Edge:
        # undirected edges run from the smaller id
        return _edge(ev if a.doc.id < b.doc.id else ev.swapped(), relation, False, confidence, sigs,
                     p_a_up, a.doc.id)

    if near_dup is not None and near_dup.relation == "near_duplicate":
        return undirected("near_duplicate", max(p_rel, near_dup.jaccard),
                          [Signal("jaccard", near_dup.jaccard, None, "word 5-gram Jaccard similarity"),
                           related_signal, order_signal, *signals])
    if near_dup is not None and near_dup.relation == "contained":
        # the contained text is the excerpt: downstream of the containing one
        a_in_b = near_dup.containment_a_in_b if near_dup.a == a.doc.id else near_dup.containment_b_in_a
        b_in_a = near_dup.containment_b_in_a if near_dup.a == a.doc.id else near_dup.containment_a_in_b
        signals = [*signals, Signal("containment", max(a_in_b, b_in_a), b.doc.id if a_in_b > b_in_a else a.doc.id,
                                    "the excerpt is contained in the fuller text")]
        # at least 4:1 for the containing text, whichever argument it is
        p_a_up = min(p_a_up, 0.2) if a_in_b > b_in_a else max(p_a_up, 0.8)
        p_rel = max(p_rel, max(a_in_b, b_in_a))
    if p_rel < MIN_RELATED_PROBABILITY or not ev.alignments:
        return None
    signals = [related_signal, order_signal, *signals]
    sibling: Signal | None = None
    if near_dup is None:
        common = independent_citations(a.attributions, b.attributions)
        if common:
            # Both texts say where they got it, in their own words, and it is the same
            # place: siblings of that source. Direction signals (translation, dates)
            # then compare two children, not a parent and its child, so they do not
            # make an edge directed.
            sibling = Signal("common_citation", float(len(common)), None,
                             "both texts attribute material to " + ", ".join(common))
        elif len({s.favours for s in signals if s.name == "claim_precision"}) == 2:
            # Each text states some shared figure more precisely than the other:
            # neither can have taken all its figures from the other, both took
            # them from a common source (each rounding different ones).
            sibling = Signal("conflicting_precision", 1.0, None,
                             "each text has a figure the other rounds: siblings of a common source")
    if sibling is not None:
        return undirected("shares_source", p_rel, [*signals, sibling])
    if p_a_up >= MIN_DIRECTION_PROBABILITY:
        return _edge(ev, "derives_from", True, p_rel * p_a_up, signals, p_a_up, a.doc.id)
    if 1.0 - p_a_up >= MIN_DIRECTION_PROBABILITY:
        return _edge(ev.swapped(), "derives_from", True, p_rel * (1.0 - p_a_up), signals, p_a_up, a.doc.id)
    return undirected("shares_source", p_rel, signals)


def _phrase(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def independent_citations(xs: Sequence[Attribution], ys: Sequence[Attribution]) -> list[str]:
    """Source labels both texts cite, each in wording of its own.

    A citation copied along with the copied text ("... the ministry said in a
    statement" in the parent and in its copy) says nothing about a common
    source; two texts that attribute the same source in different words
    ("DHS said" / "according to the Department of Homeland Security") used it
    independently. A label counts when no phrase for it is the same in both
    texts (compared as lowercase words); a lightly edited copy of a citation
    ("said in a short statement") still counts, a known limit.
    """
    out = []
    for label in sorted({x.label for x in xs} & {y.label for y in ys}):
        px = {_phrase(x.text) for x in xs if x.label == label}
        py = {_phrase(y.text) for y in ys if y.label == label}
        if not px & py:
            out.append(label)
    return out


def _edge(ev: PairEvidence, relation: str, directed: bool, confidence: float, signals: list[Signal],
          p_a_up: float = 0.5, a_id: str | None = None) -> Edge:
    """An edge oriented as ``ev``; ``p_a_up`` is P(``a_id`` upstream), re-expressed for ``ev.a``."""
    p_source_up = p_a_up if a_id in (None, ev.a) else 1.0 - p_a_up
    return Edge(
        source=ev.a, target=ev.b, relation=relation, directed=directed,
        confidence=round(float(confidence), 4),
        alignments=tuple(ev.alignments),
        shared_claims=ev.shared_claims, signals=tuple(signals),
        source_upstream_probability=round(float(p_source_up), 4),
    )


@dataclass(frozen=True)
class PairState:
    """What comparing a candidate pair reads: built once, shared by all pairs."""

    analyses: Sequence[Analysis]
    aligner: Any
    vectors: Sequence[SentenceVectors]
    near: dict[tuple[str, str], Any]
    _claims: dict[int, ClaimIndex] = field(default_factory=dict, compare=False, repr=False)
    _terms: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def claim_index(self, k: int) -> ClaimIndex:
        """The claim index of analysis ``k``, built once per process (a text is in ~10 pairs)."""
        ix = self._claims.get(k)
        if ix is None:
            ix = self._claims[k] = ClaimIndex(self.analyses[k].claims)
        return ix

    def content_terms(self, k: int) -> tuple[str, ...]:
        """The content terms of analysis ``k`` (:func:`provenance.order.content_terms`), built once per process."""
        t = self._terms.get(k)
        if t is None:
            t = self._terms[k] = content_terms(self.analyses[k].prepared)
        return t


def compare_pair(state: PairState, i: int, j: int) -> Edge | None:
    """Evidence and edge (or None) between analyses ``i`` and ``j``."""
    a, b = state.analyses[i], state.analyses[j]
    ev = pair_evidence(a.prepared, b.prepared, state.aligner, state.claim_index(i), state.claim_index(j),
                       vectors=(state.vectors[i], state.vectors[j]),
                       terms=(state.content_terms(i), state.content_terms(j)))
    nd = state.near.get((a.doc.id, b.doc.id)) or state.near.get((b.doc.id, a.doc.id))
    return relate(a, b, ev, nd)


#: Fewer candidate pairs than this are compared in-process: forking workers
#: costs more than it saves.
PARALLEL_MIN_PAIRS = 2000
#: Pairs per worker task: small enough to balance the load, large enough that
#: the per-task overhead (one pickled list of edges back) stays negligible.
PAIR_CHUNK = 500


def _compare_span(state: tuple[PairState, Sequence[tuple[int, int]]], span: tuple[int, int]) -> list[Edge | None]:
    """Worker task: compare the pairs ``span[0]:span[1]``."""
    pair_state, pairs = state
    return [compare_pair(pair_state, i, j) for i, j in pairs[span[0]:span[1]]]


def compare_pairs(state: PairState, pairs: Sequence[tuple[int, int]], jobs: int = 1,
                  progress: Callable[[str, int, int], None] | None = None) -> list[Edge]:
    """Edges of the candidate ``pairs``, in pair order, in ``jobs`` forked processes when worth it.

    Each pair is decided on its own from ``state``, so the edges (and their
    order) do not depend on ``jobs``.
    """
    n = len(pairs)
    out: list[Edge | None] = []
    if jobs <= 1 or n < PARALLEL_MIN_PAIRS or not can_fork():
        for k, (i, j) in enumerate(pairs, start=1):
            if progress is not None:
                progress("compare", k, n)
            out.append(compare_pair(state, i, j))
    else:
        spans = [(k, min(k + PAIR_CHUNK, n)) for k in range(0, n, PAIR_CHUNK)]
        for (_, end), part in zip(spans, fork_map(_compare_span, (state, pairs), spans, jobs)):
            out.extend(part)
            if progress is not None:
                progress("compare", end, n)
    return [e for e in out if e is not None]


_SLUG = re.compile(r"[^a-z0-9]+")


def _components(nodes: Sequence[str], pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(pairs)
    return sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: c[0])


class _EdgeIndex:
    """Edges by the documents they join, to find a group's edges without scanning all of them."""

    def __init__(self, edges: Sequence[Edge]) -> None:
        self.edges = list(edges)
        self.by_node: dict[str, list[int]] = {}
        for k, e in enumerate(self.edges):
            self.by_node.setdefault(e.source, []).append(k)
            self.by_node.setdefault(e.target, []).append(k)

    def aligned_within(self, members: set[str]) -> list[Edge]:
        """Edges with alignments and both ends in ``members``, in the original order."""
        ks = sorted({k for i in members for k in self.by_node.get(i, ())})
        return [e for e in (self.edges[k] for k in ks) if e.source in members and e.target in members and e.alignments]


def _pairs_by_label(pairs: Sequence[tuple[str, str]], citing: dict[str, set[str]]) -> dict[str, list[tuple[str, str]]]:
    """Per label, the ``pairs`` whose two documents both cite it, in pair order (one pass over the pairs)."""
    labels_of: dict[str, set[str]] = {}
    for label, ids in citing.items():
        for i in ids:
            labels_of.setdefault(i, set()).add(label)
    out: dict[str, list[tuple[str, str]]] = {}
    for u, v in pairs:
        for label in labels_of.get(u, set()) & labels_of.get(v, set()):
            out.setdefault(label, []).append((u, v))
    return out


def _latent_edges(lid: str, group: Sequence[str], edges: _EdgeIndex, signal: Callable[[str], Signal],
                  discount: float) -> list[Edge]:
    """``derives_from`` edges from a latent node to each member, with the siblings' evidence."""
    members = set(group)
    sib_edges = edges.aligned_within(members)
    out = []
    for i in group:
        mine = [e for e in sib_edges if i in (e.source, e.target)]
        conf = max((e.confidence for e in mine), default=0.0)
        alignments = tuple({"documents": [e.source, e.target], **al.to_dict()} for e in mine for al in e.alignments[:3])
        out.append(Edge(source=lid, target=i, relation="derives_from", directed=True,
                        confidence=round(conf * discount, 4), alignments=(), shared_claims=(),
                        signals=(signal(i),), sibling_alignments=alignments))
    return out


#: Smallest group of mutually related texts for which an unseen common
#: source is inferred, and the share of its pairs that must be linked.
MIN_INFERRED_GROUP = 3
MIN_INFERRED_DENSITY = 0.66


def latent_sources(analyses: Sequence[Analysis], edges: Sequence[Edge]) -> tuple[list[LatentSource], list[Edge]]:
    """Latent upstream sources: cited ones, then inferred ones.

    *Cited*: a source label (e.g. "DHS", "release", "CNN") attributed by at
    least two texts that are connected through edges with aligned material
    (among texts citing that label) becomes a latent node of kind ``cited``,
    one per connected group, with a ``derives_from`` edge to each member.
    Groups are taken largest first; a group more than half covered by an
    earlier one is skipped, so each family of texts gets one cited source.

    *Inferred*: a group of at least ``MIN_INFERRED_GROUP`` texts joined by
    undirected ``shares_source`` edges (after transitive reduction, so no
    member explains the others), at least ``MIN_INFERRED_DENSITY`` of whose
    pairs are linked, and not already under one cited source, gets a latent
    node of kind ``inferred``: siblings that none can have taken from the
    others. Pairs stay ``shares_source`` without a node: two texts alone
    cannot tell a common source from an undirected copy.

    Latent edges carry the attribution phrases (cited) and the aligned
    sentences of the sibling edges (each alignment names its two documents).
    """
    by_id = {a.doc.id: a for a in analyses}
    edge_index = _EdgeIndex(edges)
    aligned_pairs = [(e.source, e.target) for e in edges if e.alignments and not e.from_latent]
    citing: dict[str, set[str]] = {}
    for a in analyses:
        for label in {x.label for x in a.attributions}:
            citing.setdefault(label, set()).add(a.doc.id)
    latents: list[LatentSource] = []
    new_edges: list[Edge] = []
    covered: list[set[str]] = []
    used_ids: dict[str, int] = {}
    candidates = []
    by_label = _pairs_by_label(aligned_pairs, citing)
    for label in sorted(citing):
        pairs = by_label.get(label, [])
        for group in _components(sorted({x for p in pairs for x in p}), pairs):
            if len(group) >= 2:
                n_phrases = sum(1 for i in group for x in by_id[i].attributions if x.label == label)
                candidates.append((-len(group), -n_phrases, label, group))
    # One cited source per group of texts: the label most of them cite. A
    # family that repeats "X said" and "Y said" sentences has one upstream,
    # not one per organisation it quotes.
    for _, _, label, group in sorted(candidates):
        if any(len(set(group) & c) * 2 > len(group) for c in covered):
            continue
        base = LATENT_PREFIX + (_SLUG.sub("-", label.lower()).strip("-") or "source")
        used_ids[base] = used_ids.get(base, 0) + 1
        lid = base if used_ids[base] == 1 else f"{base}-{used_ids[base]}"
        evidence = [{"document": i, "start": x.start, "end": x.end, "text": x.text}
                    for i in group for x in by_id[i].attributions if x.label == label]
        latents.append(LatentSource(id=lid, label=label, kind="cited", evidence=tuple(evidence)))
        # the citation names the source, not the exact text: 0.9 of the siblings' confidence
        new_edges += _latent_edges(lid, group, edge_index,
                                   lambda i, lab=label, lid=lid: Signal("citation", 1.0, lid, f"{i} attributes material to {lab}"),
                                   0.9)
        covered.append(set(group))
    shares = [(e.source, e.target) for e in edges if e.relation == "shares_source" and not e.from_latent]
    linked = {frozenset(p) for p in shares}
    n_inferred = 0
    for group in _components(sorted({x for p in shares for x in p}), shares):
        n = len(group)
        if n < MIN_INFERRED_GROUP or any(set(group) <= c for c in covered):
            continue
        n_links = sum(1 for k, u in enumerate(group) for v in group[k + 1:] if frozenset((u, v)) in linked)
        if n_links < MIN_INFERRED_DENSITY * n * (n - 1) / 2:
            continue
        n_inferred += 1
        lid = f"{LATENT_PREFIX}inferred-{n_inferred}"
        latents.append(LatentSource(
            id=lid, label="unseen common source of " + ", ".join(group), kind="inferred",
            evidence=tuple({"documents": list(p)} for p in shares if p[0] in group and p[1] in group)))
        # inferred from the pattern alone: 0.8 of the siblings' confidence
        new_edges += _latent_edges(lid, group, edge_index,
                                   lambda i, lid=lid: Signal("inferred_sibling", 1.0, lid,
                                                             f"{i} shares material with siblings none of which explains it"),
                                   0.8)
    return latents, new_edges


def derivation_graph(analyses: Sequence[Analysis], edges: list[Edge],
                     reduce: Callable[[list[Edge]], list[Edge]] | None = None
                     ) -> tuple[list[Edge], list[LatentSource], list[Edge], list[Edge]]:
    """From the compared pairs' edges to the graph: ``(edges, latent sources, their edges, weak edges)``.

    Cycles broken, transitive reduction (``reduce``, by default
    :func:`provenance.graph.transitive_reduction`), calibrated confidence,
    near-duplicate twins, latent sources, and the reporting cut-off. The
    benchmarks swap ``reduce`` to measure other reductions on cached edges.
    """
    dates = {a.doc.id: a.date for a in analyses}
    reduce = reduce or transitive_reduction  # looked up per call, so the benchmarks can wrap it
    edges = drop_explained(calibrate_edges(reduce(enforce_dag(edges)), dates), dates)
    latents, latent_edges = latent_sources(analyses, edges)
    # Latent sources are inferred from every relation found; the graph then
    # shows the edges the calibrator finds likely enough, the rest as weak.
    edges, weak = split_weak(edges, min_confidence())
    return edges, latents, latent_edges, weak


def trace(paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str] | None = None, *,
          documents: Sequence[Document] | None = None, seed: int = 1, max_bytes: int | None = None,
          id_field: str | None = None, text_field: str = "text", date_field: str | None = None,
          progress: Callable[[str, int, int], None] | None = None, jobs: int | None = None,
          ) -> Trace:
    """Trace derivation among texts: files/folders at ``paths`` or ready ``documents``.

    Parameters
    ----------
    paths : files or folders (text, HTML, JSONL, CSV, WARC; see :func:`provenance.io.load`).
    documents : already loaded documents (instead of ``paths``).
    seed : MinHash seed; the output is deterministic for a given seed.
    max_bytes : per-file size cap passed to :func:`provenance.io.load`.
    id_field, text_field, date_field : JSONL/CSV record fields, passed to :func:`provenance.io.load`.
    progress : optional ``progress(stage, done, total)`` callback (``total`` 0 when unknown),
        called after each file loaded, after the analysis stage and per candidate pair compared.
    jobs : worker processes for the per-document and per-pair stages (default:
        CPU count, at most 4); the output does not depend on it.

    Examples
    --------
    >>> from provenance import documents_from_texts
    >>> t = trace(documents=documents_from_texts({"a": "One fact here.", "b": "Unrelated words."}))
    >>> t.to_dict()["schema"]
    'provenance-trace/1'
    """
    skipped: list[tuple[str, str]] = []
    if documents is None:
        if paths is None:
            raise TypeError("trace() needs paths or documents")
        res = load(paths, **({"max_bytes": max_bytes} if max_bytes else {}), id_field=id_field,
                   text_field=text_field, date_field=date_field, progress=progress)
        documents, skipped = res.documents, res.skipped
    docs = sorted(documents, key=lambda d: d.id)
    if jobs is None:
        jobs = min(4, os.cpu_count() or 1)
    analyses = analyze_documents(docs, jobs=jobs)
    if progress is not None:
        progress("analyze", len(analyses), len(docs))
    background = jobs > 1 and len(analyses) >= PARALLEL_MIN_DOCUMENTS
    with near_duplicates_future(analyses, seed, background) as near_future:
        aligner = evidence_aligner().fit([a.prepared for a in analyses])
        vectors = collection_vectors(aligner, [a.prepared for a in analyses], jobs=jobs)
        neighbours = neighbour_pairs([v.matrix for v in vectors], jobs=jobs)
        near = near_future.result()
    index = {d.id: k for k, d in enumerate(docs)}
    pairs = with_extra(neighbours, [(index[a], index[b]) for a, b in near])
    state = PairState(analyses, aligner, vectors, near)
    edges = compare_pairs(state, pairs, jobs=jobs, progress=progress)
    edges, latents, latent_edges, weak = derivation_graph(analyses, edges)
    cut = min_confidence()
    config = {"seed": seed, "method": aligner.method, "aligner": aligner.get_params(),
              "min_related_probability": MIN_RELATED_PROBABILITY,
              "min_direction_probability": MIN_DIRECTION_PROBABILITY,
              "min_confidence": cut}
    return Trace(analyses=tuple(analyses), edges=tuple(sorted(edges + latent_edges, key=Edge.sort_key)),
                 latent_sources=tuple(latents), config=config, skipped=tuple(skipped),
                 weak_edges=tuple(sorted(weak, key=Edge.sort_key)))


@dataclass(frozen=True)
class Comparison:
    """Result of comparing two texts (see :func:`compare`)."""

    a: Analysis
    b: Analysis
    edge: Edge | None
    passages: tuple[Any, ...]
    method: str

    @property
    def relation(self) -> str:
        return self.edge.relation if self.edge else "unrelated"

    def to_dict(self) -> dict[str, Any]:
        e = self.edge
        source = None
        if e is not None and e.relation == "derives_from":
            source = self.a.doc.path if e.source == self.a.doc.id else self.b.doc.path
        # passages are reported with source_* indexing A and target_* indexing B
        return {
            "a": self.a.doc.path, "b": self.b.doc.path, "relation": self.relation, "source": source,
            "confidence": e.confidence if e else 0.0,
            "alignments": [p.to_dict() for p in self.passages],
            "sentence_alignments": [
                (al if e.source == self.a.doc.id else al.swapped()).to_dict() for al in e.shown_alignments
            ] if e else [],
            "shared_claims": [
                (c if e.source == self.a.doc.id else c.swapped()).to_dict() for c in e.shared_claims
            ] if e else [],
            "signals": [s.to_dict() for s in e.signals] if e else [],
            "translation": {"a": self.a.translation.to_dict(), "b": self.b.translation.to_dict()},
        }


def compare(doc_a: Document, doc_b: Document, method: str = "tfidf", seed: int = 1) -> Comparison:
    """Relation, direction and aligned passages between two documents.

    ``method`` chooses the aligner for the reported passages; the relation
    and direction always come from the default evidence model, so changing
    the method never changes the verdict.
    """
    from .aligners import get_aligner

    docs = [doc_a, doc_b]
    a, b = analyze_documents(docs)
    near = near_duplicate_pairs([a, b], seed)
    nd = near.get((doc_a.id, doc_b.id)) or near.get((doc_b.id, doc_a.id))
    aligner = evidence_aligner().fit([a.prepared, b.prepared])
    ev = pair_evidence(a.prepared, b.prepared, aligner, list(a.claims), list(b.claims))
    edge = relate(a, b, ev, nd)
    if edge is not None:
        edge = calibrate_edges([edge], {a.doc.id: a.date, b.doc.id: b.date})[0]
    shower = get_aligner(method).fit([a.prepared, b.prepared])
    passages = tuple(shower.align(a.prepared, b.prepared))
    return Comparison(a=a, b=b, edge=edge, passages=passages, method=method)
