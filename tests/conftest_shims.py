"""TEMPORARY shims for modules other branches deliver (REMOVE once they are merged).

``provenance.artifacts`` and ``provenance.dedup`` are built on other
branches. Until the lead merges them, :func:`install` puts minimal fake
modules in ``sys.modules`` so that ``trace`` runs in this branch's tests.
It is a no-op when the real module is importable, so it is harmless after
the merge and can then be deleted together with the fixture that calls it.
"""

from __future__ import annotations

import importlib
import sys
import types
from dataclasses import dataclass, field


@dataclass
class _DedupResult:
    pairs: list = field(default_factory=list)


def _fake_artifacts() -> types.ModuleType:
    from provenance.records import Translation

    mod = types.ModuleType("provenance.artifacts")
    mod.__doc__ = "SHIM (tests/conftest_shims.py): no artefacts, never translated."
    mod.analyze = lambda raw, language: (Translation(False, 0.0), [])
    return mod


def _fake_dedup() -> types.ModuleType:
    mod = types.ModuleType("provenance.dedup")
    mod.__doc__ = "SHIM (tests/conftest_shims.py): no near-duplicate pairs."
    mod.find_near_duplicates = lambda docs, seed=1: _DedupResult()
    return mod


def install() -> list[str]:
    """Insert the fakes for whichever of the two modules is missing; return their names."""
    import provenance

    installed = []
    for name, make in (("provenance.artifacts", _fake_artifacts), ("provenance.dedup", _fake_dedup)):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            mod = make()
            sys.modules[name] = mod
            setattr(provenance, name.rsplit(".", 1)[1], mod)
            installed.append(name)
    return installed
