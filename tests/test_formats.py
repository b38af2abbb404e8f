"""Input formats on small realistic files: saved HTML, JSONL, CSV, WARC.gz, legacy encodings, symlink loops."""

import codecs
import gzip
import json
import os
import subprocess
import sys
from io import BytesIO

import pytest
from click.testing import CliRunner

from provenance.cli import main
from provenance.errors import InputError, MissingExtraError
from provenance.formats import choose_format, sniff_format
from provenance.formats._records import iso_date
from provenance.io import load

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="windows-1252">
  <title>Port handles record container volume | Harbor Gazette</title>
  <meta name="author" content="Jane Roe">
  <meta property="og:title" content="Port handles record container volume">
  <meta property="article:published_time" content="2023-01-09T08:30:00+00:00">
  <link rel="stylesheet" href="/static/site.css">
  <script>window.dataLayer = [];</script>
</head>
<body>
  <header class="site-header"><a href="/">Harbor Gazette</a>
    <nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
  </header>
  <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
  <main>
    <article>
      <h1>Port handles record container volume</h1>
      <p class="byline">By Jane Roe · January 9, 2023</p>
      <p>The Harbor Port Authority said on Monday that it handled 4.2 million containers in 2023, a record for the port and 17% more than the year before.</p>
      <p>Director Ana Velasquez said the new crane terminal cost $310 million and opened in March. \u201cWe expected growth, but not this fast,\u201d she told reporters at the caf\u00e9 beside the terminal.</p>
      <p>Dock workers signed a three-year contract covering 2,450 employees, the union confirmed.</p>
      <script>trackArticleView("port-record");</script>
    </article>
    <aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Ferry timetable changes</a></li></ul></aside>
  </main>
  <footer><p>\u00a9 2024 Harbor Gazette. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""

JSONL_EXPORT = [
    {"id": "tw-1001", "text": "Port of Harbor says it moved 4.2 million containers in 2023, a 17% rise.",
     "created_at": "2023-01-09T10:02:11Z", "user": {"name": "HarborNews"}, "lang": "en"},
    {"id": "tw-1002", "text": "New crane terminal cost $310 million, director Ana Velasquez says.",
     "created_at": "Mon, 09 Jan 2023 11:15:00 +0000", "user": {"name": "PortWatch"}, "lang": "en"},
    {"id": "tw-1003", "text": "", "created_at": "2023-01-09T12:00:00Z"},
    {"id": "tw-1004", "full_text": "field named differently", "created_at": "2023-01-09T12:30:00Z"},
]


def _write_jsonl(path):
    lines = [json.dumps(r) for r in JSONL_EXPORT[:2]] + ["{broken json", ""] + [json.dumps(r) for r in JSONL_EXPORT[2:]]
    lines.append('["not", "an", "object"]')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CSV_EXPORT = (
    "article_id,headline,body,published,outlet\r\n"
    'A-17,Port record,"The Harbor Port Authority handled 4.2 million containers in 2023.\r\n'
    'Director Ana Velasquez said the terminal cost $310 million, ""a bargain"".",2023-01-09,Harbor Gazette\r\n'
    "A-18,Ferry,Ferry timetables change on Monday.,09/01/2023,Coast Daily\r\n"
    "A-19,Broken row,only three fields\r\n"
    "A-20,Empty,,2023-01-10,Coast Daily\r\n"
)


def _make_warc(path, page_html: bytes):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test-crawler/1.0", "format": "WARC 1.1"}))
        req = StatusAndHeaders("GET /news/port-record HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
        w.write_record(w.create_warc_record("https://gazette.example/news/port-record", "request", http_headers=req))
        records = [
            ("https://gazette.example/news/port-record", "200 OK", "text/html; charset=windows-1252", page_html),
            ("https://gazette.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            ("https://gazette.example/missing", "404 Not Found", "text/html", b"<html><body><p>Not found</p></body></html>"),
            ("https://gazette.example/empty", "200 OK", "text/html", b"<html><body><nav>Home</nav></body></html>"),
        ]
        for uri, status, ctype, body in records:
            hdr = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=hdr))


# ------------------------------------------------------------ HTML

def test_saved_news_page_gives_main_text_and_metadata(tmp_path):
    pytest.importorskip("trafilatura")
    f = tmp_path / "gazette-port.html"
    f.write_bytes(NEWS_PAGE.encode("cp1252"))
    res = load(f)
    (doc,) = res.documents
    assert doc.id == "gazette-port" and doc.path == str(f)
    assert doc.title == "Port handles record container volume"
    assert doc.date == "2023-01-09"
    meta = dict(doc.meta)
    assert meta["author"] == "Jane Roe" and meta["format"] == "html"
    assert "4.2 million containers" in doc.raw and "$310 million" in doc.raw
    assert "“We expected growth" in doc.raw and "café" in doc.raw  # cp1252 page decoded per <meta charset>
    for junk in ("Sport", "cookies", "All rights reserved", "trackArticleView", "dataLayer", "Privacy policy"):
        assert junk not in doc.raw, junk
    assert doc.raw.startswith("Port handles record container volume")


def test_html_is_chosen_by_content_whatever_the_suffix(tmp_path):
    pytest.importorskip("trafilatura")
    f = tmp_path / "saved-page.txt"
    f.write_text(NEWS_PAGE, encoding="utf-8")
    (doc,) = load(f).documents
    assert dict(doc.meta)["format"] == "html" and "<p>" not in doc.raw
    assert choose_format(f, NEWS_PAGE.encode()[:4096]) == "html"


def test_page_without_main_text_is_skipped_not_raised(tmp_path):
    pytest.importorskip("trafilatura")
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "ok.txt").write_text("A plain text article about the harbor.", encoding="utf-8")
    res = load(tmp_path)
    assert [d.id for d in res.documents] == ["ok"]
    assert res.skipped and "no main text" in res.skipped[0][1]


def test_missing_html_extra_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now fails
    f = tmp_path / "a.html"
    f.write_text(NEWS_PAGE)
    with pytest.raises(MissingExtraError, match=r"provenance\[html\]"):
        load(f)


# ------------------------------------------------------------ JSONL

def test_jsonl_export_one_document_per_record(tmp_path):
    f = tmp_path / "tweets.jsonl"
    _write_jsonl(f)
    res = load(f, id_field="id", date_field="created_at")
    assert [d.id for d in res.documents] == ["tw-1001", "tw-1002"]
    assert [d.date for d in res.documents] == ["2023-01-09", "2023-01-09"]
    assert res.documents[0].raw == JSONL_EXPORT[0]["text"]
    assert dict(res.documents[0].meta)["lang"] == "en" and dict(res.documents[0].meta)["line"] == "1"
    problems = [m for _, m in res.skipped]
    assert any(m.startswith("line 3: invalid JSON") for m in problems)
    assert "line 5: empty text" in problems
    assert any(m.startswith("line 6: no 'text' field") for m in problems)
    assert "line 7: not a JSON object" in problems


def test_jsonl_default_ids_text_field_and_nested_fields(tmp_path):
    f = tmp_path / "tweets.jsonl"
    _write_jsonl(f)
    res = load(f, text_field="full_text")
    assert [d.id for d in res.documents] == ["tweets:6"]
    res = load(f, id_field="user.name")
    assert [d.id for d in res.documents] == ["HarborNews", "PortWatch"]


# ------------------------------------------------------------ CSV

def test_csv_export_rows_with_quoted_newlines(tmp_path):
    f = tmp_path / "articles.csv"
    f.write_bytes(CSV_EXPORT.encode("utf-8"))
    res = load(f, id_field="article_id", text_field="body", date_field="published")
    assert [d.id for d in res.documents] == ["A-17", "A-18"]
    a17, a18 = res.documents
    assert a17.raw.startswith("The Harbor Port Authority") and '"a bargain"' in a17.raw and "\r\n" in a17.raw
    assert a17.title == "Port record" and a17.date == "2023-01-09"
    assert dict(a17.meta)["outlet"] == "Harbor Gazette" and dict(a17.meta)["row"] == "2"
    assert a18.date is None and dict(a18.meta)["date_unparsed"] == "09/01/2023"  # day/month never guessed
    problems = [m for _, m in res.skipped]
    assert "row 4: 3 fields, header has 5" in problems and "row 5: empty text" in problems


def test_csv_semicolons_tsv_and_missing_column(tmp_path):
    (tmp_path / "a.csv").write_text("id;text\n1;Erste Zeile; mit Semikolon? nein\n2;Zweite Zeile\n", encoding="cp1252")
    (tmp_path / "b.tsv").write_text("text\tsource\nTab separated text, with a comma.\twire\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("headline,content\nx,y\n", encoding="utf-8")
    res = load(tmp_path)
    ids = [d.id for d in res.documents]
    assert ids == ["a:3", "b:2"]  # a.csv row 2 has three fields
    assert res.documents[1].raw == "Tab separated text, with a comma."
    assert any("c.csv" in p and "no 'text' column (columns: headline, content)" in m for p, m in res.skipped)


# ------------------------------------------------------------ WARC

def test_warc_gz_html_responses_only(tmp_path):
    pytest.importorskip("warcio")
    pytest.importorskip("trafilatura")
    f = tmp_path / "crawl-2023.warc.gz"
    _make_warc(f, NEWS_PAGE.encode("cp1252"))
    res = load(tmp_path)
    (doc,) = res.documents
    assert doc.id == "crawl-2023:1" and doc.path == str(f)
    meta = dict(doc.meta)
    assert meta["url"] == "https://gazette.example/news/port-record" and meta["format"] == "warc"
    assert meta["crawl_date"].startswith("20")
    assert "4.2 million containers" in doc.raw and "café" in doc.raw and "cookies" not in doc.raw
    assert doc.date == "2023-01-09"
    assert [m for _, m in res.skipped] == ["record 2 (https://gazette.example/empty): no main text found in the HTML page"]


def test_warc_by_content_and_corrupt_warc_is_skipped(tmp_path):
    pytest.importorskip("warcio")
    pytest.importorskip("trafilatura")
    good = tmp_path / "crawl.bin"
    _make_warc(good, NEWS_PAGE.encode("cp1252"))
    assert choose_format(good, good.read_bytes()[:4096]) == "warc"
    (tmp_path / "truncated.warc.gz").write_bytes(good.read_bytes()[:300])
    (tmp_path / "garbage.warc").write_bytes(b"this is not a warc file at all\n" * 5)
    with pytest.raises(InputError, match="nothing readable"):
        load([tmp_path / "truncated.warc.gz", tmp_path / "garbage.warc"])
    res = load([good, tmp_path / "truncated.warc.gz", tmp_path / "garbage.warc"])
    assert [d.id for d in res.documents] == ["crawl:1"]
    why = {p.rsplit("/", 1)[-1]: m for p, m in res.skipped}
    assert set(why) == {"crawl.bin", "truncated.warc.gz", "garbage.warc"}  # crawl.bin: its empty page
    assert why["garbage.warc"].startswith("not a WARC file")


# ------------------------------------------------------------ encodings and walks

def test_utf16_and_cp1252_files(tmp_path):
    text = "Café owners in Zürich said “prices rose 12%” — again.\n"
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.jsonl").write_bytes(codecs.BOM_UTF16_LE + json.dumps({"text": text}, ensure_ascii=False).encode("utf-16-le"))
    docs = {d.id: d.raw for d in load(tmp_path).documents}
    assert docs == {"legacy": text, "utf16": text, "utf16:1": text}


def test_walk_skips_hidden_and_survives_symlink_loops(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Article A about the harbor.", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "b.txt").write_text("hidden folder", encoding="utf-8")
    (root / ".notes.md").write_text("hidden file", encoding="utf-8")
    os.symlink(root, root / "sub" / "loop")  # folder link back up: a loop if followed
    os.symlink(root / "self.txt", root / "self.txt")  # a link to itself
    res = load(root)
    assert [d.id for d in res.documents] == ["a"]
    assert [p.rsplit("/", 1)[-1] for p, _ in res.skipped] == ["self.txt"]


def test_sniffing_and_dates():
    assert sniff_format(b"  <!doctype HTML><html>") == "html"
    assert sniff_format(gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")) == "warc"
    assert sniff_format(b'{"text": "x"}\n{"text"') == "jsonl"
    assert sniff_format(b"Plain words.") is None
    assert iso_date(1673222400) == "2023-01-09" and iso_date("2023-01") == "2023-01"
    assert iso_date("9 January 2023") == "2023-01-09" and iso_date("01/02/2023") is None


# ------------------------------------------------------------ CLI

def test_cli_traces_a_jsonl_export_with_field_options(tmp_path):
    f = tmp_path / "wire.jsonl"
    body = ("The Harbor Port Authority said it handled 4.2 million containers in 2023, 17% more than the year before. "
            "Director Ana Velasquez said the crane terminal cost $310 million and opened in March.")
    rows = [{"guid": "wire-1", "story": body, "ts": "2023-01-09"},
            {"guid": "site-9", "story": "Port news. " + body + " The mayor was not available for comment.", "ts": "2023-01-10"},
            {"guid": "bad"}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["trace", str(f), "-o", str(out), "--id-field", "guid",
                                                    "--text-field", "story", "--date-field", "ts", "--quiet"])
    assert res.exit_code == 0, res.output + res.stderr
    assert "Edges" in res.stdout and str(out / "report.html") in res.stdout and str(out / "graph.gexf") in res.stdout
    assert "line 3" not in res.stderr and "1 file(s) or record(s) skipped" in res.stderr  # --quiet: count only
    d = json.loads((out / "trace.json").read_text())
    assert [x["id"] for x in d["documents"]] == ["site-9", "wire-1"]
    assert [x["date"] for x in d["documents"]] == ["2023-01-10", "2023-01-09"]


def test_cli_malformed_inputs_never_traceback(tmp_path):
    (tmp_path / "bad.jsonl").write_text("{nope\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "bad.warc.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (tmp_path / "bin.html").write_bytes(b"\x00\x01\x02\x03" * 50)
    proc = subprocess.run([sys.executable, "-m", "provenance", "trace", str(tmp_path), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: ") and "nothing readable" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_bomless_utf16_and_non_western_legacy_encodings(tmp_path):
    from provenance.io import decode_bytes

    text = "Harbor port handled 4.2 million containers in 2023, the authority said.\n"
    assert decode_bytes(text.encode("utf-16-le")) == text
    assert decode_bytes(text.encode("utf-16-be")) == text
    assert decode_bytes("naïve “quotes” – café".encode("cp1252")) == "naïve “quotes” – café"  # stays cp1252
    pytest.importorskip("charset_normalizer")
    ru = "Министерство внутренней безопасности США заявило, что задержало почти 2000 контрабандистов.\n"
    (tmp_path / "ru.txt").write_bytes(ru.encode("cp1251"))
    (tmp_path / "el.txt").write_bytes("Το λιμάνι διακίνησε 4,2 εκατομμύρια εμπορευματοκιβώτια το 2023.".encode("cp1253"))
    docs = {d.id: d.raw for d in load(tmp_path).documents}
    assert docs["ru"] == ru and docs["el"].startswith("Το λιμάνι")


def test_cli_missing_extra_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    (tmp_path / "page.html").write_text(NEWS_PAGE)
    res = CliRunner().invoke(main, ["trace", str(tmp_path), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "pip install 'provenance[html]'" in res.output and "Traceback" not in res.output


def test_damaged_files_are_skipped_quietly(tmp_path, capfd):
    pytest.importorskip("warcio")
    pytest.importorskip("trafilatura")
    good = tmp_path / "good.warc.gz"
    _make_warc(good, NEWS_PAGE.encode("cp1252"))
    data = good.read_bytes()
    raw = gzip.decompress(data)
    files = []
    for k, n in enumerate((378, 700, 2195, len(data) - 40)):  # cut inside records of the gzip stream
        files.append(tmp_path / f"cut{k}.warc.gz")
        files[-1].write_bytes(data[:n])
    files.append(tmp_path / "cut.warc")
    files[-1].write_bytes(raw[: len(raw) // 2])
    (tmp_path / "deep.jsonl").write_bytes(b'{"text": ' + b"[" * 100000 + b"\n")
    (tmp_path / "nested.html").write_bytes(b"<html><body>" + b"<div>" * 50000 + b"<p>words words words words</p>")
    res = load([good, *files, tmp_path / "deep.jsonl", tmp_path / "nested.html"])
    assert res.documents[0].id == "good:1"
    assert all(isinstance(m, str) and "\n" not in m for _, m in res.skipped)
    assert any(p.endswith("deep.jsonl") for p, _ in res.skipped)
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # the library never prints (warcio's warnings are swallowed)
