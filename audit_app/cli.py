"""Command line: list the statements, score a saved audit, export its plan, check a file.

A second thin door into the same engine the browser uses, for people who keep
audits in files and for checking the engine without a browser. Exit status:
0 success, 1 the input was not usable (the problems go to standard error, one
per line), 2 the command itself was mistyped (argparse's usual meaning).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from . import exports, savefile
from .framework import Framework, FrameworkError, load_framework
from .model import Audit
from .scoring import STATUS_LABELS, Metrics, describe_scheme, score

PROG = "python -m audit_app"


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
        metavar="FRAMEWORK_FILE",
        help="use another framework file instead of the built-in Relational Approaches Audit",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Work with Relational Approaches Audit files: list the statements, score a\n"
            "saved audit, turn it into an action plan, or check that a file can be opened."
        ),
        epilog=textwrap.dedent(
            f"""\
            examples:
              {PROG} statements
              {PROG} score my-audit.json
              {PROG} plan my-audit.json --format xlsx -o plan.xlsx
              {PROG} plan my-audit.json --format md > plan.md
              {PROG} validate my-audit.json

            FILE is a saved audit as downloaded from the audit page (a .json file).
            Exit status: 0 success, 1 the file could not be used (problems are
            listed on standard error), 2 the command was mistyped."""
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "plan" and args.format == "xlsx" and not args.output:
        parser.error("an xlsx export needs an output file: add -o plan.xlsx")
    try:
        framework = _framework(args.framework)
        if args.command == "statements":
            _write(_statements_json(framework) if args.format == "json" else _statements_text(framework))
            return 0
        audit, notices = _read_audit(args.file, framework)
        for notice in notices:
            print(f"Note: {notice}", file=sys.stderr)
        if args.command == "score":
            result = score(framework, audit)
            if args.format == "json":
                _write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                _write(_score_text(framework, audit))
        elif args.command == "plan":
            try:
                output = exports.render(framework, audit, args.format)
            except ImportError as error:  # openpyxl is only needed for xlsx and may not be installed
                raise _InputError("The Excel export needs the openpyxl package:", [f"{error}. Install it with: pip install openpyxl"]) from None
            if args.output:
                _write_file(args.output, output)
            else:
                _write(output)
        else:
            rated = score(framework, audit).overall
            _write(f"{args.file}: OK, a saved {framework.title}. {rated.rated} of {rated.total} statements rated.\n")
    except _InputError as error:
        print(error.heading, file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


def _framework(path: str | None) -> Framework:
    try:
        return load_framework(path)
    except FrameworkError as error:
        raise _InputError("The framework file could not be used:", [str(error)]) from None


def _read_audit(path: str, framework: Framework) -> tuple[Audit, tuple[str, ...]]:
    file = Path(path)
    heading = f"{path} is not a saved audit that can be used:"
    try:
        problem = savefile.size_problem(file.stat().st_size)  # refuse a huge file before reading it
        if problem:
            raise _InputError(heading, [problem])
        data = file.read_bytes()
    except OSError as error:
        raise _InputError(f"{path} could not be opened:", [error.strerror or str(error)]) from None
    result = savefile.load(data, framework)
    if not result.ok:
        raise _InputError(heading, result.problems)
    return result.audit, result.notices


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
            lines += ["", f"  {subsection.ref} {subsection.title}"]
            for statement in subsection.statements:
                lines.append(
                    textwrap.fill(
                        f"{statement.ref}  {statement.text}  [{statement.id}]",
                        width=100, initial_indent="    ", subsequent_indent=" " * (6 + len(statement.ref)),
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
    details = ", ".join(value for value in (audit.details.school, audit.details.date) if value.strip())
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
