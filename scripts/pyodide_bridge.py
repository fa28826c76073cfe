"""Drive ``audit_app.bridge`` inside real Pyodide under Node, from Python.

Used by the Pyodide tests and by the benchmark: the same runtime files and
loading order as the browser's worker, without a browser. ``snapshot=True``
restores the build's memory snapshot first, as a return visit does.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).with_name("pyodide-bridge.mjs")
RUNTIME_LOCK = ROOT / "build" / "pyodide-runtime" / "pyodide-lock.json"


class PyodideBridge:
    """One Node process running Pyodide; each call is one line each way."""

    def __init__(self, *, snapshot: bool = False) -> None:
        if not RUNTIME_LOCK.exists():
            raise RuntimeError("The Pyodide runtime is not built: run `make runtime` (make test does).")
        self.process = subprocess.Popen(
            ["node", str(RUNNER), *(["--snapshot"] if snapshot else [])], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
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
        """Call ``audit_app.bridge.<op>(*args)``; ``eval`` runs Python source and returns str()."""
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
