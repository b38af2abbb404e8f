"""The saved-pages example: HTML in, the wire story found upstream of its rewrite."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_saved_pages_example_finds_the_rewrite(tmp_path, capsys):
    pytest.importorskip("trafilatura")
    spec = importlib.util.spec_from_file_location("trace_saved_pages", EXAMPLES / "trace_saved_pages.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(str(tmp_path))
    out = capsys.readouterr().out
    assert "wire-port-record -> gazette-shipping-boom  derives_from" in out
    edge_lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert not [line for line in edge_lines if "coastdaily-traffic" in line]  # the unrelated story stays alone
    assert (tmp_path / "report.html").exists() and (tmp_path / "graph.gexf").exists()
