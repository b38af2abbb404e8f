"""``provenance trace PATH... [-o OUT] [--json] [--seed N]``."""

from __future__ import annotations

import sys

import click

from ._common import max_bytes_option, report_skipped, shown_signals, user_errors


def _snippet(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_lines(tr, max_pairs: int = 2) -> list[str]:
    """The readable summary printed by ``trace``."""
    docs = {a.doc.id: a for a in tr.analyses}
    out = [f"{len(tr.analyses)} documents, {len(tr.edges)} edges, {len(tr.latent_sources)} latent sources", ""]
    out.append("Documents")
    for a in tr.analyses:
        t = a.translation
        verdict = "not machine-translated"
        if t.translated:
            verdict = "machine-translated"
            if t.source_language:
                verdict += f" from {t.source_language}"
            if t.round_trip:
                verdict += " (round trip via " + ", ".join(t.pivot_languages or ["?"]) + ")"
        out.append(f"  {a.doc.id}  [{a.prepared.language or '?'}] {a.date or 'undated'}  {verdict} (score {t.score:.2f})")
        out.append(f"      {_snippet(a.doc.title or '', 100)}")
    for s in tr.latent_sources:
        out.append(f"  {s.id}  latent source ({s.kind}): {s.label}")
    out.append("")
    out.append("Edges")
    if not tr.edges and not tr.weak_edges:
        out.append("  none: no two texts share specific material (topic overlap alone is not derivation)")
    elif not tr.edges:
        out.append("  none at the reporting confidence")
    if tr.weak_edges:
        out.append(f"  ({tr.weak_note()}: weak_edges in trace.json)")
    for e in tr.edges:
        arrow = "->" if e.directed else "--"
        out.append(f"  {e.source} {arrow} {e.target}  {e.relation}  confidence {e.confidence:.2f}")
        for s in shown_signals(e.signals):
            out.append(f"      signal {s.name}: {s.detail or s.value}")
        if e.shared_claims:
            out.append("      shared claims: " + ", ".join(sorted({c.a.text if not c.drift else f'{c.a.text} ~ {c.b.text}' for c in e.shared_claims}))[:200])
        if e.source in docs and e.target in docs:
            for al in e.alignments[:max_pairs]:
                src = docs[e.source].doc.raw[al.source_start:al.source_end]
                tgt = docs[e.target].doc.raw[al.target_start:al.target_end]
                out.append(f"      [{al.score:.2f}] {e.source}: {_snippet(src)}")
                out.append(f"             {e.target}: {_snippet(tgt)}")
        elif e.sibling_alignments:
            cites = [x for x in next((s.evidence for s in tr.latent_sources if s.id == e.source), ()) if x["document"] == e.target]
            for c in cites[:2]:
                out.append(f"      cites: {_snippet(c['text'], 80)!s}")
    return out


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out", "out_dir", default="provenance-report", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder for trace.json, graph.graphml, graph.gexf, graph.dot and report.html.")
@click.option("--json", "as_json", is_flag=True, help="Print trace.json to stdout instead of the summary.")
@click.option("--seed", default=1, show_default=True, type=int, help="MinHash seed (output is deterministic per seed).")
@max_bytes_option
@click.option("--id-field", default=None, help="JSONL/CSV field holding the record id [default: FILE:LINE or FILE:ROW].")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--date-field", default=None, help="JSONL/CSV field holding the publication date.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no per-file warnings on stderr.")
@user_errors
def trace(paths: tuple[str, ...], out_dir: str, as_json: bool, seed: int, max_bytes: int,
          id_field: str | None = None, text_field: str = "text", date_field: str | None = None,
          quiet: bool = False) -> None:
    """Trace who derives from whom among the texts at PATHS (files or folders).

    Reads .txt/.md, saved web pages (.html), JSONL and CSV exports, and WARC
    crawls (.warc, .warc.gz), chosen by suffix and content.
    """
    from ..pipeline import trace as run_trace
    from ..readwrite import write_outputs
    from .render import print_summary, progress_bars

    with progress_bars(quiet=quiet) as progress:
        tr = run_trace(list(paths), seed=seed, max_bytes=max_bytes, id_field=id_field,
                       text_field=text_field, date_field=date_field, progress=progress)
    report_skipped(tr.skipped, quiet=quiet)
    written = write_outputs(tr, out_dir)
    if as_json:
        sys.stdout.write(tr.to_json())
        return
    if sys.stdout.isatty():
        from rich.console import Console

        print_summary(tr, written, Console())
        return
    for line in summary_lines(tr):
        click.echo(line)
    click.echo("")
    click.echo("Wrote " + ", ".join(str(p) for p in written.values()))
