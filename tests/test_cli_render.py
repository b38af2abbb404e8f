"""Terminal output: rich tables and graph tree, progress only on a terminal, --quiet."""

import io

from click.testing import CliRunner
from rich.console import Console

from provenance.cli import main
from provenance.cli.render import graph_tree, print_summary, progress_bars


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_rich_summary_has_tables_tree_and_paths(seed_trace, tmp_path):
    buf = io.StringIO()
    written = {"json": tmp_path / "trace.json", "html": tmp_path / "report.html"}
    print_summary(seed_trace, written, Console(file=buf, width=140, color_system=None))
    out = buf.getvalue()
    assert "Documents" in out and "Edges" in out and "Derivation graph" in out
    for a in seed_trace.analyses:
        assert a.doc.id in out
    assert str(tmp_path / "report.html") in out


def test_graph_tree_nests_derived_texts_under_their_source(seed_trace):
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(graph_tree(seed_trace))
    lines = buf.getvalue().splitlines()
    for e in seed_trace.edges:
        if e.directed:
            src = next(i for i, l in enumerate(lines) if e.source in l)
            assert any(e.target in l for l in lines[src + 1:])


def test_progress_only_on_a_terminal_and_not_when_quiet():
    with progress_bars(quiet=False, stream=io.StringIO()) as cb:
        assert cb is None
    tty = _Tty()
    with progress_bars(quiet=True, stream=tty) as cb:
        assert cb is None
    with progress_bars(quiet=False, stream=tty) as cb:
        assert callable(cb)
        cb("load", 1, 0)
        cb("compare", 3, 10)
    assert "Comparing candidate pairs" in tty.getvalue()


def test_piped_cli_output_is_plain_and_quiet_flag_works(seeds_dir, tmp_path):
    res = CliRunner().invoke(main, ["trace", str(seeds_dir), "-o", str(tmp_path), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "Edges" in res.output and "━" not in res.output and "\x1b[" not in res.output
    assert str(tmp_path / "report.html") in res.output


def test_rich_summary_without_edges(tmp_path):
    from provenance import documents_from_texts
    from provenance.pipeline import trace

    tr = trace(documents=documents_from_texts({"a": "Cats sleep a lot in [bold]winter[/bold].", "b": "Stocks fell on Monday."}))
    buf = io.StringIO()
    print_summary(tr, {"json": tmp_path / "trace.json"}, Console(file=buf, width=100, color_system=None))
    out = buf.getvalue()
    assert "Edges: none" in out and "no edges: a, b" in out and "[bold]winter[/bold]" in out  # markup escaped
