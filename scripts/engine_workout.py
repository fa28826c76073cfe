"""Call every function of ``audit_app.bridge`` once, on blank audits only.

Run inside Pyodide at build time, for two reasons:

* to find which standard-library modules the site really imports (those are
  precompiled to bytecode: ``scripts/precompile_runtime.py``);
* to warm the engine up before the memory snapshot is taken
  (``scripts/make_snapshot.mjs``), so a restored visit has nothing left to
  import or parse.

Blank audits only: whatever runs here ends up in the snapshot's memory, which
every visitor downloads, so no real or realistic answers may pass through it.
"""

from __future__ import annotations

import json

from audit_app import bridge


def exercise(*, excel: bool) -> None:
    """Every bridge call on every framework; the Excel ones only if ``excel``."""
    for framework in json.loads(bridge.frameworks_json()):
        framework_id = framework["id"]
        blank = bridge.new_audit(framework_id)
        bridge.framework_json(framework_id)
        bridge.score_and_plan(blank, framework_id)
        bridge.score(blank, framework_id)
        bridge.plan(blank, framework_id)
        bridge.load_saved(blank, framework_id)
        bridge.load_saved("{", framework_id)
        for fmt in ("md", "csv", "json") + (("xlsx",) if excel else ()):
            bridge.export(blank, fmt, framework_id)
        for fmt in ("md", "json") + (("xlsx",) if excel else ()):
            bridge.compare_export(blank, blank, fmt)
        team = json.dumps([{"name": "a.json", "text": blank}, {"name": "b.json", "text": blank}])
        bridge.merge(team)
        bridge.merge_report(team)
        history = json.dumps([{"name": "", "data": blank}, {"name": "", "data": json.loads(blank)}])
        bridge.trend(history)
        for fmt in ("md", "csv", "json") + (("xlsx",) if excel else ()):
            bridge.trend_export(history, fmt)
        for fmt in ("json", "md") + (("xlsx",) if excel else ()):
            bridge.governors_report(history, fmt)
        bridge.copy_forward(blank, framework_id)
        backup = bridge.write_history_backup(json.dumps({"audits": [{"id": "blank", "name": "", "saved": json.loads(blank)}]}))
        bridge.read_history_backup(json.loads(backup)["text"].encode("utf-8"))
        bridge.read_history_backup(blank)
    bridge.missed_learning(json.dumps({"percent": "90"}))
    bridge.partnership_questions_json()
    bridge.agenda(json.dumps({}))
