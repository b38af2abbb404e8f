from provenance.segment import soft_newlines, split_sentences
from provenance.text import prepare


def test_wrapped_lines_join_but_titles_and_sentence_ends_break():
    t = "Big Title Of The Story\nThe first sentence wraps\nacross lines. The second.\nNew paragraph"
    spans = [t[a:b] for a, b in split_sentences(t)]
    assert spans == ["Big Title Of The Story", "The first sentence wraps\nacross lines.", "The second.", "New paragraph"]
    assert len(soft_newlines(t)) == len(t)


def test_prepared_sentences_index_raw_text():
    raw = "Headline\n\n«\u00a0Quoted\u200b » words stand in this sentence.\nPhoto by: A B\nMore text follows here."
    p = prepare(raw, id="x")
    for s in p.sentences:
        assert raw[s.start:s.end] == s.text
    assert any('" Quoted " words stand in this sentence.' == s.norm for s in p.sentences)
    assert not any("Photo" in s.text for s in p.sentences)


def test_non_latin_script():
    p = prepare("Правительство объявило о новой операции. Она началась в апреле.", id="ru")
    assert p.language == "ru" and len(p.sentences) == 2
