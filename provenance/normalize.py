"""Normalization with an offset map back to the raw text, and boilerplate lines.

``normalize_text`` applies NFKC (full-width letters become ASCII), folds
quotes, dashes and Unicode spaces, removes zero-width characters, variation
selectors and soft hyphens, maps Cyrillic/Greek look-alike letters in
disguised Latin words to Latin, closes up letter-spaced words
("s m u g g l i n g"), and collapses runs of spaces. Every character of the
result remembers the raw character it came from, so any span found on
normalized text maps back to ``raw[start:end]``.

``find_boilerplate`` marks lines that are page furniture rather than article
text, by general rules (not by a list of any site's lines): short lines that
are not sentences, navigation/breadcrumb and share lines, photo credits, and
non-sentence lines repeated within a document or across documents.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .forkpool import can_fork, fork_map

# Characters removed outright: zero-width, joiners, BOM, soft hyphen, bidi marks.
_DELETE = set("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f")
_DELETE.update(chr(c) for c in range(0x202A, 0x202F))
_DELETE.update(chr(c) for c in range(0x2066, 0x206A))
_DELETE.update(chr(c) for c in range(0xFE00, 0xFE10))  # variation selectors: invisible
_DELETE.update(chr(c) for c in range(0xE0100, 0xE01F0))

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a\u301d\u301e", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    "\u2026": "...",
    "\r": "",
}

# Look-alike letters (Unicode confusables) that disguise Latin words.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ү": "y", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "Ү": "Y",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "χ": "x",
    "υ": "u", "ϲ": "c", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I",
    "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_NONLATIN_LOOKALIKE = re.compile("[" + "".join(sorted(_HOMOGLYPHS)) + "]")
_MIXED_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Anything that is not printable ASCII or newline, or a run of 2+ spaces/tabs.
_SPECIAL = re.compile(r"[^\x20-\x7e\n]|[ \t]{2,}|\t")


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per character, the raw index it came from."""

    text: str
    starts: np.ndarray  # int64, len(text); raw index of each normalized char
    raw_len: int

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the raw text."""
        if end <= start:
            pos = int(self.starts[start]) if start < len(self.starts) else self.raw_len
            return pos, pos
        return int(self.starts[start]), int(self.starts[end - 1]) + 1


def _fold_char(ch: str) -> str:
    if ch in _DELETE:
        return ""
    if ch in _FOLD:
        return _FOLD[ch]
    cat = unicodedata.category(ch)
    if cat == "Zs" or ch == "\t":
        return " "
    if cat in ("Zl", "Zp"):
        return "\n"
    if cat == "Cc" or cat == "Cf" or cat == "Cs" or cat == "Co":
        return " " if cat == "Cc" else ""
    out = unicodedata.normalize("NFKC", ch)
    if out != ch:
        out = "".join(_FOLD.get(c, " " if unicodedata.category(c) == "Zs" else c) for c in out)
    return out


def normalize_text(raw: str, drop: Sequence[tuple[int, int]] = ()) -> Normalized:
    """Normalize ``raw``, leaving out the raw spans in ``drop``.

    Dropped spans (boilerplate lines) become nothing; the newline that ends
    them is kept so paragraphs stay apart.

    Examples
    --------
    >>> n = normalize_text("«\u00a0Hello\u200b »  world")
    >>> n.text
    '" Hello " world'
    >>> n.raw_span(2, 7)
    (2, 7)
    """
    pieces: list[str] = []
    index_parts: list[np.ndarray] = []
    keep = _complement(drop, len(raw))
    for seg_start, seg_end in keep:
        pos = seg_start
        seg = raw[seg_start:seg_end]
        for m in _SPECIAL.finditer(seg):
            a = seg_start + m.start()
            if a > pos:
                pieces.append(raw[pos:a])
                index_parts.append(np.arange(pos, a, dtype=np.int64))
            tok = m.group()
            if len(tok) > 1 or tok == "\t":  # run of spaces/tabs
                rep = " "
            else:
                rep = _fold_char(tok)
            if rep:
                pieces.append(rep)
                index_parts.append(np.full(len(rep), a, dtype=np.int64))
            pos = seg_start + m.end()
        if seg_end > pos:
            pieces.append(raw[pos:seg_end])
            index_parts.append(np.arange(pos, seg_end, dtype=np.int64))
    text = "".join(pieces)
    starts = np.concatenate(index_parts) if index_parts else np.zeros(0, dtype=np.int64)
    if _SPACED_RUN.search(text):
        text, starts = _join_spaced_letters(raw, text, starts)
    if _NONLATIN_LOOKALIKE.search(text):
        text = _fold_homoglyphs(text)  # 1:1 per char, offsets unchanged
    return Normalized(text=text, starts=starts, raw_len=len(raw))


# ------------------------------------------------------------- homoglyphs

def _word_class(w: str) -> str:
    """``L``: has a Latin letter; ``A``: only look-alike letters; ``N``: other script."""
    if any("a" <= c <= "z" or "A" <= c <= "Z" for c in w):
        return "L"
    if all(c in _HOMOGLYPHS for c in w):
        return "A"
    return "N"


def _fold_homoglyphs(text: str) -> str:
    """Map look-alike letters to Latin in words that are Latin in disguise.

    A word that mixes Latin letters with Cyrillic/Greek look-alikes is always
    folded. A word made only of look-alikes ("а", "Ι", "тор") is ambiguous:
    it is folded when the nearest unambiguous words on both sides (where
    there are any) are Latin, so a disguised English text is folded while a
    real Russian or Greek word or text, whose neighbours are Cyrillic or
    Greek, is left alone.
    """
    spans: list[tuple[int, int]] = []  # words to fold
    pending: list[tuple[int, int, str | None]] = []  # look-alike-only words awaiting a right neighbour
    last: str | None = None  # class of the nearest unambiguous word on the left

    def resolve(right: str | None) -> None:
        for a, b, left in pending:
            if "N" not in (left, right) and "L" in (left, right):
                spans.append((a, b))
        pending.clear()

    for m in _MIXED_WORD.finditer(text):
        w = m.group()
        c = _word_class(w)
        if c == "A":
            pending.append((m.start(), m.end(), last))
            continue
        if c == "L" and _NONLATIN_LOOKALIKE.search(w):
            spans.append((m.start(), m.end()))
        resolve(c)
        last = c
    resolve(None)
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    pos = 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append("".join(_HOMOGLYPHS.get(ch, ch) for ch in text[a:b]))
        pos = b
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------- letter spacing

# A run of 3+ single letters or digits, one space apart ("s m u g g l i n g").
_SPACED_RUN = re.compile(r"(?<![\w'’])[^\W_](?: [^\W_]){2,}(?!\w)")
# Single-letter words that may stand next to a spaced-out word ("a s m u g g l e r").
_SHORT_WORDS = frozenset("aAI")


def _is_spaced_char(ch: str) -> bool:
    return unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Nd")


def _gap_spaces(raw: str, a: int, b: int) -> int:
    """Number of space-like raw characters strictly between raw indices ``a`` and ``b``."""
    return sum(1 for ch in raw[a + 1:b] if ch.isspace() or _fold_char(ch) == " ")


def _join_spaced_letters(raw: str, text: str, starts: np.ndarray) -> tuple[str, np.ndarray]:
    """Close up words spelled with a space between letters; offsets stay exact.

    In a run of single letters one space apart, a gap of two or more raw
    space characters is a word break (letter-spaced text puts wider gaps
    between words). Pieces of three or more letters are closed up; pieces of
    two letters, and pieces with digits, only in a run that also has such
    word breaks and a closed-up word (then they are clearly spaced-out
    words, not ordinary two-letter words). Spaced words that touch are
    split apart again by English word frequency (see :func:`_split_points`).
    Normal prose ("a I", "Plan B a")
    never has three single letters in a row and is left alone. Only the
    spaces are removed from the text and from ``starts``.
    """
    drop = np.zeros(len(text), dtype=bool)
    budget = [_SPLIT_BUDGET]
    for m in _SPACED_RUN.finditer(text):
        pos = list(range(m.start(), m.end(), 2))
        if not all(_is_spaced_char(text[k]) for k in pos):
            continue
        pieces: list[list[int]] = [[pos[0]]]
        wide = False
        for prev, cur in zip(pos, pos[1:]):
            gap = _gap_spaces(raw, int(starts[prev]), int(starts[cur]))
            if gap == 1 and text[prev].isalpha() == text[cur].isalpha():
                pieces[-1].append(cur)
            elif gap == 1:  # letters then digits ("e s t i m a t e d 2"): two pieces
                pieces.append([cur])
            else:
                wide = True
                pieces.append([cur])
        glued = [p for p in pieces if len(p) >= 3 and all(text[k].isalpha() for k in p)]
        for p in pieces:
            if len(p) >= 3 and all(text[k].isalpha() for k in p):
                if len(p) == 3 and not wide and sum(_HOMOGLYPHS.get(text[k], text[k]) in _SHORT_WORDS for k in p) >= 2:
                    continue  # "saw a I x": one-letter words, not a spaced-out word
                cuts = _split_points(text, p, budget)
            elif wide and glued and len(p) >= 2:
                cuts = set()
            else:
                continue
            for i, k in enumerate(p[1:], 1):
                if i not in cuts:
                    drop[k - 1] = True  # the space before each letter after the first
    if not drop.any():
        return text, starts
    keep = ~drop
    return "".join(ch for ch, kp in zip(text, keep) if kp), starts[keep]


#: Longest letter-spaced piece that is split into words (longer ones are closed up whole).
_MAX_SPLIT_LETTERS = 40
#: Letters per text that may go through word splitting; beyond this (hostile
#: input, megabytes of spaced letters) pieces are closed up whole, keeping
#: normalization linear.
_SPLIT_BUDGET = 20_000
#: Words of a split must be at least this common in English (Zipf scale);
#: long words are rarer, and less likely to be chance fragments of a name.
_MIN_SPLIT_ZIPF = 3.0
_MIN_SPLIT_ZIPF_LONG = 2.0


def _split_points(text: str, piece: list[int], budget: list[int] | None = None) -> set[int]:
    """Positions in ``piece`` where a new word starts, if closing it up whole reads worse.

    Letter-spaced words that touch ("W h e n a r o u t e") cannot be told
    apart by spacing. The closed-up letters are segmented into common English
    words by unigram likelihood (Zipf frequency, one-letter words only "a"
    and "I") when that beats the closed-up whole: "whenaroute" -> "when a
    route", "asmuggler" -> "a smuggler", "aftera" -> "after a"; "area" stays
    "area" and a name that is no English word stays whole. A common word
    (Zipf >= 3) is never split. ``budget`` (one-element list, letters left
    for this text) is decremented; at zero nothing more is split.
    """
    from .rarity import english_zipf

    letters = "".join(_HOMOGLYPHS.get(text[k], text[k]) for k in piece).lower()
    n = len(letters)
    if n > _MAX_SPLIT_LETTERS or n < 2:
        return set()
    whole_z = english_zipf(letters)
    if whole_z >= _MIN_SPLIT_ZIPF:
        return set()
    if budget is not None:
        if budget[0] < n:
            return set()
        budget[0] -= n

    def score(w: str) -> float | None:
        if len(w) == 1:
            return english_zipf(w) - 9.0 if w in ("a", "i") else None
        z = english_zipf(w)
        return z - 9.0 if z >= (_MIN_SPLIT_ZIPF if len(w) < 6 else _MIN_SPLIT_ZIPF_LONG) else None

    whole = whole_z - 9.0 if whole_z > 0 else -9.0 - 0.5 * n  # unknown: worse the longer it is
    best: list[tuple[float, int] | None] = [None] * (n + 1)
    best[0] = (0.0, -1)
    for i in range(1, n + 1):
        for j in range(max(0, i - 24), i):
            if best[j] is None:
                continue
            sc = score(letters[j:i])
            if sc is None:
                continue
            cand = best[j][0] + sc
            if best[i] is None or cand > best[i][0]:
                best[i] = (cand, j)
    if best[n] is None or best[n][0] <= whole or best[n][1] == 0:
        return set()
    cuts, i = set(), n
    while i > 0:
        j = best[i][1]
        if j > 0:
            cuts.add(j)
        i = j
    return cuts


def _complement(spans: Sequence[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for a, b in sorted(spans):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        out.append((pos, n))
    return out


# ---------------------------------------------------------------- boilerplate

@dataclass(frozen=True)
class Boilerplate:
    """A raw line judged to be page furniture, with the rule that said so."""

    start: int
    end: int
    reason: str


_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_CREDIT = re.compile(
    r"\b(photo(graph)?(er)?s?\s*(by|credit)?\s*:|photo by\b|image( credit)?\s*:|credit\s*:|"
    r"getty images|via getty|ap photo|afp photo|reuters/|shutterstock|file photo)",
    re.IGNORECASE,
)
_NAV_SEPARATORS = re.compile(r"\s(>|»|\|)\s")
# Lines whose words are all UI vocabulary in any order (share, next, ...).
# These are words of web page chrome, not of any one site.
_UI_WORDS = {
    "share", "it", "this", "tweet", "email", "print", "facebook", "twitter", "linkedin",
    "whatsapp", "next", "previous", "prev", "back", "to", "top", "button", "home", "menu",
    "search", "newsletter", "subscribe", "sign", "up", "in", "log", "login", "comments",
    "comment", "read", "more", "related", "most", "popular", "you", "may", "like", "also",
    "advertisement", "sponsored", "skip", "content", "main", "follow", "us", "copy", "link",
    "article", "story", "continues", "below", "trending", "recommended", "for", "the", "of",
    "our", "your", "click",
}


def _line_spans(raw: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _wrapped_prose_lines(raw: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of lines that belong to a hard-wrapped paragraph.

    A run of consecutive non-blank lines joined by soft newlines (see
    :func:`provenance.segment.soft_newlines`) that together make at least 12
    words is prose, whatever each line looks like alone.
    """
    from .segment import soft_newlines

    view = soft_newlines(raw)
    out: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 2:
            a, b = spans[run[0]][0], spans[run[-1]][1]
            if len(_WORD.findall(raw[a:b])) >= 12:
                out.update(run)
        run.clear()

    for k, (a, b) in enumerate(spans):
        if not raw[a:b].strip():
            flush()
            continue
        if not run:
            run.append(k)
        elif view[spans[k - 1][1]: a].startswith(" ") or view[spans[k - 1][1]:spans[k - 1][1] + 1] == " ":
            run.append(k)
        else:
            flush()
            run.append(k)
    flush()
    return out


def _line_key(s: str) -> str:
    return _key_of_normalized(normalize_text(s).text)


def _key_of_normalized(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def find_boilerplate(raws: Sequence[str], jobs: int = 1) -> list[list[Boilerplate]]:
    """Boilerplate lines of each text, judged across the whole collection.

    Rules (each general, none lists a site's lines):

    * ``credit``: a photo/image credit line.
    * ``navigation``: a line of UI words only ("Share it!", "Back to top"),
      or a breadcrumb/byline separated by ``>`` or ``|`` without sentence
      punctuation.
    * ``repeated``: a non-sentence line seen again in the same text or in
      another text (mastheads, footers, repeated headings).
    * ``teaser``: a non-sentence line right after a navigation line
      (the headline of a "Previous"/"Next" link).
    * ``short``: a line of at most 3 words that does not end like a sentence
      (a dateline, a tag), except the first line, which is the title.

    Lines that read as sentences are never dropped for repetition across
    texts, since near-duplicate texts legitimately repeat them.

    With ``jobs > 1`` (large collections, Linux) the per-text passes run in
    forked workers; only the count of texts per line is collection-wide, so
    the result does not depend on ``jobs``.
    """
    parallel = jobs > 1 and len(raws) >= PARALLEL_MIN_TEXTS and can_fork()
    if parallel:
        spans = _spans_of(len(raws))
        per_doc_lines = [x for part in fork_map(_lines_of_span, raws, spans, jobs) for x in part]
    else:
        per_doc_lines = [_lines(raw) for raw in raws]
    across: Counter[str] = Counter()
    for lines in per_doc_lines:
        across.update({key for _, _, _, _, key, _ in lines if key})
    if parallel:
        return [x for part in fork_map(_marks_of_span, (per_doc_lines, across), spans, jobs) for x in part]
    return [_marks(lines, across) for lines in per_doc_lines]


#: Below this many texts the per-text passes of :func:`find_boilerplate` stay in-process.
PARALLEL_MIN_TEXTS = 1000

#: One non-blank line: raw span, stripped text, normalized text, key, in a wrapped paragraph.
_Line = tuple[int, int, str, str, str, bool]


def _spans_of(n: int, size: int = 500) -> list[tuple[int, int]]:
    return [(k, min(k + size, n)) for k in range(0, n, size)]


def _lines_of_span(raws: Sequence[str], span: tuple[int, int]) -> list[list[_Line]]:
    return [_lines(raw) for raw in raws[span[0]:span[1]]]


def _marks_of_span(state: tuple[Sequence[list[_Line]], Counter[str]], span: tuple[int, int]) -> list[list[Boilerplate]]:
    per_doc_lines, across = state
    return [_marks(lines, across) for lines in per_doc_lines[span[0]:span[1]]]


def _lines(raw: str) -> list[_Line]:
    """The non-blank lines of one text, as :func:`find_boilerplate` judges them."""
    lines = []
    spans = _line_spans(raw)
    prose = _wrapped_prose_lines(raw, spans)
    for k, (a, b) in enumerate(spans):
        body = raw[a:b].strip()
        if not body:
            continue
        # Judge the line as a reader sees it: invisible characters and
        # look-alike letters must not change its word count or key.
        nbody = normalize_text(body).text
        lines.append((a, b, body, nbody, _key_of_normalized(nbody), k in prose))
    return lines


def _marks(lines: Sequence[_Line], across: Counter[str]) -> list[Boilerplate]:
    """Boilerplate lines of one text, given how many texts hold each line key."""
    marks: list[Boilerplate] = []
    seen_here: set[str] = set()
    first = True
    after_nav = False
    for a, b, body, nbody, key, in_prose in lines:
        words = _WORD.findall(nbody)
        nwords = len(words)
        sentence_like = bool(_SENTENCE_END.search(nbody)) and nwords >= 4
        reason = None
        credit = _CREDIT.search(nbody)
        # Page furniture is short: a wire-photo caption with its credit runs to
        # 60-80 words, a breadcrumb or byline to ~25, a repeated masthead or
        # footer to ~15. Longer lines are article text whatever they contain.
        if credit and nwords <= 80 and (nwords <= 12 or credit.start() < 40 or credit.end() > len(nbody) - 80):
            reason = "credit"
        elif nwords and all(w.lower() in _UI_WORDS for w in words) and nwords <= 6:
            reason = "navigation"
        elif nwords <= 25 and not sentence_like and _NAV_SEPARATORS.search(
                body.replace("«", "").replace("»", "") if "«" in body else body):
            reason = "navigation"
        elif in_prose:
            reason = None  # a line of a hard-wrapped paragraph
        elif after_nav and not sentence_like and nwords <= 25:
            reason = "teaser"
        elif key and not sentence_like and nwords <= 15 and (key in seen_here or across[key] > 1):
            reason = "repeated"
        elif not first and not sentence_like and nwords <= 3:
            reason = "short"
        if reason:
            marks.append(Boilerplate(a, b, reason))
        after_nav = reason in ("navigation", "teaser")
        if key:
            seen_here.add(key)
        first = False
    return marks
