"""A realistic article, a light copy of it, and the character-level disguises
that people use to hide a copy (shared by ``test_evasion.py``).

Every disguise is a pure function ``str -> str`` that leaves the text looking
the same (or nearly) to a reader.
"""

from __future__ import annotations

import random
import re

ARTICLE = """\
Border police break up smuggling ring after eight-week operation

By Maria Keller, Staff Reporter

Police in the northern province said on Tuesday they had arrested 41 people and broken up a smuggling ring that moved migrants across the mountain border in the backs of refrigerated trucks.

The operation, which ran for eight weeks and involved officers from three regional forces, began after a driver was found with 23 people hidden behind crates of frozen fish at a checkpoint near Velden in March.

"This was a well-organised network with safe houses, forged papers and a fleet of vehicles," said Inspector Tomas Brandt, who led the investigation. "They charged each person up to 6,000 euros and treated them as cargo."

According to the prosecutor's office, the group earned an estimated 2.4 million euros over two years. Investigators seized 14 trucks, nine cars and more than 300,000 euros in cash during raids on 17 addresses on Monday night.

Most of the suspects are accused of people smuggling and money laundering. Five are also charged with endangering life, after a survey found that several trucks had no ventilation in the cargo area. A court in the provincial capital will decide on Thursday whether they stay in custody.

Aid groups welcomed the arrests but warned that closing one route would push people towards more dangerous crossings. "I have seen this happen again and again," said Lena Fischer of the charity Open Roads. "When a route closes, the smugglers raise their prices and take bigger risks with people's lives."

The interior ministry said it would add 200 officers to the border force this year and install scanners at four checkpoints. A spokesman said the ministry was also talking to neighbouring countries about a joint task force.
"""


def light_copy(text: str = ARTICLE) -> str:
    """A lightly edited copy: new byline and headline, two sentences reworded, one cut.

    Its Jaccard similarity to :data:`ARTICLE` on word 5-shingles is about 0.8-0.9,
    so the clean pair is a near-duplicate with some room.
    """
    out = text.replace("By Maria Keller, Staff Reporter", "From our correspondent")
    out = out.replace("Border police break up smuggling ring after eight-week operation",
                      "Police dismantle smuggling ring after eight-week operation")
    out = out.replace("Most of the suspects are accused of", "Most suspects face charges of")
    out = out.replace(" A spokesman said the ministry was also talking to neighbouring countries about a joint task force.", "")
    return out


# ------------------------------------------------------------------ disguises

#: Latin -> Cyrillic look-alikes (lower and upper case).
CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "s": "ѕ",
            "j": "ј", "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
            "P": "Р", "T": "Т", "X": "Х"}
#: Latin -> Greek look-alikes.
GREEK = {"o": "ο", "i": "ι", "v": "ν", "A": "Α", "B": "Β", "E": "Ε", "H": "Η", "I": "Ι", "K": "Κ",
         "M": "Μ", "N": "Ν", "O": "Ο", "P": "Ρ", "T": "Τ", "X": "Χ", "Z": "Ζ", "Y": "Υ"}

_WORD = re.compile(r"[A-Za-z]+")


def homoglyphs(text: str, table: dict[str, str], rate: float = 1.0, seed: int = 0) -> str:
    """Replace each look-alike letter with probability ``rate`` (1.0: every one)."""
    rng = random.Random(seed)
    return "".join(table[c] if c in table and rng.random() < rate else c for c in text)


def zero_width(text: str, seed: int = 0) -> str:
    """Insert a zero-width character inside every word of 3+ letters."""
    rng = random.Random(seed)
    marks = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]

    def put(m: re.Match[str]) -> str:
        w = m.group()
        if len(w) < 3:
            return w
        k = rng.randrange(1, len(w))
        return w[:k] + rng.choice(marks) + w[k:]

    return _WORD.sub(put, text)


def soft_hyphens(text: str) -> str:
    """Soft hyphens between syllable-ish chunks of every word of 6+ letters."""
    return _WORD.sub(lambda m: "\u00ad".join(re.findall(r".{1,3}", m.group())) if len(m.group()) >= 6
                     else m.group(), text)


def odd_spaces(text: str, seed: int = 0) -> str:
    """Every ordinary space becomes a random Unicode space."""
    rng = random.Random(seed)
    spaces = ["\u00a0", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006", "\u2007", "\u2008",
              "\u2009", "\u200a", "\u202f", "\u205f", "\u3000"]
    return "".join(rng.choice(spaces) if c == " " else c for c in text)


def full_width(text: str) -> str:
    """ASCII letters and digits become their full-width forms (ｓｍｕｇｇｌｉｎｇ)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def letter_spacing(text: str, every: int = 3, seed: int = 0) -> str:
    """Spell some words of 4+ letters with a space between letters ("s m u g g l i n g").

    About one word in ``every`` is spaced out; two spaced words are never
    adjacent, as in hand-made emphasis.
    """
    rng = random.Random(seed)
    out: list[str] = []
    last_spaced = False
    pos = 0
    for m in _WORD.finditer(text):
        out.append(text[pos:m.start()])
        w = m.group()
        if len(w) >= 4 and not last_spaced and rng.randrange(every) == 0:
            out.append(" ".join(w))
            last_spaced = True
        else:
            out.append(w)
            last_spaced = False
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def letter_spacing_all(text: str) -> str:
    """Every word spelled out, letters one space apart and words three apart."""
    lines = []
    for line in text.split("\n"):
        lines.append("   ".join(" ".join(w) for w in line.split(" ")))
    return "\n".join(lines)


#: The character-level tricks the issue names, by name.
TRICKS = {
    "homoglyph_cyrillic": lambda t: homoglyphs(t, CYRILLIC),
    "homoglyph_cyrillic_half": lambda t: homoglyphs(t, CYRILLIC, rate=0.5, seed=7),
    "homoglyph_greek": lambda t: homoglyphs(t, GREEK),
    "homoglyph_mixed": lambda t: homoglyphs(homoglyphs(t, GREEK, rate=0.5, seed=3), CYRILLIC, rate=0.5, seed=4),
    "zero_width": zero_width,
    "soft_hyphens": soft_hyphens,
    "odd_spaces": odd_spaces,
    "full_width": full_width,
    "letter_spacing": letter_spacing,
    "letter_spacing_all": letter_spacing_all,
}
