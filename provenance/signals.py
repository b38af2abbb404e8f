"""Signals extracted from one text: shared-claim candidates, dates, attributions.

* **Claims** are checkable specifics: numbers, money, percentages, durations,
  dates and capitalized names, each with a canonical ``key`` so that variants
  match ("US$50 million" = "$50 million" = ``usd:50000000``; "600 percent" =
  "600%"; "eight weeks" = ``days:56``). A number whose digit grouping is
  malformed ("1,3000") is kept as an ``anomaly`` claim: the same rare error in
  two texts is strong evidence that one copied the other, or both a source.
* **Dates**: a publication date from a dateline or byline near the top of the
  text, with a reliability, and every date mentioned in the text.
* **Attributions**: phrases that name where information came from ("told
  CNN", "according to a release", "(Reuters)", "DHS said"), with a canonical
  source label (multi-word names are reduced to their acronym so that
  "Department of Homeland Security" and "DHS" meet).

Patterns are English; on other languages numbers, money and dates still work
and names and attributions simply find less.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .records import Attribution, Claim

# ----------------------------------------------------------------- numbers

_SCALE = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "dozens": 24, "hundreds": 200,
    "thousands": 2000,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+)"
_WORDNUM_RE = "|".join(sorted((re.escape(w) for w in _WORDNUM), key=len, reverse=True))

_MONEY = re.compile(
    rf"(?P<cur>(?:US|U\.S\.|A|C|NZ)?\$|€|£|USD\s?|EUR\s?)\s?(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|m)\b)?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b|pct\b)", re.IGNORECASE)
_DURATION = re.compile(
    rf"\b(?P<num>{_NUM}|{_WORDNUM_RE})[\s-](?P<unit>day|week|month|year)s?\b", re.IGNORECASE
)
# Not part of a word or code ("COVID-19"), a time ("12:04") or a larger number.
_NUMBER = re.compile(rf"(?<![\w.,$€£-])(?P<num>{_NUM})(?:\s(?P<scale>thousand|million|billion|trillion)\b)?(?![\w%]|,\d|:\d)")
_BAD_GROUPING = re.compile(r"\b\d{1,3}(?:,\d{3})*,(?:\d{4,}|\d{1,2})\b")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")

# ----------------------------------------------------------------- dates

class _Spans:
    """Disjoint half-open spans with a logarithmic overlap test.

    Keeps matching linear-ish on texts with thousands of hits (a list scan
    per hit was quadratic).
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a stored span."""
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        """Store ``[start, end)``; it must not overlap a stored span."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"])}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
]


@dataclass(frozen=True)
class DateMention:
    """A date in the text: ISO form, raw span, and whether it sits in a dateline/byline."""

    iso: str
    start: int
    end: int
    text: str
    dateline: bool


def find_dates(raw: str, head_chars: int = 800) -> list[DateMention]:
    """All explicit calendar dates in ``raw``, in text order.

    A date is marked ``dateline`` when it appears within the first
    ``head_chars`` characters on a line that is a byline or dateline (short,
    or starting with a place/day name, or containing "By"/"|"/"(Reuters)"),
    the places where news pages print their publication date.

    Examples
    --------
    >>> [d.iso for d in find_dates("WASHINGTON, Fri. March 26, 2021: (Reuters) - ...")]
    ['2021-03-26']
    """
    return list(_dates(raw, head_chars))


@lru_cache(maxsize=2)
def _dates(raw: str, head_chars: int) -> tuple[DateMention, ...]:
    # Memoized (immutable result): the analysis stage asks twice per text,
    # for the publication date and for date claims.
    out: list[DateMention] = []
    taken = _Spans()
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(raw):
            if taken.overlaps(m.start(), m.end()):
                continue
            g = m.groupdict()
            try:
                month = int(g["month"]) if g.get("month") else _MONTHS[g["mon"].lower()[:3]]
                d = _dt.date(int(g["year"]), month, int(g["day"]))
            except (KeyError, ValueError):
                continue
            taken.add(m.start(), m.end())
            line_start = raw.rfind("\n", 0, m.start()) + 1
            line_end = raw.find("\n", m.end())
            line = raw[line_start: line_end if line_end >= 0 else len(raw)]
            dateline = m.start() < head_chars and (
                len(line.split()) <= 20 or bool(re.search(r"\bBy\b|\||\(Reuters\)|\(AP\)|\(AFP\)|^[A-Z][A-Z .,]{2,}[,:-]", line))
            )
            out.append(DateMention(d.isoformat(), m.start(), m.end(), m.group(), dateline))
    return tuple(sorted(out, key=lambda x: x.start))


def publication_date(raw: str) -> tuple[str | None, float]:
    """Best guess of the publication date and its reliability (0..1).

    A dateline/byline date is taken with reliability 0.8 (pages also print
    update dates there); with none, ``(None, 0.0)``: dates inside the body
    are events, not publication.
    """
    for d in find_dates(raw):
        if d.dateline:
            return d.iso, 0.8
    return None, 0.0


# ----------------------------------------------------------------- claims

def _to_float(num: str) -> float | None:
    s = num
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s) and len(s) > 4:
        s = s.replace(".", "")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None  # a 400-digit "number" is not a claim


def _fmt(x: float) -> str:
    if not math.isfinite(x):  # finite value times a scale word can overflow
        return "inf"
    return str(int(x)) if x == int(x) else f"{x:g}"


_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s++(?:of|the|for|and|de|del|la|le)?\s*+(?:[A-Z][\w'’.-]*|[A-Z]{2,}))*")
_NAME_STOP = {"The", "A", "An", "In", "On", "At", "For", "But", "And", "It", "He", "She", "They", "We",
              "This", "That", "These", "Those", "As", "If", "So", "Asked", "According", "During", "After",
              "Despite", "Under", "Since", "While", "When", "Last", "Recently", "Other", "Consequently",
              "Its", "His", "Her", "Their", "Our", "Mr", "Ms", "Mrs", "Dr", "There", "Some", "More",
              "Most", "All", "One", "Two", "Three", "I", "You"}


def find_claims(raw: str) -> list[Claim]:
    """Specific, checkable items in ``raw``, with canonical keys for matching.

    Examples
    --------
    >>> claims = find_claims("It invested US$50 million, a 600 percent rise in eight weeks.")
    >>> sorted(c.key for c in claims if is_specific(c))
    ['days:56', 'pct:600', 'usd:50000000']
    """
    claims: list[Claim] = []
    taken = _Spans()

    def add(kind: str, key: str, m: re.Match[str]) -> None:
        if taken.overlaps(m.start(), m.end()):
            return
        taken.add(m.start(), m.end())
        claims.append(Claim(kind, key, m.start(), m.end(), m.group()))

    for m in _BAD_GROUPING.finditer(raw):
        add("anomaly", "anomaly:" + m.group(), m)
    for d in find_dates(raw):
        m = re.compile(re.escape(d.text)).search(raw, d.start)
        if m:
            add("date", "date:" + d.iso, m)
    for m in _MONEY.finditer(raw):
        v = _to_float(m.group("num"))
        if v is None:
            continue
        v *= _SCALE.get((m.group("scale") or "").lower(), 1)
        cur = "eur" if "€" in m.group("cur") or "EUR" in m.group("cur").upper() else "gbp" if "£" in m.group("cur") else "usd"
        add("money", f"{cur}:{_fmt(v)}", m)
    for m in _PERCENT.finditer(raw):
        v = _to_float(m.group("num"))
        if v is not None:
            add("percent", f"pct:{_fmt(v)}", m)
    for m in _DURATION.finditer(raw):
        n = m.group("num").lower()
        v = _WORDNUM.get(n) if n in _WORDNUM else _to_float(n)
        if v is not None:
            add("duration", f"days:{_fmt(v * _UNIT_DAYS[m.group('unit').lower()])}", m)
    for m in _NUMBER.finditer(raw):
        num = m.group("num")
        v = _to_float(num)
        if v is None:
            continue
        if _YEAR.match(num):
            add("year", f"year:{num}", m)
            continue
        v *= _SCALE.get((m.group("scale") or "").lower(), 1)
        add("number", f"num:{_fmt(v)}", m)
    for m in _NAME.finditer(raw):
        text = m.group().rstrip(".")
        first = text.split()[0]
        if first in _NAME_STOP and len(text.split()) == 1:
            continue
        if len(text) < 2:
            continue
        key = "name:" + source_label(text).lower()
        claims.append(Claim("entity", key, m.start(), m.start() + len(text), text))
    return sorted(claims, key=lambda c: (c.start, c.end, c.key))


def numeric_value(key: str) -> float | None:
    """The number inside a numeric claim key, or None."""
    kind, _, v = key.partition(":")
    if kind in ("num", "pct", "usd", "eur", "gbp", "days"):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def is_specific(claim: Claim) -> bool:
    """Whether a claim is specific enough to count as shared evidence.

    Small bare numbers (< 10), years and names are too common across texts
    on one topic; numbers, money, percentages, durations, full dates and
    anomalies are specific.
    """
    if claim.kind in ("entity", "year"):
        return False
    if claim.kind == "number":
        v = numeric_value(claim.key)
        return v is not None and v >= 10
    return True


def claims_match(a: str, b: str, tolerance: float = 0.0) -> bool:
    """Keys equal, or the same kind of quantity within ``tolerance`` (relative)."""
    if a == b:
        return True
    if tolerance <= 0:
        return False
    ka, kb = a.partition(":")[0], b.partition(":")[0]
    va, vb = numeric_value(a), numeric_value(b)
    if ka != kb or va is None or vb is None or max(va, vb) == 0:
        return False
    return abs(va - vb) / max(va, vb) <= tolerance


# ----------------------------------------------------------------- attributions

# A capitalized name of up to 7 words on one line; dots only inside ("U.S.").
_CAPWORD = r"[A-Z](?:[\w&'’-]|\.(?=\w))*"
_ORG = rf"(?P<org>(?:[Tt]he )?{_CAPWORD}(?: (?:of |for |and |the )?{_CAPWORD}){{0,6}})"
# Words that make a name an organization rather than a person.
_ORG_WORDS = re.compile(
    r"\b(Department|Ministry|Agency|Office|Service|Institute|Commission|Council|Police|Court|"
    r"Government|House|Bureau|Administration|Center|Centre|Organization|Organisation|Authority|"
    r"Committee|Association|Union|Bank|Fund|Agency|Network|News|Times|Post|Press|Reuters|"
    r"Bloomberg|Watch|Foundation|Corporation|Company|Group|University|Embassy|Army|Navy|Patrol)\b"
)
_ATTRIBUTION_PATTERNS = [
    ("told", re.compile(rf"\b(?:told|tells|telling|said to|speaking to|interview with)\s+{_ORG}")),
    ("according_to", re.compile(rf"\b[Aa]ccording to (?:a |an |the |(?=[A-Z]))(?P<org>{_CAPWORD}(?: (?:of |for |and |the )?{_CAPWORD}){{0,6}}|(?:[\w-]+ )?(?:release|statement|report|data|figures|documents|officials?))")),
    ("wire", re.compile(r"\((?P<org>Reuters|AP|AFP|Bloomberg|EFE|dpa|UPI|Xinhua|ANSA)\)")),
    ("said", re.compile(rf"{_ORG}\s+(?:said|says|added|noted|estimated|estimates|explains|explained|announced|reported|stated|warns|warned)\b")),
    ("release", re.compile(r"\b(?:in|according to|per)\s+(?:a|the|its)\s+(?P<org>(?:[A-Z][\w.-]*\s+)?(?:press\s+)?(?:release|statement|fact sheet|report))\b", re.IGNORECASE)),
]
_GENERIC = {"release", "statement", "report", "data", "figures", "documents", "official", "officials",
            "press release", "fact sheet"}


def source_label(name: str) -> str:
    """Canonical label of a named source: acronym for multi-word names.

    Examples
    --------
    >>> source_label("the Department of Homeland Security"), source_label("DHS")
    ('DHS', 'DHS')
    """
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE).strip(" .,'’")
    # A leading country qualifier is not part of the institution's name.
    name = re.sub(r"^(?:U\.?S\.?A?|UK|U\.K\.|EU)\s+(?=[A-Z])", "", name)
    parts = [p for p in re.split(r"\s+", name) if p]
    caps = [p for p in parts if p[:1].isupper()]
    if len(caps) >= 2 and len(caps) == len([p for p in parts if p.lower() not in ("of", "for", "and", "the")]):
        return "".join(p[0] for p in caps).upper()
    return name


def find_attributions(raw: str) -> list[Attribution]:
    """Phrases naming an upstream source, with canonical labels.

    Generic ones ("according to a release") get the label ``release`` etc.;
    pronouns and people's titles are not sources.

    Examples
    --------
    >>> [a.label for a in find_attributions("Mayorkas told CNN on Friday. (Reuters) - ok")]
    ['CNN', 'Reuters']
    """
    out: list[Attribution] = []
    taken = _Spans()
    for name, pat in _ATTRIBUTION_PATTERNS:
        for m in pat.finditer(raw):
            org = m.group("org")
            if not org:
                continue
            label_raw = org.strip()
            low = re.sub(r"^(?:the|a|an)\s+", "", label_raw.lower())
            label_raw = re.sub(r"^(?:[Tt]he)\s+", "", label_raw)
            if low in _GENERIC or low.split()[-1] in _GENERIC:
                label = low.split()[-1] if low.split()[-1] in _GENERIC else low
            else:
                first = label_raw.split()[0]
                if first in _NAME_STOP or not first[:1].isupper():
                    continue
                label = source_label(label_raw)
                if name == "said" and not (_ORG_WORDS.search(label_raw) or re.fullmatch(r"[A-Z]{2,6}", label_raw)):
                    continue  # a person speaking is a quote, not an upstream text
            span = (m.start("org"), m.end("org"))
            if taken.overlaps(*span):
                continue
            taken.add(*span)
            out.append(Attribution(label=label, start=m.start(), end=m.end(), text=m.group(), pattern=name))
    return sorted(out, key=lambda a: (a.start, a.end))
