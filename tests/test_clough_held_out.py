"""``benchmarks/clough_held_out.py`` holds a task out of every row that involves it, and swaps the models only inside."""

from benchmark_module import load_benchmark

import provenance.confidence as confidence
import provenance.pipeline as pipeline
from provenance.pair_model import PairModel


def test_fold_rows_drop_every_row_of_the_task():
    mod = load_benchmark("clough_held_out")
    # PAN/generated rows, answers with their own source, answers with another task's source
    tasks = ["", "a", "b", "ab", "ba", "bc", "", "c"]
    assert mod.clough_tasks(tasks) == ["a", "b", "c"]
    assert mod.fold_rows(tasks, "a") == [0, 2, 5, 6, 7]
    assert mod.fold_rows(tasks, "b") == [0, 1, 6, 7]
    assert mod.fold_rows(tasks, "d") == list(range(len(tasks)))


def test_using_models_patches_and_restores():
    mod = load_benchmark("clough_held_out")
    before = pipeline.default_pair_model(), confidence.min_confidence(), confidence.order_saturation()
    calibrator = confidence.default_edge_calibrator()
    pair = PairModel()
    fold = {"model": calibrator.to_dict(), "order_saturation": 0.3, "min_confidence": 0.6}
    with mod.using_models(pair, fold):
        assert pipeline.default_pair_model() is pair
        assert pipeline.min_confidence() == 0.6 and confidence.order_saturation() == 0.3
        assert confidence.default_edge_calibrator() is not calibrator
    assert (pipeline.default_pair_model(), confidence.min_confidence(), confidence.order_saturation()) == before
