"""A real Pyodide, under Node, running our wheel: the engine as the browser runs it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from pyodide_bridge import PyodideBridge  # noqa: E402


@pytest.fixture(scope="session")
def pyodide_bridge() -> Iterator[PyodideBridge]:
    try:
        bridge = PyodideBridge()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield bridge
    bridge.close()
