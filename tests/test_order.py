"""Ordered overlap (provenance.order): LCS of content terms beyond chance."""

from __future__ import annotations

import random

import pytest

from provenance.evidence import evidence_aligner, pair_evidence
from provenance.order import content_terms, lcs_length, ordered_excess_terms
from provenance.text import prepare


def _lcs_dp(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@pytest.mark.parametrize("seed", range(20))
def test_bit_parallel_lcs_matches_dynamic_programming(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abcdefg"[: rng.randint(2, 7)]
    a = [rng.choice(alphabet) for _ in range(rng.randint(0, 90))]
    b = [rng.choice(alphabet) for _ in range(rng.randint(0, 90))]
    assert lcs_length(a, b) == _lcs_dp(a, b)


SOURCE = (
    "In object-oriented programming, inheritance is a way to form new classes using classes that have "
    "already been defined. The inheritance concept was invented in 1967 for Simula. The new classes, known "
    "as derived classes, take over attributes and behaviour of the pre-existing classes, which are referred "
    "to as base classes. Inheritance provides support for representation by categorization in computer "
    "languages. Categorization is a powerful mechanism of information processing, crucial to human learning "
    "by means of generalization and cognitive economy. Inheritance is also sometimes called generalization, "
    "because the is-a relationships represent a hierarchy between classes of objects. For instance, a fruit "
    "is a generalization of apple, orange and mango."
)
# Every sentence reworded, the order of ideas kept (a "heavy" revision).
REWRITE = (
    "Object oriented programming lets a programmer derive new classes from classes defined before; this is "
    "called inheritance. Simula introduced the idea in 1967. A derived class takes the attributes and "
    "behaviour of its base class. Inheritance also supports categorization in computer languages, and "
    "categorization is a powerful way of processing information that helps human learning through "
    "generalization and cognitive economy. That is why inheritance is sometimes called generalization: "
    "is-a relationships form a hierarchy of classes, as when fruit generalizes apple, orange and mango."
)
# The same topic and vocabulary, written independently in another order.
INDEPENDENT = (
    "A fruit class might have apple and mango as subclasses: that hierarchy is what people mean by "
    "inheritance. Languages such as Simula, from 1967, had it first. Base classes hold the shared "
    "behaviour and derived classes add attributes. Inheritance is one of the ideas of object-oriented "
    "programming, next to encapsulation and polymorphism. Generalization and categorization are how humans "
    "learn, and programmers borrow them when they define classes and objects. Information processing "
    "becomes simpler when new classes reuse classes already written."
)


def test_rewrite_keeping_the_order_scores_above_independent_text_on_the_same_topic() -> None:
    src, rew, ind = (content_terms(prepare(t, language="en")) for t in (SOURCE, REWRITE, INDEPENDENT))
    # both share much of the vocabulary ...
    assert len(set(rew) & set(src)) > 15 and len(set(ind) & set(src)) > 15
    # ... only the rewrite shares its order
    assert ordered_excess_terms(rew, src) > ordered_excess_terms(ind, src) + 5


def test_content_terms_drop_function_words_and_keep_figures() -> None:
    terms = content_terms(prepare("The agency said that 1,300 smugglers were arrested in 2021.", language="en"))
    assert "the" not in terms and "that" not in terms and "said" not in terms
    assert "1300" in terms and "2021" in terms and "smuggler" in terms


def test_content_terms_of_a_non_latin_text() -> None:
    ru = "Пограничники задержали контрабандистов на границе. Операция продолжалась восемь недель."
    terms = content_terms(prepare(ru, language="ru"))
    assert "на" not in terms  # a Russian function word
    assert len(terms) >= 6


def test_pair_features_carry_the_ordered_overlap() -> None:
    a, b, c = prepare(SOURCE, id="a"), prepare(REWRITE, id="b"), prepare("Completely unrelated words here.", id="c")
    al = evidence_aligner().fit([a, b, c])
    f = pair_evidence(a, b, al).features
    assert f["order_excess"] > 0.05 and f["log_order_excess"] > 1.0
    g = pair_evidence(a, c, al).features
    assert g["order_excess"] == 0.0 and g["log_order_excess"] == 0.0
