from provenance.normalize import find_boilerplate, normalize_text


def test_offsets_map_back_to_raw():
    raw = "The «\u00a0plan\u200b » costs US$50\u2009million — ﬁnal."
    n = normalize_text(raw)
    assert '"' in n.text and "\u200b" not in n.text and "fi" in n.text
    i = n.text.index("plan")
    a, b = n.raw_span(i, i + 4)
    assert raw[a:b] == "plan"
    j = n.text.index("final")
    a, b = n.raw_span(j, j + 5)
    assert raw[a:b] == "ﬁnal"


def test_homoglyphs_folded_only_inside_latin_words():
    n = normalize_text("Sеcurity and Россия")  # Cyrillic е in a Latin word; a real Russian word
    assert n.text == "Security and Россия"


def test_dropped_spans_keep_offsets():
    raw = "Keep this.\nDrop me\nKeep that."
    n = normalize_text(raw, drop=[(11, 18)])
    assert "Drop" not in n.text
    k = n.text.index("Keep that")
    assert raw[slice(*n.raw_span(k, k + 9))] == "Keep that"


def _reasons(raws):
    return [[(r[b.start:b.end], b.reason) for b in bp] for r, bp in zip(raws, find_boilerplate(raws))]


def test_boilerplate_rules_are_general():
    a = ("A headline about ports\n\nShare this\nThe port handled 4 million containers last year, officials said.\n"
         "Photo by: Jane Doe/Agency\nPrevious\nAnother story title here\nSubscribe to our newsletter\n")
    b = "Other headline\n\nSubscribe to our newsletter\nA different sentence about trade flows in the region.\n"
    ra, rb = _reasons([a, b])
    got = dict(ra)
    assert got["Share this"] == "navigation"
    assert got["Photo by: Jane Doe/Agency"] == "credit"
    assert got["Another story title here"] == "teaser"
    assert got["Subscribe to our newsletter"] == "navigation"
    assert "The port handled 4 million containers last year, officials said." not in got
    assert "A headline about ports" not in got  # the title stays


def test_repeated_non_sentence_lines_across_documents():
    a = "Title A\n\nSome body text that is a full sentence here.\nAcme Daily Gazette Group Ltd\n"
    b = "Title B\n\nOther body text that is a full sentence too.\nAcme Daily Gazette Group Ltd\n"
    ra, rb = _reasons([a, b])
    assert ("Acme Daily Gazette Group Ltd", "repeated") in ra and ("Acme Daily Gazette Group Ltd", "repeated") in rb


def test_hard_wrapped_prose_is_not_boilerplate():
    raw = ("We welcome the new vision they bring to\nWashington and pledge to work with\nthem to\n"
           "tackle the nation's deepening\ndomestic\nchallenges.\n")
    assert find_boilerplate([raw]) == [[]]


def test_long_paragraphs_are_never_furniture_whatever_they_contain():
    para = ("Posted On: 05/01/2007 Talk about a TV dinner | the newest eatery in town opened " * 12
            + "and the photo by the door credit: the owner")  # no final punctuation, ~180 words
    caption = ("Migrants walk along a railway track in the south of the country on Monday, as officials "
               "warn of a humanitarian crisis at the border. Photographer: Jane Roe/Agency via Getty Images")
    raws = [f"Title\n\n{para}\n{caption}\n", f"Other\n\n{para}\n"]
    marks = find_boilerplate(raws)
    assert [(raws[0][m.start:m.end], m.reason) for m in marks[0]] == [(caption, "credit")]
    assert marks[1] == []
