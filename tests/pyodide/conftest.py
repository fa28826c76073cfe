"""A real Pyodide, under Node, running our wheel: the engine as the browser runs it."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("bridge-runner.mjs")


class PyodideBridge:
    """Calls ``audit_app.bridge`` functions inside Pyodide, one line per call."""

    def __init__(self) -> None:
        if not (ROOT / "build" / "pyodide-runtime" / "pyodide-lock.json").exists():
            pytest.fail("The Pyodide runtime is not built: run `make runtime` (make test does).", pytrace=False)
        self.process = subprocess.Popen(
            ["node", str(RUNNER)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        ready = json.loads(self._readline())
        self.boot_ms: int = ready["bootMs"]
        self.python_version: str = ready["python"]

    def _readline(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"Pyodide under Node stopped (exit code {self.process.poll()})")
        return line

    def call(self, op: str, *args: str) -> str | bytes:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, "args": list(args)}) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self._readline())
        if not reply["ok"]:
            raise RuntimeError(reply["error"])
        return base64.b64decode(reply["base64"]) if "base64" in reply else reply["text"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def pyodide_bridge() -> Iterator[PyodideBridge]:
    bridge = PyodideBridge()
    yield bridge
    bridge.close()
