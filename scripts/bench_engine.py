"""Engine timings, run identically in CPython and (as source) inside Pyodide.

``measure(audit_json, repeats)`` returns the median milliseconds of each
bridge call on one audit; ``measure_team`` the team tools';
``measure_history`` the history's (trend, governors' report, backup, copy
forward) on 50 audits. It only imports ``audit_app.bridge`` and modules the
site's trimmed standard library keeps (no ``statistics``), so the benchmark
can run this very file in both Pythons.
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


def history_audits(count: int = 50) -> list[dict]:
    """``count`` saved audits of one school, oldest first: every statement rated (a third of them move
    at each step, some becoming unrated) and long notes in every box, as a heavy real history would be."""
    blank = json.loads(bridge.new_audit())
    ratings = ["red", "amber", "green", None]
    note = "We have evidence from pupil voice, staff surveys and governors' visits. " * 20
    audits = []
    for n in range(count):
        saved = dict(blank, details={"school": "Oak Tree Primary", "date": f"{2020 + n // 4}-{n % 4 * 3 + 1:02d}-15",
                                     "completed_by": "A. Leader"})
        saved["responses"] = {
            statement_id: {
                "rating": ratings[(index + n // 3 + (n if index % 3 == 0 else 0)) % 4],
                "evidence": note,
                "next_step": note[:400],
                "owner": "Deputy headteacher",
                "target_date": "2026-07-01",
                "success_criteria": note[:300],
                "review_date": "2026-09-01",
            }
            for index, statement_id in enumerate(blank["responses"])
        }
        audits.append(saved)
    return audits


def measure_history(repeats: int, count: int = 50) -> str:
    """Median ms of the history's calls on ``count`` audits. Each audit is sent as the page may send it:
    the saved audit as an object (as IndexedDB keeps it), as JSON text, or as UTF-8 bytes. In Pyodide these
    are real JavaScript values (an array of objects, strings, Uint8Arrays), converted by the bridge as
    in the browser; in CPython, the Python equivalents."""
    audits = history_audits(count)
    as_objects = [{"name": f"Audit {n + 1}", "data": saved} for n, saved in enumerate(audits)]
    as_texts = [{"name": item["name"], "data": json.dumps(item["data"])} for item in as_objects]
    as_bytes = [{"name": item["name"], "data": item["data"].encode("utf-8")} for item in as_texts]
    try:
        import js  # only in Pyodide

        objects, texts = js.JSON.parse(json.dumps(as_objects)), js.JSON.parse(json.dumps(as_texts))
        encoder, byte_arrays = js.TextEncoder.new(), js.Array.new()
        for item in as_texts:
            entry = js.Object.new()
            entry.name, entry.data = item["name"], encoder.encode(item["data"])
            byte_arrays.push(entry)
    except ImportError:
        objects, texts, byte_arrays = as_objects, as_texts, as_bytes
    entries = json.dumps({"exported_at": "2026-12-02T10:15:00.000Z", "audits": [
        {"id": f"audit-{n}", "name": f"Audit {n + 1}", "created_at": "", "updated_at": "", "saved": saved}
        for n, saved in enumerate(audits)
    ]})
    backup = json.loads(bridge.write_history_backup(entries))["text"].encode("utf-8")
    calls = {
        f"trend, {count} audits as objects": lambda: bridge.trend(objects),
        f"trend, {count} audits as JSON text": lambda: bridge.trend(texts),
        f"trend, {count} audits as bytes": lambda: bridge.trend(byte_arrays),
        "governors' report json (objects)": lambda: bridge.governors_report(objects, "json"),
        "governors' report md (objects)": lambda: bridge.governors_report(objects, "md"),
        "governors' report xlsx (objects)": lambda: bridge.governors_report(objects, "xlsx"),
        "governors' report xlsx (bytes)": lambda: bridge.governors_report(byte_arrays, "xlsx"),
        "trend xlsx (objects)": lambda: bridge.trend_export(objects, "xlsx"),
        f"backup: write {count}": lambda: bridge.write_history_backup(entries),
        f"backup: read {count}": lambda: bridge.read_history_backup(backup),
        "copy forward": lambda: bridge.copy_forward(as_texts[-1]["data"]),
    }
    for name, call in calls.items():  # a failed call is fast: never time one
        answer = call()
        if isinstance(answer, str) and answer.startswith('{"ok": false'):
            raise RuntimeError(f"{name}: {answer[:300]}")
    return json.dumps({name: _median_ms(call, repeats) for name, call in calls.items()})
