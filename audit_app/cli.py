"""Command line: list statements, score, plan, check, compare and merge audits; trends, reports; missed learning.

A second thin door into the same engine the browser uses, for people who keep
audits in files and for checking the engine without a browser. Exit status:
0 success, 1 the input was not usable (the problems go to standard error, one
per line), 2 the command itself was mistyped (argparse's usual meaning), 130
interrupted (Ctrl+C, quietly).

Files are read the way the browser reads them (``json_input``): at most
``MAX_FILE_BYTES + 1`` bytes are ever read from any path, so a device such as
/dev/zero or a huge file ends at once with the size message, and a file not in
UTF-8 or UTF-16 is refused with the same message as on the site. No traceback
reaches the user: anything unexpected becomes one plain sentence on standard
error and exit status 1.

Which framework: a saved file says which audit it is, so ``score``, ``plan``,
``validate``, ``compare``, ``merge``, ``trend`` and ``report`` use the packaged
framework the file names (the Relational Approaches Audit or the OAIP
self-review). ``--framework`` overrides that with a packaged framework id or a
framework file; ``statements`` lists the Relational Approaches Audit unless
told otherwise.

History: ``trend`` and ``report`` take files in chronological order, oldest
first (the order given is the order used; dates inside are never parsed). A
file may also be a backup of every audit downloaded from the site
(``belonging-audit-history/1``): its audits join the list at that point, in
the file's order, named as they were on the device; with ``--framework`` only
that framework's audits are taken from it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from . import compare as compare_module
from . import exports, merge as merge_module, missed_learning, savefile
from . import governors_report, history
from . import trend as trend_module
from .framework import Framework, FrameworkError, default_framework, framework_by_id, framework_ids, parse_framework
from .json_input import MAX_FILE_BYTES, InputProblem, read_json, read_text, size_problem
from .model import Audit
from .quoting import isolate
from .scoring import STATUS_LABELS, Metrics, describe_scheme, score

PROG = "python -m audit_app"
UNEXPECTED_PROBLEM = (
    "Something unexpected went wrong, so the command stopped before finishing. Your saved audits have not been changed."
)
MEMORY_PROBLEM = "There was not enough memory to finish, so the command stopped. Your saved audits have not been changed."


class _InputError(Exception):
    """Input that cannot be used; carries the sentences to print."""

    def __init__(self, heading: str, problems: tuple[str, ...] | list[str]) -> None:
        super().__init__(heading)
        self.heading = heading
        self.problems = tuple(problems)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--framework",
        metavar="FRAMEWORK",
        help="a packaged framework id (" + ", ".join(framework_ids()) + ") or a framework file; "
        "default: the one the saved file names (statements: the Relational Approaches Audit)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Work with saved Relational Approaches Audit and OAIP self-review files: list the\n"
            "statements, score a saved audit, turn it into an action plan, check that a file\n"
            "can be opened, compare two audits, merge a team's audits; and work out the\n"
            "learning missed at a given attendance."
        ),
        epilog=textwrap.dedent(
            f"""\
            examples:
              {PROG} statements
              {PROG} statements --framework oaip-attendance-and-belonging
              {PROG} score my-audit.json
              {PROG} plan my-audit.json --format xlsx -o plan.xlsx
              {PROG} plan my-audit.json --format md > plan.md
              {PROG} validate my-audit.json
              {PROG} compare autumn.json summer.json > changes.md
              {PROG} compare autumn.json summer.json --format xlsx -o changes.xlsx
              {PROG} merge sam.json jo.json alex.json -o agreed.json --report spread.md
              {PROG} trend sept.json jan.json may.json > trend.md
              {PROG} trend all-audits.json --format xlsx -o trend.xlsx
              {PROG} report sept.json jan.json --format xlsx -o governors.xlsx
              {PROG} missed-learning --percent 87
              {PROG} missed-learning --attended 150 --possible 180 --lessons-per-day 6

            FILE is a saved audit as downloaded from the audit page (a .json file).
            Files must be UTF-8 or UTF-16 (with a byte order mark), at most 32 MB.
            Exit status: 0 success, 1 the file could not be used (problems are
            listed on standard error), 2 the command was mistyped, 130 interrupted."""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    statements = commands.add_parser(
        "statements", parents=[common], help="list every statement with its reference label",
        description="List every statement of the audit with its reference label (e.g. 1.1.5) and id.",
    )
    statements.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    score_cmd = commands.add_parser(
        "score", parents=[common], help="show the scores of a saved audit",
        description="Show the score, band, coverage and rating counts of a saved audit, overall and "
        "for every section and subsection. " + "Statements not yet rated are left out of the score.",
    )
    score_cmd.add_argument("file", metavar="FILE", help="saved audit (.json)")
    score_cmd.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    plan_cmd = commands.add_parser(
        "plan", parents=[common], help="export the action plan (Markdown, CSV, Excel or JSON)",
        description="Export a saved audit: md is a readable plan with scores, csv and xlsx are the action plan "
        "for spreadsheets (xlsx also has a summary sheet), json is the whole audit in the saved format.",
    )
    plan_cmd.add_argument("file", metavar="FILE", help="saved audit (.json)")
    plan_cmd.add_argument("--format", choices=exports.FORMATS, default="md", help="export format (default: md)")
    plan_cmd.add_argument("-o", "--output", metavar="OUT", help="file to write (required for xlsx; default: standard output)")

    validate = commands.add_parser(
        "validate", parents=[common], help="check that a saved audit can be opened",
        description="Check a saved audit file and list any problems in plain English.",
    )
    validate.add_argument("file", metavar="FILE", help="saved audit (.json)")

    compare_cmd = commands.add_parser(
        "compare", parents=[common], help="compare two saved audits (baseline and review)",
        description="Compare a baseline audit with a later review of the same audit: for every statement "
        "whether it improved, got worse, stayed the same, was newly rated or is no longer rated, and the "
        "change in score and coverage (percentage points) for the whole audit, every section and subsection. "
        "md is a readable report, xlsx a workbook (Summary and Statements sheets), json the figures.",
    )
    compare_cmd.add_argument("old", metavar="OLD", help="the baseline: the earlier saved audit (.json)")
    compare_cmd.add_argument("new", metavar="NEW", help="the review: the later saved audit (.json)")
    compare_cmd.add_argument("--format", choices=compare_module.FORMATS, default="md", help="output format (default: md)")
    compare_cmd.add_argument("-o", "--output", metavar="OUT", help="file to write (required for xlsx; default: standard output)")

    merge_cmd = commands.add_parser(
        "merge", parents=[common], help="merge colleagues' audits into one for the lead to settle",
        description="Merge several colleagues' saved copies of the same audit. The result is a saved audit: "
        "ratings are filled in where everyone who rated a statement agreed and left unrated where they "
        "disagree; everyone's evidence and notes are gathered, labelled with their name (the 'completed by' "
        "detail, else the file name). With one file the result is that file. The optional report shows "
        "every statement's ratings side by side (Markdown, or JSON when REPORT ends in .json).",
    )
    merge_cmd.add_argument("files", metavar="FILE", nargs="+", help="saved audits (.json), one per colleague")
    merge_cmd.add_argument("-o", "--output", metavar="OUT", help="the merged saved audit to write (default: standard output)")
    merge_cmd.add_argument("--report", metavar="REPORT", help="also write the side-by-side spread (.md, or .json)")

    trend_cmd = commands.add_parser(
        "trend", parents=[common], help="scores across several audits, and what moved between them",
        description="Show how the scores of several saved audits of the same audit changed over time: the whole "
        "audit, every section and subsection at every audit, and between each audit and the next the change in "
        "score and coverage and the statements that moved. Give the files oldest first (a backup of all audits "
        "from the site counts as its audits, in its order). md is a readable report, csv one row per audit and "
        "area, xlsx a workbook with a line chart, json the figures.",
    )
    trend_cmd.add_argument("files", metavar="FILE", nargs="+", help="saved audits (.json) or backups of all audits, oldest first")
    trend_cmd.add_argument("--format", choices=trend_module.FORMATS, default="md", help="output format (default: md)")
    trend_cmd.add_argument("-o", "--output", metavar="OUT", help="file to write (required for xlsx; default: standard output)")

    report_cmd = commands.add_parser(
        "report", parents=[common], help="a report for governors on the latest audit",
        description="A report for governors on the latest (last) audit: its details, the scores over time, the "
        "whole audit and each section then (the audit before) and now, the statements that moved since, and "
        "the open actions (the latest audit's action plan: every statement rated below the best rating, then "
        "those rated the best with a next step). Give the files oldest first (a backup of all audits counts "
        "as its audits). md is a readable report, xlsx a workbook with a chart, json the figures.",
    )
    report_cmd.add_argument("files", metavar="FILE", nargs="+", help="saved audits (.json) or backups of all audits, oldest first")
    report_cmd.add_argument("--format", choices=governors_report.FORMATS, default="md", help="output format (default: md)")
    report_cmd.add_argument("-o", "--output", metavar="OUT", help="file to write (required for xlsx; default: standard output)")

    missed = commands.add_parser(
        "missed-learning", help="turn an attendance figure into days, weeks, sessions and lessons missed",
        description="Work out the learning missed at a given attendance: so far (when known), over a full "
        "school year and over a key stage at the same rate, and per week; and whether it is persistent "
        "absence (10% or more of sessions missed) or severe absence (50% or more), as the Department for "
        "Education defines them. Figures are approximate. No pupil details are asked for.",
    )
    given = missed.add_mutually_exclusive_group(required=True)
    given.add_argument("--percent", metavar="P", help="attendance as a percentage, e.g. 87")
    given.add_argument("--attended", metavar="N", help="sessions attended (with --possible)")
    missed.add_argument("--possible", metavar="N", help="sessions possible (with --attended)")
    missed.add_argument("--school-days", metavar="N", help="school days in a full year (default: 190)")
    missed.add_argument("--sessions-per-day", metavar="N", help="sessions a day (default: 2)")
    missed.add_argument("--lessons-per-day", metavar="N", help="lessons a day (default: 5; secondary schools often have 5 or 6)")
    missed.add_argument("--days-so-far", metavar="N", help="school days so far this year (gives 'so far' figures for --percent)")
    missed.add_argument("--key-stage-years", metavar="N", help="years in the key stage (default: 2, as Key Stage 4; Key Stage 3 is 3)")
    missed.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; never lets a traceback reach the user (argparse's own exits pass through)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("plan", "compare", "trend", "report") and args.format == "xlsx" and not args.output:
        parser.error(f"an xlsx export needs an output file: add -o {args.command}.xlsx")
    if args.command == "missed-learning" and args.attended is not None and args.possible is None:
        parser.error("--attended needs --possible too")
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush does not complain
        return 1
    except MemoryError:
        print(MEMORY_PROBLEM, file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - the last guard: one sentence, never a traceback
        print(UNEXPECTED_PROBLEM, file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "missed-learning":
            return _missed_learning(args)
        framework = _framework(args.framework)
        if args.command == "statements":
            framework = framework or default_framework()
            _write(_statements_json(framework) if args.format == "json" else _statements_text(framework))
            return 0
        if args.command == "compare":
            return _compare(args, framework)
        if args.command == "merge":
            return _merge(args, framework)
        if args.command in ("trend", "report"):
            return _history(args, framework)
        audit, notices, framework = _read_audit(args.file, framework)
        for notice in notices:
            print(f"Note: {notice}", file=sys.stderr)
        if args.command == "score":
            result = score(framework, audit)
            if args.format == "json":
                _write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                _write(_score_text(framework, audit))
        elif args.command == "plan":
            _output(args.output, lambda: exports.render(framework, audit, args.format))
        else:
            rated = score(framework, audit).overall
            _write(f"{args.file}: OK, a saved {framework.title}. {rated.rated} of {rated.total} statements rated.\n")
    except _InputError as error:
        print(error.heading, file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


def _output(path: str | None, render: object) -> None:
    """Write what ``render()`` makes to ``path`` or standard output; explain a missing openpyxl."""
    try:
        output = render()  # type: ignore[operator]
    except ImportError as error:  # openpyxl is only needed for xlsx and may not be installed
        raise _InputError("The Excel export needs the openpyxl package:", [f"{error}. Install it with: pip install openpyxl"]) from None
    if path:
        _write_file(path, output)
    else:
        _write(output)


def _compare(args: argparse.Namespace, framework: Framework | None) -> int:
    data = [_read_bytes(path) for path in (args.old, args.new)]
    result = compare_module.compare_saved(data[0], data[1], framework, names=(args.old, args.new))
    if not result.ok:
        raise _InputError("The audits could not be compared:", result.problems)
    for notice in result.comparison.notices:
        print(f"Note: {notice}", file=sys.stderr)
    _output(args.output, lambda: compare_module.render(result.comparison, args.format))
    return 0


def _merge(args: argparse.Namespace, framework: Framework | None) -> int:
    files = [(Path(path).name, _read_bytes(path)) for path in args.files]
    result = merge_module.merge_saved(files, framework)
    if not result.ok:
        raise _InputError("The audits could not be merged:", result.problems)
    for notice in result.notices:
        print(f"Note: {notice}", file=sys.stderr)
    _output(args.output, lambda: savefile.dumps(result.agreed, result.framework))
    if args.report:
        fmt = "json" if args.report.lower().endswith(".json") else "md"
        _write_file(args.report, merge_module.render_report(result, fmt))
    counted = merge_module.summary(result)
    print(
        f"Merged {len(result.colleagues)} audit{'s' if len(result.colleagues) != 1 else ''} "
        f"({', '.join(isolate(c.name) for c in result.colleagues)}): {counted['agreed']} statements agreed, "
        f"{counted['disagreement']} with different ratings (left unrated), {counted['not_rated']} not rated by anyone.",
        file=sys.stderr,
    )
    return 0


def _history(args: argparse.Namespace, framework: Framework | None) -> int:
    """``trend`` and ``report``: the files (and backups' audits) in the order given."""
    items: list[tuple[str, object]] = []
    for path in args.files:
        try:
            raw = read_json(_read_bytes(path))
        except InputProblem as problem:
            raise _InputError(f"{path} is not a saved audit that can be used:", [str(problem)]) from None
        if not history.is_backup(raw):
            items.append((Path(path).name, raw))
            continue
        backup = history.from_value(raw)
        if not backup.ok:
            raise _InputError(f"{path} is not a backup of audits that can be used:", backup.problems)
        for notice in backup.notices:
            print(f"Note: {path}: {notice}", file=sys.stderr)
        entries = [entry for entry in backup.entries if framework is None or entry.framework.id == framework.id]
        if not entries:
            raise _InputError(f"{path} cannot be used:", [f"It holds no audits of the {framework.title}."])
        items += [(entry.name, savefile.to_dict(entry.audit, entry.framework)) for entry in entries]
    named = [name for name in dict.fromkeys(_named_framework(raw) for _, raw in items) if name] if framework is None else []
    if len(named) > 1:  # e.g. a backup of every audit: say how to choose, rather than only that they differ
        raise _InputError(
            "The files hold audits of more than one framework:",
            [f"{' and '.join(framework_by_id(name).title for name in named)}. Choose one with --framework "
             f"({' or '.join(named)})."],
        )
    if args.command == "trend":
        result = trend_module.trend_saved(items, framework)
        if not result.ok:
            raise _InputError("The audits could not be shown together:", result.problems)
        for notice in result.trend.notices:
            print(f"Note: {notice}", file=sys.stderr)
        _output(args.output, lambda: trend_module.render(result.trend, args.format))
        return 0
    made = governors_report.report_saved(items, framework)
    if not made.ok:
        raise _InputError("The report could not be made:", made.problems)
    for notice in made.report.trend.notices:
        print(f"Note: {notice}", file=sys.stderr)
    _output(args.output, lambda: governors_report.render(made.report, args.format))
    return 0


def _named_framework(raw: object) -> str | None:
    """The packaged framework a parsed saved audit names, if any."""
    found = raw.get("framework") if isinstance(raw, dict) else None
    named = found.get("id") if isinstance(found, dict) else None
    return named if isinstance(named, str) and named in framework_ids() else None


def _missed_learning(args: argparse.Namespace) -> int:
    values = {
        "percent": args.percent,
        "attended": args.attended,
        "possible": args.possible,
        "school_days_per_year": args.school_days,
        "sessions_per_day": args.sessions_per_day,
        "lessons_per_day": args.lessons_per_day,
        "days_so_far": args.days_so_far,
        "key_stage_years": args.key_stage_years,
    }
    result = missed_learning.calculate({key: value for key, value in values.items() if value is not None})
    if not result["ok"]:
        raise _InputError("The figures could not be used:", result["problems"])
    if args.format == "json":
        _write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        _write(missed_learning.render_text(result))
    return 0


def _framework(name: str | None) -> Framework | None:
    """``None`` (use the framework each file names), a packaged framework by id, or a framework file."""
    if name is None:
        return None
    try:
        if name in framework_ids() and not Path(name).exists():
            return framework_by_id(name)
        return parse_framework(read_text(_read_bytes(name, "a framework file")), Path(name).name)
    except (FrameworkError, InputProblem) as error:
        raise _InputError("The framework file could not be used:", [str(error)]) from None


def _read_bytes(path: str, kind: str = "a saved audit") -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes of ``path``, or an _InputError; a device or pipe never runs on."""
    try:
        with open(path, "rb") as file:
            problem = size_problem(os.fstat(file.fileno()).st_size)  # a regular file's size is known before reading
            data = b"" if problem else file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _InputError(f"{path} could not be opened:", [error.strerror or str(error)]) from None
    if problem := problem or size_problem(len(data)):
        raise _InputError(f"{path} is not {kind} that can be used:", [problem])
    return data


def _read_audit(path: str, framework: Framework | None) -> tuple[Audit, tuple[str, ...], Framework]:
    data = _read_bytes(path)
    result = savefile.load(data, framework) if framework is not None else savefile.load_any(data)
    if not result.ok:
        raise _InputError(f"{path} is not a saved audit that can be used:", result.problems)
    return result.audit, result.notices, result.framework


def _write(text: str | bytes) -> None:
    # Bytes, so output is UTF-8 with the exact line endings whatever the console's encoding.
    sys.stdout.buffer.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    sys.stdout.flush()


def _write_file(path: str, content: str | bytes) -> None:
    try:
        Path(path).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as error:
        raise _InputError(f"{path} could not be written:", [error.strerror or str(error)]) from None


def _statements_json(framework: Framework) -> str:
    rows = [
        {
            "id": statement.id,
            "ref": statement.ref,
            "section": section.title,
            "subsection": subsection.title,
            "text": statement.text,
            "examples": list(statement.examples),
        }
        for section, subsection, statement in framework.iter_statements()
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _statements_text(framework: Framework) -> str:
    lines = [f"{framework.title} (version {framework.version})", ""]
    lines += [f"  {rating.label} ({rating.letter}): {rating.meaning}" for rating in framework.ratings]
    for section in framework.sections:
        lines += ["", f"{section.number} {section.title}"]
        for subsection in section.subsections:
            applies = [framework.setting_label(setting) for setting in subsection.applies_to]
            lines += ["", f"  {subsection.ref} {subsection.title}" + (f" (only for: {', '.join(applies)})" if applies else "")]
            for statement in subsection.statements:
                lines.append(
                    textwrap.fill(
                        f"{statement.ref}  {statement.text}  [{statement.id}]",
                        width=100, initial_indent="    ", subsequent_indent=" " * (6 + len(statement.ref)), break_on_hyphens=False,
                    )
                )
                indent = " " * (6 + len(statement.ref))
                lines += [
                    textwrap.fill(f"• {example}", width=100, initial_indent=indent, subsequent_indent=indent + "  ")
                    for example in statement.examples
                ]
    return "\n".join(lines) + "\n"


def _score_text(framework: Framework, audit: Audit) -> str:
    result = score(framework, audit)
    details = ", ".join(
        value for value in (audit.details.school, audit.details.date, framework.setting_label(audit.details.setting)) if value.strip()
    )
    letters = [rating.letter for rating in framework.ratings]
    header = f"{'Ref':<7}{'Area':<64}{'Score':>6}  {'Band':<14}{'Rated':>7}  " + "".join(f"{l:>4}" for l in letters)
    lines = [framework.title + (f": {details}" if details else ""), "", header + "  Unrated  Status"]

    def row(ref: str, title: str, metrics: Metrics) -> str:
        counts = "".join(f"{metrics.counts[rating.id]:>4}" for rating in framework.ratings)
        return (
            f"{ref:<7}{title[:63]:<64}{metrics.score_text:>6}  {metrics.band_label:<14}"
            f"{f'{metrics.rated}/{metrics.total}':>7}  {counts}  {metrics.counts['unrated']:>7}  "
            f"{STATUS_LABELS[metrics.status]}"
        )

    lines.append(row("", "Whole audit", result.overall))
    for section in result.sections:
        lines.append(row(section.number, section.title, section.metrics))
        lines += [row(sub.ref, "  " + sub.title, sub.metrics) for sub in section.subsections]
    lines += ["", textwrap.fill(describe_scheme(framework), width=100)]
    return "\n".join(lines) + "\n"
