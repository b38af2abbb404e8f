"""Map a function over small tasks in forked workers that inherit a large, read-only state.

``trace`` compares thousands of pairs of analysed texts; sending the analyses
to each worker (pickling them per task, or once per worker with ``spawn``)
costs about as much as the work. With the ``fork`` start method the workers
get the parent's memory as it is when the pool starts, so the state is set in
a module global just before forking and only task descriptions (index
ranges) and results cross the process boundary.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: What the forked workers read; set only while :func:`fork_map` runs.
_STATE: Any = None
_FN: Callable[[Any, Any], Any] | None = None


def can_fork() -> bool:
    """Whether :func:`fork_map` can run here (Linux with the ``fork`` start method).

    Elsewhere (macOS and Windows default to ``spawn``) callers stay in one
    process: re-sending the state to every worker would cost more than it saves.
    """
    import multiprocessing as mp

    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def _run(task: Any) -> Any:
    if _FN is None:
        raise RuntimeError("fork_map worker started without its state")
    return _FN(_STATE, task)


def fork_map(fn: Callable[[T, Any], R], state: T, tasks: Sequence[Any], jobs: int) -> Iterator[R]:
    """``fn(state, task)`` for each task, in ``jobs`` forked processes, results in task order.

    ``fn`` need not be picklable (workers inherit it); tasks and results are
    pickled. Not re-entrant: one ``fork_map`` at a time per process.
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    global _STATE, _FN
    if _FN is not None:
        raise RuntimeError("fork_map is not re-entrant")
    ex = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"))
    _STATE, _FN = state, fn
    try:
        # With "fork", the executor starts all its workers at the first submit,
        # and map submits every task now: the workers hold the state from here
        # on, so the globals are cleared before any result is handed out (an
        # abandoned generator then keeps no state and blocks no later call).
        results = ex.map(_run, tasks)
    except BaseException:
        ex.shutdown(cancel_futures=True)
        raise
    finally:
        _STATE, _FN = None, None
    with ex:
        yield from results


class ForkedCall:
    """``fn(*args)`` running in one forked child process; :meth:`result` waits for it.

    A bare process and pipe rather than an executor: it starts no thread in
    the parent, so pools forked while it runs do not fork a multi-threaded
    process. ``fn`` and ``args`` are inherited, not pickled; the result is.
    """

    def __init__(self, fn: Callable[..., R], *args: Any) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_call_and_send, args=(send, fn, args), daemon=True)
        self._proc.start()
        send.close()  # the child holds the only sending end: EOF if it dies

    def result(self) -> Any:
        try:
            ok, value = self._recv.recv()
        except EOFError:
            raise RuntimeError(f"forked worker died (exit code {self._proc.exitcode})") from None
        finally:
            self._recv.close()
            self._proc.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (when its result is no longer wanted)."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._recv.close()


def _call_and_send(send: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        out = (True, fn(*args))
    except BaseException as e:  # sent to the parent, which re-raises it
        out = (False, e)
    send.send(out)
    send.close()
