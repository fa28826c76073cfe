"""The command line for a leader who keeps audits in files: the trend and the governors' report."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from audit_app import bridge
from audit_app.model import Details

from .support import plain, run_cli
from .team_support import OAIP, OAIP_IDS, build, saved_text
from .test_governors_report import JANUARY_PLANNED
from .test_trend import MAY, SEPTEMBER


@pytest.fixture
def files(tmp_path):
    paths = []
    for name, audit in (("sept.json", SEPTEMBER), ("jan.json", JANUARY_PLANNED), ("may.json", MAY)):
        (tmp_path / name).write_text(saved_text(audit), encoding="utf-8")
        paths.append(name)
    return paths


def test_a_leader_prints_the_trend_of_the_files_in_the_order_given(tmp_path, files):
    result = run_cli("trend", *files, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    md = result.stdout.decode("utf-8")
    assert md.startswith("# Relational Approaches Audit: trend across 3 audits\n")
    rows = [line for line in md.splitlines() if line.startswith(("| 1 | sept.json", "| 2 | jan.json", "| 3 | may.json"))]
    assert len(rows) == 3 * 4  # the scores table, and one per section for the subsections
    assert result.stderr == b""
    backwards = run_cli("trend", "may.json", "sept.json", cwd=tmp_path).stdout.decode("utf-8")
    assert "| 1 | may.json | Summer term |" in backwards


def test_the_trend_as_csv_and_as_a_workbook_with_a_chart(tmp_path, files):
    text = run_cli("trend", *files, "--format", "csv", cwd=tmp_path).stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Position", "Audit", "Date"] and len(rows) == 1 + 3 * 12
    assert run_cli("trend", *files, "--format", "xlsx", cwd=tmp_path).returncode == 2  # needs -o
    assert run_cli("trend", *files, "--format", "xlsx", "-o", "trend.xlsx", cwd=tmp_path).returncode == 0
    workbook = openpyxl.load_workbook(tmp_path / "trend.xlsx")
    assert workbook.sheetnames == ["Trend", "Subsections", "Movements", "Changes"]
    as_json = json.loads(run_cli("trend", *files, "--format", "json", cwd=tmp_path).stdout)
    assert [audit["name"] for audit in as_json["audits"]] == files


def test_a_leader_makes_the_governors_report_from_the_command_line(tmp_path, files):
    md = run_cli("report", "sept.json", "jan.json", cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    text = md.stdout.decode("utf-8")
    assert text.startswith("# Relational Approaches Audit: report for governors\n\n- **Audit:** jan.json\n")
    assert "## Open actions" in text and "Termly pupil safety survey" in text
    assert run_cli("report", *files, "--format", "xlsx", "-o", "governors.xlsx", cwd=tmp_path).returncode == 0
    assert openpyxl.load_workbook(tmp_path / "governors.xlsx").sheetnames == ["Report", "Trend", "What moved", "Open actions"]
    figures = json.loads(run_cli("report", *files, "--format", "json", cwd=tmp_path).stdout)
    assert figures["latest"]["name"] == "may.json" and figures["previous"]["name"] == "jan.json"


def test_a_backup_of_every_audit_counts_as_its_audits_in_its_order(tmp_path, files):
    oaip = build(OAIP, {OAIP_IDS[0]: "amber"}, details=Details(setting="school"))
    backup = json.loads(bridge.write_history_backup(json.dumps({"exported_at": "now", "audits": [
        {"id": "a1", "name": "Autumn audit", "saved": saved_text(SEPTEMBER)},
        {"id": "o1", "name": "Setting review", "saved": saved_text(oaip)},
        {"id": "a2", "name": "Spring re-audit", "saved": saved_text(JANUARY_PLANNED)},
    ]})))["text"]
    (tmp_path / "all-audits.json").write_text(backup, encoding="utf-8")
    mixed = run_cli("trend", "all-audits.json", "may.json", cwd=tmp_path)
    assert mixed.returncode == 1
    assert plain(mixed.stderr.decode("utf-8")) == (
        "The files hold audits of more than one framework:\n  - Relational Approaches Audit and OAIP self-review: Attendance and "
        "belonging. Choose one with --framework (relational-approaches-audit or oaip-attendance-and-belonging).\n")
    chosen = run_cli("trend", "all-audits.json", "may.json", "--framework", "relational-approaches-audit", "--format", "json", cwd=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert [a["name"] for a in json.loads(chosen.stdout)["audits"]] == ["Autumn audit", "Spring re-audit", "may.json"]
    oaip_only = run_cli("report", "all-audits.json", "--framework", OAIP.id, "--format", "json", cwd=tmp_path)
    assert json.loads(oaip_only.stdout)["latest"]["name"] == "Setting review"
    none_left = run_cli("trend", "may.json", "all-audits.json", "--framework", OAIP.id, cwd=tmp_path)
    assert none_left.returncode == 1 and b"Traceback" not in none_left.stderr


def test_bad_files_get_plain_problems_and_never_a_traceback(tmp_path, files):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "bad-backup.json").write_text(json.dumps({"schema": "belonging-audit-history/1", "audits": []}), encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes('{"x": "Café"}'.encode("latin-1"))
    for args, heading in [
        (("trend", "sept.json", "broken.json"), "broken.json is not a saved audit that can be used:"),
        (("report", "bad-backup.json"), "bad-backup.json is not a backup of audits that can be used:"),
        (("trend", "latin1.json"), "latin1.json is not a saved audit that can be used:"),
        (("report", "missing.json"), "missing.json could not be opened:"),
        (("trend", "sept.json", "oaip.json"), "oaip.json could not be opened:"),
    ]:
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        err = result.stderr.decode("utf-8")
        assert err.startswith(heading) and "Traceback" not in err, err
    help_text = run_cli("trend", "--help").stdout.decode("utf-8")
    assert "oldest first" in help_text and "{md,csv,xlsx,json}" in help_text
    assert "report" in run_cli("--help").stdout.decode("utf-8")
