"""Generated corpora with a known derivation graph, for fitting, tests and benchmarks.

:func:`simulate` writes news-like English articles on a shared set of topics
and derives new articles from them by the operations newsrooms apply to
copy: verbatim copying, excerpting, paraphrase (a synonym lexicon for the
generator's own vocabulary, clause reordering, sentence reordering),
merging two parents, numeric drift ("1,870" -> "nearly 1,900", "eight weeks"
-> "two months"), dropped paragraphs and added fresh paragraphs, typo
propagation (a malformed figure such as "1,3000" made once and copied by
every descendant) and attribution of a parent ("according to a Harbor Port
Authority release", "(Reuters)"). Some parents are *hidden*: generated,
used as parents, then removed from the corpus, so their children are
siblings through a latent source.

Topic overlap is not derivation: every root article states its own facts
(numbers, money, percentages, named people and companies) but draws its
wording, organisations and places from the vocabulary of one of a few
topics, so each corpus holds many unrelated same-topic articles.

Everything is generated from a :class:`random.Random` seeded by ``seed``;
nothing is read from disk or the network, and the output is identical for
identical arguments.

Truth model
-----------
* ``edges``: ``TrueEdge(parent, child, kind)``, one per parent of each
  derived article (two for a merge). ``parent`` may be a hidden id
  (``h00007``); children are always generated after, and dated after, all
  of their parents.
* Hidden articles are roots (a press release or a wire story nobody in the
  corpus kept) with at least two visible children.
* :meth:`SimulatedCorpus.true_directed` gives the *effective* visible
  derivations (a visible parent, or a visible ancestor reached through
  hidden articles only); :meth:`SimulatedCorpus.true_pairs` adds the
  sibling pairs of each hidden parent; :meth:`SimulatedCorpus.family_pairs`
  is the lenient relation "same derivation family" (one is an ancestor of
  the other, or they share an ancestor).

Examples
--------
>>> c = simulate(n_documents=12, noise="low", seed=3, words_per_doc=150)
>>> len(c.documents), c.documents[0].id
(12, 'd00000')
>>> all(e.child.startswith("d") for e in c.edges)
True
"""

from __future__ import annotations

import datetime as _dt
import random
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .records import Document

__all__ = ["NOISE_LEVELS", "NoiseProfile", "SimulatedCorpus", "TrueEdge", "simulate"]

# ======================================================================= vocabulary

TOPICS: dict[str, dict[str, list[str]]] = {
    "ports": {
        "orgs": ["Harbor Port Authority", "Maritime Safety Agency", "Dockworkers Union",
                 "Coastal Shipping Council", "Department of Transport"],
        "roles": ["Port Director", "Harbor Master", "Union Secretary", "Shipping Minister"],
        "nouns": ["container terminal", "cargo pier", "grain silo", "dredging project", "customs hall",
                  "ferry berth"],
        "measures": ["containers", "vessels", "cargo trucks", "tonnes of grain", "cruise passengers"],
        "issues": ["congestion at the gates", "dredging delays", "a customs backlog", "crane failures",
                   "a dock strike"],
    },
    "health": {
        "orgs": ["Regional Health Service", "Institute of Public Health", "Nurses Association",
                 "Medical Council", "Ministry of Health"],
        "roles": ["Health Commissioner", "Chief Nurse", "Hospital Director", "Health Minister"],
        "nouns": ["maternity ward", "vaccination clinic", "emergency department", "cancer centre",
                  "rural clinic network", "ambulance depot"],
        "measures": ["patients", "hospital beds", "vaccine doses", "nurses", "ambulance calls"],
        "issues": ["staff shortages", "long waiting lists", "a flu outbreak", "supply shortages",
                   "a billing error"],
    },
    "energy": {
        "orgs": ["National Grid Operator", "Energy Regulatory Commission", "Solar Industry Association",
                 "Ministry of Energy", "Consumer Power Council"],
        "roles": ["Grid Director", "Energy Minister", "Chief Regulator", "Plant Manager"],
        "nouns": ["wind farm", "solar park", "gas pipeline", "battery plant", "transmission line",
                  "coal plant closure"],
        "measures": ["households", "megawatts", "power outages", "solar panels", "electricity meters"],
        "issues": ["grid instability", "soaring fuel costs", "a transformer fire", "permit delays",
                   "a heat wave"],
    },
    "transport": {
        "orgs": ["Metropolitan Transit Authority", "Rail Safety Board", "Transport Workers Union",
                 "Road Users Association", "Department of Infrastructure"],
        "roles": ["Transit Commissioner", "Rail Inspector", "Transport Minister", "Union Leader"],
        "nouns": ["light rail line", "bus depot", "ring road", "tram extension", "bridge repair",
                  "metro station"],
        "measures": ["commuters", "train services", "bus routes", "road accidents", "passenger journeys"],
        "issues": ["signal failures", "a drivers' strike", "track subsidence", "fare evasion",
                   "winter flooding"],
    },
    "housing": {
        "orgs": ["Housing Development Agency", "Tenants Rights Council", "Builders Federation",
                 "City Planning Office", "Ministry of Housing"],
        "roles": ["Housing Commissioner", "Planning Chief", "Tenants Advocate", "Building Inspector"],
        "nouns": ["social housing estate", "rent subsidy scheme", "tower block renovation",
                  "student housing complex", "affordable homes programme", "eviction court"],
        "measures": ["apartments", "families", "building permits", "eviction notices", "rental contracts"],
        "issues": ["rising rents", "mould complaints", "construction delays", "a zoning dispute",
                   "unsafe cladding"],
    },
    "education": {
        "orgs": ["Board of Education", "Teachers Federation", "Schools Inspectorate",
                 "Parents Council", "Ministry of Education"],
        "roles": ["Schools Superintendent", "Chief Inspector", "Education Minister", "Head Teacher"],
        "nouns": ["school meals programme", "science campus", "literacy scheme", "teacher training college",
                  "school bus service", "laptop programme"],
        "measures": ["pupils", "teachers", "classrooms", "exam entries", "school places"],
        "issues": ["teacher vacancies", "crumbling classrooms", "low attendance", "exam grading errors",
                   "a budget shortfall"],
    },
    "water": {
        "orgs": ["Water Services Authority", "River Basin Commission", "Environmental Protection Agency",
                 "Anglers Association", "Ministry of Environment"],
        "roles": ["Water Commissioner", "Chief Hydrologist", "Environment Minister", "Plant Supervisor"],
        "nouns": ["treatment plant", "reservoir upgrade", "flood barrier", "sewer overhaul",
                  "desalination plant", "pipe replacement programme"],
        "measures": ["litres of water", "leaking pipes", "households", "sewage spills", "water samples"],
        "issues": ["a drought", "nitrate pollution", "burst mains", "a boil-water notice",
                   "river flooding"],
    },
    "agriculture": {
        "orgs": ["Farmers Union", "Food Safety Authority", "Grain Marketing Board",
                 "Rural Development Agency", "Ministry of Agriculture"],
        "roles": ["Agriculture Minister", "Chief Veterinarian", "Union President", "Crop Analyst"],
        "nouns": ["irrigation scheme", "grain export quota", "dairy subsidy", "fertiliser plant",
                  "livestock market", "crop insurance fund"],
        "measures": ["tonnes of wheat", "dairy farms", "hectares", "cattle", "seasonal workers"],
        "issues": ["a late frost", "bird flu", "falling milk prices", "a locust swarm",
                   "fertiliser shortages"],
    },
}

FIRST_NAMES = (
    "Ana Marco Leila Tomas Priya Jonas Fatima Daniel Ingrid Kofi Mei Rafael Sofia Omar Helena Viktor "
    "Aisha Lukas Carmen Pavel Nadia Ethan Yuki Samuel Irene Diego Amara Felix Rosa Hamid Greta Noah "
    "Lucia Ibrahim Clara Mateo Zainab Oskar Elena Tariq Maya Bruno Alice Kenji Olga Pedro Hannah Ravi"
).split()
LAST_NAMES = (
    "Velasquez Okafor Lindqvist Moreau Haddad Novak Brennan Takahashi Costa Mensah Petrov Adeyemi "
    "Fischer Romero Kowalski Nakamura Duarte Hakimi Johansson Ferreira Osei Marchetti Varga Quinn "
    "Delgado Ahmadi Bianchi Kruger Sorensen Mbeki Oliveira Horvat Castellano Yilmaz Whitfield Aranda "
    "Lindgren Ncube Barros Kaminski Fontaine Herrera Sato Mwangi Rossi Volkov Ibarra Dalton Pereira"
).split()
_PLACE_HEADS = ("Ash Brook Cald Dun East Fair Grey Hal King Lin Mar North Oak Red Salt Stone Thorn West "
                "Elm Mill Bright Cor Hart Wolver Ather Bel Kirk Lang").split()
_PLACE_TAILS = "ford ton bury mere wick haven field gate dale stead ridge more cliff by port".split()
#: Place names: 28 x 15 compositional names, so few unrelated stories share a place.
CITIES = [h + t for h in _PLACE_HEADS for t in _PLACE_TAILS]
COMPANY_SUFFIXES = ["Construction", "Holdings", "Group", "Engineering", "Partners", "Industries",
                    "Logistics", "Systems"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
#: Durations the generator writes, and their copy-edited (rounded) form.
DURATIONS = ["eight weeks", "twelve weeks", "14 days", "21 days", "six weeks", "four weeks",
             "ten days", "18 months", "nine months", "three years", "five years", "30 months"]
DURATION_DRIFT = {"eight weeks": "two months", "twelve weeks": "three months", "14 days": "two weeks",
                  "21 days": "three weeks", "four weeks": "one month", "30 months": "two and a half years",
                  "18 months": "a year and a half", "ten days": "about two weeks"}

_TIME_PHRASES = [" on {day}", " earlier this year", " last week", " in {month}", " this month",
                 " on {day} [morning|evening]", " late last year"]
_WEEK_WORDS = ["three", "five", "seven", "nine", "eleven", "fifteen", "twenty"]

# Sentence templates: a main clause and an optional subordinate clause. Slots in
# braces; [a|b|c] picks one wording per use, so unrelated articles on one topic
# do not share whole sentences.
MAIN_TEMPLATES = [
    "the {org} [said|reported|announced] that {num} {measure} were [recorded|counted|registered] at the {noun} in {place} last [year|quarter]",
    "{person} [said|told reporters|stated] the {noun} would cost {money} and take {dur} to [complete|finish]",
    "[spending|investment] on the {noun} [rose|increased|grew] {pct} to {money}",
    "the number of {measure} [fell|dropped|declined] by {pct} [over|during] the past {dur}",
    "[approximately|around|roughly] {num} {measure} [are|were] [expected|projected] in {place} by {month}",
    "a [review|study|survey] by the {org} found that {pct} of {measure} were [affected by|hit by] {issue}",
    "{person} [warned|cautioned] that {issue} could add {money} to the [bill|price tag] of the {noun}",
    "[officials|authorities] in {place} [approved|signed off on] a [plan|proposal] worth {money} for the {noun}",
    "the {org} [plans|intends] to [hire|recruit] {num} [staff|workers] within {dur}",
    "[residents|locals] of {place} [filed|lodged] {num} [complaints|objections] about {issue} [this year|since {month}]",
    "the {noun} in {place} [handled|processed] {num} {measure} on {day}, a [record|new high]",
    "{person} said the [figure|total] of {num} {measure} was {pct} [higher|above] the level of {year}",
    "a [contract|deal] worth {money} was [awarded|given] to {company} for {dur} of work on the {noun}",
    "the {org} [estimated|calculated] that {issue} cost {money} in {year}",
    "{company} [said|confirmed] it would [invest|put] {money} in the {noun} [over|across] {dur}",
    "[inspectors|auditors] [counted|identified] {num} [defects|faults] at the {noun} in {place}",
    "the [share|proportion] of {measure} [linked to|blamed on] {issue} [reached|hit] {pct} in {month}",
    "{person} [promised|pledged] {money} to [cut|reduce] {issue} in {place} within {dur}",
]
#: Context sentences: names, places and quotes, few or no figures (real articles
#: are not all numbers).
CONTEXT_TEMPLATES = [
    "{person} [described|called] the {noun} [a priority|a turning point|long overdue] for {place}",
    "critics in {place} [argued|complained] that the {org} had [ignored|played down] {issue}",
    "{person} [is expected to|will] [meet|brief] [members of|officials from] the {org} in {place} on {day}",
    "the {org} did not [respond to|answer] [questions|requests for comment] about the {noun} in {place}",
    "[local|regional] [newspapers|broadcasters] in {place} first [reported|revealed] problems with the {noun}",
    "{person} [reminded|assured] a [meeting|hearing] in {place} that {issue} had [worsened|eased] since {month}",
    "[supporters|opponents] of the {noun} [gathered|protested] outside the offices of the {org} in {place} on {day}",
    "{company} [declined to comment|would not comment] on [its role in|its bid for] the {noun}",
    "the {noun} in {place} was [first proposed|originally planned] by {person} in {year}",
    "{person} [said|insisted] that {place} [could not afford|badly needed] [another|a second] {noun}",
    "[neighbouring|nearby] {place} [abandoned|shelved] a similar {noun} after {issue}",
    "{person} and {person} [clashed|argued] over the {noun} at a [hearing|meeting] in {place}",
]
SUB_TEMPLATES = [
    "after {issue} [slowed|disrupted] work at the {noun} for {dur}",
    "[because|as] the number of {measure} [rose|climbed] {pct} in {place}",
    "while {num} {measure} [remained|stayed] on a waiting list",
    "[despite|in spite of] a budget of {money}",
    "[when|as] the {org} [met|gathered] in {place} on {day}",
    "[following|after] a {pct} [rise|jump] in {measure} since {year}",
    "[before|ahead of] a vote on {num} {measure} in {month}",
]
#: Synonym groups of the templates' fixed wording (lowercase; names are never touched).
SYNONYM_GROUPS = [
    ["said", "stated", "noted"], ["reported", "announced", "disclosed"],
    ["recorded", "logged", "registered", "counted"], ["complete", "finish"],
    ["spending", "expenditure", "investment", "outlay"], ["rose", "climbed", "increased", "grew"],
    ["fell", "dropped", "declined", "slipped"], ["over", "during"], ["expected", "projected", "forecast"],
    ["review", "study", "survey"], ["found", "concluded"], ["affected by", "hit by", "hurt by"],
    ["warned", "cautioned"], ["bill", "price tag"], ["officials", "authorities"],
    ["approved", "signed off on", "endorsed"], ["plan", "proposal", "scheme"],
    ["plans", "intends", "aims"], ["hire", "recruit", "take on"], ["staff", "workers", "employees"],
    ["residents", "locals", "inhabitants"], ["filed", "lodged", "submitted"],
    ["complaints", "objections", "grievances"], ["handled", "processed", "dealt with"],
    ["record", "new high", "all-time high"], ["figure", "total", "tally"], ["higher", "above"],
    ["contract", "deal", "agreement"], ["awarded", "given", "granted"], ["estimated", "calculated", "reckoned"],
    ["confirmed", "said"], ["invest", "put", "spend"], ["inspectors", "auditors", "examiners"],
    ["defects", "faults", "flaws"], ["share", "proportion"], ["linked to", "blamed on", "attributed to"],
    ["reached", "hit"], ["promised", "pledged", "vowed"], ["cut", "reduce", "curb"],
    ["slowed", "disrupted", "stalled"], ["because", "as"], ["remained", "stayed"],
    ["despite", "in spite of"], ["met", "gathered", "convened"], ["following", "after"],
    ["rise", "jump", "increase"], ["before", "ahead of"], ["roughly", "around", "approximately"],
    ["work", "construction"], ["waiting list", "backlog"], ["budget", "funding allocation"],
    ["described", "called"], ["argued", "complained", "claimed"], ["ignored", "played down", "overlooked"],
    ["questions", "queries"], ["newspapers", "media outlets"], ["revealed", "exposed"],
    ["worsened", "deteriorated"], ["eased", "improved"], ["opponents", "critics"],
    ["gathered", "assembled"], ["protested", "demonstrated"], ["shelved", "abandoned", "dropped"],
    ["clashed", "argued", "sparred"], ["hearing", "meeting", "session"], ["insisted", "maintained"],
    ["originally planned", "first proposed"], ["badly needed", "urgently needed"],
]
_LEXICON: dict[str, list[str]] = {}
for _g in SYNONYM_GROUPS:
    for _w in _g:
        _LEXICON.setdefault(_w, [])
        _LEXICON[_w].extend(x for x in _g if x != _w and x not in _LEXICON[_w])
_LEXICON_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in _LEXICON), key=len, reverse=True)) + r")\b")

TITLE_TEMPLATES = [
    "{Org} [Reports|Announces|Unveils] {Money} [Plan|Deal] For {Noun}",
    "{Measure} [Up|Down] {pct} In {place} As {Issue} [Bites|Persists]",
    "{place} {Noun} [Faces|Hit By|Struggles With] {Issue}",
    "[New|Fresh] Figures Show {num} {Measure} At {place} {Noun}",
    "{Person} [Defends|Backs] {Money} {Noun}",
    "{Company} [Wins|Lands|Secures] {Noun} [Contract|Deal] In {place}",
    "Why {place} [Is Losing|Keeps Losing] {Measure}",
    "{Issue} [Costs|Drains] {Org} {Money}",
    "{place} [Residents|Locals] [Angry|Frustrated] Over {Noun}",
    "{Org} [Under Fire|Criticised] After {pct} [Drop|Fall] In {Measure}",
    "{Noun} [Delayed|Stalled] For {dur} In {place}",
    "{num} {Measure} And Counting: Inside The {place} {Noun}",
    "[Questions|Doubts] [Grow|Mount] Over {Money} {Noun}",
    "{Person}: {Issue} [Will|Could] Take {dur} To Fix",
]

# ======================================================================= noise

@dataclass(frozen=True)
class NoiseProfile:
    """Rates of each transformation at one noise level.

    Attributes
    ----------
    kind_weights : relative frequency of child kinds (copy, excerpt, paraphrase, merge).
    paraphrase_rate : share of sentences rewritten in a paraphrase (synonyms, clause order).
    light_paraphrase_rate : share of sentences rewritten in excerpts and merges.
    drift_rate : chance that each figure of a derived text is rounded.
    drop_rate : chance that each paragraph of a derived text is dropped (copies excepted).
    max_added : upper bound of fresh paragraphs added to a derived text (copies get at most 1).
    attribution_rate : chance that a child of a hidden parent names it.
    undated_rate : share of articles printed without a date.
    typo_rate : chance that a root article carries a malformed figure.
    """

    kind_weights: tuple[tuple[str, float], ...]
    paraphrase_rate: float
    light_paraphrase_rate: float
    drift_rate: float
    drop_rate: float
    max_added: int
    attribution_rate: float
    undated_rate: float
    typo_rate: float


NOISE_LEVELS: dict[str, NoiseProfile] = {
    "low": NoiseProfile((("copy", 0.35), ("excerpt", 0.3), ("paraphrase", 0.25), ("merge", 0.1)),
                        0.3, 0.05, 0.05, 0.05, 1, 0.8, 0.1, 0.1),
    "moderate": NoiseProfile((("copy", 0.2), ("excerpt", 0.3), ("paraphrase", 0.35), ("merge", 0.15)),
                             0.6, 0.2, 0.15, 0.15, 2, 0.5, 0.25, 0.1),
    "high": NoiseProfile((("copy", 0.1), ("excerpt", 0.25), ("paraphrase", 0.45), ("merge", 0.2)),
                         0.9, 0.4, 0.3, 0.3, 3, 0.3, 0.4, 0.1),
}

# ======================================================================= truth

@dataclass(frozen=True)
class TrueEdge:
    """``child`` was derived from ``parent`` by ``kind`` (copy, excerpt, paraphrase, merge)."""

    parent: str
    child: str
    kind: str


@dataclass(frozen=True)
class SimulatedCorpus:
    """A generated corpus and its true derivation graph.

    Attributes
    ----------
    documents : visible documents, sorted by id (``d00000`` ...).
    edges : every true derivation, hidden parents included.
    hidden : ids of generated parents removed from the corpus (``h00000`` ...).
    latent_groups : for each hidden id, its visible children.
    dates : true publication date (ISO) of every article, visible or hidden.
    undated : visible documents printed without a date.
    topics : topic of every article.
    typos : ``(document id, malformed figure)`` for each article that introduced a typo.
    attributions : visible children that name their hidden parent in the text.
    noise, seed : the generation parameters.
    """

    documents: tuple[Document, ...]
    edges: tuple[TrueEdge, ...]
    hidden: tuple[str, ...]
    latent_groups: dict[str, tuple[str, ...]]
    dates: dict[str, str]
    undated: tuple[str, ...]
    topics: dict[str, str]
    typos: tuple[tuple[str, str], ...]
    attributions: tuple[str, ...]
    noise: str
    seed: int

    def by_id(self) -> dict[str, Document]:
        """Visible documents by id."""
        return {d.id: d for d in self.documents}

    def parents(self) -> dict[str, tuple[str, ...]]:
        """Direct parents of every derived article (hidden ids included)."""
        out: dict[str, list[str]] = {}
        for e in self.edges:
            out.setdefault(e.child, []).append(e.parent)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    def true_directed(self) -> set[tuple[str, str]]:
        """Effective derivations ``(parent, child)`` between visible documents.

        A visible parent, or the nearest visible ancestors when the parent is
        hidden (a hidden parent of a hidden parent is followed up).
        """
        hidden = set(self.hidden)
        par = self.parents()
        out: set[tuple[str, str]] = set()
        for child in par:
            if child in hidden:
                continue
            stack = list(par[child])
            seen: set[str] = set()
            while stack:
                p = stack.pop()
                if p in seen:
                    continue
                seen.add(p)
                if p in hidden:
                    stack.extend(par.get(p, ()))
                else:
                    out.add((p, child))
        return out

    def true_pairs(self) -> set[frozenset[str]]:
        """Undirected related pairs: effective derivations, plus siblings through a hidden parent."""
        out = {frozenset(p) for p in self.true_directed()}
        for kids in self.latent_groups.values():
            for i, a in enumerate(kids):
                for b in kids[i + 1:]:
                    out.add(frozenset((a, b)))
        return out

    def ancestors(self) -> dict[str, set[str]]:
        """Every ancestor (hidden ones included) of each visible document."""
        par = self.parents()

        def up(x: str) -> set[str]:
            seen: set[str] = set()
            stack = list(par.get(x, ()))
            while stack:
                p = stack.pop()
                if p not in seen:
                    seen.add(p)
                    stack.extend(par.get(p, ()))
            return seen

        return {d.id: up(d.id) for d in self.documents}

    def family_pairs(self) -> set[frozenset[str]]:
        """Lenient relation: visible pairs where one is an ancestor of the other or both share one."""
        ids = [d.id for d in self.documents]
        anc = self.ancestors()
        members: dict[str, set[str]] = {}
        for i in ids:
            for a in anc[i] | {i}:
                members.setdefault(a, set()).add(i)
        out: set[frozenset[str]] = set()
        for group in members.values():
            g = sorted(group)
            for k, a in enumerate(g):
                for b in g[k + 1:]:
                    out.add(frozenset((a, b)))
        return out


# ======================================================================= generation internals

@dataclass
class _Sent:
    main: str
    sub: str | None = None
    lead: bool = False  # subordinate clause first

    def render(self) -> str:
        if self.sub is None:
            return _cap(self.main) + "."
        if self.lead:
            return _cap(self.sub) + ", " + self.main + "."
        return _cap(self.main) + " " + self.sub + "."

    def copy(self) -> "_Sent":
        return _Sent(self.main, self.sub, self.lead)


@dataclass
class _Article:
    key: int
    topic: str
    title: str
    paras: list[list[_Sent]]
    date: _dt.date
    parents: list[int] = field(default_factory=list)
    kind: str = "root"
    depth: int = 0
    hidden: bool = False
    source_kind: str = ""  # "release" | "wire" for hidden roots
    org: str = ""
    header: str = ""  # dateline / byline line or prefix
    header_inline: bool = False
    dated: bool = True
    typo: str = ""
    attributes: bool = False
    id: str = ""
    cast: dict[str, list[str]] = field(default_factory=dict)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _fmt_int(n: int) -> str:
    return f"{n:,}"


class _Writer:
    """Fills templates with fresh facts from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cast: dict[str, list[str]] = {}

    def new_cast(self, topic: str) -> dict[str, list[str]]:
        """The people, places, companies and subjects one story keeps returning to."""
        t = TOPICS[topic]
        rng = self.rng
        self.cast = {
            "person": [self.person(topic) for _ in range(3)],
            "place": rng.sample(CITIES, 3),
            "company": [f"{self.choice(LAST_NAMES)} {self.choice(COMPANY_SUFFIXES)}" for _ in range(2)],
            "org": rng.sample(t["orgs"], 2), "noun": rng.sample(t["nouns"], 2),
            "measure": rng.sample(t["measures"], 2), "issue": rng.sample(t["issues"], 2),
        }
        return self.cast

    def choice(self, seq: Sequence[str]) -> str:
        return seq[self.rng.randrange(len(seq))]

    def person(self, topic: str) -> str:
        return f"{self.choice(TOPICS[topic]['roles'])} {self.choice(FIRST_NAMES)} {self.choice(LAST_NAMES)}"

    def num(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            n = self.rng.randint(120, 990)
        elif r < 0.85:
            n = self.rng.randint(1_010, 49_990)
        else:
            n = self.rng.randint(50_100, 980_000)
        if n % 10 == 0:
            n += self.rng.randint(1, 9)
        return _fmt_int(n)

    def money(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return f"${self.rng.randint(12, 940)}.{self.rng.randint(1, 9)} million"
        if r < 0.95:
            return f"${self.rng.randint(11, 990)} million"
        return f"${self.rng.randint(1, 9)}.{self.rng.randint(1, 9)} billion"

    def pct(self) -> str:
        v = f"{self.rng.randint(11, 89)}" if self.rng.random() < 0.5 else f"{self.rng.randint(1, 49)}.{self.rng.randint(1, 9)}"
        return v + ("%" if self.rng.random() < 0.6 else " percent")

    def duration(self) -> str:
        r = self.rng.random()
        if r < 0.4:  # a round-able one (numeric drift can rewrite it)
            return self.choice(DURATIONS)
        if r < 0.6:
            return f"{self.rng.randint(3, 45)} days"
        if r < 0.8:
            return f"{self.choice(_WEEK_WORDS)} weeks"
        return f"{self.rng.randint(5, 40)} months"

    def fill(self, template: str, topic: str) -> str:
        t = TOPICS[topic]
        rng = self.rng

        def alt(m: re.Match[str]) -> str:
            return self.choice(m.group(1).split("|"))

        s = re.sub(r"\[([^\]]+)\]", alt, template)
        slots = {
            "org": lambda: self.choice(t["orgs"]), "person": lambda: self.person(topic),
            "place": lambda: self.choice(CITIES), "noun": lambda: self.choice(t["nouns"]),
            "measure": lambda: self.choice(t["measures"]), "issue": lambda: self.choice(t["issues"]),
            "num": self.num, "money": self.money, "pct": self.pct,
            "dur": self.duration, "day": lambda: self.choice(WEEKDAYS),
            "month": lambda: self.choice(MONTHS), "year": lambda: str(rng.randint(2012, 2020)),
            "company": lambda: f"{self.choice(LAST_NAMES)} {self.choice(COMPANY_SUFFIXES)}",
        }

        def slot(m: re.Match[str]) -> str:
            name = m.group(1)
            cast = self.cast.get(name.lower())
            v = self.choice(cast) if cast and rng.random() < 0.85 else slots[name.lower()]()
            if name[0].isupper():
                v = " ".join(w[:1].upper() + w[1:] for w in v.split())
            return v

        return re.sub(r"\{(\w+)\}", slot, s)

    def sentence(self, topic: str) -> _Sent:
        if self.rng.random() < 0.3:
            return _Sent(self.fill(self.choice(CONTEXT_TEMPLATES), topic))
        main = self.fill(self.choice(MAIN_TEMPLATES), topic)
        if self.rng.random() < 0.3:
            main += self.fill(self.choice(_TIME_PHRASES), topic)
        if self.rng.random() < 0.35:
            return _Sent(main, self.fill(self.choice(SUB_TEMPLATES), topic), self.rng.random() < 0.5)
        return _Sent(main)

    def paragraph(self, topic: str) -> list[_Sent]:
        return [self.sentence(topic) for _ in range(self.rng.randint(2, 4))]

    def title(self, topic: str) -> str:
        return self.fill(self.choice(TITLE_TEMPLATES), topic)


def _words(paras: Iterable[Iterable[_Sent]]) -> int:
    return sum(len(s.render().split()) for p in paras for s in p)


# ---------------------------------------------------------------- transformations

def _paraphrase_sentence(s: _Sent, rng: random.Random) -> _Sent:
    """Synonyms for the fixed wording and, when there is a clause to move, reordering."""

    def swap(text: str) -> str:
        def rep(m: re.Match[str]) -> str:
            if rng.random() < 0.8:
                alts = _LEXICON[m.group(1)]
                return alts[rng.randrange(len(alts))]
            return m.group(1)

        return _LEXICON_RE.sub(rep, text)

    out = _Sent(swap(s.main), swap(s.sub) if s.sub else None, s.lead)
    if out.sub is not None and rng.random() < 0.7:
        out.lead = not out.lead
    return out


_COMMA_NUM = re.compile(r"(?<![\d,.$])(\d{1,3}(?:,\d{3})+)(?![\d,])(?!\.\d)")
_MONEY = re.compile(r"(?<!\w)\$(\d+)(?:\.(\d))? (million|billion)")
_PCT = re.compile(r"(?<![\d.])(\d{2})(%| percent)")


def _round2(n: int) -> int:
    digits = len(str(n))
    q = 10 ** max(digits - 2, 1)
    return int(round(n / q) * q)


def _drift_text(text: str, rng: random.Random, rate: float) -> str:
    """Copy-editing drift: each figure rounded with probability ``rate``."""

    def num(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group(0)
        n = int(m.group(1).replace(",", ""))
        r = _round2(n)
        if r == n:
            return m.group(0)
        return ("nearly " if r > n else "more than ") + _fmt_int(r)

    def money(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group(0)
        if m.group(2):  # "$46.3 million" -> "$46 million"
            return f"${int(round(float(m.group(1) + '.' + m.group(2))))} {m.group(3)}"
        n = int(m.group(1))
        if m.group(3) != "million" or n < 10:
            return m.group(0)
        r = _round2(n) if n >= 100 else int(round(n / 10) * 10)
        if r == n:
            return m.group(0)
        return ("nearly " if r > n else "more than ") + f"${r} million"

    def pct(m: re.Match[str]) -> str:
        if rng.random() >= rate:
            return m.group(0)
        n = int(m.group(1))
        r = int(round(n / 10) * 10)
        if r == n or r == 0:
            return m.group(0)
        return ("nearly " if r > n else "more than ") + f"{r}{m.group(2)}"

    text = _COMMA_NUM.sub(num, text)
    text = _MONEY.sub(money, text)
    text = _PCT.sub(pct, text)
    for d, rounded in DURATION_DRIFT.items():
        if d in text and rng.random() < rate:
            text = text.replace(d, rounded)
    return text


def _drift_sentence(s: _Sent, rng: random.Random, rate: float) -> _Sent:
    return _Sent(_drift_text(s.main, rng, rate), _drift_text(s.sub, rng, rate) if s.sub else None, s.lead)


def _make_typo(art: _Article, rng: random.Random) -> None:
    """Misplace the comma of one figure ("13,000" -> "1,3000"): a rare error children copy."""
    spots = [(pi, si, part) for pi, p in enumerate(art.paras) for si, s in enumerate(p)
             for part in ("main", "sub") if getattr(s, part) and _COMMA_NUM.search(getattr(s, part))]
    if not spots:
        return
    pi, si, part = spots[rng.randrange(len(spots))]
    s = art.paras[pi][si]
    text = getattr(s, part)
    m = _COMMA_NUM.search(text)
    assert m is not None
    digits = m.group(1).replace(",", "")
    head = len(m.group(1).split(",")[0])
    bad = digits[:head - 1] + "," + digits[head - 1:] if head > 1 else digits[:head + 1] + "," + digits[head + 1:]
    setattr(s, part, text[:m.start(1)] + bad + text[m.end(1):])
    art.typo = bad


def _paraphrase_title(title: str, rng: random.Random) -> str:
    words = title.split()
    for k, w in enumerate(words):
        alts = _LEXICON.get(w.lower())
        if alts and rng.random() < 0.8:
            words[k] = " ".join(x[:1].upper() + x[1:] for x in alts[rng.randrange(len(alts))].split())
    return " ".join(words)


def _attribution_sentence(org: str, source_kind: str, rng: random.Random) -> tuple[str, bool]:
    """A phrase naming the hidden parent: a release, a statement or a wire service.

    Returns the phrase and whether it is an inline dateline marker (wire).
    """
    if source_kind == "wire":
        return f"({org})", True
    forms = [f"according to a {org} release", f"according to a statement from the {org}",
             f"the {org} said in a statement"]
    return forms[rng.randrange(len(forms))], False


# ======================================================================= public API

def simulate(
    n_documents: int = 200,
    noise: str = "moderate",
    seed: int = 0,
    words_per_doc: int = 400,
    hidden_fraction: float = 0.05,
    root_fraction: float = 0.4,
    n_topics: int = 8,
    max_depth: int = 3,
    date_metadata: bool = False,
) -> SimulatedCorpus:
    """Generate a corpus of news-like articles with a known derivation graph.

    Parameters
    ----------
    n_documents : number of visible documents.
    noise : ``"low"``, ``"moderate"`` or ``"high"`` (see :data:`NOISE_LEVELS`).
    seed : random seed; the corpus is identical for identical arguments.
    words_per_doc : approximate length of a root article in words.
    hidden_fraction : hidden parents per visible document; each has 2-4 visible children.
    root_fraction : share of visible documents that are independent roots
        (unrelated, but on one of the shared topics).
    n_topics : how many of the built-in topics to use (1-8); fewer topics
        means more unrelated articles per topic.
    max_depth : longest derivation chain below a root (grandchildren at 2).
    date_metadata : also set ``Document.date`` for dated articles (the date
        is always printed in the text of dated articles).

    Returns
    -------
    SimulatedCorpus

    Raises
    ------
    ValueError
        On an unknown noise level or parameters out of range.
    """
    if noise not in NOISE_LEVELS:
        raise ValueError(f"noise must be one of {sorted(NOISE_LEVELS)}, not {noise!r}")
    if n_documents < 1:
        raise ValueError("n_documents must be at least 1")
    if not 0.0 <= hidden_fraction <= 0.3 or not 0.0 < root_fraction <= 1.0:
        raise ValueError("hidden_fraction must be in [0, 0.3] and root_fraction in (0, 1]")
    if not 1 <= n_topics <= len(TOPICS):
        raise ValueError(f"n_topics must be in 1..{len(TOPICS)}")
    prof = NOISE_LEVELS[noise]
    rng = random.Random(f"provenance.simulate:{seed}:{noise}")
    w = _Writer(rng)
    topics = sorted(TOPICS)[:n_topics]
    start = _dt.date(2021, 1, 1)

    n_hidden = int(round(hidden_fraction * n_documents))
    # each hidden parent needs >= 2 visible children: keep room for them
    n_hidden = min(n_hidden, n_documents // 3)
    n_roots = max(1, int(round(root_fraction * n_documents)))
    n_roots = min(n_roots, n_documents - 2 * n_hidden) if n_documents - 2 * n_hidden >= 1 else 0
    arts: list[_Article] = []

    def new_root(hidden: bool) -> _Article:
        topic = topics[rng.randrange(len(topics))]
        cast = w.new_cast(topic)
        paras: list[list[_Sent]] = []
        while _words(paras) < words_per_doc:
            paras.append(w.paragraph(topic))
        art = _Article(key=len(arts), topic=topic, title=w.title(topic), paras=paras,
                       date=start + _dt.timedelta(days=rng.randrange(3 * 365)), hidden=hidden, cast=cast)
        if hidden:
            art.source_kind = "wire" if rng.random() < 0.3 else "release"
            art.org = w.choice(["Reuters", "AP", "AFP"]) if art.source_kind == "wire" else w.choice(TOPICS[topic]["orgs"])
        if rng.random() < prof.typo_rate:
            _make_typo(art, rng)
        arts.append(art)
        return art

    def derive(parents: list[_Article], kind: str) -> _Article:
        p0 = parents[0]
        topic = p0.topic
        w.cast = p0.cast  # fresh material of a derived story is about the same story
        if kind == "merge":
            a, b = parents
            ka = max(1, (len(a.paras) + 1) // 2)
            kb = max(1, len(b.paras) // 2)
            sa = rng.randrange(len(a.paras) - ka + 1)
            sb = rng.randrange(len(b.paras) - kb + 1)
            pa = [[s.copy() for s in p] for p in a.paras[sa:sa + ka]]
            pb = [[s.copy() for s in p] for p in b.paras[sb:sb + kb]]
            paras: list[list[_Sent]] = []
            while pa or pb:
                if pa:
                    paras.append(pa.pop(0))
                if pb:
                    paras.append(pb.pop(0))
            rate = prof.light_paraphrase_rate
        else:
            paras = [[s.copy() for s in p] for p in p0.paras]
            if kind == "excerpt" and len(paras) > 2:
                k = max(2, int(round(len(paras) * rng.uniform(0.4, 0.7))))
                i = rng.randrange(len(paras) - k + 1)
                paras = paras[i:i + k]
            rate = {"copy": 0.0, "excerpt": prof.light_paraphrase_rate}.get(kind, prof.paraphrase_rate)
        if kind != "copy":
            # dropped paragraphs (never all), paraphrase, reordering, drift, fresh material
            kept = [p for p in paras if rng.random() >= prof.drop_rate]
            paras = kept if len(kept) >= 2 else paras[:2]
            paras = [[_paraphrase_sentence(s, rng) if rng.random() < rate else s for s in p] for p in paras]
            if kind == "paraphrase":
                for p in paras:
                    if len(p) > 1 and rng.random() < rate:
                        i = rng.randrange(len(p) - 1)
                        p[i], p[i + 1] = p[i + 1], p[i]
            paras = [[_drift_sentence(s, rng, prof.drift_rate) for s in p] for p in paras]
            for _ in range(rng.randint(0, prof.max_added)):
                paras.insert(rng.randrange(len(paras) + 1), w.paragraph(topic))
        elif rng.random() < 0.3 and prof.max_added:
            paras.append(w.paragraph(topic))
        if kind == "copy":
            title = p0.title if rng.random() < 0.7 else _paraphrase_title(p0.title, rng)
        elif kind == "paraphrase":
            title = _paraphrase_title(p0.title, rng) if rng.random() < 0.6 else w.title(topic)
        else:
            title = p0.title if rng.random() < 0.4 else w.title(topic)
        latest = max(p.date for p in parents)
        art = _Article(key=len(arts), topic=topic, title=title, paras=paras,
                       date=latest + _dt.timedelta(days=rng.randint(1, 6)),
                       parents=[p.key for p in parents], kind=kind,
                       depth=1 + max(p.depth for p in parents), cast=p0.cast)
        arts.append(art)
        return art

    def pick_kind() -> str:
        r = rng.random() * sum(x for _, x in prof.kind_weights)
        for k, x in prof.kind_weights:
            r -= x
            if r <= 0:
                return k
        return prof.kind_weights[-1][0]

    # 1. hidden roots, each with 2-4 visible children
    visible: list[_Article] = []
    for r in range(n_hidden - 1, -1, -1):
        h = new_root(hidden=True)
        budget = n_documents - len(visible) - 2 * r
        for _ in range(min(rng.randint(2, 4), budget)):
            kind = pick_kind()
            kind = "paraphrase" if kind == "merge" else kind
            c = derive([h], kind)
            if rng.random() < prof.attribution_rate:
                c.attributes = True
            visible.append(c)
    # 2. independent visible roots
    n_roots = max(0, min(n_roots, n_documents - len(visible)))
    if n_roots == 0 and len(visible) < n_documents:
        n_roots = 1
    for _ in range(n_roots):
        visible.append(new_root(hidden=False))
    # 3. derived visible documents, possibly of derived ones (multi-generation chains)
    while len(visible) < n_documents:
        kind = pick_kind()
        pool = [a for a in visible if a.depth < max_depth]
        weights = [3.0 if a.depth == 0 else 1.0 for a in pool]
        p = rng.choices(pool, weights=weights, k=1)[0]
        if kind == "merge":
            same = [a for a in pool if a.topic == p.topic and a.key != p.key
                    and not _related(arts, a.key, p.key)]
            if not same:
                kind = "paraphrase"
            else:
                q = same[rng.randrange(len(same))]
                visible.append(derive([p, q], "merge"))
                continue
        visible.append(derive([p], kind))

    # ids: hidden in creation order; visible shuffled so that ids carry no order
    order = list(range(len(visible)))
    rng.shuffle(order)
    for new, k in enumerate(order):
        visible[k].id = f"d{new:05d}"
    for k, h in enumerate(a for a in arts if a.hidden):
        h.id = f"h{k:05d}"
    by_key = {a.key: a for a in arts}

    # headers, attribution and rendering
    docs: list[Document] = []
    undated: list[str] = []
    attributed: list[str] = []
    for a in arts:
        if a.hidden:
            continue
        a.dated = rng.random() >= prof.undated_rate
        city = w.choice(CITIES).upper()
        hidden_parents = [by_key[k] for k in a.parents if by_key[k].hidden]
        wire = ""
        paras = [[s.copy() for s in p] for p in a.paras]
        if a.attributes and hidden_parents:
            hp = hidden_parents[0]
            phrase, inline = _attribution_sentence(hp.org, hp.source_kind, rng)
            if inline:
                wire = " " + phrase
            else:
                first = paras[0][0]
                if phrase.startswith("according"):
                    paras[0][0] = _Sent(first.main + ", " + phrase, first.sub, first.lead)
                else:
                    paras[0][0] = _Sent(phrase + " that " + first.main, first.sub, first.lead)
            attributed.append(a.id)
        body = [" ".join(s.render() for s in p) for p in paras]
        d = a.date
        if a.dated:
            style = rng.randrange(3)
            if style == 0:
                body[0] = f"{city}, {MONTHS[d.month - 1]} {d.day}, {d.year}{wire} - " + body[0]
                header = ""
            elif style == 1:
                header = f"By {w.choice(FIRST_NAMES)} {w.choice(LAST_NAMES)} | {d.strftime('%a')}, {d:%m/%d/%Y}"
                if wire:
                    body[0] = f"{city}{wire} - " + body[0]
            else:
                header = f"Published {d.day} {MONTHS[d.month - 1]} {d.year}"
                if wire:
                    body[0] = f"{city}{wire} - " + body[0]
        else:
            undated.append(a.id)
            header = ""
            if wire or rng.random() < 0.5:
                body[0] = f"{city}{wire} - " + body[0]
        raw = a.title + "\n\n" + (header + "\n\n" if header else "") + "\n\n".join(body) + "\n"
        docs.append(Document(id=a.id, path=f"<simulated:{a.id}>", raw=raw, title=a.title,
                             date=d.isoformat() if (date_metadata and a.dated) else None,
                             meta=(("kind", a.kind), ("topic", a.topic))))
    docs.sort(key=lambda x: x.id)
    edges = tuple(sorted(
        (TrueEdge(by_key[p].id, a.id, a.kind) for a in arts for p in a.parents),
        key=lambda e: (e.child, e.parent),
    ))
    hidden_ids = tuple(sorted(a.id for a in arts if a.hidden))
    groups = {h: tuple(sorted(e.child for e in edges if e.parent == h and not e.child.startswith("h")))
              for h in hidden_ids}
    return SimulatedCorpus(
        documents=tuple(docs), edges=edges, hidden=hidden_ids, latent_groups=groups,
        dates={a.id: a.date.isoformat() for a in arts}, undated=tuple(sorted(undated)),
        topics={a.id: a.topic for a in arts},
        typos=tuple(sorted((a.id, a.typo) for a in arts if a.typo)),
        attributions=tuple(sorted(attributed)), noise=noise, seed=seed,
    )


def _related(arts: list[_Article], a: int, b: int) -> bool:
    """Whether two articles share an ancestor (or one descends from the other)."""

    def lineage(k: int) -> set[int]:
        seen = {k}
        stack = list(arts[k].parents)
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                stack.extend(arts[p].parents)
        return seen

    return bool(lineage(a) & lineage(b))
