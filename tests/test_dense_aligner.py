"""The optional dense-embedding aligner (extra ``dense``, wordllama): real text in, real offsets out, offline."""

import logging
import sys

import pytest
from click.testing import CliRunner
from sklearn.base import clone

from provenance.aligners import METHODS, DenseSentenceAligner, get_aligner
from provenance.aligners import dense as dense_mod
from provenance.aligners.base import prepare_for_alignment
from provenance.cli import main
from provenance.errors import MissingExtraError

SOURCE = (
    "The committee met on Tuesday to discuss the budget for the coming year. "
    "Several members raised concerns about the cost of the new library. "
    "Smugglers moved nearly two thousand crates of contraband tobacco across the northern border last winter. "
    "Customs officers seized eleven trucks near the mountain pass after a tip from local farmers. "
    "Investigators later traced the shipments to a warehouse owned by a shipping company in the harbour district. "
    "A vote was postponed until the next session in March. "
)
# The three middle sentences of SOURCE, reworded (word order, synonyms), between unrelated sentences.
PARAPHRASE = (
    "Gardening remains a popular hobby among retired teachers in the valley. "
    "Last winter, smugglers carried almost two thousand crates of illegal tobacco over the northern border. "
    "After local farmers tipped them off, customs officers seized eleven trucks near the mountain pass. "
    "The shipments were later traced by investigators to a harbour district warehouse of a shipping company. "
    "Tomatoes and peppers grow well in the warm southern slopes. "
)
UNRELATED = (
    "The orchestra rehearsed the symphony twice before the premiere in the old opera house. "
    "Violinists complained that the hall was too cold in the mornings. "
    "The conductor asked the brass section to play more softly in the second movement. "
)


def test_paraphrase_aligns_with_offsets_into_both_raw_texts(no_network, monkeypatch):
    monkeypatch.setattr(dense_mod, "_MODEL", None)  # load the model here, with the network refused
    pa, pb = prepare_for_alignment(SOURCE, "a"), prepare_for_alignment(PARAPHRASE, "b")
    al = DenseSentenceAligner().fit([pa, pb])
    out = al.align(pa, pb)
    assert len(out) == 1
    x = out[0]
    assert x.method == "dense" and 0.0 < x.score <= 1.0
    src, tgt = SOURCE[x.source_start:x.source_end], PARAPHRASE[x.target_start:x.target_end]
    assert src.startswith("Smugglers moved") and src.endswith("in the harbour district.")
    assert tgt.startswith("Last winter, smugglers") and tgt.endswith("of a shipping company.")
    # Sentence level: each reworded sentence matches its original, and nothing else.
    pairs = {(SOURCE[p.source_start:p.source_end][:12], PARAPHRASE[p.target_start:p.target_end][:12])
             for p in al.align_sentences(pa, pb)}
    assert pairs == {("Smugglers mo", "Last winter,"), ("Customs offi", "After local "),
                     ("Investigator", "The shipment")}


def test_unrelated_text_yields_nothing(no_network):
    al = get_aligner("dense").fit([SOURCE, UNRELATED])
    assert al.align(SOURCE, UNRELATED) == []
    assert al.align_sentences(SOURCE, UNRELATED) == []
    assert al.align("", SOURCE) == [] and al.align(SOURCE, "   ") == []


def test_output_is_deterministic_and_fitted_embeddings_are_reused(no_network, monkeypatch):
    pa, pb = prepare_for_alignment(SOURCE, "a"), prepare_for_alignment(PARAPHRASE, "b")
    al = DenseSentenceAligner().fit([pa, pb])
    first = al.align(pa, pb)
    # Fitted texts are not embedded again.
    monkeypatch.setattr(al, "_embed", lambda p: pytest.fail("re-embedded a fitted text"))
    assert al.align(pa, pb) == first
    # A different text with the same id is embedded afresh, not mistaken for the fitted one.
    other = prepare_for_alignment(UNRELATED, "b")
    monkeypatch.undo()
    assert al.align(pa, other) == []
    assert DenseSentenceAligner().fit([]).align(SOURCE, PARAPHRASE) == first


def test_missing_wordllama_names_the_extra(monkeypatch):
    monkeypatch.setattr(dense_mod, "_MODEL", None)
    monkeypatch.setitem(sys.modules, "wordllama", None)  # import now fails as if not installed
    al = get_aligner("dense")  # constructing needs nothing
    with pytest.raises(MissingExtraError, match=r"pip install 'provenance\[dense\]'"):
        al.fit([SOURCE])
    with pytest.raises(MissingExtraError, match=r"provenance\[dense\]"):
        al.align(SOURCE, PARAPHRASE)


def test_cli_compare_with_dense_method(tmp_path, no_network):
    (tmp_path / "a.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PARAPHRASE, encoding="utf-8")
    res = CliRunner().invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--method", "dense"])
    assert res.exit_code == 0, res.output
    assert "Last winter, smugglers" in res.output


def test_missing_extra_is_a_one_line_cli_error(tmp_path, monkeypatch):
    monkeypatch.setattr(dense_mod, "_MODEL", None)
    monkeypatch.setitem(sys.modules, "wordllama", None)
    (tmp_path / "a.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PARAPHRASE, encoding="utf-8")
    res = CliRunner().invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--method", "dense"])
    assert res.exit_code == 1 and "pip install 'provenance[dense]'" in res.output


def test_import_does_not_configure_logging(monkeypatch):
    # wordllama calls logging.basicConfig(level=INFO) at import; it acts only on a root logger without handlers.
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    monkeypatch.delitem(sys.modules, "wordllama", raising=False)
    dense_mod._import_wordllama()
    assert root.handlers == [] and root.level == logging.WARNING
    # Without the guard the import would have configured it.
    import importlib

    importlib.reload(sys.modules["wordllama"])
    assert root.handlers and root.level == logging.INFO


def test_estimator_contract():
    assert METHODS["dense"] is DenseSentenceAligner
    est = get_aligner("dense", threshold=0.5, max_gap=2)
    params = est.get_params()
    assert params["threshold"] == 0.5 and params["max_gap"] == 2
    twin = clone(est)
    assert twin.get_params() == params and twin is not est
    assert not hasattr(twin, "embeddings_")
    assert est.fit([SOURCE]) is est and est.n_documents_ == 1 and hasattr(est, "embeddings_")
    assert est.set_params(threshold=0.6).threshold == 0.6


def test_docstring_example():
    import doctest

    res = doctest.testmod(dense_mod, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 1 and res.failed == 0


def test_pooling_matches_wordllama_and_bounds_memory(no_network):
    import numpy as np

    model = dense_mod.load_model()
    sents = [s.text for s in prepare_for_alignment(SOURCE + PARAPHRASE, "x").sentences]
    ours = dense_mod.sentence_embeddings(model, sents)
    assert np.allclose(ours, model.embed(sents, norm=True), atol=1e-6)
    # One unpunctuated 100,000-word "sentence" next to short ones: no padding to its length.
    out = dense_mod.sentence_embeddings(model, ["Short one.", "word " * 100_000, ""])
    assert out.shape == (3, model.embedding.shape[1])
    assert np.allclose(np.linalg.norm(out, axis=1), [1.0, 1.0, 0.0], atol=1e-5)
