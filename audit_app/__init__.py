"""audit_app: the engine behind the Relational Approaches Audit (Toolkit 1 of Kent County
Council's "Relational Approaches to support School Belonging and Attendance").

Pure Python (standard library, plus openpyxl for XLSX only), so the same code runs
on CPython 3.12+ and in Pyodide in a browser Web Worker.

Command line::

    python -m audit_app statements [--format text|json]   # every statement, its label and id
    python -m audit_app score FILE [--format text|json]   # scores, bands, coverage, R/A/G counts
    python -m audit_app plan FILE --format md|csv|xlsx|json [-o OUT]
    python -m audit_app validate FILE                     # can this saved audit be opened?

Exit status 0 on success, 1 when the input cannot be used (plain-English problems
on standard error), 2 for a mistyped command. ``--help`` works on every command.

From Python::

    from audit_app.framework import default_framework
    from audit_app import savefile, scoring, plan, exports

    framework = default_framework()
    result = savefile.load(open("audit.json", "rb").read(), framework)
    if result.ok:
        scores = scoring.score(framework, result.audit)
        actions = plan.build_plan(framework, result.audit)
        xlsx_bytes = exports.render(framework, result.audit, "xlsx")
    else:
        print(*result.problems, sep="\\n")

From the browser: only through ``audit_app.bridge`` (JSON text in, JSON text or
XLSX bytes out); see that module for the exact shapes.

Modules: ``framework`` (data model, loader, validation; reference labels),
``model`` (an audit), ``savefile`` (saved-audit format, checks, migration),
``scoring`` (the documented scheme), ``plan`` (action plan), ``formula_guard``
(spreadsheet-formula neutralising), ``export_markdown`` / ``export_csv`` /
``export_xlsx`` and ``exports`` (dispatch), ``bridge``, ``cli``.

Statements are labelled ``<section>.<subsection position>.<statement>``, e.g. 1.1.5
for the fifth statement of "Whole school values and ethos" in "Feeling safe in
school"; the same label is used in every export, problem and notice.
"""
