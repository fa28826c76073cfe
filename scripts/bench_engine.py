"""Engine timings, run identically in CPython and (as source) inside Pyodide.

``measure(audit_json, repeats)`` returns the median milliseconds of each
bridge call on one audit. It only imports ``audit_app.bridge`` and the
standard library, so the benchmark can run this very file in both Pythons.
"""

from __future__ import annotations

import json
import statistics
import time

from audit_app import bridge

CALLS = {
    "score": lambda audit: bridge.score(audit),
    "plan": lambda audit: bridge.plan(audit),
    "import (load_saved)": lambda audit: bridge.load_saved(audit),
    "export md": lambda audit: bridge.export(audit, "md"),
    "export csv": lambda audit: bridge.export(audit, "csv"),
    "export json": lambda audit: bridge.export(audit, "json"),
    "export xlsx": lambda audit: bridge.export(audit, "xlsx"),
}


def measure(audit_json: str, repeats: int) -> str:
    """Median ms per call, after one warm-up call (imports, caches)."""
    medians = {}
    for name, call in CALLS.items():
        call(audit_json)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            call(audit_json)
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(times)
    return json.dumps(medians)
