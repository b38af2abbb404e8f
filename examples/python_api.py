"""The Python API, notebook style: each ``# %%`` cell can be run on its own in Jupyter or VS Code.

Run as a script from the repository root::

    python examples/python_api.py
"""

# %% Load texts: from files and folders (any supported format) ...
from provenance import documents_from_texts, load
from provenance.pipeline import trace

res = load(["seeds"])
print(len(res.documents), "documents;", len(res.skipped), "skipped")
print(res.documents[0].id, "|", res.documents[0].title)

# %% ... or from strings you already have (ids are the dict keys)
docs = documents_from_texts({
    "wire": "The Harbor Port Authority said on Monday that it handled 4.2 million containers in 2023. "
            "Director Ana Velasquez said the new crane terminal cost $310 million and opened in March.",
    "rewrite": "According to the port authority, 4.2 million containers passed through the harbor in 2023. "
               "The crane terminal, which opened in March, cost $310 million, director Ana Velasquez said.",
})
small = trace(documents=docs)
print([(e.source, e.relation, e.target) for e in small.edges])

# %% Trace: every edge carries its evidence as offsets into the documents' raw text
tr = trace(documents=res.documents, seed=1)
raw = {a.doc.id: a.doc.raw for a in tr.analyses}
for e in tr.edges:
    print(f"{e.source} -> {e.target}: {e.relation}, confidence {e.confidence:.2f}")
    for al in e.alignments[:1]:
        print("   ", raw[e.source][al.source_start:al.source_end][:90])
        print("   ", raw[e.target][al.target_start:al.target_end][:90])
    for s in e.signals:
        if s.favours:
            print(f"    signal {s.name}: {s.detail}")

# %% Per-document findings: language, date, machine-translation verdict and artefacts
for a in tr.analyses:
    t = a.translation
    print(a.doc.id, a.prepared.language, a.date, "MT" if t.translated else "not MT", f"{t.score:.2f}",
          [x.text for x in a.artifacts][:3])

# %% The same as data: JSON, a networkx graph, and all output files at once
import json

from provenance.readwrite import write_outputs

d = json.loads(tr.to_json())
print(d["schema"], len(d["edges"]), "edges")
g = tr.to_networkx()
print(g.number_of_nodes(), "nodes,", g.number_of_edges(), "edges in networkx")
written = write_outputs(tr, "api-example-report")
print({k: str(v) for k, v in written.items()})

# %% JSONL/CSV exports: choose the fields that hold the id, the text and the date
# res = load(["export.jsonl"], id_field="id", text_field="full_text", date_field="created_at")
# tr = trace(["export.csv"], id_field="article_id", text_field="body", date_field="published")
