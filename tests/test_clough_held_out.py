"""``benchmarks/clough_held_out.py`` holds a task out of every row that involves it, and swaps the models only inside."""

from benchmark_module import load_benchmark

import numpy as np

import provenance.confidence as confidence
import provenance.direction as direction
import provenance.pipeline as pipeline
from provenance.pair_model import FEATURES, PairModel, set_logistic_params
from provenance import documents_from_texts
from texts import DERIVED, SOURCE


def test_fold_rows_drop_every_row_of_the_task() -> None:
    fpm = load_benchmark("fit_pair_model")
    # PAN/generated rows, answers with their own source, answers with another task's source
    tasks = ["", "a", "b", "ab", "ba", "bc", "", "c"]
    assert fpm.clough_tasks(tasks) == ["a", "b", "c"]
    assert fpm.fold_rows(tasks, "a") == [0, 2, 5, 6, 7]
    assert fpm.fold_rows(tasks, "b") == [0, 1, 6, 7]
    assert fpm.fold_rows(tasks, "d") == list(range(len(tasks)))


def _pair_edges(tr) -> tuple[list, list]:
    return ([e for e in tr.edges if not e.from_latent], [e for e in tr.weak_edges if not e.from_latent])


def test_using_models_changes_what_a_trace_reports_and_restores_it() -> None:
    mod = load_benchmark("clough_held_out")
    docs = documents_from_texts({"source": SOURCE, "derived": DERIVED})
    shipped = _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2))
    assert shipped[0], "the constructed rewrite is reported with the shipped models"
    calibration = confidence._shipped()
    # a pair model that never relates two texts: no edge at all
    never = set_logistic_params(PairModel(), {"coef": [0.0] * len(FEATURES), "intercept": -50.0})
    with mod.using_models(never):
        assert _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2)) == ([], [])
    # a cut-off no edge reaches: the same relation, now weak
    with mod.using_models(None, dict(calibration, min_confidence=0.999)):
        kept, weak = _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2))
        assert not kept and [e.source for e in weak] == [e.source for e in shipped[0]]
    # a calibrator that doubts every edge
    doubtful = dict(calibration, model=dict(calibration["model"], intercept=-50.0), min_confidence=0.0)
    with mod.using_models(None, doubtful):
        kept, _ = _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2))
        assert kept and all(e.confidence < 1e-6 for e in kept)
    assert _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2)) == shipped


def test_using_models_swaps_the_direction_model_and_restores_it() -> None:
    mod = load_benchmark("clough_held_out")
    docs = documents_from_texts({"source": SOURCE, "derived": DERIVED})
    shipped = _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2))
    [edge] = shipped[0]
    assert (edge.source, edge.target, edge.relation) == ("source", "derived", "derives_from")
    assert edge.source_upstream_probability > 0.5
    shipped_coef = direction.direction_coefficients().copy()
    # coverage read the other way round: the text made more of the shared material is upstream
    inverted = np.array([0.0, 0.0, 0.0, -50.0])
    with mod.using_models(direction_coef=inverted):
        assert np.array_equal(direction.direction_coefficients(), inverted)
        kept, _ = _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2))
        assert [(e.source, e.target, e.relation) for e in kept] == [("derived", "source", "derives_from")]
    assert np.array_equal(direction.direction_coefficients(), shipped_coef)
    assert _pair_edges(pipeline.trace(documents=docs, seed=1, jobs=2)) == shipped


def test_fit_direction_drops_the_rows_of_the_task() -> None:
    mod = load_benchmark("clough_held_out")
    rng = np.random.default_rng(0)
    X = np.abs(rng.normal(size=(40, 4)))  # every row favours its first text
    X[:5, 3] = -X[:5, 3] * 10  # task "a": coverage the other way round
    tasks = ["a"] * 5 + [""] * 35
    full, held = mod.fit_direction(X, tasks, None), mod.fit_direction(X, tasks, "a")
    assert np.all(held > 0) and held[3] > full[3]
    assert np.array_equal(mod.fit_direction(X, tasks, "z"), full)
