"""audit_app: the engine behind the Relational Approaches Audit (Toolkit 1 of Kent County
Council's "Relational Approaches to support School Belonging and Attendance") and the
OAIP self-review (Ordinarily Available Inclusive Provision: Attendance and belonging),
with team tools: comparing two audits, merging colleagues' audits, a missed-learning
calculator and partnership-meeting preparation (Toolkit 4's key questions); and a school's
history of audits: the trend across them, a report for governors, a one-file backup of
every audit and copying an audit forward to re-audit.

Pure Python (standard library, plus openpyxl for XLSX only), so the same code runs
on CPython 3.12+ and in Pyodide in a browser Web Worker.

Command line::

    python -m audit_app statements [--format text|json] [--framework ID|FILE]
    python -m audit_app score FILE [--format text|json]   # scores, bands, coverage, R/A/G counts
    python -m audit_app plan FILE --format md|csv|xlsx|json [-o OUT]
    python -m audit_app validate FILE                     # can this saved audit be opened?
    python -m audit_app compare OLD NEW [--format md|xlsx|json] [-o OUT]
    python -m audit_app merge FILE... [-o agreed.json] [--report spread.md|spread.json]
    python -m audit_app trend FILE... [--format md|csv|xlsx|json] [-o OUT]   # oldest first
    python -m audit_app report FILE... [--format md|xlsx|json] [-o OUT]      # for governors
    python -m audit_app missed-learning (--percent P | --attended N --possible N)
        [--school-days 190] [--sessions-per-day 2] [--lessons-per-day 5]
        [--days-so-far N] [--key-stage-years 2] [--format text|json]

Saved files say which framework they belong to, and the commands use it;
``--framework`` takes a packaged framework id (``relational-approaches-audit``,
``oaip-attendance-and-belonging``) or a framework file. Exit status 0 on success,
1 when the input cannot be used (plain-English problems on standard error, never
a traceback), 2 for a mistyped command, 130 when interrupted. ``--help`` works on
every command.

From Python::

    from audit_app.framework import default_framework, framework_by_id
    from audit_app import savefile, scoring, plan, exports, compare, merge, missed_learning, agenda
    from audit_app import trend, governors_report, history

    framework = default_framework()            # or framework_by_id("oaip-attendance-and-belonging")
    result = savefile.load(open("audit.json", "rb").read(), framework)
    if result.ok:
        scores = scoring.score(framework, result.audit)
        actions = plan.build_plan(framework, result.audit)
        xlsx_bytes = exports.render(framework, result.audit, "xlsx")
    else:
        print(*result.problems, sep="\\n")

    changes = compare.compare_saved(old_bytes, new_bytes)       # .comparison or .problems
    team = merge.merge_saved([("sam.json", sam_bytes), ("jo.json", jo_bytes)])  # .agreed, .spread
    figures = missed_learning.calculate({"percent": 87})        # {"ok": True, ...} or problems
    meeting = agenda.build_agenda({"questions": {"overview-1": {"checked": True}}})
    shown = trend.trend_saved([("September", sept_bytes), ("January", jan_bytes)])  # .trend or .problems
    report = governors_report.report_saved([("September", sept_bytes), ("January", jan_bytes)])
    backup = history.read_backup(backup_bytes)                  # .entries or .problems

From the browser: only through ``audit_app.bridge`` (JSON text in, JSON text or
XLSX bytes out); see that module for the exact shapes.

Modules: ``framework`` (data model, loader, validation, settings; reference labels;
``framework_by_id``), ``model`` (an audit), ``json_input`` (every file and page input
checked before parsing: size, encoding, nesting), ``text_fields`` (the form's text
limit; odd text kept with a notice), ``quoting`` (bidi-isolating quoted names in
messages), ``savefile`` (saved-audit format, checks, migration), ``scoring`` (the documented scheme), ``plan`` (action plan),
``formula_guard`` (spreadsheet-formula neutralising), ``export_markdown`` /
``export_csv`` / ``export_xlsx`` and ``exports`` (dispatch), ``compare`` (baseline
against review, with its Markdown/JSON/XLSX reports), ``merge`` (a team's audits:
spread and draft agreed audit), ``missed_learning`` (attendance as time missed),
``agenda`` (Toolkit 4 key questions as a meeting agenda), ``trend`` (scores across a
history of audits and what moved between them), ``governors_report`` (the latest audit,
its trend, what moved and the open actions), ``history`` (the one-file backup of every
audit, and copying an audit forward), ``bridge``, ``cli``.
Data files live in ``frameworks/``: one ``<id>.json`` per framework, plus
``partnership-questions.json``.

Settings: a framework may declare settings (the OAIP self-review: "school" and
"early-years") and say which subsections apply to which; an audit's details hold
the chosen ``setting`` and only the subsections that apply to it are scored,
planned, exported and compared. See ``audit_app.framework``.

Statements are labelled ``<section>.<subsection position>.<statement>``, e.g. 1.1.5
for the fifth statement of "Whole School values and ethos" in "Feeling safe in
school"; the same label is used in every export, problem and notice.
"""
