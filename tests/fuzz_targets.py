"""Hypothesis strategies and checked targets shared by the CI fuzz tests and
``benchmarks/fuzz.py`` (the long run).

Each ``check_*`` function feeds one input through a stage of the pipeline and
asserts the stage's invariants (offsets inside bounds, spans ordered, artefact
text equal to the raw slice it claims). A check returns nothing; an exception
or a failed assertion is a finding.
"""

from __future__ import annotations

from hypothesis import strategies as st

# ------------------------------------------------------------------ strategies

#: Words of ordinary English news prose, so that some inputs have sentences.
_WORDS = (
    "the officials arrested smugglers in eight weeks border police said on Monday "
    "according to Reuters million percent report government minister Mr. Dr. U.S. "
    "2,000 1.5 $50 million 12% March 26, 2021 2021-03-26 CNN told a I it"
).split()

_CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85", "\u2028", "\u2029"]
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e"]
_BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
         "\u2068", "\u2069", "\u061c"]
_SPACES = ["\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\t", "\v", "\f"]
_COMBINING = ["\u0301", "\u0308", "\u0327", "\u20dd", "\u0489", "\u1dc0", "\ufe20"]
_LOOKALIKES = list("аеорсухіѕјԁԛԝһӏАВЕКМНОРСТХαορντικχυϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_PUNCT = list(".!?…:;\"'“”‘’«»()[]-–—/\\,") + ["...", ". . .", "!!", "?!", "\n\n", "\r\n"]
_SCRIPTS = ["Привет мир.", "Γειά σου κόσμε.", "مرحبا بالعالم.", "שלום עולם.", "你好，世界。",
            "こんにちは世界。", "नमस्ते दुनिया।", "ｆｕｌｌ ｗｉｄｔｈ", "ﬁnal ﬂow", "Ⅻ ½ ²", "👍🏽👨‍👩‍👧"]

#: Any Unicode text without surrogates (which Python ``str`` from a file never has).
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=400)

_piece = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS),
    st.just(" "),
    st.just(" "),
    st.just("\n"),
    st.sampled_from(_PUNCT),
    st.sampled_from(_CONTROL),
    st.sampled_from(_INVISIBLE),
    st.sampled_from(_BIDI),
    st.sampled_from(_SPACES),
    st.sampled_from(_COMBINING),
    st.sampled_from(_LOOKALIKES),
    st.sampled_from(_SCRIPTS),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8),
    # whitespace-only and empty "sentences"
    st.sampled_from([" . ", "\n \n", " \t ", ". .", "\n.\n", "?\n!\n"]),
)

#: A huge token (up to 20,000 characters, no spaces).
huge_token = st.builds(lambda ch, n: ch * n,
                       st.sampled_from(["x", "7", "é", "\u0301", "ab", "-", ".", "\u200b", "а"]),
                       st.integers(500, 20_000))

#: Prose-like text stitched from hostile pieces.
pieced_text = st.lists(_piece, max_size=120).map("".join)

#: Text with a huge token somewhere in it.
with_huge_token = st.tuples(pieced_text, huge_token, pieced_text).map("".join)

#: The text strategy used by every target.
any_text = st.one_of(unicode_text, pieced_text, pieced_text, with_huge_token)


# --------------------------------------------------------------------- checks

def check_normalize(raw: str) -> None:
    """Offset-map invariants of :func:`provenance.normalize.normalize_text`."""
    import numpy as np

    from provenance.normalize import find_boilerplate, normalize_text

    for drop in ([], [(b.start, b.end) for b in find_boilerplate([raw])[0]]):
        n = normalize_text(raw, drop=drop)
        assert len(n.starts) == len(n.text), (len(n.starts), len(n.text))
        assert n.raw_len == len(raw)
        if len(n.starts):
            assert n.starts.min() >= 0 and n.starts.max() < len(raw)
            assert bool(np.all(np.diff(n.starts) >= 0)), "offset map not monotone"
        for a, b in drop:  # nothing from a dropped span survives
            assert not np.any((n.starts >= a) & (n.starts < b))
        for k in range(0, len(n.text) + 1, max(1, len(n.text) // 7)):
            ra, rb = n.raw_span(k, min(len(n.text), k + 5))
            assert 0 <= ra <= rb <= len(raw)


def check_segment(text: str) -> None:
    """Spans of :func:`provenance.segment.split_sentences` are in bounds, ordered, disjoint."""
    from provenance.segment import split_sentences, soft_newlines

    assert len(soft_newlines(text)) == len(text)
    prev = 0
    for a, b in split_sentences(text):
        assert 0 <= prev <= a < b <= len(text), (prev, a, b, len(text))
        assert not text[a].isspace() and not text[b - 1].isspace()
        prev = b


def check_prepare(raw: str) -> None:
    """Sentences of :func:`provenance.text.prepare` map back to the raw text."""
    from provenance.text import prepare

    p = prepare(raw, id="fuzz")
    prev = 0
    for s in p.sentences:
        assert 0 <= prev <= s.start < s.end <= len(raw), (prev, s.start, s.end, len(raw))
        assert s.text == raw[s.start:s.end]
        prev = s.end


def check_align(a: str, b: str) -> None:
    """Alignments of the TF-IDF aligner index the raw texts, scores are finite."""
    import math

    from provenance.aligners import TfidfSentenceAligner
    from provenance.text import prepare

    pa, pb = prepare(a, id="a"), prepare(b, id="b")
    al = TfidfSentenceAligner().fit([pa, pb])
    for result, tgt in ((al.align(pa, pb), b), (al.align_sentences(pa, pb), b), (al.align(pa, pa), a)):
        for x in result:
            assert 0 <= x.source_start <= x.source_end <= len(a), (x, len(a))
            assert 0 <= x.target_start <= x.target_end <= len(tgt), (x, len(tgt))
            assert math.isfinite(x.score) and -1e-9 <= x.score <= 1 + 1e-6, x.score


def check_artifacts(raw: str) -> None:
    """Artefact offsets of :func:`provenance.artifacts.analyze` satisfy ``raw[start:end] == text``."""
    import math

    from provenance.artifacts import analyze

    for lang in ("en", None):
        t, arts = analyze(raw, language=lang)
        assert math.isfinite(t.score) and 0.0 <= t.score <= 1.0
        for x in arts:
            assert 0 <= x.start <= x.end <= len(raw)
            assert raw[x.start:x.end] == x.text, (x.rule, x.start, x.end)


def check_signals(raw: str) -> None:
    """Claims, attributions and dates point at their text in ``raw``."""
    from provenance.signals import find_attributions, find_claims, find_dates

    for found in (find_claims(raw), find_attributions(raw), find_dates(raw)):
        for x in found:
            assert 0 <= x.start <= x.end <= len(raw)
            assert raw[x.start:x.end] == x.text, (type(x).__name__, x.start, x.end)


#: Targets for the long run: name -> (check, strategy of its argument tuple).
TARGETS = {
    "normalize": (check_normalize, st.tuples(any_text)),
    "segment": (check_segment, st.tuples(any_text)),
    "prepare": (check_prepare, st.tuples(any_text)),
    "align": (check_align, st.tuples(any_text, any_text)),
    "artifacts": (check_artifacts, st.tuples(any_text)),
    "signals": (check_signals, st.tuples(any_text)),
}
