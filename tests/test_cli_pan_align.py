"""``provenance pan-align`` on a tiny constructed corpus."""

from click.testing import CliRunner

from provenance.cli import main
from provenance.evaluation import evaluate
from provenance.pan import read_annotations

from test_aligners import COPIED, FILLER_A, FILLER_B


def test_pan_align_writes_scorable_xml(tmp_path):
    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    susp = FILLER_B + "\r\n" + COPIED + FILLER_B
    src = FILLER_A + COPIED
    (tmp_path / "susp" / "suspicious-document00001.txt").write_bytes(susp.encode("utf-8"))
    (tmp_path / "src" / "source-document00001.txt").write_text(src, encoding="utf-8")
    (tmp_path / "src" / "source-document00002.txt").write_text(FILLER_A, encoding="utf-8")
    (tmp_path / "pairs").write_text(
        "suspicious-document00001.txt source-document00001.txt\n"
        "suspicious-document00001.txt source-document00002.txt\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["pan-align", "--pairs", str(tmp_path / "pairs"), "--susp", str(tmp_path / "susp"),
                                  "--src", str(tmp_path / "src"), "-o", str(out), "--jobs", "2"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "suspicious-document00001-source-document00001.xml",
        "suspicious-document00001-source-document00002.xml",
    ]
    dets = read_annotations(out / "suspicious-document00001-source-document00001.xml", "detected-plagiarism")
    assert read_annotations(out / "suspicious-document00001-source-document00002.xml", "detected-plagiarism") == []
    n = len(COPIED.rstrip())
    from provenance.evaluation import Annotation

    case = Annotation("suspicious-document00001.txt", susp.index(COPIED), n,
                      "source-document00001.txt", src.index(COPIED), n)
    assert evaluate([case], dets).plagdet == 1.0


def test_pan_align_missing_file_is_one_line_error(tmp_path):
    (tmp_path / "susp").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "pairs").write_text("a.txt b.txt\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["pan-align", "--pairs", str(tmp_path / "pairs"), "--susp", str(tmp_path / "susp"),
                                  "--src", str(tmp_path / "src"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "a.txt: no such file" in r.output and "Traceback" not in r.output


def test_pan_align_unknown_method(tmp_path):
    (tmp_path / "pairs").write_text("", encoding="utf-8")
    r = CliRunner().invoke(main, ["pan-align", "--pairs", str(tmp_path / "pairs"), "--susp", str(tmp_path),
                                  "--src", str(tmp_path), "-o", str(tmp_path / "o"), "--method", "nope"])
    assert r.exit_code == 1 and "unknown alignment method" in r.output
