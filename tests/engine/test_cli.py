"""The command line, run exactly as a user runs it: ``python -m audit_app ...``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from audit_app.json_input import MAX_FILE_BYTES
from audit_app.model import Details

from .support import REPO, audit_with, plain, run_cli, saved


@pytest.fixture
def audit_file(tmp_path):
    path = tmp_path / "oakfield-audit.json"
    audit = audit_with(
        {"safe-ethos-1": "green", "safe-ethos-5": "red", "personalised-practice-2": "amber"},
        responses={"safe-ethos-5": {"next_step": "=cmd|' /C calc'!A0", "owner": "Head"}},
        details=Details(school="Oakfield Primary", date="2025-05-01"),
    )
    path.write_text(saved(audit), encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"schema": "belonging-audit/1", "framework": {"id": "relational-approaches-audit", "version": "2025-04"}, "responses": {"safe-ethos-2": {"rating": "purple"}}}), encoding="utf-8")
    return path


def test_help_reads_well_and_lists_every_command():
    result = run_cli("--help")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert out.startswith("usage: python -m audit_app")
    for command in ("statements", "score", "plan", "validate", "examples:", "Exit status"):
        assert command in out
    plan_help = run_cli("plan", "--help").stdout.decode()
    assert "{md,csv,xlsx,json}" in plan_help and "required for xlsx" in plan_help


def test_a_leader_lists_the_statements_as_text_and_json():
    text = run_cli("statements")
    assert text.returncode == 0
    out = text.stdout.decode("utf-8")
    assert "1.1.5  Commitment to action – when an adult or child raises concerns about safety" in out
    assert "• Emotional Coaching" in out and "[relationships-individual-6]" in out
    as_json = json.loads(run_cli("statements", "--format", "json").stdout)
    assert len(as_json) == 40 and as_json[4]["ref"] == "1.1.5" and as_json[4]["id"] == "safe-ethos-5"


def test_a_leader_scores_a_saved_audit(audit_file):
    result = run_cli("score", str(audit_file))
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr
    assert out.startswith("Relational Approaches Audit: Oakfield Primary, 2025-05-01")
    whole = next(line for line in out.splitlines() if "Whole audit" in line)
    assert "50%" in whole and "Amber" in whole and "3/40" in whole and "In progress" in whole
    assert "never counted as Red" in " ".join(out.split())
    data = json.loads(run_cli("score", str(audit_file), "--format", "json").stdout)
    assert data["overall"]["percent"] == 50


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "xlsx"])
def test_a_leader_exports_the_plan_to_a_file(audit_file, tmp_path, fmt):
    out = tmp_path / f"plan.{fmt}"
    result = run_cli("plan", str(audit_file), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    data = out.read_bytes()
    if fmt == "md":
        assert data.decode("utf-8").startswith("# Relational Approaches Audit: action plan")
    elif fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbfRef,")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert rows[1][7] == "'=cmd|' /C calc'!A0"
    elif fmt == "json":
        assert data == audit_file.read_bytes()
    else:
        book = openpyxl.load_workbook(out)
        assert book["Action plan"]["A2"].value == "1.1.5"


def test_plan_without_an_output_file_writes_text_to_standard_output(audit_file):
    result = run_cli("plan", str(audit_file))
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").startswith("# Relational Approaches Audit")
    assert run_cli("plan", str(audit_file), "--format", "csv").stdout.startswith(b"\xef\xbb\xbfRef,")


def test_an_xlsx_plan_needs_an_output_file(audit_file):
    result = run_cli("plan", str(audit_file), "--format", "xlsx")
    assert result.returncode == 2
    assert b"needs an output file" in result.stderr and result.stdout == b""


def test_validate_says_ok_for_a_good_file(audit_file):
    result = run_cli("validate", str(audit_file))
    assert result.returncode == 0
    assert result.stdout.decode().endswith("OK, a saved Relational Approaches Audit. 3 of 40 statements rated.\n")


@pytest.mark.parametrize("command", ["validate", "score", "plan"])
def test_invalid_input_exits_1_with_the_problems_on_stderr(broken_file, command):
    result = run_cli(command, str(broken_file))
    assert result.returncode == 1
    assert result.stdout == b""
    err = plain(result.stderr.decode("utf-8"))
    assert "broken.json is not a saved audit that can be used:" in err
    assert "  - Statement 1.1.2 (‘Commitment to hearing the voice of young…’): the rating must be Red, Amber, Green or left blank; the file has 'purple'." in err


def test_a_missing_or_oversized_file_exits_1(tmp_path):
    missing = run_cli("validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and b"could not be opened" in missing.stderr
    big = tmp_path / "big.json"
    with big.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 10 * 1024 * 1024)  # sparse: refused from its size before a byte is read
    oversized = run_cli("score", str(big))
    assert oversized.returncode == 1 and b"The file is too large (42.0 MB)" in oversized.stderr


def test_notices_from_a_migrated_file_go_to_stderr_and_the_command_succeeds(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"schema": "belonging-audit/1", "framework": {"id": "relational-approaches-audit", "version": "2024-01"}, "responses": {"safe-ethos-1": {"rating": "green"}}}), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert "Note: This audit was saved with version 2024-01" in plain(result.stderr.decode("utf-8"))


def test_another_framework_file_can_be_named_and_a_broken_one_is_reported(tmp_path):
    bad = tmp_path / "oaip.json"
    bad.write_text("{}", encoding="utf-8")
    result = run_cli("statements", "--framework", str(bad))
    assert result.returncode == 1
    assert b"oaip.json: 'bands' is missing" in result.stderr


def test_a_mistyped_command_exits_2():
    assert run_cli("grade").returncode == 2


def test_an_xlsx_export_without_openpyxl_installed_explains_what_to_install(audit_file, tmp_path):
    # Simulate a machine without the optional openpyxl package.
    script = (
        "import runpy, sys; sys.modules['openpyxl'] = None; "
        f"sys.argv = ['audit_app', 'plan', {str(audit_file)!r}, '--format', 'xlsx', '-o', {str(tmp_path / 'p.xlsx')!r}]; "
        "runpy.run_module('audit_app', run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True)
    assert result.returncode == 1
    assert b"The Excel export needs the openpyxl package" in result.stderr and b"pip install openpyxl" in result.stderr
