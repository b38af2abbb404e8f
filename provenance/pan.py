"""Reading PAN text-alignment corpora and writing PAN detection XML.

A PAN 2013 text-alignment corpus directory holds ``pairs`` (lines
``suspicious-documentXXXXX.txt source-documentYYYYY.txt``), the texts under
``susp/`` and ``src/``, and one truth XML per pair, named
``SUSP-SRC.xml`` (without ``.txt``), in a folder per obfuscation type.
Offsets count characters of the files decoded as UTF-8 with newlines kept
as they are (``newline=''``).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence
from xml.sax.saxutils import quoteattr

from .errors import InputError
from .evaluation import Annotation
from .fsutil import atomic_write_text
from .records import Alignment

#: Truth folder name -> obfuscation label used in benchmark tables.
OBFUSCATION_FOLDERS: dict[str, str] = {
    "01-no-plagiarism": "no-plagiarism",
    "02-no-obfuscation": "none",
    "03-random-obfuscation": "random",
    "04-translation-obfuscation": "translation",
    "05-summary-obfuscation": "summary",
}


@dataclass(frozen=True)
class PanPair:
    """One pair of a PAN corpus with its truth.

    ``cases`` is empty for no-plagiarism pairs; ``annotated`` is False when
    the truth file carries no plagiarism feature although the pair belongs to
    a plagiarism folder (947 of the 1,185 PAN 2013 training summary pairs
    carry no annotation; such pairs cannot be scored).
    """

    index: int
    susp: str
    src: str
    obfuscation: str | None
    cases: tuple[Annotation, ...] = ()
    annotated: bool = False


def read_text(path: str | os.PathLike[str]) -> str:
    """A corpus text, decoded as the PAN offsets expect (UTF-8, newlines untouched)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def pair_stem(susp: str, src: str) -> str:
    """``SUSP-SRC`` without ``.txt`` endings (the PAN XML file stem)."""
    return f"{_strip_txt(susp)}-{_strip_txt(src)}"


def _strip_txt(name: str) -> str:
    return name[:-4] if name.endswith(".txt") else name


def read_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``(susp, src)`` file names from a PAN ``pairs`` file, in file order."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise InputError(path, f"line {n}: expected two file names, got {len(parts)}")
            out.append((parts[0], parts[1]))
    return out


def read_annotations(xml_path: str | os.PathLike[str], name: str = "plagiarism") -> list[Annotation]:
    """Features called ``name`` of a PAN XML file as :class:`Annotation` objects."""
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as exc:
        raise InputError(xml_path, f"not valid XML ({exc})") from None
    ref = root.get("reference")
    if ref is None:
        return []
    out = []
    for f in root.iter("feature"):
        if f.get("name") != name or f.get("this_offset") is None or f.get("source_offset") is None:
            continue
        out.append(Annotation(
            ref, int(f.get("this_offset")), int(f.get("this_length")),
            f.get("source_reference", ""), int(f.get("source_offset")), int(f.get("source_length")),
        ))
    return out


def read_corpus(root: str | os.PathLike[str]) -> list[PanPair]:
    """All pairs of the corpus at ``root`` with obfuscation type and truth cases.

    Pairs are listed in the order of ``root/pairs``.
    """
    root = Path(root)
    pairs_file = root / "pairs"
    if not pairs_file.is_file():
        raise InputError(pairs_file, "no pairs file (not a PAN text-alignment corpus?)")
    truth: dict[str, tuple[str, Path]] = {}
    for folder, label in OBFUSCATION_FOLDERS.items():
        d = root / folder
        if d.is_dir():
            for x in d.glob("*.xml"):
                truth[x.stem] = (label, x)
    out = []
    for i, (susp, src) in enumerate(read_pairs(pairs_file)):
        label, path = truth.get(pair_stem(susp, src), (None, None))
        cases = tuple(read_annotations(path)) if path is not None else ()
        annotated = bool(cases) or label == "no-plagiarism"
        out.append(PanPair(i, susp, src, label, cases, annotated))
    return out


def to_annotations(alignments: Iterable[Alignment], susp: str, src: str) -> list[Annotation]:
    """Alignments of ``align(src_text, susp_text)`` as PAN detections.

    The aligner's source side indexes the source document and its target side
    the suspicious document.
    """
    return [
        Annotation(susp, a.target_start, a.target_end - a.target_start,
                   src, a.source_start, a.source_end - a.source_start)
        for a in alignments
    ]


def detection_xml(susp: str, src: str, detections: Sequence[Annotation]) -> str:
    """The PAN detection XML document for one pair."""
    lines = [f"<document reference={quoteattr(susp)}>"]
    for d in sorted(detections, key=lambda d: (d.this_offset, d.source_offset, d.this_length)):
        lines.append(
            f'<feature name="detected-plagiarism" this_offset="{d.this_offset}" '
            f'this_length="{d.this_length}" source_reference={quoteattr(src)} '
            f'source_offset="{d.source_offset}" source_length="{d.source_length}"/>'
        )
    lines.append("</document>")
    return "\n".join(lines) + "\n"


def write_detections(out_dir: str | os.PathLike[str], susp: str, src: str,
                     detections: Sequence[Annotation]) -> Path:
    """Write ``OUT/SUSP-SRC.xml`` atomically; returns its path."""
    path = Path(out_dir) / f"{pair_stem(susp, src)}.xml"
    atomic_write_text(path, detection_xml(susp, src, detections))
    return path


__all__ = [
    "OBFUSCATION_FOLDERS", "PanPair", "detect_pair", "detection_xml", "pair_stem", "read_annotations",
    "read_corpus", "read_pairs", "read_text", "to_annotations", "write_detections",
]


def detect_pair(susp_path: str | os.PathLike[str], src_path: str | os.PathLike[str],
                method: str = "tfidf", params: dict | None = None) -> list[Annotation]:
    """Detections for one pair of files: the aligner fitted on the pair, then ``align(src, susp)``."""
    from .aligners import get_aligner
    from .aligners.base import prepare_for_alignment

    susp_path, src_path = Path(susp_path), Path(src_path)
    for p in (susp_path, src_path):
        if not p.is_file():
            raise InputError(p, "no such file")
    pa = prepare_for_alignment(read_text(src_path), id=src_path.name)
    pb = prepare_for_alignment(read_text(susp_path), id=susp_path.name)
    aligner = get_aligner(method, **(params or {})).fit([pa, pb])
    return to_annotations(aligner.align(pa, pb), susp_path.name, src_path.name)
