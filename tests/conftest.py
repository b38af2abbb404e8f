from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session", autouse=True)
def _missing_module_shims():
    """TEMPORARY: fake provenance.artifacts/dedup until merged (no-op if they exist)."""
    from conftest_shims import install

    install()
    yield


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_trace():
    from provenance.pipeline import trace

    return trace([SEEDS])
