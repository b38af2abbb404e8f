"""PAN corpus reading and detection XML writing on a tiny constructed corpus."""

from provenance.evaluation import Annotation
from provenance.pan import (
    detection_xml, pair_stem, read_annotations, read_corpus, read_text, write_detections,
)


def make_corpus(root):
    (root / "susp").mkdir()
    (root / "src").mkdir()
    (root / "susp" / "suspicious-document00001.txt").write_bytes(b"Line one.\r\nLine two.\r\n")
    (root / "src" / "source-document00001.txt").write_text("Line two.\n", encoding="utf-8")
    (root / "src" / "source-document00002.txt").write_text("Other.\n", encoding="utf-8")
    (root / "pairs").write_text(
        "suspicious-document00001.txt source-document00001.txt\n"
        "suspicious-document00001.txt source-document00002.txt\n", encoding="utf-8")
    d = root / "02-no-obfuscation"
    d.mkdir()
    (d / "suspicious-document00001-source-document00001.xml").write_text(
        '<document reference="suspicious-document00001.txt">\n'
        '<feature name="about" authors="x"/>\n'
        '<feature name="plagiarism" obfuscation="none" this_offset="11" this_length="9" '
        'source_reference="source-document00001.txt" source_offset="0" source_length="9"/>\n'
        '</document>\n', encoding="utf-8")
    n = root / "01-no-plagiarism"
    n.mkdir()
    (n / "suspicious-document00001-source-document00002.xml").write_text(
        '<document reference="suspicious-document00001.txt"></document>\n', encoding="utf-8")


def test_read_corpus(tmp_path):
    make_corpus(tmp_path)
    pairs = read_corpus(tmp_path)
    assert [(p.susp, p.src, p.obfuscation, p.annotated) for p in pairs] == [
        ("suspicious-document00001.txt", "source-document00001.txt", "none", True),
        ("suspicious-document00001.txt", "source-document00002.txt", "no-plagiarism", True),
    ]
    case = pairs[0].cases[0]
    assert case == Annotation("suspicious-document00001.txt", 11, 9, "source-document00001.txt", 0, 9)
    text = read_text(tmp_path / "susp" / pairs[0].susp)
    assert text[case.this_offset:case.this_offset + case.this_length] == "Line two."  # \r\n kept
    assert pairs[1].cases == ()


def test_detection_xml_round_trip(tmp_path):
    dets = [Annotation("s.txt", 5, 10, "r.txt", 0, 12), Annotation("s.txt", 0, 3, "r.txt", 40, 3)]
    path = write_detections(tmp_path / "out", "s.txt", "r.txt", dets)
    assert path.name == "s-r.xml" == pair_stem("s.txt", "r.txt") + ".xml"
    assert read_annotations(path, "detected-plagiarism") == sorted(dets, key=lambda d: d.this_offset)
    assert detection_xml("s.txt", "r.txt", []) == '<document reference="s.txt">\n</document>\n'
    assert not list((tmp_path / "out").glob(".*"))  # no temporary file left behind
