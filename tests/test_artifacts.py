"""Translation-artefact detection: catalogue examples, verdicts, offsets, CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import artifacts as A
from provenance.cli import main
from provenance.records import Artifact

RULES = A.load_rules()
RULE_IDS = [r.id for r in RULES]
BY_ID = {r.id: r for r in RULES}

ENGLISH = (
    "The city council approved the new budget on Tuesday after a long debate. "
    "Officials said the plan would fund schools, roads and a new library, and "
    "that taxes would not rise this year. Residents who attended the meeting "
    "asked questions about parking and the timing of the construction work.\n"
)


# --------------------------------------------------------------------------- catalogue


def test_catalogue_shape() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS)), "rule ids must be unique"
    cats = {r.category for r in RULES}
    assert {"marker", "typography", "calque", "untranslated", "apposition"} <= cats
    for r in RULES:
        assert 0 < r.weight <= 1, r.id
        assert r.language is None or r.language in A.ISO_639_1, r.id
        assert r.explanation and r.positive and r.negative, r.id
        if r.category == "calque":
            assert r.canonical, f"{r.id}: calques carry their canonical English meaning"
    # every source language is covered by language-specific calques, beyond a handful
    for lang in ("es", "fr", "pt", "it", "de"):
        n = sum(1 for r in RULES if r.category == "calque" and r.language == lang)
        assert n >= 7, (lang, n)
        assert any(r.category == "untranslated" and r.language == lang for r in RULES), lang
    assert sum(1 for r in RULES if r.category == "calque") >= 90


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_positive_example_fires(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    hits = A.rule_artifacts(rule.positive, [rule])
    assert hits, f"{rule_id} does not fire on its positive example {rule.positive!r}"
    for a in hits:
        assert rule.positive[a.start:a.end] == a.text
        assert a.rule == rule_id and a.weight == rule.weight


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_negative_example_is_silent(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    assert A.rule_artifacts(rule.negative, [rule]) == [], f"{rule_id} fires on {rule.negative!r}"


def test_full_catalogue_on_plain_english_is_silent() -> None:
    assert A.rule_artifacts(ENGLISH) == []


# --------------------------------------------------------------------------- Done-when behaviours


def test_round_trip_marker_via_french() -> None:
    raw = ENGLISH + "\nThe minister spoke to reporters afterwards.\n\ncnn en2fr2en\n\nBack to top\n"
    t, arts = A.analyze(raw, language="en")
    assert t.translated is True
    assert t.round_trip is True
    assert t.source_language == "en"
    assert t.pivot_languages == ("fr",)
    marker = [a for a in arts if a.rule == "marker.lang-chain"]
    assert len(marker) == 1 and raw[marker[0].start:marker[0].end] == "en2fr2en"
    assert t.to_dict()["pivot_languages"] == ["fr"]


def test_one_way_marker_and_invalid_codes() -> None:
    t, _ = A.analyze(ENGLISH + "\nes2en\n", language="en")
    assert (t.translated, t.source_language, t.round_trip, t.pivot_languages) == (True, "es", False, ())
    t2, arts2 = A.analyze(ENGLISH + "\nOur b2b2c and p2p platforms, zz2qq2zz.\n", language="en")
    assert not [a for a in arts2 if a.rule == "marker.lang-chain"]
    assert t2.round_trip is False


def test_secretary_of_national_security_is_spanish_with_canonical() -> None:
    raw = ("US Secretary of National Security Alejandro Mayorkas announced the launch of "
           "the operation on Tuesday, officials said.")
    t, arts = A.analyze(raw, language="en")
    assert t.translated is True
    assert t.source_language == "es"
    assert t.round_trip is False
    calque = [a for a in arts if a.rule == "calque.es.secretary-national-security"]
    assert len(calque) == 1
    assert calque[0].canonical == "Homeland Security Secretary"
    assert calque[0].text == "US Secretary of National Security"
    rewrites = A.canonical_rewrites(raw, arts)
    assert rewrites == [(0, len("US Secretary of National Security"), "Homeland Security Secretary")]
    # splicing the rewrite gives the wording alignment will see
    s, e, c = rewrites[0]
    assert (raw[:s] + c + raw[e:]).startswith("Homeland Security Secretary Alejandro Mayorkas")


def test_canonical_templates_expand_groups() -> None:
    raw = "The past Monday the actual president met the press."
    _, arts = A.analyze(raw, language="en")
    canon = {a.rule: a.canonical for a in arts}
    assert canon["calque.es.the-past-day"] == "last Monday"
    assert canon["calque.romance.actual"] == "the current president"


def test_canonical_rewrites_drop_overlaps_and_bad_offsets() -> None:
    raw = "abc Secretary of National Security xyz"
    a1 = Artifact("r1", 4, 35, raw[4:35], "es", 0.9, canonical="Homeland Security Secretary")
    a2 = Artifact("r2", 17, 35, raw[17:35], "es", 0.5, canonical="homeland security")
    stale = Artifact("r3", 0, 3, "zzz", "es", 0.9, canonical="x")  # text does not match raw
    assert A.canonical_rewrites(raw, [a2, a1, stale]) == [(4, 35, "Homeland Security Secretary")]


def test_source_language_is_weighted_vote() -> None:
    raw = ("The responsibles of the ministry met. In the measure where prices rise, "
           "demand falls, and it acts of a new policy.")
    t, arts = A.analyze(raw, language="en")
    assert t.translated and t.source_language == "fr"
    assert {a.rule for a in arts} >= {"calque.fr.in-the-measure-where", "calque.fr.it-acts-of"}


def test_plain_english_is_not_translated() -> None:
    t, arts = A.analyze(ENGLISH * 3, language="en")
    assert arts == []
    assert t.translated is False and t.source_language is None and t.round_trip is False
    assert t.score == pytest.approx(A.passage_score(ENGLISH * 3), abs=1e-6)


def test_non_english_text_only_checks_markers() -> None:
    fr = "Le ministre a parlé d'une opération « sans précédent » ; elle commence lundi.\n"
    t, arts = A.analyze(fr, language="fr")
    assert arts == [] and t.translated is False and t.score == 0.0
    t2, arts2 = A.analyze(fr + "en2fr\n", language="fr")
    assert [a.rule for a in arts2] == ["marker.lang-chain"]
    assert t2.translated and t2.source_language == "en" and not t2.round_trip


def test_untranslated_words_need_english_context() -> None:
    rule = BY_ID["untranslated.es"]
    assert A.rule_artifacts("the officials said que the plan was ready", [rule])
    # a quoted Spanish title is foreign text, not an untranslated leftover
    assert not A.rule_artifacts('see "roles para los ejércitos de la región" in the book', [rule])


# --------------------------------------------------------------------------- statistical score


def test_model_loads_from_package_and_matches_features() -> None:
    m = A._model()
    assert set(m.names) == set(A.passage_features(ENGLISH))
    assert 0.0 < A.model_threshold() < 1.0
    assert len(m.vocab) > 1000


def test_passage_score_range_and_short_text() -> None:
    assert A.passage_score("Too short.") == 0.0
    p = A.passage_score(ENGLISH)
    assert 0.0 < p < 1.0
    assert A.passage_score(ENGLISH) == p  # deterministic


def test_features_see_agreement_errors_and_rarity() -> None:
    clean = A.passage_features("He has a car and an apple. They were happy with the results.")
    bad = A.passage_features("He have a apple and an car. They is happy with a results.")
    assert bad["agree_err"] > clean["agree_err"] == 0
    assert bad["number_agree"] > clean["number_agree"]
    rare = A.passage_features("the gmrim aplmn aliekexie walked home")
    assert rare["oov"] > 0.4


def test_char_ngrams_match_sklearn_convention() -> None:
    g = A.char_ngrams("ab  c", 1, 2)
    assert g == {"a": 1, "b": 1, " ": 1, "c": 1, "ab": 1, "b ": 1, " c": 1}


# --------------------------------------------------------------------------- offsets, passages, speed


CUES = [
    "Without embargo, ", "« unprecedented » ", "US$50 million ", "the 15 of June ",
    "Secretary of National Security ", "¿why? ", "3,5 percent ", "made a question ",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CUES + ["plain words here. ", "\n", "\r\n", "  ", "Ünïcödé ü. "]),
                min_size=1, max_size=25))
def test_offsets_index_raw_text(parts: list[str]) -> None:
    raw = "".join(parts)
    t, arts = A.analyze(raw, language="en")
    assert [a.start for a in arts] == sorted(a.start for a in arts)
    for a in arts:
        assert raw[a.start:a.end] == a.text and a.text.strip() == a.text
    assert 0.0 <= t.score <= 1.0
    assert A.analyze(raw, language="en") == (t, arts)


def test_analyze_passages_offsets_and_markers() -> None:
    raw = ENGLISH + "\n" + ENGLISH.replace("Officials", "The responsibles") + "\n" + ENGLISH + "\ncnn en2fr2en\n"
    out = A.analyze_passages(raw, language="en", min_chars=200)
    assert len(out) >= 3
    for a, b, t, arts in out:
        assert raw[a:b].strip() and raw[a] not in " \n"
        assert all(a <= x.start and x.end <= b for x in arts)
        assert t.round_trip  # the document marker describes every passage
    assert any("calque.fr.responsibles" in [x.rule for x in arts] for _, _, _, arts in out)


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def corpus(tmp_path):
    (tmp_path / "a_roundtrip.txt").write_text(
        "Officials met on Monday to discuss the « new » plan , he said.\n\ncnn en2fr2en\n", encoding="utf-8")
    (tmp_path / "b_spanish.txt").write_text(
        "US Secretary of National Security Alejandro Mayorkas announced the plan.\n", encoding="utf-8")
    (tmp_path / "c_plain.txt").write_text(ENGLISH, encoding="utf-8")
    return tmp_path


def test_cli_json(corpus) -> None:
    runner = CliRunner()
    # --language skips lingua's (slow, first-call) detection; detection is the language module's job
    r1 = runner.invoke(main, ["artifacts", "--json", "--language", "en", str(corpus)])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(main, ["artifacts", "--json", "--language", "EN", str(corpus)])
    assert r1.output == r2.output  # deterministic
    data = json.loads(r1.output)
    assert data["schema"] == "provenance-artifacts/1" and data["translation_model"] == "default"
    docs = {d["id"]: d for d in data["documents"]}
    assert set(docs) == {"a_roundtrip", "b_spanish", "c_plain"}
    for d in docs.values():
        assert set(d) >= {"id", "path", "title", "date", "language", "translation", "artifacts"}
        assert set(d["translation"]) == {"translated", "score", "source_language", "round_trip", "pivot_languages"}
        raw = (corpus / f"{d['id']}.txt").read_text(encoding="utf-8")
        for a in d["artifacts"]:
            assert raw[a["start"]:a["end"]] == a["text"]
            assert {"rule", "start", "end", "text", "language", "weight"} <= set(a)
    rt = docs["a_roundtrip"]["translation"]
    assert rt["round_trip"] and rt["source_language"] == "en" and rt["pivot_languages"] == ["fr"]
    es = docs["b_spanish"]
    assert es["translation"]["source_language"] == "es" and es["translation"]["translated"]
    assert any(a.get("canonical") == "Homeland Security Secretary" for a in es["artifacts"])
    # No rule fires on plain English; its verdict is the statistical score's alone (a
    # 57-word toy paragraph sits near the threshold, so the test does not fix its side).
    plain = docs["c_plain"]["translation"]
    assert docs["c_plain"]["artifacts"] == []
    assert plain["translated"] == (plain["score"] >= A.model_threshold())
    assert plain["score"] == pytest.approx(A.passage_score(ENGLISH), abs=1e-4)  # rounded to 4 places


def test_cli_text_highlights_in_context(corpus) -> None:
    r = CliRunner().invoke(main, ["artifacts", str(corpus / "b_spanish.txt"), "--passages", "--language", "en"])
    assert r.exit_code == 0, r.output
    assert "machine-translated" in r.output and "from es" in r.output
    assert "[[US Secretary of National Security]] Alejandro Mayorkas" in r.output
    assert "=> Homeland Security Secretary" in r.output
    assert "passage 0-" in r.output


def test_cli_missing_path_is_one_line_error(tmp_path) -> None:
    r = CliRunner().invoke(main, ["artifacts", str(tmp_path / "nope.txt")])
    assert r.exit_code == 1
    assert "no such file or directory" in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_cli_rejects_bad_language(corpus) -> None:
    r = CliRunner().invoke(main, ["artifacts", "--language", "english", str(corpus)])
    assert r.exit_code == 2 and "ISO 639-1" in r.output


def test_cli_french_language_only_checks_markers(corpus) -> None:
    r = CliRunner().invoke(main, ["artifacts", "--json", "--language", "fr", str(corpus / "a_roundtrip.txt")])
    doc = json.loads(r.output)["documents"][0]
    assert doc["language"] == "fr"
    assert [a["rule"] for a in doc["artifacts"]] == ["marker.lang-chain"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "the actual president ", "Secretary of National Security ", "Department of National Security ",
    "the past Monday ", "sanitary emergency ", "had place ", "in function of ", "words ", ". ",
]), min_size=1, max_size=20))
def test_canonical_rewrites_are_sorted_disjoint_and_splice(parts: list[str]) -> None:
    raw = "".join(parts)
    _, arts = A.analyze(raw, language="en")
    rw = A.canonical_rewrites(raw, arts)
    assert rw == sorted(rw)
    for (s1, e1, _), (s2, e2, _) in zip(rw, rw[1:]):
        assert e1 <= s2
    texts = {(a.start, a.end): a for a in arts}
    for s, e, c in rw:
        assert (s, e) in texts and texts[(s, e)].canonical == c and c
    out = raw
    for s, e, c in reversed(rw):
        out = out[:s] + c + out[e:]
    assert "Secretary of National Security" not in out


def test_translated_from_stamp_names_source_but_mentions_do_not() -> None:
    t, arts = A.analyze(ENGLISH + "(Translated from the Portuguese by our newsroom.)\n", language="en")
    assert t.translated and t.source_language == "pt" and not t.round_trip
    assert [a.rule for a in arts] == ["marker.translated-from"]
    t2, arts2 = A.analyze("The novel, translated from Spanish, won a prize. " + ENGLISH, language="en")
    assert arts2 == [] and t2.source_language is None


def test_literal_prefilter_never_changes_the_hits(monkeypatch) -> None:
    rules = A.load_rules()
    texts = [r.positive for r in rules] + [r.negative for r in rules]
    texts += [" ".join(r.positive for r in rules), " ".join(r.positive for r in rules).upper()]
    with_prefilter = [A.rule_artifacts(t) for t in texts]
    monkeypatch.setattr(A, "required_literals", lambda pattern: ())
    assert [A.rule_artifacts(t) for t in texts] == with_prefilter


# --------------------------------------------------------------------------- shipped model, tagger, split


TRANSLATED_LOOKING = (
    "The mayor of the city has declared yesterday that the works of the bridge will be finished in the "
    "next month, according to sources of the municipality. He said that the neighbors could use the new "
    "road from the first day of March. The total cost of project is 25 millions dollars, which represents "
    "an increase of 10 percent in relation to initial budget. Also the mayor affirmed that the traffic in "
    "the center will be more fluid with this work, that was waited during many years by the population."
)
HUMAN = (
    "The city council approved the new budget on Tuesday after a long debate. Officials said the plan "
    "would fund schools, roads and a new library, and that taxes would not rise this year. Residents who "
    "attended the meeting asked questions about parking and the timing of the construction work. The "
    "mayor, who has pushed for the library since her election, called the vote a turning point for the "
    "neighborhood."
)


def test_shipped_model_separates_translated_looking_from_human_passage() -> None:
    m = A._model()
    assert m.word_vocab and m.pos_vocab and m.skel_vocab and m.vocab
    p_mt, p_en = A.passage_score(TRANSLATED_LOOKING), A.passage_score(HUMAN)
    # The 80-word clean toy paragraph sits near the threshold (0.507 against 0.56):
    # the model ranks, the threshold is fitted for PAN passages.
    assert p_mt >= A.model_threshold() and p_mt > p_en + 0.2
    # the pure-Python decision is the sum of its blocks: dropping the word and
    # part-of-speech blocks changes it (they are really used)
    from dataclasses import replace

    bare = replace(m, word_vocab={}, pos_vocab={})
    assert A._decision(TRANSLATED_LOOKING, bare) != pytest.approx(A._decision(TRANSLATED_LOOKING, m))


@pytest.mark.parametrize("text", [
    "Le président a déclaré mardi que la réforme des retraites serait adoptée avant la fin de l'année.",
    "これは日本語の文章です。東京で会議が開かれました。",
    "Привет мир, это тест на русском языке без английских слов.",
    "!!! ??? ... 123 456 --- ***",
    "",
])
def test_non_english_or_odd_text_scores_without_error(text: str) -> None:
    p = A.passage_score(text)
    assert 0.0 <= p <= 1.0
    assert len(A.pos_tags(text)) == len(A._TOKEN.findall(text))
    t, _ = A.analyze(text)
    assert 0.0 <= t.score <= 1.0


def test_pos_tags_lexicon_and_unknown_words() -> None:
    assert A.pos_tags("She quickly signed the contracts.") == ["PRP", "RB", "VBD", "DT", "NNS", "."]
    # unknown words: suffix guesses, capitalized inside a sentence -> NNP, numbers -> CD
    assert A.pos_tags("we zorbled 42 Blarfs") == ["PRP", "VBN", "CD", "NNP"]


def test_required_literals_prefilter_is_exact_on_seed_documents(monkeypatch) -> None:
    from pathlib import Path

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    assert texts
    with_prefilter = [A.rule_artifacts(t) for t in texts]
    monkeypatch.setattr(A, "required_literals", lambda pattern: ())
    assert [A.rule_artifacts(t) for t in texts] == with_prefilter


def _fit_script():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "fit_translation_model.py"
    spec = importlib.util.spec_from_file_location("fit_translation_model", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fit_translation_model", mod)
    spec.loader.exec_module(mod)
    return mod


def test_split_holds_out_train_passages_sharing_a_dev_document(tmp_path) -> None:
    """A train pair whose source document also feeds dev is used for neither fitting nor reporting."""
    fit = _fit_script()
    dev_susp, train_susp, other_susp = (f"suspicious-document{n:05d}.txt" for n in (2, 4, 5))
    assert fit.split_of(dev_susp) == "dev" and fit.split_of(train_susp) == fit.split_of(other_susp) == "train"
    for d in ("susp", "src", "01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
              "04-translation-obfuscation", "05-summary-obfuscation"):
        (tmp_path / d).mkdir()
    text = "Some human text about rivers and mountains. " * 5
    for name in (dev_susp, train_susp, other_susp):
        (tmp_path / "susp" / name).write_text(text, encoding="utf-8")
    for name in ("source-document00001.txt", "source-document00002.txt"):
        (tmp_path / "src" / name).write_text(text, encoding="utf-8")

    def pair(folder: str, susp: str, src: str, kind: str) -> None:
        stem = f"{susp[:-4]}-{src[:-4]}.xml"
        (tmp_path / folder / stem).write_text(
            f'<document reference="{susp}">\n<feature name="plagiarism" source_length="40" source_offset="0" '
            f'source_reference="{src}" this_length="40" this_offset="0" type="{kind}" />\n</document>\n',
            encoding="utf-8")

    pair("04-translation-obfuscation", dev_susp, "source-document00001.txt", "translation-chain")
    pair("02-no-obfuscation", train_susp, "source-document00001.txt", "artificial")
    pair("04-translation-obfuscation", other_susp, "source-document00002.txt", "translation-chain")
    rows = fit.load_passages(str(tmp_path))
    by = {(r["susp"], r["label"]): r["split"] for r in rows}
    assert by[(dev_susp, "mt")] == by[(dev_susp, "src")] == "dev"
    assert by[(train_susp, "verbatim")] == "held"
    assert by[(other_susp, "mt")] == by[(other_susp, "src")] == "train"
    groups = fit.document_groups(rows)
    g = {(r["susp"], r["label"]): k for r, k in zip(rows, groups)}
    assert g[(dev_susp, "mt")] == g[(train_susp, "verbatim")] != g[(other_susp, "mt")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(list("ab cdE.,'\n\t-é😀\udc80") + ["the ", "Of ", "  ", "tion", "ing "]), max_size=80))
def test_hashed_char_block_equals_dict_counting(parts: list[str]) -> None:
    text = "".join(parts)
    from dataclasses import replace

    m = A._model()
    assert m.char_block is not None
    slow = replace(m, char_block=None)
    assert A._decision(text, m) == pytest.approx(A._decision(text, slow), abs=1e-9)


def test_translation_score_is_identical_in_processes_with_other_string_hashes():
    import os
    import subprocess
    import sys

    code = ("from provenance.artifacts import passage_score; from provenance.simulate import simulate; "
            "c = simulate(n_documents=15, noise='moderate', seed=5); "
            "print([repr(passage_score(d.raw)) for d in c.documents])")
    outs = set()
    for seed in ("0", "1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1


def test_weak_windows_skip_plagiarised_passages_and_dev_documents(tmp_path) -> None:
    """Windows: train suspicious documents of 02 (human) and 04 (translated) and the train source
    documents of 04 pairs (human), outside every plagiarised passage; nothing from a dev document."""
    fit = _fit_script()
    dev_susp, tr02, tr04, tr05 = (f"suspicious-document{n:05d}.txt" for n in (2, 4, 5, 6))
    assert fit.split_of(dev_susp) == "dev" and {fit.split_of(s) for s in (tr02, tr04, tr05)} == {"train"}
    for d in ("susp", "src", "01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
              "04-translation-obfuscation", "05-summary-obfuscation"):
        (tmp_path / d).mkdir()
    before = "Rivers run to the sea. " * 20
    copied = "THE PLAGIARISED PASSAGE. " * 8
    after = "Mountains rise above the valley.\n" * 15
    text = before + copied + after
    for name in (dev_susp, tr02, tr04, tr05):
        (tmp_path / "susp" / name).write_text(text, encoding="utf-8")
    source_rest = "Lakes freeze in the winter. " * 10
    for n in (1, 3):  # 1 also feeds the dev split; 3 only a train 04 pair
        (tmp_path / "src" / f"source-document{n:05d}.txt").write_text(copied + source_rest, encoding="utf-8")

    def pair(folder: str, susp: str, src: int = 1) -> None:
        (tmp_path / folder / f"{susp[:-4]}-source-document{src:05d}.xml").write_text(
            f'<document reference="{susp}">\n<feature name="plagiarism" source_length="{len(copied)}" '
            f'source_offset="0" source_reference="source-document{src:05d}.txt" this_length="{len(copied)}" '
            f'this_offset="{len(before)}" type="x" />\n</document>\n', encoding="utf-8")

    pair("04-translation-obfuscation", dev_susp)
    pair("02-no-obfuscation", tr02)
    pair("04-translation-obfuscation", tr04, 3)
    pair("05-summary-obfuscation", tr05)
    wins = fit.unlabelled_windows(str(tmp_path), min_chars=100)
    src3 = "source-document00003.txt"
    assert {(w["doc"], w["y"]) for w in wins} == {(tr02, "0"), (tr04, "1"), (src3, "0")}
    for w in wins:
        assert "PLAGIARISED" not in w["text"] and len(w["text"].strip()) >= 50
        assert w["text"] in (source_rest if w["doc"] == src3 else text)
    # everything outside the passage is covered, in windows of at least 100 characters but the tails
    assert sum(len(w["text"]) for w in wins if w["doc"] == tr04) >= len(before) + len(after) - 40
    assert sum(len(w["text"]) for w in wins if w["doc"] == src3) >= len(source_rest) - 40


def test_auc_bootstrap_resamples_whole_documents():
    from benchmark_module import load_benchmark

    boot = load_benchmark("artifacts").auc_bootstrap
    y = [0, 1] * 20
    docs = [f"d{i // 4}" for i in range(40)]
    se, lo, hi = boot(y, [float(t) for t in y], docs, draws=200)
    assert se == 0.0 and lo == hi == 1.0
    import random

    rng = random.Random(0)
    se, lo, hi = boot(y, [rng.random() for _ in y], docs, draws=200)
    assert 0.02 < se < 0.2 and lo < 0.5 < hi
