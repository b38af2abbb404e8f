"""Forked worker pools: results in task order, and an abandoned map leaves nothing behind."""

import pytest

from provenance.forkpool import can_fork, fork_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs the fork start method (Linux)")


def _scaled(state: int, task: int) -> int:
    return state * task


def test_results_come_back_in_task_order():
    assert list(fork_map(_scaled, 3, list(range(40)), 2)) == [3 * k for k in range(40)]


def test_an_abandoned_map_does_not_block_the_next_one():
    first = fork_map(_scaled, 2, [1, 2, 3, 4], 2)
    assert next(first) == 2  # consumer stops here and keeps the generator
    assert list(fork_map(_scaled, 5, [1, 2], 2)) == [5, 10]
    first.close()
