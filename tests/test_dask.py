"""The Dask engine gives exactly the pairs of the in-memory engine (LocalCluster, 2 workers)."""

import pytest

pytest.importorskip("dask.bag")
pytest.importorskip("distributed")

from benchmark_module import load_benchmark  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from provenance.cli import main  # noqa: E402
from provenance.dask_engine import dask_find_near_duplicates  # noqa: E402
from provenance.dedup import DedupParams, find_near_duplicates  # noqa: E402
from provenance.io import load  # noqa: E402


def _generate(n, seed):
    return load_benchmark("near_duplicates").generate_corpus(n, seed=seed)[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask_corpus")
    texts = _generate(160, seed=11)
    for k, v in texts.items():
        sub = root / ("x" if k.startswith("c") else "y")  # two folders
        sub.mkdir(exist_ok=True)
        (sub / f"{k}.txt").write_text(v, encoding="utf-8")
    (root / "y" / "empty.txt").write_text("   ")  # skipped, as by load()
    return root


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_local_cluster_gives_identical_pairs(corpus, client):
    params = DedupParams(threshold=0.8, containment=0.8)
    loaded = load([str(corpus)])
    mem = find_near_duplicates(loaded.documents)
    dsk, skipped = dask_find_near_duplicates([str(corpus)], params, client=client, npartitions=4)
    assert len(mem.pairs) > 20 and {p.relation for p in mem.pairs} == {"near_duplicate", "contained"}
    assert dsk.pairs == mem.pairs
    assert dsk.clusters == mem.clusters
    assert [p for p, _ in skipped] == [p for p, _ in loaded.skipped]


def test_dedup_command_on_a_scheduler(corpus, client):
    r = CliRunner()
    mem = r.invoke(main, ["dedup", str(corpus), "--json"])
    dsk = r.invoke(main, ["dedup", str(corpus), "--json", "--engine", "dask",
                          "--scheduler", client.scheduler.address])
    assert mem.exit_code == 0 and dsk.exit_code == 0, dsk.output
    strip = lambda out: out[out.index("{"):]  # noqa: E731  (warnings for skipped files come first)
    assert strip(dsk.output) == strip(mem.output)
