"""Frozen value objects passed between pipeline stages.

Every piece of evidence carries character offsets into the *raw* text of its
document (the file as read, decoded), so that ``doc.raw[start:end]`` is the
exact passage a reader can see.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Document:
    """A loaded input text.

    Attributes
    ----------
    id : str
        Stable identifier (the file stem for files).
    path : str
        Where the text came from.
    raw : str
        The decoded text; all offsets index this string.
    title : str or None
        First non-empty line, or metadata title when the format has one.
    date : str or None
        ISO 8601 date from metadata, if the input format carries one.
    meta : tuple of (str, str)
        Extra metadata, as sorted key/value pairs (hashable).
    """

    id: str
    path: str
    raw: str
    title: str | None = None
    date: str | None = None
    meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document, with raw offsets and normalized text."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str  # raw[start:end]
    norm: str  # normalized form used for matching


@dataclass(frozen=True)
class Alignment:
    """Two aligned spans: ``source`` text span ~ ``target`` text span."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int
    score: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"] = round(float(self.score), 4)
        return d

    def swapped(self) -> "Alignment":
        """The same alignment seen from the other document."""
        return Alignment(
            self.target_start, self.target_end, self.source_start, self.source_end,
            self.score, self.method,
        )


@dataclass(frozen=True)
class Artifact:
    """A machine-translation artefact found in a text."""

    rule: str
    start: int
    end: int
    text: str
    language: str | None
    weight: float
    explanation: str = ""
    canonical: str | None = None  # canonical English meaning, for calques

    def to_dict(self) -> dict[str, Any]:
        d = {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "language": self.language,
            "weight": round(float(self.weight), 4),
        }
        if self.explanation:
            d["explanation"] = self.explanation
        if self.canonical:
            d["canonical"] = self.canonical
        return d


@dataclass(frozen=True)
class Translation:
    """Per-document machine-translation verdict."""

    translated: bool
    score: float
    source_language: str | None = None
    round_trip: bool = False
    pivot_languages: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "translated": self.translated,
            "score": round(float(self.score), 4),
            "source_language": self.source_language,
            "round_trip": self.round_trip,
            "pivot_languages": list(self.pivot_languages),
        }


@dataclass(frozen=True)
class Claim:
    """A checkable fact-like token: a number, quantity, date or named entity."""

    kind: str  # "number" | "money" | "percent" | "date" | "entity" | "duration"
    key: str  # canonical form used for matching, e.g. "2000", "usd:50000000"
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Attribution:
    """A phrase naming where information came from ("told CNN", "(Reuters)")."""

    label: str  # canonical source name, e.g. "CNN", "DHS", "release"
    start: int
    end: int
    text: str
    pattern: str


@dataclass(frozen=True)
class Signal:
    """A piece of direction evidence.

    ``favours`` is the id of the document the signal says is upstream, or
    ``None`` when it favours neither.
    """

    name: str
    value: float
    favours: str | None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"name": self.name, "value": round(float(self.value), 4), "favours": self.favours}
        if self.detail:
            d["detail"] = self.detail
        return d


__all__ = [
    "Alignment", "Artifact", "Attribution", "Claim", "Document", "Sentence",
    "Signal", "Translation",
]
