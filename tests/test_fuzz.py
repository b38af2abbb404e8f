"""Fuzzing (issue #8, item 4), CI length: hostile text through every stage.

The strategies and checks live in ``fuzz_targets.py``; ``benchmarks/fuzz.py
--minutes N`` runs the same ones for a long time. Here each target gets a
modest number of examples so the file runs in well under a minute.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fuzz_targets import (
    any_text, check_align, check_artifacts, check_normalize, check_prepare, check_segment,
    check_signals, huge_token, pieced_text,
)

_CI = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_CI_SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Inputs that once broke a stage (found by the long fuzz run), kept as examples.
_REGRESSIONS = [
    "x" * 500 + "你好，世界。",            # Chinese: wordfreq needs jieba (ImportError)
    "told a " + "7" * 2000 + " said",       # a 2000-digit number overflowed float -> int
    "Officials " + "1," * 3000 + " said",   # quadratic claim bookkeeping
    "Officials " + "\n" * 3000 + " said",   # quadratic name / translator-credit regexes
    "",
    "\u0301",
    "\u200f\u202e",
    " . \n \n . ",
]


@_CI
@given(any_text)
@example("«\u00a0Hello\u200b »  world")
@example("s m u g g l i n g   r i n g")
@example("Ѕ m u g g l і n g а b о u t")
def test_normalize_offset_map(raw: str) -> None:
    check_normalize(raw)


@_CI
@given(any_text)
def test_split_sentences_spans(text: str) -> None:
    check_segment(text)


@_CI
@given(any_text)
def test_prepare_sentences_map_to_raw(raw: str) -> None:
    check_prepare(raw)


@_CI_SLOW
@given(any_text, any_text)
def test_align_offsets_and_scores(a: str, b: str) -> None:
    check_align(a, b)


@_CI
@given(any_text)
def test_artifacts_offsets(raw: str) -> None:
    check_artifacts(raw)


@_CI
@given(any_text)
def test_signals_offsets(raw: str) -> None:
    check_signals(raw)


@_CI_SLOW
@given(st.tuples(pieced_text, huge_token, pieced_text).map("".join))
def test_huge_tokens_everywhere(raw: str) -> None:
    for check in (check_normalize, check_segment, check_prepare, check_artifacts, check_signals):
        check(raw)


def test_regressions() -> None:
    for raw in _REGRESSIONS:
        for check in (check_normalize, check_segment, check_prepare, check_artifacts, check_signals):
            check(raw)
        check_align(raw, raw[::-1])
