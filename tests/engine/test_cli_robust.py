"""On the command line, whatever the file, a leader gets a plain sentence and an exit status, never a traceback.

Every case runs the real command (``python -m audit_app``) with a time limit, so
a hang or an endless read fails the test rather than the machine.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from audit_app import bridge, cli, savefile
from audit_app.json_input import ENCODING_PROBLEM
from audit_app.model import Details

from .support import FRAMEWORK, REPO, STATEMENT_IDS, audit_with, plain, run_cli, saved, saved_dict

QUICK = 20  # seconds: every case here takes well under one
GOOD = saved(audit_with({"safe-ethos-1": "green"}, details=Details(school="Oakfield")))
HOSTILE_FILES: dict[str, bytes] = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "latin-1": GOOD.replace("Oakfield", "École Thérèse").encode("latin-1"),
    "utf-16 without a mark": GOOD.encode("utf-16-le"),
    "100,000 levels deep": b"[" * 100_000,
    "a 5,000-digit number": b'{"schema": ' + b"9" * 5000 + b"}",
    "a 5,000-digit rating": json.dumps(saved_dict(responses={"safe-ethos-1": {"rating": 10**4000}}), default=str).encode(),
    "a list": b"[1, 2, 3]",
    "half an emoji": json.dumps(saved_dict(responses={"safe-ethos-1": {"rating": "red", "evidence": "a\ud800"}})).encode(),
    "a 25,000-character answer": json.dumps(saved_dict(responses={"safe-ethos-1": {"rating": "red", "evidence": "x" * 25_000}})).encode(),
}


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run_python(script: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the command line's ``main`` after ``script`` has broken something on purpose."""
    code = f"import sys; import audit_app.cli as cli\n{script}\nsys.exit(cli.main(sys.argv[1:]))"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, timeout=QUICK)


@pytest.mark.parametrize("kind", sorted(HOSTILE_FILES))
def test_no_file_makes_any_command_show_a_traceback(tmp_path, kind):
    path = write(tmp_path, "odd.json", HOSTILE_FILES[kind])
    good = write(tmp_path, "good.json", GOOD.encode("utf-8"))
    commands = [
        ["validate", path],
        ["score", path, "--format", "json"],
        ["plan", path, "--format", "xlsx", "-o", str(tmp_path / "plan.xlsx")],
        ["compare", good, path, "--format", "md"],
        ["merge", good, path, "-o", str(tmp_path / "agreed.json"), "--report", str(tmp_path / "spread.md")],
    ]
    for command in commands:
        result = run_cli(*command, timeout=QUICK)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert b"Traceback" not in result.stderr and b"Error" not in result.stderr, (command, result.stderr)
        assert result.stderr.strip(), command  # a problem, or notes: always something said


def test_a_device_that_never_ends_is_refused_at_once_with_the_size_message():
    for command in (["validate", "/dev/zero"], ["score", "/dev/urandom"], ["merge", "/dev/zero"], ["statements", "--framework", "/dev/zero"]):
        result = run_cli(*command, timeout=QUICK)
        assert result.returncode == 1, command
        assert b"The file is too large (more than 32 MB). A saved audit is never more than 32 MB" in result.stderr, command
    assert b"/dev/zero is not a framework file that can be used:" in run_cli("statements", "--framework", "/dev/zero", timeout=QUICK).stderr


def test_a_leader_with_a_latin1_file_is_told_to_save_it_as_utf8_exactly_as_on_the_site(tmp_path):
    path = write(tmp_path, "ancienne.json", HOSTILE_FILES["latin-1"])
    result = run_cli("validate", path, timeout=QUICK)
    assert result.returncode == 1
    assert result.stderr.decode("utf-8") == f"{path} is not a saved audit that can be used:\n  - {ENCODING_PROBLEM}\n"
    assert json.loads(bridge.load_saved(HOSTILE_FILES["latin-1"]))["problems"] == [ENCODING_PROBLEM]


def test_a_file_saved_as_utf16_by_notepad_opens(tmp_path):
    path = write(tmp_path, "notepad.json", codecs.BOM_UTF16_LE + GOOD.replace("Oakfield", "Café 🙂").encode("utf-16-le"))
    result = run_cli("score", path, timeout=QUICK)
    assert result.returncode == 0 and result.stdout.decode("utf-8").startswith("Relational Approaches Audit: Café 🙂")


def test_an_answer_longer_than_the_form_allows_is_kept_with_a_note_and_every_export_works(tmp_path):
    path = write(tmp_path, "long.json", HOSTILE_FILES["a 25,000-character answer"])
    checked = run_cli("validate", path, timeout=QUICK)
    assert checked.returncode == 0
    assert "Note: Statement 1.1.1 (‘The School leadership team (SLT) are…’): the evidence held 25,000 characters" in checked.stderr.decode("utf-8")
    for fmt in ("md", "csv", "json", "xlsx"):
        out = tmp_path / f"plan.{fmt}"
        assert run_cli("plan", path, "--format", fmt, "-o", str(out), timeout=QUICK).returncode == 0
    assert openpyxl.load_workbook(tmp_path / "plan.xlsx")["Action plan"]["G2"].value == "x" * 25_000
    assert json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["responses"]["safe-ethos-1"]["evidence"] == "x" * 25_000


def test_a_directory_or_a_missing_file_is_explained(tmp_path):
    result = run_cli("validate", str(tmp_path), timeout=QUICK)
    assert result.returncode == 1 and b"could not be opened:\n  - Is a directory" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["--percent", "9" * 5000], "Attendance (%) must be a number from 0 to 100 (a percentage); you gave a number with 5,000 digits, far too long to be a real figure."),
        (["--attended", "1" * 4301, "--possible", "10"], "Sessions attended must be a whole number from 0 to 100,000; you gave a number with 4,301 digits, far too long to be a real figure."),
        (["--percent", "87", "--school-days", "0." + "0" * 5000 + "1"], "School days in a full year must be a whole number from 1 to 366; you gave a number with 5,002 digits, far too long to be a real figure."),
        (["--percent", "1e400"], "Attendance (%) must be a number from 0 to 100 (a percentage); you gave ‘1e400’."),
    ],
)
def test_an_absurd_number_for_the_calculator_gets_a_plain_message_naming_the_field(arguments, problem):
    result = run_cli("missed-learning", *arguments, timeout=QUICK)
    assert result.returncode == 1 and result.stdout == b""
    assert plain(result.stderr.decode("utf-8")) == f"The figures could not be used:\n  - {problem}\n"


@pytest.mark.parametrize(
    ("failure", "sentence"),
    [("RecursionError", cli.UNEXPECTED_PROBLEM), ("ValueError", cli.UNEXPECTED_PROBLEM), ("MemoryError", cli.MEMORY_PROBLEM)],
)
def test_a_failure_inside_the_engine_is_one_plain_sentence_and_exit_status_1(tmp_path, failure, sentence):
    path = write(tmp_path, "good.json", GOOD.encode("utf-8"))
    result = run_python(f"def broken(*args): raise {failure}('deep inside')\ncli.score = broken", "score", path)
    assert result.returncode == 1 and result.stderr.decode("utf-8") == sentence + "\n"


def test_ctrl_c_stops_quietly_with_exit_status_130(tmp_path):
    path = write(tmp_path, "good.json", GOOD.encode("utf-8"))
    result = run_python("def interrupted(*args): raise KeyboardInterrupt\ncli.score = interrupted", "score", path)
    assert result.returncode == 130 and result.stderr == b""


def test_output_piped_into_a_reader_that_has_gone_ends_quietly(tmp_path):
    path = write(tmp_path, "long.json", json.dumps(saved_dict(responses={s: {"rating": "red", "evidence": "x " * 10_000} for s in STATEMENT_IDS})).encode())
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, "-m", "audit_app", "plan", path], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| true`: the reader is gone before the plan is written
    errors = process.stderr.read()
    assert process.wait(timeout=QUICK) == 1 and errors == b""


def test_help_and_mistyped_commands_still_exit_the_argparse_way():
    assert run_cli("--help", timeout=QUICK).returncode == 0
    mistyped = run_cli("score", timeout=QUICK)
    assert mistyped.returncode == 2 and mistyped.stderr.startswith(b"usage:")


def test_the_same_file_gives_the_same_problems_in_the_browser_and_on_the_command_line(tmp_path):
    for kind, data in HOSTILE_FILES.items():
        result = savefile.load(data, FRAMEWORK)
        if result.ok:
            continue
        stderr = run_cli("validate", write(tmp_path, "same.json", data), "--framework", FRAMEWORK.id, timeout=QUICK).stderr.decode("utf-8")
        assert stderr.splitlines()[1:] == [f"  - {problem}" for problem in result.problems], kind
        assert json.loads(bridge.load_saved(data))["problems"] == list(result.problems), kind
