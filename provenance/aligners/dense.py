"""Dense-embedding sentence aligner (optional extra ``dense``).

Sentences become WordLlama embeddings (the ``wordllama`` package, model
``l2_supercat``: static token embeddings trained for sentence similarity from
the input embeddings of LLMs sharing the Llama 2 tokenizer, mean-pooled over
the sentence's tokens, 256 dimensions; numpy only, no torch). The default model's weights and tokenizer ship inside the
``wordllama`` wheel (16 MB + 2 MB) and are loaded from the installed package
by path: nothing is downloaded, ever. Passages are built from the cosine
matrix exactly as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`.

Install with ``pip install 'provenance[dense]'``; without it, constructing the
aligner works (so ``get_params``/``clone`` do) but ``fit``/``align`` raise
:class:`~provenance.errors.MissingExtraError`.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from ..errors import MissingExtraError, ProvenanceError
from ..text import PreparedText
from ._matrix import MatrixAligner
from .base import prepare_for_alignment

#: The model shipped in the ``wordllama`` wheel (config ``l2_supercat``, 256 dimensions).
MODEL_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
MODEL_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")

_MODEL: Any = None
_LOCK = threading.Lock()


def _import_wordllama() -> Any:
    """``wordllama`` imported without its side effect on the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
    except ImportError:
        raise MissingExtraError("wordllama", "dense") from None
    finally:
        # wordllama calls logging.basicConfig(level=INFO) at import time; a
        # library must not configure the application's logging.
        root.handlers[:] = handlers
        root.setLevel(level)
    return wordllama


def load_model() -> Any:
    """The shipped WordLlama model (a ``WordLlamaInference``), loaded once per process.

    Loads the weights and tokenizer files of the installed ``wordllama``
    package by path. ``WordLlama.load()`` is not used: in wordllama 0.4 it
    looks for the tokenizer under ``tokenizer/`` while the wheel ships it
    under ``tokenizers/``, so it would try to download it.
    """
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            wordllama = _import_wordllama()
            from safetensors import safe_open
            from tokenizers import Tokenizer

            base = Path(wordllama.__file__).parent
            weights, tok = base.joinpath(*MODEL_WEIGHTS), base.joinpath(*MODEL_TOKENIZER)
            if not weights.is_file() or not tok.is_file():
                raise ProvenanceError(f"wordllama {getattr(wordllama, '__version__', '?')} does not ship "
                                      f"{weights.name} and {tok.name}; install 'wordllama>=0.4'")
            with safe_open(str(weights), framework="np", device="cpu") as f:
                embedding = f.get_tensor("embedding.weight")
            _MODEL = wordllama.WordLlamaInference(embedding, Tokenizer.from_file(str(tok)))
    return _MODEL


def sentence_embeddings(model: Any, texts: Sequence[str]) -> np.ndarray:
    """Unit-length mean token embeddings of ``texts`` (WordLlama's pooling), one row per text.

    Same vectors as ``model.embed(texts, norm=True)``, computed as a sparse
    sentence-by-token count matrix times the embedding table: memory grows
    with the number of tokens, whereas ``embed`` pads every batch to its
    longest text (one unpunctuated 10,000-token "sentence" would make a batch
    of 64 take 650 MB).
    """
    table = model.embedding
    encs = model.tokenizer.encode_batch(list(texts), add_special_tokens=False)
    # The model's tokenizer pads; the attention mask marks the real tokens.
    ids = [np.asarray(e.ids, dtype=np.int64)[np.asarray(e.attention_mask, dtype=bool)] for e in encs]
    lens = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
    flat = np.clip(np.concatenate(ids) if ids else np.zeros(0, np.int64), 0, table.shape[0] - 1)
    counts = sparse.csr_matrix((np.ones(flat.size, dtype=np.float32), flat, np.concatenate([[0], np.cumsum(lens)])),
                               shape=(len(ids), table.shape[0]))
    e = np.asarray(counts @ table, dtype=np.float32) / np.maximum(lens, 1)[:, None].astype(np.float32)
    n = np.linalg.norm(e, axis=1, keepdims=True)
    return np.divide(e, n, out=np.zeros_like(e), where=n > 0)


class DenseSentenceAligner(MatrixAligner):
    """Align sentences by cosine of WordLlama sentence embeddings.

    Parameters
    ----------
    threshold : float
        Minimum cosine for a sentence pair to seed a passage.
    min_chars : int
        Sentences with fewer characters are not used as seeds (their
        embedding rests on a handful of tokens).
    seed_top_k, max_gap, min_passage_chars, min_seeds, validate_threshold, summary_ratio, summary_threshold, summary_min_seeds, summary_validate, summary_extend, summary_trigger, refine_ngram, refine_penalty, refine_min_share, refine_extend, prune_dominated :
        as for :class:`~provenance.aligners.tfidf.TfidfSentenceAligner`;
        ``validate_threshold`` and ``summary_validate`` compare the summed
        sentence embeddings of a passage's two sides.

    Notes
    -----
    Nothing is learnt from the corpus: ``fit`` embeds the sentences of the
    corpus texts once and keeps them by text id, so aligning those texts
    later does not embed them again. Needs the extra: ``pip install
    'provenance[dense]'``.

    Examples
    --------
    >>> al = DenseSentenceAligner().fit([])
    >>> a = "Officials arrested 2,000 smugglers in eight weeks. The weather was fine."
    >>> b = "In eight weeks, 2,000 smugglers were arrested by officials. Cats purr."
    >>> [(a[x.source_start:x.source_end], round(x.score, 2)) for x in al.align_sentences(a, b)]
    [('Officials arrested 2,000 smugglers in eight weeks.', 0.97)]
    """

    method = "dense"

    # Defaults chosen by benchmarks/tune_dense.py --limit 200 (tune_alignment's
    # stages A, B and C with grids on the dense cosine scale) on the even pairs
    # of 200 per obfuscation type of the PAN 2013 training corpus; rows in
    # benchmarks/results/tuning-dense.md. min_chars was not swept.
    def __init__(self, threshold: float = 0.45, min_chars: int = 20, seed_top_k: int = 1, max_gap: int = 3,
                 min_passage_chars: int = 200, min_seeds: int = 1, validate_threshold: float = 0.65,
                 summary_ratio: float = 3.0, summary_threshold: float = 0.4, summary_min_seeds: int = 3,
                 summary_validate: float = 0.5, summary_extend: float = 0.5, summary_trigger: float = 2.0,
                 refine_ngram: int = 3, refine_penalty: float = 0.5, refine_min_share: float = 0.6,
                 refine_extend: int = 30, prune_dominated: bool = False) -> None:
        self.threshold = threshold
        self.min_chars = min_chars
        self.seed_top_k = seed_top_k
        self.max_gap = max_gap
        self.min_passage_chars = min_passage_chars
        self.min_seeds = min_seeds
        self.validate_threshold = validate_threshold
        self.summary_ratio = summary_ratio
        self.summary_threshold = summary_threshold
        self.summary_min_seeds = summary_min_seeds
        self.summary_validate = summary_validate
        self.summary_extend = summary_extend
        self.summary_trigger = summary_trigger
        self.refine_ngram = refine_ngram
        self.refine_penalty = refine_penalty
        self.refine_min_share = refine_min_share
        self.refine_extend = refine_extend
        self.prune_dominated = prune_dominated

    def fit(self, corpus: Sequence[str | PreparedText] = ()) -> "DenseSentenceAligner":
        """Load the model and embed the sentences of ``corpus`` (kept by text id)."""
        load_model()
        self.embeddings_: dict[str, tuple[str, np.ndarray]] = {}
        for i, doc in enumerate(corpus):
            p = doc if isinstance(doc, PreparedText) else prepare_for_alignment(doc, id=f"fit{i}")
            self.embeddings_[p.id] = (p.raw, self._embed(p))
        self.n_documents_ = len(corpus)
        return self

    def _embed(self, p: PreparedText) -> np.ndarray:
        """Unit-length embeddings of the sentences of ``p`` (rows of zeros for sentences without tokens)."""
        if not p.sentences:
            return np.zeros((0, 0), dtype=np.float32)
        return sentence_embeddings(load_model(), [s.text for s in p.sentences])

    def embed(self, p: PreparedText) -> np.ndarray:
        """Sentence embeddings of ``p``, from the fitted texts when ``p`` is one of them."""
        hit = getattr(self, "embeddings_", {}).get(p.id)
        if hit is not None and hit[0] == p.raw and hit[1].shape[0] == len(p.sentences):
            return hit[1]
        return self._embed(p)

    def pair_vectors(self, a: PreparedText, b: PreparedText) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Unit-length sentence embeddings of ``a`` and ``b`` (CSR, as the shared passage builder expects).

        Rows of sentences shorter than ``min_chars`` are zero.
        """
        out = []
        for p in (a, b):
            e = self.embed(p).copy()
            e[[len(s.text) < self.min_chars for s in p.sentences]] = 0.0
            out.append(sparse.csr_matrix(e.astype(np.float64)))
        return out[0], out[1]

    def similarity(self, a: PreparedText, b: PreparedText) -> np.ndarray:
        """Dense cosine matrix between the sentences of ``a`` and ``b``."""
        va, vb = self.pair_vectors(a, b)
        return (va @ vb.T).toarray()
