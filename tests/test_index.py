"""The persistent SQLite index and the ``index`` commands."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.dedup import DedupParams, find_near_duplicates
from provenance.errors import ConfigError, InputError
from provenance.index import DedupIndex
from provenance.records import Document

ROOT = Path(__file__).resolve().parents[1]


def _text(seed, n=150):
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(4000)}" for _ in range(n)) + "."


def _family(seed):
    base = _text(seed).split()
    near = base[:]
    near[40] = "changed"
    return {
        f"base{seed}": " ".join(base),
        f"near{seed}": " ".join(near),
        f"part{seed}": " ".join(base[20:120]),
    }


def _docs(texts):
    return [Document(k, f"<{k}>", v) for k, v in texts.items()]


def test_add_query_remove_and_reopen(tmp_path):
    db = tmp_path / "ix.db"
    fams = [_family(s) for s in range(6)]
    stored = {k: v for f in fams for k, v in f.items() if k.startswith("base")}
    with DedupIndex(db) as ix:
        assert ix.add(_docs(dict(list(stored.items())[:3]))).added == 3
    with DedupIndex(db) as ix:  # incremental, second transaction
        rep = ix.add(_docs(dict(list(stored.items())[2:])))
        assert (rep.added, rep.replaced) == (3, 1)
        assert len(ix) == 6
    queries = {k: v for f in fams for k, v in f.items() if not k.startswith("base")}
    queries["fresh"] = _text(999)
    with DedupIndex(db, create=False) as ix:  # reopened: signatures from the file
        matches = ix.query(_docs(queries))
    got = {(m.query, m.match, m.relation) for m in matches}
    want = {(f"near{s}", f"base{s}", "near_duplicate") for s in range(6)} | \
           {(f"part{s}", f"base{s}", "contained") for s in range(6)}
    assert got == want
    part = next(m for m in matches if m.query == "part0")
    assert part.containment_query_in_match == pytest.approx(1.0) and part.jaccard < 0.8
    # Same answer as the in-memory engine on the same texts.
    mem = find_near_duplicates(_docs({"base0": stored["base0"], **_family(0)}))
    mem_pairs = {(p.a, p.b): p.jaccard for p in mem.pairs}
    assert mem_pairs[("base0", "near0")] == pytest.approx(
        next(m.jaccard for m in matches if m.query == "near0"))
    with DedupIndex(db) as ix:
        assert ix.remove(["base0", "nope"]) == ["nope"]
        assert "base0" not in ix and len(ix) == 5
        assert ix.query(_docs(_family(0))) == []
        st = ix.stats()
    assert st["documents"] == 5 and st["params"]["scheme"] == "affine32"


def test_refuses_other_parameters(tmp_path):
    db = tmp_path / "ix.db"
    with DedupIndex(db, DedupParams(num_perm=64, seed=3)) as ix:
        ix.add(_docs({"a": _text(1)}))
    with pytest.raises(ConfigError, match="num_perm"):
        DedupIndex(db, DedupParams(num_perm=128, seed=3))
    with DedupIndex(db) as ix:
        assert ix.params.num_perm == 64 and ix.params.seed == 3
    with pytest.raises(InputError):
        DedupIndex(tmp_path / "missing.db", create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError):
        DedupIndex(junk)


def test_index_commands(tmp_path):
    src, q = tmp_path / "src", tmp_path / "q"
    src.mkdir(), q.mkdir()
    for s in range(4):
        fam = _family(s)
        (src / f"base{s}.txt").write_text(fam[f"base{s}"])
        (q / f"near{s}.txt").write_text(fam[f"near{s}"])
    (q / "fresh.txt").write_text(_text(77))
    db = str(tmp_path / "ix.db")
    r = CliRunner()
    res = r.invoke(main, ["index", "add", str(src), "--db", db, "--num-perm", "64"])
    assert res.exit_code == 0 and "added 4" in res.output, res.output
    res = r.invoke(main, ["index", "add", str(src), "--db", db, "--num-perm", "128"])
    assert res.exit_code == 1 and "refusing to mix" in res.output and "\n" == res.output[-1]
    res = r.invoke(main, ["index", "query", str(q), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    js = json.loads(res.output)
    assert {(m["query"], m["match"]) for m in js["matches"]} == {(f"near{s}", f"base{s}") for s in range(4)}
    assert js["unmatched"] == ["fresh"]
    res = r.invoke(main, ["index", "query", str(q), "--db", db])
    assert res.exit_code == 0 and "4 of 5 text(s) matched" in res.output
    res = r.invoke(main, ["index", "remove", "base1", "ghost", "--db", db])
    assert res.exit_code == 0 and "removed 1" in res.output
    res = r.invoke(main, ["index", "stats", "--db", db])
    assert res.exit_code == 0 and "documents    3" in res.output and "num_perm=64" in res.output
    res = r.invoke(main, ["index", "stats", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no such index" in res.output


def test_survives_kill_9_in_the_middle_of_add(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for i in range(5):
        (first / f"a{i}.txt").write_text(_text(i))
    for i in range(2000):
        (second / f"b{i:04d}.txt").write_text(_text(10_000 + i, 60))
    db = str(tmp_path / "ix.db")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "provenance", "index", "add", "--db", db]
    subprocess.run(cmd + [str(first)], check=True, env=env, capture_output=True)
    proc = subprocess.Popen(cmd + [str(second), "--progress"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # written after the first chunk is inside the transaction
    assert line.startswith("indexed 1000/2000"), line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with DedupIndex(db, create=False) as ix:
        assert len(ix) == 5
        assert [m.match for m in ix.query(_docs({"q": _text(2)}))] == ["a2"]
    subprocess.run(cmd + [str(second)], check=True, env=env, capture_output=True)
    with DedupIndex(db, create=False) as ix:
        assert len(ix) == 2005
