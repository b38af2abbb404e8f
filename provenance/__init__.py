"""provenance: text-provenance forensics.

Which texts are near-duplicates, which sentences were taken from where, which
texts were machine-translated, and who derives from whom, as a derivation
graph whose every edge carries evidence pointing at character offsets of the
original texts.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ConfigError, InputError, MissingExtraError, ProvenanceError
from .records import (
    Alignment, Artifact, Attribution, Claim, Document, Sentence, Signal, Translation,
)
from .io import load, decode_bytes, documents_from_texts
from .normalize import normalize_text, find_boilerplate, Normalized
from .segment import split_sentences
from .language import detect_language
from .graph import Trace
from .pipeline import compare, trace
from .artifacts import analyze as analyze_artifacts
from .dedup import Cluster, DedupResult, NearDuplicatePair, find_near_duplicates
from .index import DedupIndex
from .aligners import get_aligner

__all__ = [
    "Alignment", "Artifact", "Attribution", "Claim", "ConfigError", "Document",
    "analyze_artifacts", "compare", "find_near_duplicates", "get_aligner",
    "InputError", "MissingExtraError", "Normalized", "ProvenanceError", "Sentence",
    "Signal", "Trace", "Translation", "decode_bytes", "detect_language", "documents_from_texts",
    "find_boilerplate", "load", "normalize_text", "split_sentences", "trace",
    "Cluster", "DedupIndex", "DedupResult", "NearDuplicatePair",
]
