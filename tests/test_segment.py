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


def test_overlong_span_is_resplit_at_inner_sentence_ends():
    # sentencex takes 'old ... members' for a quotation and splits nothing inside it.
    t = ("The 'old guard of the valley said little. The spring festival attracted visitors. "
         "Tomatoes grow well in the warm southern slopes. So ended the members' meeting.")
    assert split_sentences(t) == [(0, len(t))]
    spans = [t[a:b] for a, b in split_sentences(t, max_chars=60)]
    assert spans == ["The 'old guard of the valley said little.", "The spring festival attracted visitors.",
                     "Tomatoes grow well in the warm southern slopes.", "So ended the members' meeting."]


def test_resplit_without_sentence_ends_uses_line_breaks_then_spaces():
    from provenance.segment import resplit_long

    lines = "\n".join(f"line number {k} of a poem without stops" for k in range(20))
    pieces = resplit_long(lines, 0, len(lines), 200)
    assert all(b - a <= 200 for a, b in pieces) and len(pieces) == 4
    assert all(lines[b - 1] == "s" and (a == 0 or lines[a - 1] == "\n") for a, b in pieces)  # whole lines
    words = " ".join(["word"] * 100)
    pieces = resplit_long(words, 0, len(words), 120)
    assert [words[a:b].split() == ["word"] * len(words[a:b].split()) for a, b in pieces] == [True] * len(pieces)
    assert all(b - a <= 120 for a, b in pieces)
    assert resplit_long(words, 5, 50, 120) == [(5, 50)]  # short spans unchanged
