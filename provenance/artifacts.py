"""Machine-translation artefacts: was a text machine-translated, from what, and where does it show?

Two kinds of evidence are combined:

* **Rules** from the data catalogue ``provenance/data/artifact_rules.json``:
  pipeline markers (``en2fr2en`` tags, DeepL/Google stamps), source-language
  typography (« », space before ``; : ! ?``, ``¿ ¡``, decimal commas, ``US$``),
  calques and false friends with their canonical English meaning, untranslated
  function words and displaced appositions. Every hit is an
  :class:`~provenance.records.Artifact` with offsets into the raw text.
* **A statistical score** (:func:`passage_score`) that needs no rule: a
  logistic model over word rarity (``wordfreq``), function-word profile,
  repetition and agreement errors, character n-grams, cased word n-grams,
  n-grams of the function-word skeleton and of part-of-speech tags (a
  lexicon tagger, :func:`pos_tags`), fitted by
  ``benchmarks/fit_translation_model.py`` on the PAN13 translation-chain
  passages and calibrated to a probability. Coefficients live in
  ``provenance/data/translation_model.json``, the tag lexicon in
  ``provenance/data/pos_lexicon.json``.

Verdict (:func:`analyze`)
-------------------------
``score = 1 - (1 - p) * prod(1 - w_rule)`` where ``p`` is the statistical
probability (English text only) and each rule counts at most twice.
``translated`` is true when a rule of weight >= ``high_weight`` fired or
``score`` reaches the threshold stored with the model. ``source_language`` is
the weight-voted language of the language-specific rules that fired; a
pipeline marker (``en2fr2en``) overrides it and sets ``round_trip`` and
``pivot_languages``. Without a marker we do not claim a round trip: calques
and typography show the *last* source language a text passed through, and a
one-way translation is the simpler explanation, so ``source_language`` is that
language and ``round_trip`` is false.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

from .errors import ConfigError
from .records import Artifact, Translation

__all__ = [
    "Rule", "analyze", "analyze_passages", "canonical_rewrites", "load_rules",
    "passage_features", "passage_score", "pos_tags", "rule_artifacts", "skeleton",
]

#: ISO 639-1 codes accepted in ``xx2yy2xx`` pipeline markers.
ISO_639_1 = frozenset(
    "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy "
    "da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht "
    "hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky "
    "la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny "
    "oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss "
    "st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo "
    "za zh zu".split()
)

_LANGUAGE_NAMES = {
    "spanish": "es", "french": "fr", "portuguese": "pt", "italian": "it", "german": "de",
    "dutch": "nl", "russian": "ru", "chinese": "zh", "japanese": "ja", "arabic": "ar",
    "catalan": "ca", "polish": "pl", "romanian": "ro", "turkish": "tr", "korean": "ko",
    "ukrainian": "uk", "greek": "el", "swedish": "sv",
}

_FLAG_BITS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
#: A rule counts at most this many times in the document score.
_MAX_HITS_PER_RULE = 2


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """One catalogue entry, with its compiled pattern.

    Attributes
    ----------
    id, category : str
        Stable identifier (``"calque.es.secretary-national-security"``) and
        family (``marker``, ``typography``, ``calque``, ``untranslated``,
        ``apposition``).
    language : str or None
        ISO 639-1 code of the source language the cue points to, or ``None``
        when it is shared by several languages.
    check : str
        ``"regex"``; ``"chain"`` (an ``xx2yy2xx`` marker whose codes are
        parsed); ``"named_language"`` (the group ``lang`` names the language);
        ``"isolated_foreign"`` (the hit counts only between English words);
        ``"english_span"`` (the hit counts only if its own words are mostly English).
    weight : float
        How strongly one hit indicates machine translation (0..1).
    canonical : str or None
        Canonical English meaning (a ``re`` replacement template) for calques.
    """

    id: str
    category: str
    language: str | None
    check: str
    pattern: re.Pattern[str]
    weight: float
    explanation: str
    canonical: str | None
    positive: str
    negative: str


@lru_cache(maxsize=1)
def _catalogue() -> tuple[tuple[Rule, ...], float]:
    data = json.loads(resources.files("provenance").joinpath("data/artifact_rules.json").read_text("utf-8"))
    rules = []
    for entry in data["rules"]:
        flags = 0
        for ch in entry.get("flags", ""):
            flags |= _FLAG_BITS[ch]
        try:
            pattern = re.compile(entry["pattern"], flags)
        except re.error as exc:  # pragma: no cover - guarded by tests
            raise ConfigError(f"artifact rule {entry['id']}: bad pattern ({exc})") from None
        if entry["check"] not in ("regex", "chain", "named_language", "isolated_foreign",
                                  "english_span"):
            raise ConfigError(f"artifact rule {entry['id']}: unknown check {entry['check']!r}")
        rules.append(Rule(
            id=entry["id"], category=entry["category"], language=entry.get("language"),
            check=entry["check"], pattern=pattern, weight=float(entry["weight"]),
            explanation=entry["explanation"], canonical=entry.get("canonical"),
            positive=entry["positive"], negative=entry["negative"],
        ))
    return tuple(rules), float(data.get("high_weight", 0.7))


def load_rules() -> tuple[Rule, ...]:
    """The rule catalogue shipped with the package (compiled once, cached)."""
    return _catalogue()[0]


def high_weight() -> float:
    """Weight from which a single rule hit decides ``translated``."""
    return _catalogue()[1]


def _chain_languages(chain: str) -> list[str] | None:
    codes = chain.split("2")
    if len(codes) < 2 or any(c not in ISO_639_1 for c in codes) or len(set(codes)) < 2:
        return None
    return codes


_CONTEXT_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _zipf_in(word: str, lang: str) -> float:
    from .rarity import zipf_raw

    return zipf_raw(word, lang)


def _english_context(raw: str, start: int, end: int, lang: str, width: int = 3) -> bool:
    """True when the ``width`` words on each side of ``raw[start:end]`` read as English.

    Each context word must be more frequent in English than in ``lang`` (by the
    ``wordfreq`` lists), so a foreign word quoted inside a foreign title or
    reference does not count as an untranslated leftover.
    """
    left = _CONTEXT_WORD.findall(raw[max(0, start - 80):start])[-width:]
    right = _CONTEXT_WORD.findall(raw[end:end + 80])[:width]
    if len(left) < 2 or len(right) < 2:
        return False
    for w in left + right:
        w = w.lower()
        en = _zipf_in(w, "en")
        if en < 2.5 or en < _zipf_in(w, lang):
            return False
    return True


def _english_span(span: str, lang: str) -> bool:
    """True when most words of ``span`` are more frequent in English than in ``lang``."""
    words = [w.lower() for w in _CONTEXT_WORD.findall(span)]
    if not words:
        return False
    english = sum(1 for w in words if _zipf_in(w, "en") >= _zipf_in(w, lang))
    return english / len(words) >= 0.6


def _hit(rule: Rule, m: re.Match[str], raw: str) -> Artifact | None:
    start, end = m.span()
    language = rule.language
    explanation = rule.explanation
    if rule.check == "chain":
        codes = _chain_languages(m.group("chain"))
        if codes is None:
            return None
        start, end = m.span("chain")
        language = codes[0]
        explanation = f"{explanation} Chain: {' -> '.join(codes)}."
    elif rule.check == "named_language":
        language = _LANGUAGE_NAMES.get(m.group("lang").lower())
    elif rule.check == "isolated_foreign" and not _english_context(raw, start, end, rule.language or "en"):
        return None
    elif rule.check == "english_span" and not _english_span(raw[start:end], rule.language or "en"):
        return None
    # Trim surrounding whitespace/newlines so highlights are tight.
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    canonical = None
    if rule.canonical:
        try:
            canonical = m.expand(rule.canonical)
        except (re.error, IndexError):
            canonical = rule.canonical
    return Artifact(rule=rule.id, start=start, end=end, text=raw[start:end], language=language,
                    weight=rule.weight, explanation=explanation, canonical=canonical)


def rule_artifacts(raw: str, rules: Iterable[Rule] | None = None) -> list[Artifact]:
    """All rule hits in ``raw``, sorted by ``(start, end, rule)``.

    Parameters
    ----------
    raw : str
        The text as read; offsets of the artefacts index this string.
    rules : iterable of Rule, optional
        Subset of the catalogue to run (default: all rules).

    Examples
    --------
    >>> [a.rule for a in rule_artifacts("Without embargo, talks went on.")]
    ['calque.es.without-embargo']
    """
    out = []
    lower = None
    for rule in (load_rules() if rules is None else rules):
        need = required_literals(rule.pattern)
        if need:
            if lower is None:
                lower = raw.lower()
            if not any(lit in lower for lit in need):
                continue  # the pattern cannot match without one of these literals
        for m in rule.pattern.finditer(raw):
            art = _hit(rule, m, raw)
            if art is not None:
                out.append(art)
    out.sort(key=lambda a: (a.start, a.end, a.rule))
    return out


@lru_cache(maxsize=1024)
def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Literals one of which every match of ``pattern`` must contain, lowercased.

    Read from the parsed pattern: a run of literal characters in the
    top-level sequence (``\\b`` and ``^`` do not break a run), or the union of
    the requirements of every alternative of a group or alternation, or the
    requirement of a group repeated at least once. Of the candidates, the one
    whose shortest literal is longest is kept. Returns ``()`` when no such
    set exists (an optional part, a character class...). The pre-check
    ``any(lit in text.lower() for lit in literals)`` then never skips a real
    match (case-sensitive patterns too: a text containing the literal in its
    exact case contains it lowercased).

    Examples
    --------
    >>> required_literals(re.compile(r"(?i)\\bSecretary of National Security\\b"))
    ('secretary of national security',)
    >>> required_literals(re.compile(r"\\b(?:informations|advices)\\b"))
    ('advices', 'informations')
    >>> required_literals(re.compile(r"\\b(?:foo|ba?r)baz\\b"))
    ('baz',)
    >>> required_literals(re.compile(r"[¿¡][^?!]+[?!]"))
    ('¡', '¿')
    >>> required_literals(re.compile(r"[0-9]+"))
    ()
    """
    try:
        import re._parser as sre_parse  # Python 3.11+
        from re._constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
        from sre_constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore
    repeats = {MAX_REPEAT, MIN_REPEAT}
    try:
        from re._constants import POSSESSIVE_REPEAT  # Python 3.11+
        repeats.add(POSSESSIVE_REPEAT)
    except ImportError:  # pragma: no cover
        pass

    def req(items: Any) -> frozenset[str] | None:
        cands: list[frozenset[str]] = []
        run: list[str] = []
        for op, av in items:
            if op is LITERAL:
                run.append(chr(av))
                continue
            if op is AT:  # zero-width (\b, ^, $): the literals around it are adjacent in the text
                continue
            if run:
                cands.append(frozenset(["".join(run)]))
                run = []
            r: frozenset[str] | None = None
            if op is SUBPATTERN:
                r = req(av[-1])
            elif op is BRANCH:
                alts = [req(b) for b in av[1]]
                if alts and all(alts):
                    r = frozenset().union(*alts)  # type: ignore[arg-type]
            elif op in repeats and av[0] >= 1:
                r = req(av[2])
            elif op is IN and 0 < len(av) <= 8 and all(o is LITERAL for o, _ in av):
                r = frozenset(chr(c) for _, c in av)  # a small class of single characters
            if r:
                cands.append(r)
        if run:
            cands.append(frozenset(["".join(run)]))
        if not cands:
            return None
        return max(cands, key=lambda c: (min(map(len, c)), -len(c)))

    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        best = req(parsed)
    except Exception:  # noqa: BLE001 - anything odd: no pre-check, run the regex
        return ()
    if not best:
        return ()
    return tuple(sorted({lit.lower() for lit in best}))


# --------------------------------------------------------------------------- statistical score

FUNCTION_WORDS = tuple(dict.fromkeys("""a an the this that these those some any each every no all both either neither
of to in on at by for from with without about into onto over under between among through during before after
above below against within across along around behind beyond toward towards upon since until than as like
and or but nor so yet if because although though while whereas whether unless
i me my mine we us our you your he him his she her it its they them their
who whom whose which what where when why how there here
is are was were be been being am has have had having do does did doing
will would shall should can could may might must
not also only very just even still already too more most less least much many such same other another
one two first then now again ever never often always however thus therefore""".split()))
_FW = frozenset(FUNCTION_WORDS)
_PROFILE_WORDS = ("the", "a", "an", "of", "to", "in", "and", "is", "was", "has", "have", "had", "that",
                  "which", "who", "it", "he", "his", "this", "be", "been", "with", "for", "as", "on", "by",
                  "not", "more", "also", "will", "can", "would", "there")
#: Tokens of the cased word n-gram block of the statistical score (words and single punctuation marks).
WORD_TOKEN = r"[A-Za-z]+|[^\w\s]"
_WORD_TOKEN = re.compile(WORD_TOKEN)
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*|[^\w\s]")
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")
_WS = re.compile(r"\s+")
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?![nk]?[aeiou]|s[aeiou]|ni|ti|ro|ra|re)|hour|honest|honou?r|heir)", re.I)
_AUX = frozenset("is are was were has have had be will would can could should may might must do does did".split())
_RE_POSS = re.compile(r"\w['’]s\b")
_RE_CONTR = re.compile(r"\w['’](?:t|re|ve|ll|d|m)\b")
_RE_HYPH = re.compile(r"[A-Za-z]-[A-Za-z]")
_RE_OFTHE = re.compile(r"\bof the\b", re.I)
_RE_CURLY = re.compile(r"[‘’“”]")
_RE_STRAIGHT = re.compile(r"[\"']")
_RE_SENT_THE = re.compile(r"(?:^|[.!?] )The\b")
_RE_SENT_LOWER = re.compile(r"(?:^|[.!?] )[a-z]")
_RE_CAPSEQ = re.compile(r"(?:\b[A-Z][a-z]+ ){3,}")
_RE_CAPRUN = re.compile(r"(?:\b[A-Z][A-Za-z]+\b ?)+")
_RE_SPACE_PUNCT = re.compile(r"\w [,.;:!?]")
_RE_LOWER_AFTER = re.compile(r"[.!?] [a-z]")
_RE_LOWERWORD = re.compile(r"[a-z]+")
_SING_DET = frozenset(("a", "an", "one", "this", "that", "each", "every", "another"))
_PLUR_DET = frozenset(("these", "those", "many", "several", "two", "three", "few", "both", "various"))


@lru_cache(maxsize=300_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _prepare(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def passage_features(text: str) -> dict[str, float]:
    """Dense, length-independent features of an English passage.

    Word rarity against the ``wordfreq`` background list, function-word
    profile, sentence shape, repetition, agreement errors and a few
    typographic rates. Used by :func:`passage_score` and the fitting script.
    """
    t = _prepare(text)
    toks = _TOKEN.findall(t)
    words = [x for x in toks if x[0].isalpha()]
    low = [w.lower() for w in words]
    n = max(len(words), 1)
    lower_words = [w for w in words if w.islower()]
    zs = [_zipf(w) for w in lower_words] or [0.0]
    nlw = max(len(lower_words), 1)
    f: dict[str, float] = {}
    f["mean_zipf"] = sum(zs) / len(zs)
    f["oov"] = sum(z == 0 for z in zs) / nlw
    f["rare3"] = sum(z < 3 for z in zs) / nlw
    f["rare4"] = sum(z < 4 for z in zs) / nlw
    f["common5"] = sum(z >= 5 for z in zs) / nlw
    f["cap_rate"] = sum(w[0].isupper() for w in words) / n
    f["allcaps"] = sum(w.isupper() and len(w) > 1 for w in words) / n
    f["fw_rate"] = sum(w in _FW for w in low) / n
    sents = [s for s in _SENT_SPLIT.split(t) if s.strip()]
    lens = [len(_TOKEN.findall(s)) for s in sents] or [0]
    mean_len = sum(lens) / len(lens)
    f["sent_len"] = math.log1p(mean_len)
    f["sent_len_sd"] = math.log1p(math.sqrt(sum((x - mean_len) ** 2 for x in lens) / len(lens)))
    f["comma"] = toks.count(",") / n
    f["punct"] = sum(not x[0].isalnum() for x in toks) / max(len(toks), 1)
    f["space_before_punct"] = len(_RE_SPACE_PUNCT.findall(t)) / n
    f["lower_after_period"] = len(_RE_LOWER_AFTER.findall(t)) / max(len(sents), 1)
    f["ttr"] = len(set(low)) / n
    big = list(zip(low, low[1:]))
    f["rep_bigram"] = (len(big) - len(set(big))) / max(len(big), 1)
    f["double_word"] = sum(a == b for a, b in big) / n
    agree = number = 0
    for a, b in big:
        if a == "a" and _VOWEL_SOUND.match(b):
            agree += 1
        elif a == "an" and not _VOWEL_SOUND.match(b) and not b.startswith("h"):
            agree += 1
        elif a in ("he", "she", "it") and b in ("are", "were", "have", "do"):
            agree += 1
        elif a in ("they", "we", "i", "you") and b in ("is", "was", "has", "does"):
            agree += 1
        elif a in ("the", "a", "an") and b in ("the", "a", "an", "is", "are", "of", "to", "and"):
            agree += 1
        if a in _SING_DET and b.endswith("s") and not b.endswith(("ss", "us", "is")) and _zipf(b[:-1]) > 3.5:
            number += 1
        elif (a in _PLUR_DET and not b.endswith("s") and b not in _FW and not b.endswith(("ing", "ed", "ly"))
              and _zipf(b) > 3.5):
            number += 1
    f["agree_err"] = agree / n
    f["number_agree"] = number / n
    f["ing"] = sum(w.endswith("ing") for w in low) / n
    f["ed"] = sum(w.endswith("ed") for w in low) / n
    f["ly"] = sum(w.endswith("ly") for w in low) / n
    counts: dict[str, int] = {}
    for w in low:
        counts[w] = counts.get(w, 0) + 1
    for w in _PROFILE_WORDS:
        f["fw_" + w] = counts.get(w, 0) / n
    f["possessive"] = len(_RE_POSS.findall(t)) / n
    f["contraction"] = len(_RE_CONTR.findall(t)) / n
    f["hyphen_compound"] = len(_RE_HYPH.findall(t)) / n
    f["of_the"] = len(_RE_OFTHE.findall(t)) / n
    f["curly"] = len(_RE_CURLY.findall(t)) / n
    f["straight_q"] = len(_RE_STRAIGHT.findall(t)) / n
    f["semicolon"] = t.count(";") / n
    f["paren"] = t.count("(") / n
    f["digits"] = sum(x[0].isdigit() for x in toks) / n
    f["sent_the"] = len(_RE_SENT_THE.findall(t)) / n
    f["sent_start_lower"] = len(_RE_SENT_LOWER.findall(t)) / n
    f["capword_seq"] = len(_RE_CAPSEQ.findall(t)) / n
    f["no_aux_sent"] = sum(
        not any(w in _AUX or w.endswith("ed") for w in _RE_LOWERWORD.findall(s.lower())) for s in sents
    ) / max(len(sents), 1)
    f["longest_cap_run"] = max([len(m.split()) for m in _RE_CAPRUN.findall(t)] or [0]) / 10
    return f


def char_ngrams(text: str, lo: int, hi: int) -> dict[str, int]:
    """Character n-gram counts of whitespace-collapsed ``text`` (as scikit-learn's ``analyzer='char'``)."""
    t = _WS.sub(" ", text)
    n = len(t)
    # Counter's C counting loop over one generator: about twice as fast as dict.get.
    return Counter(t[i:i + k] for k in range(lo, hi + 1) for i in range(n - k + 1))


_M64 = (1 << 64) - 1
_HASH_MUL = 0x100000001B3  # FNV-1a 64-bit prime: multiplier of the rolling code-point hash


def _mix64(x: Any) -> Any:
    """splitmix64 finalizer on a uint64 numpy array (wrapping arithmetic)."""
    import numpy as np

    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _char_hashes(t: str, lo: int, hi: int) -> Any:
    """64-bit hashes of every character n-gram of ``t`` with ``lo <= n <= hi`` (one per occurrence).

    ``h(g) = mix(sum((cp + 1) * MUL**(len(g) - 1 - i)))`` over the code points
    of ``g``, modulo 2**64; vectorized with numpy, so counting all n-grams of
    a text costs a few array passes instead of a Python loop per n-gram.
    """
    import numpy as np

    cps = np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    n = len(cps)
    out = []
    h = np.zeros(n, dtype=np.uint64)
    mul = np.uint64(_HASH_MUL)
    with np.errstate(over="ignore"):
        for k in range(1, hi + 1):
            if n - k + 1 <= 0:
                break
            h = h[: n - k + 1] * mul + cps[k - 1:]
            if k >= lo:
                out.append(_mix64(h))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True)
class _HashedBlock:
    """A character n-gram block keyed by :func:`_char_hashes`: sorted hashes, idf and coefficient arrays."""

    hashes: Any
    idf: Any
    coef: Any


def _hashed_block(vocab: dict[str, tuple[float, float]], lo: int, hi: int) -> _HashedBlock | None:
    import numpy as np

    if not vocab:
        return None
    grams = list(vocab)
    hs = np.array([int(_char_hashes(g, len(g), len(g))[0]) for g in grams], dtype=np.uint64)
    if len(np.unique(hs)) != len(hs):  # pragma: no cover - 64-bit collision inside the vocabulary
        return None
    order = np.argsort(hs)
    return _HashedBlock(hashes=hs[order], idf=np.array([vocab[grams[i]][0] for i in order]),
                        coef=np.array([vocab[grams[i]][1] for i in order]))


def _char_dot(text: str, block: _HashedBlock, lo: int, hi: int) -> float:
    """:func:`_tfidf_dot` of the character n-grams of ``text``, counted with numpy on 64-bit hashes."""
    import numpy as np

    hs = _char_hashes(_WS.sub(" ", text), lo, hi)
    if not len(hs):
        return 0.0
    idx = np.searchsorted(block.hashes, hs)
    idx[idx == len(block.hashes)] = 0
    idx = idx[block.hashes[idx] == hs]
    if not len(idx):
        return 0.0
    j, c = np.unique(idx, return_counts=True)
    x = (1.0 + np.log(c)) * block.idf[j]
    norm = float(x @ x)
    return float(x @ block.coef[j]) / math.sqrt(norm) if norm > 0 else 0.0


_SKEL_PUNCT = {".": "PERIOD", ",": "COMMA", "?": "Q", "!": "EXCL", ":": "COLON", ";": "SEMI", "(": "LP",
               ")": "RP", '"': "QUOT", "'": "QUOT", "-": "DASH"}
_NOMINAL = ("tion", "sion", "ment", "ness", "ity")


def skeleton(text: str) -> list[str]:
    """Function-word skeleton of a passage: a cheap stand-in for part-of-speech tags.

    Function words and punctuation are kept; other words become a class built
    from a suffix (``ING``, ``ED``, ``LY``, ``TION``, ``S``, ``W``) and a
    ``wordfreq`` rarity band (``H`` >= 4.5, ``M`` >= 3, ``R`` > 0, ``O`` unknown);
    capitalised words inside a sentence become ``CAP`` and numbers ``NUM``.

    Examples
    --------
    >>> skeleton("The cats were running to Paris, quickly.")
    ['the', 'SM', 'were', 'INGH', 'to', 'CAP', 'COMMA', 'LYH', 'PERIOD']
    """
    out: list[str] = []
    prev = "."
    for x in _TOKEN.findall(text):
        if x[0].isdigit():
            c = "NUM"
        elif not x[0].isalpha():
            c = _SKEL_PUNCT.get(x, "SYM")
        else:
            low = x.lower()
            if low in _FW:
                c = low
            elif x[0].isupper() and prev not in (".", "?", "!", '"'):
                c = "CAP"
            else:
                z = _zipf(low)
                suf = ("ING" if low.endswith("ing") else "ED" if low.endswith("ed") else
                       "LY" if low.endswith("ly") else "TION" if low.endswith(_NOMINAL) else
                       "S" if low.endswith("s") and not low.endswith("ss") else "W")
                band = "O" if z == 0 else "R" if z < 3 else "M" if z < 4.5 else "H"
                c = suf + band
        out.append(c)
        prev = x
    return out


@lru_cache(maxsize=1)
def _pos_lexicon() -> dict[str, str]:
    path = resources.files("provenance").joinpath("data/pos_lexicon.json")
    try:
        d = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        raise ConfigError("part-of-speech lexicon missing; run benchmarks/build_pos_lexicon.py") from None
    lex: dict[str, str] = {}
    for tag, words in d["tags"].items():
        t = tag.split("|")[0]  # a few entries list alternatives: keep the first
        for w in words.split(" "):
            lex[w] = t
    return lex


_SENT_END = frozenset('.!?"')


def pos_tags(text: str) -> list[str]:
    """Most frequent part-of-speech tag of each token (Penn Treebank tags).

    A lexicon tagger without context rules: each word gets its most frequent
    tag in the Brill tagger lexicon (``provenance/data/pos_lexicon.json``,
    built by ``benchmarks/build_pos_lexicon.py``), looked up as written, then
    lowercased. A capitalized word inside a sentence that is not a function
    word becomes ``NNP``. Unknown words: numbers ``CD``, punctuation itself,
    capitalized ``NNP``, else a suffix guess (``VBG``, ``VBN``, ``RB``,
    ``NNS``, ``NN``). Text in another language gets mostly ``NNP``/``NN``
    tags, never an error.

    Examples
    --------
    >>> pos_tags("The cats were running to Paris, quickly.")
    ['DT', 'NNS', 'VBD', 'VBG', 'TO', 'NNP', ',', 'RB', '.']
    """
    lex = _pos_lexicon()
    out: list[str] = []
    prev = "."
    for x in _TOKEN.findall(text):
        tag = lex.get(x) or lex.get(x.lower())
        if tag is None:
            if x[0].isdigit():
                tag = "CD"
            elif not x[0].isalnum():
                tag = x
            elif x[0].isupper():
                tag = "NNP"
            elif x.endswith("ing"):
                tag = "VBG"
            elif x.endswith("ed"):
                tag = "VBN"
            elif x.endswith("ly"):
                tag = "RB"
            elif x.endswith("s"):
                tag = "NNS"
            else:
                tag = "NN"
        elif x[0].isupper() and prev not in _SENT_END and tag != "NNP" and x.lower() not in _FW:
            tag = "NNP"
        out.append(tag)
        prev = x
    return out


def word_ngrams(tokens: Sequence[str], lo: int, hi: int) -> dict[str, int]:
    """Counts of space-joined token n-grams (as scikit-learn's ``analyzer='word'``)."""
    n = len(tokens)
    if lo == 1:
        counts = Counter(tokens)
        lo = 2
    else:
        counts = Counter()
    counts.update(" ".join(tokens[i:i + k]) for k in range(lo, hi + 1) for i in range(n - k + 1))
    return counts


def _tfidf_dot(counts: dict[str, int], vocab: dict[str, tuple[float, float]]) -> float:
    """Dot product of l2-normalized sublinear tf-idf with the block's coefficients."""
    nums: list[float] = []
    squares: list[float] = []
    log = math.log
    for g in counts.keys() & vocab.keys():  # set intersection in C; only in-vocabulary n-grams loop here
        idf, coef = vocab[g]
        x = (1.0 + log(counts[g])) * idf
        nums.append(x * coef)
        squares.append(x * x)
    # The set's order follows string hashes, which change per process: fsum is
    # exact whatever the order, so the score is the same in every process.
    norm = math.fsum(squares)
    return math.fsum(nums) / math.sqrt(norm) if norm > 0 else 0.0


@dataclass(frozen=True)
class _Model:
    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    dense_coef: tuple[float, ...]
    dense_weight: float
    ngram_range: tuple[int, int]
    vocab: dict[str, tuple[float, float]]  # n-gram -> (idf, coef)
    skel_range: tuple[int, int]
    skel_vocab: dict[str, tuple[float, float]]
    word_range: tuple[int, int]
    word_vocab: dict[str, tuple[float, float]]
    pos_range: tuple[int, int]
    pos_vocab: dict[str, tuple[float, float]]
    intercept: float
    calib_a: float
    calib_b: float
    threshold: float
    char_block: _HashedBlock | None = None  # numpy form of ``vocab``, built when loaded
    char_weight: float = 1.0  # factor on the l2-normalized character block (as ``dense_weight``)
    # Parsed model only (extra ``parser``): spaCy tag n-grams and dependency arcs (provenance.parse).
    parse_tag_range: tuple[int, int] = (1, 3)
    parse_tag_vocab: dict[str, tuple[float, float]] = field(default_factory=dict)
    parse_arc_range: tuple[int, int] = (1, 1)
    parse_arc_vocab: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def parsed(self) -> bool:
        """Whether scoring needs the dependency parser."""
        return bool(self.parse_tag_vocab or self.parse_arc_vocab)


def model_from_dict(d: dict[str, Any]) -> _Model:
    """The statistical model from the parsed ``translation_model.json`` document."""
    dense, char, skel = d["dense"], d["char"], d["skeleton"]
    word = d.get("word", {})
    pos = d.get("pos", {})
    ptag, parc = d.get("parse_tag", {}), d.get("parse_arc", {})
    return _Model(
        names=tuple(dense["names"]), mean=tuple(dense["mean"]), scale=tuple(dense["scale"]),
        dense_coef=tuple(dense["coef"]), dense_weight=float(dense["weight"]),
        ngram_range=_range(char), vocab=_vocab(char["vocab"]),
        skel_range=_range(skel), skel_vocab=_vocab(skel["vocab"]),
        word_range=_range(word, (1, 2)), word_vocab=_vocab(word.get("vocab", {})),
        pos_range=_range(pos, (1, 3)), pos_vocab=_vocab(pos.get("vocab", {})),
        intercept=float(d["intercept"]), calib_a=float(d["calibration"]["a"]),
        calib_b=float(d["calibration"]["b"]), threshold=float(d["threshold"]),
        char_weight=float(char.get("weight", 1.0)),
        parse_tag_range=_range(ptag, (1, 3)), parse_tag_vocab=_vocab(ptag.get("vocab", {})),
        parse_arc_range=_range(parc, (1, 1)), parse_arc_vocab=_vocab(parc.get("vocab", {})),
    )


def _range(block: dict[str, Any], default: tuple[int, int] | None = None) -> tuple[int, int]:
    """A block's ``ngram_range``; required unless a ``default`` is given (optional blocks)."""
    lo, hi = block["ngram_range"] if default is None else block.get("ngram_range", default)
    return int(lo), int(hi)


def _vocab(entries: dict[str, Sequence[float]]) -> dict[str, tuple[float, float]]:
    """``n-gram -> (idf, coef)`` from a block's stored ``vocab``."""
    return {g: (float(v[0]), float(v[1])) for g, v in entries.items()}


#: The statistical models shipped in ``provenance/data``: the default one, and the
#: parsed one (more accurate, needs the ``parser`` extra and about 10 ms of parsing per 500-character passage).
MODEL_FILES = {False: "translation_model.json", True: "translation_model_parsed.json"}


@lru_cache(maxsize=2)
def _model(parser: bool = False) -> _Model:
    name = MODEL_FILES[bool(parser)]
    path = resources.files("provenance").joinpath("data", name)
    try:
        d = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        raise ConfigError(f"translation model {name} missing; run benchmarks/fit_translation_model.py") from None
    m = model_from_dict(d)
    return replace(m, char_block=_hashed_block(m.vocab, *m.ngram_range))


def model_threshold(parser: bool = False) -> float:
    """Decision threshold on the calibrated score, chosen by the fitting script."""
    return _model(parser).threshold


def _decision(text: str, model: _Model | None = None) -> float:
    m = _model() if model is None else model
    text = _prepare(text)
    f = passage_features(text)
    z = 0.0
    for name, mu, sd, c in zip(m.names, m.mean, m.scale, m.dense_coef):
        z += c * m.dense_weight * (f.get(name, 0.0) - mu) / sd
    if m.char_block is not None:
        z += m.char_weight * _char_dot(text, m.char_block, *m.ngram_range)
    else:
        z += m.char_weight * _tfidf_dot(char_ngrams(text, *m.ngram_range), m.vocab)
    z += _tfidf_dot(word_ngrams(skeleton(text), *m.skel_range), m.skel_vocab)
    if m.word_vocab:
        z += _tfidf_dot(word_ngrams(_WORD_TOKEN.findall(text), *m.word_range), m.word_vocab)
    if m.pos_vocab:
        z += _tfidf_dot(word_ngrams(pos_tags(text), *m.pos_range), m.pos_vocab)
    if m.parsed:
        from .parse import parse_views

        tags, arcs = parse_views(text)
        z += _tfidf_dot(word_ngrams(tags, *m.parse_tag_range), m.parse_tag_vocab)
        z += _tfidf_dot(word_ngrams(arcs, *m.parse_arc_range), m.parse_arc_vocab)
    return z + m.intercept


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def passage_score(text: str, parser: bool = False) -> float:
    """Calibrated probability that an English passage was machine-translated.

    Purely statistical (no rule). Texts with fewer than five words score 0.0.
    ``parser=True`` uses the parsed model (extra ``parser``: part-of-speech
    tags and dependency arcs from spaCy; dev AUC 0.96 against 0.95, about
    10 ms more per 500-character passage); it raises :class:`~provenance.errors.MissingExtraError`
    without the extra.

    Examples
    --------
    >>> 0.0 <= passage_score("The committee approved the budget on Tuesday.") <= 1.0
    True
    """
    if len(_TOKEN.findall(text)) < 5:
        return 0.0
    m = _model(parser)
    return _sigmoid(m.calib_a * _decision(text, m) + m.calib_b)


# --------------------------------------------------------------------------- verdict


def _language_of(raw: str, language: str | None) -> str | None:
    if language:
        return language.lower()
    from .language import detect_language

    return detect_language(raw)


def _applicable(rule: Rule, language: str | None) -> bool:
    # Only markers are meaningful in a non-English text: calques, typography and
    # "untranslated" words are measured against English.
    return rule.category == "marker" or language in (None, "en")


def _verdict(raw: str, artifacts: Sequence[Artifact], p_stat: float | None,
             threshold: float) -> Translation:
    hw = high_weight()
    seen: dict[str, int] = {}
    keep = 1.0 - (p_stat or 0.0)
    votes: dict[str, float] = {}
    strong = False
    markers: list[list[str]] = []
    named: list[str] = []
    for a in artifacts:
        if a.weight >= hw:
            strong = True
        k = seen.get(a.rule, 0)
        if k < _MAX_HITS_PER_RULE:
            keep *= 1.0 - a.weight
            if a.language and not a.rule.startswith("marker."):
                votes[a.language] = votes.get(a.language, 0.0) + a.weight
        seen[a.rule] = k + 1
        if a.rule == "marker.lang-chain":
            codes = _chain_languages(a.text)
            if codes:
                markers.append(codes)
        elif a.rule == "marker.translated-from" and a.language:
            named.append(a.language)
    score = 1.0 - keep
    translated = strong or score >= threshold
    source: str | None = None
    round_trip = False
    pivots: tuple[str, ...] = ()
    if markers:
        codes = markers[-1]  # the last stamp describes the final pipeline
        source = codes[0]
        round_trip = codes[0] == codes[-1]
        pivots = tuple(codes[1:-1])
        translated = True
    elif named:
        source = named[-1]
    elif votes and translated:
        source = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return Translation(translated=translated, score=round(score, 6), source_language=source,
                       round_trip=round_trip, pivot_languages=pivots)


def analyze(raw: str, language: str | None = None, parser: bool = False,
            ) -> tuple[Translation, list[Artifact]]:
    """Document-level machine-translation verdict and artefacts.

    Parameters
    ----------
    raw : str
        The document as read; artefact offsets index this string
        (``raw[a.start:a.end] == a.text``).
    language : str, optional
        ISO 639-1 code of the text; detected when omitted. The statistical
        score and the English-specific rules apply only to English text.
    parser : bool
        Score with the parsed model (extra ``parser``), as :func:`passage_score`.

    Returns
    -------
    translation : Translation
        ``translated``, ``score`` (0..1), ``source_language``, ``round_trip``,
        ``pivot_languages``.
    artifacts : list of Artifact
        Rule hits sorted by start offset.

    Examples
    --------
    >>> t, arts = analyze("Officials met on Monday.\\ncnn en2fr2en\\n", language="en")
    >>> t.round_trip, t.source_language, t.pivot_languages
    (True, 'en', ('fr',))
    """
    lang = _language_of(raw, language)
    rules = [r for r in load_rules() if _applicable(r, lang)]
    arts = rule_artifacts(raw, rules)
    p_stat = passage_score(raw, parser) if lang in (None, "en") else None
    return _verdict(raw, arts, p_stat, model_threshold(parser)), arts


def _passages(raw: str, min_chars: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = None
    pos = 0
    for line in raw.split("\n"):
        a, b = pos, pos + len(line)
        if line.strip():
            if start is None:
                start = a
            if b - start >= min_chars:
                spans.append((start, b))
                start = None
        pos = b + 1
    if start is not None:
        end = len(raw.rstrip())
        if spans and end - start < min_chars // 2:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [(a + len(raw[a:b]) - len(raw[a:b].lstrip()), b) for a, b in spans]


def analyze_passages(
    raw: str, language: str | None = None, min_chars: int = 400, parser: bool = False,
) -> list[tuple[int, int, Translation, list[Artifact]]]:
    """Per-passage verdicts: paragraphs grouped to at least ``min_chars`` characters.

    Returns ``(start, end, translation, artifacts)`` per passage, offsets into
    ``raw``. Pipeline markers found anywhere in the document apply to every
    passage (they describe the whole text).
    """
    lang = _language_of(raw, language)
    rules = [r for r in load_rules() if _applicable(r, lang)]
    all_arts = rule_artifacts(raw, rules)
    doc_markers = [a for a in all_arts if a.rule.startswith("marker.")]
    out = []
    threshold = model_threshold(parser)
    for a, b in _passages(raw, min_chars):
        arts = [x for x in all_arts if x.start >= a and x.end <= b]
        extra = [m for m in doc_markers if m not in arts]
        p = passage_score(raw[a:b], parser) if lang in (None, "en") else None
        out.append((a, b, _verdict(raw[a:b], arts + extra, p, threshold), arts))
    return out


def canonical_rewrites(raw: str, artifacts: Sequence[Artifact]) -> list[tuple[int, int, str]]:
    """``(start, end, canonical English)`` for calque artefacts, for alignment to substitute.

    Overlapping calques keep the heavier (then earlier, then longer) one;
    the result is sorted and non-overlapping, so a caller can splice the
    replacements into ``raw`` from right to left.

    Examples
    --------
    >>> raw = "US Secretary of National Security Alejandro Mayorkas spoke."
    >>> _, arts = analyze(raw, language="en")
    >>> canonical_rewrites(raw, arts)
    [(0, 33, 'Homeland Security Secretary')]
    """
    cands = [a for a in artifacts if a.canonical and 0 <= a.start < a.end <= len(raw)
             and raw[a.start:a.end] == a.text]
    cands.sort(key=lambda a: (-a.weight, a.start, -(a.end - a.start), a.rule))
    chosen: list[Artifact] = []
    for a in cands:
        if all(a.end <= c.start or a.start >= c.end for c in chosen):
            chosen.append(a)
    return sorted((a.start, a.end, str(a.canonical)) for a in chosen)


def document_dict(translation: Translation, artifacts: Sequence[Artifact]) -> dict[str, Any]:
    """The ``translation`` and ``artifacts`` members of a trace.json document object.

    Each artefact is :meth:`Artifact.to_dict` (``rule, start, end, text,
    language, weight``, plus ``explanation`` and, for calques, ``canonical``).
    """
    return {
        "translation": translation.to_dict(),
        "artifacts": [a.to_dict() for a in artifacts],
    }
