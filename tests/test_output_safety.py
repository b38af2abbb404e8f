"""Output safety (issue #8, item 3).

Every output file goes through :mod:`provenance.fsutil` (temporary file +
rename): if the rename fails, the previous outputs are intact and no
temporary file is left; outputs are byte-identical across runs and across
``PYTHONHASHSEED`` values. (The index surviving ``kill -9`` during an add is
tested in ``test_index.py``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evasion_corpus import ARTICLE, light_copy
from provenance.cli import main

ROOT = Path(__file__).resolve().parents[1]
OTHER = ("The city council approved a new budget on Wednesday that adds 12 buses to the night network "
         "and extends library opening hours, the mayor's office said.\n")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "original.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "copy.txt").write_text(light_copy(), encoding="utf-8")
    (d / "other.txt").write_text(OTHER, encoding="utf-8")
    return d


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())} if d.exists() else {}


class _FailingReplace:
    """``os.replace`` that works ``ok`` times, then raises; records destinations."""

    def __init__(self, ok: int) -> None:
        self.ok = ok
        self.calls: list[str] = []
        self._real = os.replace

    def __call__(self, src, dst, *a, **k):
        self.calls.append(Path(dst).name)
        if len(self.calls) > self.ok:
            raise OSError(28, "No space left on device", str(dst))
        return self._real(src, dst, *a, **k)


#: Every file ``trace -o OUT`` writes.
TRACE_OUTPUTS = ("trace.json", "graph.graphml", "graph.gexf", "graph.dot", "report.html")


@pytest.mark.parametrize("command, outputs", [
    (["trace", "-o", "{out}"], set(TRACE_OUTPUTS)),
    (["dedup", "--json", "-o", "{out}/dedup.json"], {"dedup.json"}),
])
def test_every_output_file_is_written_through_a_rename(corpus: Path, tmp_path: Path, monkeypatch,
                                                       command, outputs) -> None:
    """With every rename failing, a fresh output folder gets no file at all."""
    out = tmp_path / "out"
    spy = _FailingReplace(ok=0)
    monkeypatch.setattr(os, "replace", spy)
    res = CliRunner().invoke(main, [a.replace("{out}", str(out)) for a in command] + [str(corpus)])
    assert res.exit_code == 1
    assert isinstance(res.exception, SystemExit)  # a click error, not a crash
    assert "No space left on device" in res.output and "Traceback" not in res.output
    assert _snapshot(out) == {}  # nothing written in place, no temporary file left
    assert spy.calls[:1] and spy.calls[0] in outputs


@pytest.mark.parametrize("ok", [0, 1, 2, 3, 4])
def test_failed_rewrite_keeps_previous_outputs_whole(corpus: Path, tmp_path: Path, monkeypatch, ok: int) -> None:
    """A rewrite that fails after ``ok`` files leaves each file old or new, never partial."""
    out = tmp_path / "out"
    r = CliRunner()
    assert r.invoke(main, ["trace", "-o", str(out), str(corpus)]).exit_code == 0
    old = _snapshot(out)
    assert set(old) == set(TRACE_OUTPUTS)

    (corpus / "copy.txt").write_text(light_copy().replace("41 people", "43 people"), encoding="utf-8")
    new_dir = tmp_path / "new"
    assert r.invoke(main, ["trace", "-o", str(new_dir), str(corpus)]).exit_code == 0
    new = _snapshot(new_dir)
    assert new["trace.json"] != old["trace.json"]

    spy = _FailingReplace(ok=ok)
    monkeypatch.setattr(os, "replace", spy)
    res = r.invoke(main, ["trace", "-o", str(out), str(corpus)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    after = _snapshot(out)
    assert set(after) == set(old), "a temporary file was left behind"
    replaced = set(spy.calls[:ok])
    for name, data in after.items():
        assert data == (new[name] if name in replaced else old[name]), name


def test_outputs_identical_across_runs_and_hash_seeds(corpus: Path, tmp_path: Path) -> None:
    env0 = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    snaps = []
    for seed in ("0", "4242"):
        out = tmp_path / f"out{seed}"
        env = dict(env0, PYTHONHASHSEED=seed)
        for args in (["trace", "-o", str(out)], ["dedup", "--json", "-o", str(out / "dedup.json")]):
            proc = subprocess.run([sys.executable, "-m", "provenance", *args, str(corpus)],
                                  capture_output=True, text=True, env=env)
            assert proc.returncode == 0, proc.stderr
        snaps.append(_snapshot(out))
    assert set(snaps[0]) == set(TRACE_OUTPUTS) | {"dedup.json"}
    assert snaps[0] == snaps[1]
    # and in-process, a second run gives the same bytes
    again = tmp_path / "again"
    CliRunner().invoke(main, ["trace", "-o", str(again), str(corpus)])
    assert {k: v for k, v in snaps[0].items() if k != "dedup.json"} == _snapshot(again)
