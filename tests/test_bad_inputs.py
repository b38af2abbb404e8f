"""Bad-input catalogue (issue #8, item 1) for the formats that exist (.txt, .md).

Per-file problems inside a folder: the file is skipped with a one-line
warning naming it, a count at the end, exit status 0. Fatal problems (a
missing path, nothing readable, a folder where a file is expected or the
reverse): one line of error, a non-zero exit, no traceback and no output
written. Memory stays bounded: a file over the size cap is never read.

CLI checks run the real command in a subprocess.
"""

from __future__ import annotations

import codecs
import gzip
import os
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from provenance.errors import InputError
from provenance.io import DEFAULT_MAX_BYTES, decode_bytes, load, read_text_file

ROOT = Path(__file__).resolve().parents[1]

GOOD = ("Police in the northern province said on Tuesday they had arrested 41 people and broken up a "
        "smuggling ring that moved migrants across the mountain border in refrigerated trucks.\n")
GOOD2 = ("Investigators seized 14 trucks, nine cars and more than 300,000 euros in cash during raids on "
         "17 addresses on Monday night, the prosecutor's office said.\n")


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "provenance", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def assert_fatal(res: subprocess.CompletedProcess, *names: str) -> str:
    """Non-zero exit, no traceback, and one error line naming ``names``."""
    assert res.returncode != 0, res.stdout
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    errors = [ln for ln in lines if ln.startswith("Error:")]
    assert len(errors) == 1, res.stderr
    for n in names:
        assert n in errors[0], (n, errors[0])
    return errors[0]


def assert_one_line_fatal(res: subprocess.CompletedProcess, *names: str) -> None:
    """As :func:`assert_fatal`, and the error is the only line on stderr."""
    line = assert_fatal(res, *names)
    assert res.stderr.strip() == line, res.stderr


def warnings_of(res: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]


# --------------------------------------------------------------- decoding

@pytest.mark.parametrize("encode", [
    lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    lambda t: t.encode("utf-16"),
    lambda t: t.encode("utf-16-le"),  # no BOM (Windows tools)
    lambda t: t.encode("utf-16-be"),
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("utf-32"),
    lambda t: t.encode("cp1252"),
    lambda t: t.encode("utf-8"),
], ids=["utf16le-bom", "utf16be-bom", "utf16", "utf16le", "utf16be", "utf8-bom", "utf32", "cp1252", "utf8"])
def test_encodings_decode_to_the_same_text(encode) -> None:
    text = "Café “Zur Grenze” – 41 people, 6,000 € each.\n"
    assert decode_bytes(encode(text)) == text


def test_latin1_bytes_undefined_in_cp1252_still_decode() -> None:
    data = "naïve façade ".encode("latin-1") + b"\x81\x8d\x8f\x90\x9d" + b" end of text here"
    out = decode_bytes(data)
    assert out.startswith("naïve façade ") and out.endswith(" end of text here")


def test_invalid_utf8_falls_back_without_error() -> None:
    data = GOOD.encode("utf-8") + b"\xff\xfe\xc3(" + GOOD2.encode("utf-8")
    out = decode_bytes(data)
    assert "smuggling ring" in out and "Investigators" in out


def test_stray_nul_bytes_are_text_but_many_mean_binary() -> None:
    assert "smuggling" in decode_bytes(GOOD.encode() + b"\x00" + GOOD2.encode())
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x00\x00" * 400)
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000))


def test_empty_and_blank_files_are_per_file_problems(tmp_path: Path) -> None:
    for name, data in {"empty.txt": b"", "blank.txt": b" \n\t\r\n  ", "bom.txt": codecs.BOM_UTF8}.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError, match="empty"):
            read_text_file(tmp_path / name)


# ------------------------------------------------- a folder of bad files

def _catalogue_folder(tmp: Path) -> tuple[Path, set[str]]:
    """A folder with two good texts and one file of every per-file problem."""
    d = tmp / "corpus"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "good2.md").write_text(GOOD2, encoding="utf-8")
    (d / "utf16.txt").write_bytes(GOOD.encode("utf-16"))
    (d / "bom.txt").write_bytes(codecs.BOM_UTF8 + GOOD2.encode())
    (d / "cp1252.txt").write_bytes(("Café " + GOOD).encode("cp1252"))
    (d / "latin1.txt").write_bytes(("Ã¼ " + GOOD).encode("latin-1") + b"\x81")
    (d / "badutf8.txt").write_bytes(GOOD.encode() + b"\xff\xc0")
    (d / "stray_nul.txt").write_bytes(GOOD.encode() + b"\x00" + GOOD2.encode())
    bad = {
        "empty.txt": b"",
        "blank.txt": b"   \n\n ",
        "binary.txt": os.urandom(2048) + b"\x00\x00" * 64,
        "nuls.txt": b"\x00" * 5000,
    }
    for name, data in bad.items():
        (d / name).write_bytes(data)
    (d / "loop.txt").symlink_to(d / "loop.txt")          # a symlink loop
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")   # a broken link
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d, target_is_directory=True)  # a folder loop: never followed
    (d / "dir.txt").mkdir()                              # a folder named like a file
    os.mkfifo(d / "fifo.txt")                            # would block a naive reader
    (d / "archive.gz").write_bytes(gzip.compress(GOOD.encode()))  # not an input type: ignored
    (d / "notes.pdf").write_bytes(b"%PDF-1.4\x00\x00")
    expected = set(bad) | {"loop.txt", "dangling.txt", "fifo.txt"}
    return d, expected


def test_load_skips_each_bad_file_and_keeps_the_good_ones(tmp_path: Path) -> None:
    d, expected = _catalogue_folder(tmp_path)
    res = load(d)
    assert {Path(p).name for p, _ in res.skipped} == expected
    assert sorted(doc.id for doc in res.documents) == sorted(
        ["good", "good2", "utf16", "bom", "cp1252", "latin1", "badutf8", "stray_nul"])
    assert all(doc.raw.strip() and "\ufeff" not in doc.raw for doc in res.documents)
    for _, problem in res.skipped:
        assert "\n" not in problem


@pytest.mark.parametrize("command", [
    ["dedup"], ["trace", "-o", "{out}"], ["artifacts"], ["index", "add", "--db", "{out}/ix.sqlite"],
])
def test_cli_skips_per_file_problems_with_one_warning_each_and_a_count(tmp_path: Path, command) -> None:
    d, expected = _catalogue_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{out}", str(out)) for a in command]
    res = run_cli(*args, str(d))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    warns = warnings_of(res)
    per_file = [w for w in warns if w.startswith("warning: skipped ")]
    assert len(per_file) == len(expected), warns
    for name in expected:
        assert sum(name in w for w in per_file) == 1, (name, per_file)
    assert warns[-1] == f"warning: {len(expected)} file(s) or record(s) skipped"
    assert all(len(w.splitlines()) == 1 for w in warns)


# -------------------------------------------------------- size and memory

def test_200mb_file_is_skipped_by_the_cap_without_being_read(tmp_path: Path) -> None:
    d = tmp_path / "c"
    d.mkdir()
    big = d / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    tracemalloc.start()
    try:
        res = load(d)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [Path(p).name for p, _ in res.skipped] == ["huge.txt"]
    assert "cap" in res.skipped[0][1] and str(DEFAULT_MAX_BYTES) in res.skipped[0][1]
    assert peak < 5 * 1024 * 1024, peak

    cli = run_cli("dedup", str(d))
    assert cli.returncode == 0 and "Traceback" not in cli.stderr
    assert any("huge.txt" in w and "--max-bytes" in w for w in warnings_of(cli))


def test_reads_only_what_the_file_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read asks for the file's size plus one byte (never the whole cap), and never past the cap."""
    p = tmp_path / "grows.txt"
    p.write_text(GOOD * 100, encoding="utf-8")
    asked: list[int] = []
    import builtins

    real_open = builtins.open

    class Spy:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def read(self, n=-1):
            asked.append(n)
            return self.fh.read(n)

    def spy_open(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        return Spy(fh) if str(file) == str(p) and "b" in mode else fh

    monkeypatch.setattr(builtins, "open", spy_open)
    size = p.stat().st_size
    read_text_file(p)  # the default 50 MB cap
    assert asked == [size + 1]
    asked.clear()
    read_text_file(p, max_bytes=size)
    assert asked == [size + 1]


def test_max_bytes_flag_lowers_and_raises_the_cap(tmp_path: Path) -> None:
    d = tmp_path / "c"
    d.mkdir()
    (d / "a.txt").write_text(GOOD * 40, encoding="utf-8")   # ~7 KB
    (d / "b.txt").write_text(GOOD2, encoding="utf-8")
    low = run_cli("dedup", "--max-bytes", "1000", str(d))
    assert low.returncode == 0
    assert any("a.txt" in w and "1000-byte cap" in w for w in warnings_of(low))
    high = run_cli("dedup", "--max-bytes", "100000", str(d))
    assert high.returncode == 0 and not warnings_of(high)


def test_single_5mb_line(tmp_path: Path) -> None:
    import random

    rng = random.Random(1)
    words = ("police said the smuggling ring moved people across the border in trucks officials "
             "arrested suspects").split()
    d = tmp_path / "c"
    d.mkdir()
    line = " ".join(rng.choice(words) for _ in range(800_000))[:5_000_000]
    (d / "one_line.txt").write_text(line, encoding="utf-8")
    (d / "small.txt").write_text(GOOD, encoding="utf-8")
    res = load(d)
    assert len(res.documents) == 2 and not res.skipped
    cli = run_cli("dedup", "--json", str(d))
    assert cli.returncode == 0, cli.stderr
    assert "Traceback" not in cli.stderr and not warnings_of(cli)


@pytest.mark.slow
def test_10000_tiny_files(tmp_path: Path) -> None:
    d = tmp_path / "tiny"
    d.mkdir()
    for i in range(10_000):
        (d / f"f{i:05d}.txt").write_text(f"Note {i}: the ring moved {i % 97} people on day {i % 13}.\n")
    (d / "f00000.txt").write_text("")  # one bad apple
    (d / "copy_a.txt").write_text(GOOD * 3)
    (d / "copy_b.txt").write_text(GOOD * 3)
    res = run_cli("dedup", "--json", str(d), timeout=600)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert warnings_of(res) == [f"warning: skipped {d / 'f00000.txt'}: empty file (no text)",
                                "warning: 1 file(s) or record(s) skipped"]
    import json

    pairs = json.loads(res.stdout)["pairs"]
    assert [(p["a"], p["b"]) for p in pairs] == [("copy_a", "copy_b")]


# ---------------------------------------------------------- gzip bomb

def test_gzip_bomb_is_never_decompressed(tmp_path: Path) -> None:
    d = tmp_path / "c"
    d.mkdir()
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    chunk = b"\x00" * (1 << 20)
    with open(d / "bomb.txt.gz", "wb") as fh:
        for _ in range(256):  # 256 MB of zeros in ~250 KB
            fh.write(comp.compress(chunk))
        fh.write(comp.flush())
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    assert (d / "bomb.txt.gz").stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        res = load(d)  # in a folder: not an input type, ignored
        assert [doc.id for doc in res.documents] == ["good"] and not res.skipped
        with pytest.raises(InputError, match="nothing readable.*binary"):
            load(d / "bomb.txt.gz")  # named explicitly: read as bytes, judged binary
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, peak
    cli = run_cli("trace", "-o", str(tmp_path / "out"), str(d / "bomb.txt.gz"))
    assert_one_line_fatal(cli, "bomb.txt.gz", "binary")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------- fatal cases

@pytest.mark.parametrize("command", [
    ["trace", "-o", "{out}"], ["dedup"], ["artifacts"], ["index", "add", "--db", "{out}.sqlite"],
    ["compare", "{good}"],
])
def test_missing_path_is_one_line_fatal(tmp_path: Path, command) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    missing = tmp_path / "no_such_dir" / "nope.txt"
    args = [a.replace("{out}", str(out)).replace("{good}", str(good)) for a in command]
    res = run_cli(*args, str(missing))
    assert_one_line_fatal(res, "nope.txt", "no such file")
    assert not out.exists() and not Path(f"{out}.sqlite").exists()


def test_nothing_readable_is_one_line_fatal_and_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "c"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01" * 3000)
    (d / "loop.txt").symlink_to(d / "loop.txt")
    out = tmp_path / "out"
    res = run_cli("trace", "-o", str(out), str(d))
    assert_fatal(res, "nothing readable")
    assert not out.exists()
    # the per-file reasons are in the one error line, not in a traceback
    empty = tmp_path / "empty_dir"
    empty.mkdir()
    assert_one_line_fatal(run_cli("dedup", str(empty)), "nothing readable", "no supported files")


def test_explicit_symlink_loop_is_fatal(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    res = run_cli("dedup", str(loop))
    assert_one_line_fatal(res, "loop.txt", "symbolic links")


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    d = tmp_path / "folder"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    f = tmp_path / "b.txt"
    f.write_text(GOOD2, encoding="utf-8")
    assert_one_line_fatal(run_cli("compare", str(d), str(f)), "folder", "is a directory")
    assert_one_line_fatal(run_cli("compare", str(f), str(d)), "folder", "is a directory")
    # options that name a file
    assert_fatal(run_cli("compare", "--pairs", str(d)), "folder")
    out_dir = tmp_path / "outdir"
    out_dir.mkdir()
    assert_fatal(run_cli("dedup", "-o", str(out_dir), str(f)), "outdir")
    assert_fatal(run_cli("index", "add", "--db", str(out_dir), str(f)), "outdir")
    assert list(out_dir.iterdir()) == []


def test_file_where_a_directory_is_expected(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_text(GOOD2, encoding="utf-8")
    not_a_dir = tmp_path / "report"
    not_a_dir.write_text("keep me", encoding="utf-8")
    assert_fatal(run_cli("trace", "-o", str(not_a_dir), str(f)), "report")
    assert not_a_dir.read_text(encoding="utf-8") == "keep me"
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("a.txt b.txt\n", encoding="utf-8")
    assert_fatal(run_cli("compare", "--pairs", str(pairs), "--root", str(f)), "b.txt")
    # a file under a path component that is a file
    assert_fatal(run_cli("trace", "-o", str(not_a_dir / "sub"), str(f)), "report")
    assert not_a_dir.read_text(encoding="utf-8") == "keep me"
