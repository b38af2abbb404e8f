"""Readers for the public dev corpora used by the benchmarks and fitting scripts.

Both corpora are optional: every script says so and exits 0 when absent.
"""

from __future__ import annotations

import csv
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from provenance.io import decode_bytes
from provenance.records import Document

PAN_FOLDERS = {
    "01-no-plagiarism": "none-plag",
    "02-no-obfuscation": "none",
    "03-random-obfuscation": "random",
    "04-translation-obfuscation": "translation-chain",
    "05-summary-obfuscation": "summary",
}


def require(path: str | Path, what: str) -> Path:
    p = Path(path)
    if not p.is_dir():
        print(f"{what} not found at {p}: skipping (see README, 'Public corpora').")
        sys.exit(0)
    return p


def read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path)


def pan_pairs(root: Path) -> list[dict]:
    """PAN13 pairs with their obfuscation type and truth cases."""
    out = []
    for folder, kind in PAN_FOLDERS.items():
        d = root / folder
        if not d.is_dir():
            continue
        for xml in sorted(d.glob("*.xml")):
            tree = ET.parse(xml).getroot()
            susp = tree.get("reference")
            cases = []
            src = None
            for f in tree.iter("feature"):
                if f.get("name") == "plagiarism":
                    src = f.get("source_reference")
                    cases.append({
                        "this_offset": int(f.get("this_offset")), "this_length": int(f.get("this_length")),
                        "source_offset": int(f.get("source_offset")), "source_length": int(f.get("source_length")),
                    })
            if src is None:
                stem = xml.stem.split("-")
                src = "-".join(stem[2:]) + ".txt" if len(stem) >= 4 else None
            out.append({"type": kind, "susp": susp, "src": src, "cases": cases, "xml": str(xml)})
    return out


def clough(root: Path) -> list[dict]:
    """Clough-Stevenson answers: file, task, category, text; plus the originals."""
    rows = []
    with open(root / "file_information.csv", newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            rows.append({k.strip(): (v or "").strip() for k, v in r.items()})
    out = []
    for r in rows:
        f = r.get("File") or r.get("file")
        if not f or r.get("Category") == "orig":
            continue
        task = r.get("Task") or r.get("task")
        cat = r.get("Category") or r.get("category")
        out.append({"file": f, "task": task, "category": cat, "text": read_text(root / f)})
    return out


def clough_sources(root: Path) -> dict[str, str]:
    return {p.stem.replace("orig_task", ""): read_text(p) for p in sorted(root.glob("orig_task*.txt"))}


def clough_source_id(task: str) -> str:
    """Document id of a Clough-Stevenson task's Wikipedia source."""
    return f"orig_task{task}"


def clough_pair_documents(answer: dict, sources: dict[str, str]) -> list[Document]:
    """A Clough-Stevenson answer (a row of :func:`clough`) and its task's source, as documents to trace."""
    sid = clough_source_id(answer["task"])
    return [Document(sid, f"<{sid}>", sources[answer["task"]]),
            Document(answer["file"], f"<{answer['file']}>", answer["text"])]


def clough_documents(answers: list[dict], sources: dict[str, str]) -> list[Document]:
    """The given sources and answers as documents to trace all together (sources first)."""
    docs = [Document(clough_source_id(t), f"<{clough_source_id(t)}>", txt) for t, txt in sources.items()]
    return docs + [Document(a["file"], f"<{a['file']}>", a["text"]) for a in answers]
