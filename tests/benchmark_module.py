"""Load a script of ``benchmarks/`` as a module (the folder is not installed with the package)."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py``, executed as a fresh module."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    # registered before it runs, as an import would: dataclasses look their module up there
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod
