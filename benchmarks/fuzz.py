"""Long fuzz run: the strategies of ``tests/fuzz_targets.py`` for N minutes.

Usage::

    PYTHONPATH=. python benchmarks/fuzz.py --minutes 30 [--targets normalize,align] [--seed 0]

The time budget is split across targets round-robin, in rounds of
``--batch`` examples each. A round that finds a failure prints hypothesis's
shrunk example and the run continues; at the end a table gives examples tried
and failures per target, and the exit status is 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hseed  # noqa: E402

from fuzz_targets import TARGETS  # noqa: E402


def _runner(name: str, batch: int, counter: dict[str, int]):
    """A hypothesis test running target ``name`` for ``batch`` examples, counting them."""
    check, strategy = TARGETS[name]

    @settings(max_examples=batch, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(strategy)
    def run(args: tuple) -> None:
        counter[name] += 1
        check(*args)

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5.0, help="Total time budget.")
    ap.add_argument("--targets", default=",".join(TARGETS), help="Comma-separated target names.")
    ap.add_argument("--batch", type=int, default=500, help="Examples per hypothesis round.")
    ap.add_argument("--seed", type=int, default=None, help="Seed rounds reproducibly (default: random).")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        ap.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")

    counter = {n: 0 for n in names}
    failures = {n: 0 for n in names}
    rounds = {n: 0 for n in names}
    deadline = time.monotonic() + args.minutes * 60
    t0 = time.monotonic()
    k = 0
    while time.monotonic() < deadline:
        name = names[k % len(names)]
        k += 1
        run = _runner(name, args.batch, counter)
        if args.seed is not None:
            run = hseed(args.seed + k)(run)
        rounds[name] += 1
        try:
            run()
        except Exception:  # a finding: report it and go on
            failures[name] += 1
            print(f"--- FAILURE in target {name!r} (round {rounds[name]}):", flush=True)
            traceback.print_exc(file=sys.stdout)
        elapsed = time.monotonic() - t0
        print(f"[{elapsed / 60:6.1f} min] {name:<10} round {rounds[name]:>4}  "
              f"examples {counter[name]:>8}  failures {failures[name]}", flush=True)

    total = sum(counter.values())
    print("\nSUMMARY")
    print(f"{'target':<10}  {'rounds':>6}  {'examples':>9}  {'failures':>8}")
    for n in names:
        print(f"{n:<10}  {rounds[n]:>6}  {counter[n]:>9}  {failures[n]:>8}")
    print(f"total examples {total}, failures {sum(failures.values())}, "
          f"{(time.monotonic() - t0) / 60:.1f} minutes")
    return 1 if any(failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
