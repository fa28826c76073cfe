"""Engine timings, run identically in CPython and (as source) inside Pyodide.

``measure(audit_json, repeats)`` returns the median milliseconds of each
bridge call on one audit. It only imports ``audit_app.bridge`` and modules
the site's trimmed standard library keeps (no ``statistics``), so the
benchmark can run this very file in both Pythons.
"""

from __future__ import annotations

import json
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


def _median_ms(call, repeats: int) -> float:
    call()  # warm-up: imports and caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    middle = len(times) // 2
    return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2


def measure(audit_json: str, repeats: int) -> str:
    """Median ms per bridge call on one audit."""
    return json.dumps({name: _median_ms(lambda: call(audit_json), repeats) for name, call in CALLS.items()})


def measure_team(files_json: str, repeats: int) -> str:
    """Median ms to merge ten audits, and to compare ten pairs of them."""
    texts = [item["text"] for item in json.loads(files_json)]
    pairs = list(zip(texts, texts[1:] + texts[:1]))
    return json.dumps({
        "merge ten audits": _median_ms(lambda: bridge.merge(files_json), repeats),
        "compare ten pairs": _median_ms(lambda: [bridge.compare(a, b) for a, b in pairs], repeats),
    })
