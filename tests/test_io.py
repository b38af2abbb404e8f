import codecs

import pytest

from provenance.errors import InputError
from provenance.io import decode_bytes, load


def test_decodes_bom_and_legacy_encodings():
    assert decode_bytes(codecs.BOM_UTF16_LE + "naïve « text »".encode("utf-16-le")) == "naïve « text »"
    assert decode_bytes(codecs.BOM_UTF8 + "café".encode()) == "café"
    assert decode_bytes("“smart” café".encode("cp1252")) == "“smart” café"


def test_crlf_is_kept_so_offsets_match_newline_empty_reading():
    assert decode_bytes(b"a\r\nb") == "a\r\nb"


def test_binary_is_rejected_with_file_name():
    with pytest.raises(InputError, match="x.bin: binary"):
        decode_bytes(b"\x00\x00\x01\x02" * 100, "x.bin")


def test_a_few_stray_nuls_are_text():
    assert decode_bytes(b"real text " * 50 + b"\x00 more") .startswith("real text")


def test_folder_skips_bad_files_and_reports_them(tmp_path):
    (tmp_path / "good.txt").write_text("A sentence of text.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    res = load(tmp_path)
    assert [d.id for d in res.documents] == ["good"]
    assert len(res.skipped) == 1 and "empty" in res.skipped[0][1]


def test_missing_path_and_nothing_readable_raise(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope")
    (tmp_path / "empty.txt").write_text("  ", encoding="utf-8")
    with pytest.raises(InputError, match="nothing readable"):
        load(tmp_path)


def test_size_cap(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("word " * 1000, encoding="utf-8")
    res = load([f, tmp_path / "big.txt"], max_bytes=10**6)
    assert len(res.documents) == 2 and res.documents[1].id == "big~1"
    with pytest.raises(InputError, match="cap"):
        load(f, max_bytes=100)


def test_atomic_writes_get_the_usual_file_mode(tmp_path):
    import os

    from provenance.fsutil import atomic_write_text

    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "out" / "x.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "x.json").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x.json"]
