"""Every audit a school keeps on its device: backed up in one file and moved, nothing lost or doubled; and re-auditing
by copying the latest audit forward."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from audit_app import bridge, history, json_input, savefile
from audit_app.model import RESPONSE_TEXT_FIELDS, Details

from .support import FRAMEWORK, STATEMENT_IDS, SUBSECTION_IDS, plain
from .team_support import OAIP, OAIP_IDS, PROPERTY_SETTINGS, audits, build, saved_text
from .test_trend import JANUARY, SEPTEMBER

OAIP_REVIEW = build(OAIP, {OAIP_IDS[0]: "green"}, details=Details(setting="school", school="Oakfield Primary"))


def entries() -> dict:
    """What the page sends to back up every audit: both frameworks, oldest first within each."""
    return {
        "exported_at": "2026-01-20T16:02:11.000Z",
        "audits": [
            {"id": "3f1c2a9e-0b7d-4c55-9a31-2f0e8d6b7c41", "name": "Autumn audit", "created_at": "2025-09-20T08:00:00.000Z",
             "updated_at": "2025-09-22T17:30:00.000Z", "saved": json.loads(saved_text(SEPTEMBER))},
            {"id": "a7d90e12-5c3b-4f8e-b6a0-91c2d4e5f607", "name": "Spring re-audit", "created_at": "2026-01-10T08:00:00.000Z",
             "updated_at": "2026-01-15T12:00:00.000Z", "saved": saved_text(JANUARY)},
            {"id": "c0ffee00-0000-4000-8000-000000000001", "name": "", "created_at": "", "updated_at": "",
             "saved": json.loads(saved_text(OAIP_REVIEW))},
        ],
    }


def backup_text() -> str:
    answer = json.loads(bridge.write_history_backup(json.dumps(entries())))
    assert answer["ok"], answer
    return answer["text"]


def test_a_leader_downloads_every_audit_in_one_file_and_imports_it_on_another_device():
    text = backup_text()
    written = json.loads(text)
    assert list(written) == ["schema", "exported_at", "audits"]
    assert written["schema"] == "belonging-audit-history/1" and written["exported_at"] == "2026-01-20T16:02:11.000Z"
    assert list(written["audits"][0]) == ["id", "name", "framework", "created_at", "updated_at", "saved"]
    assert [entry["framework"]["id"] for entry in written["audits"]] == [FRAMEWORK.id, FRAMEWORK.id, OAIP.id]
    assert written["audits"][1]["saved"] == json.loads(saved_text(JANUARY))  # saved as an object, normalised

    imported = json.loads(bridge.read_history_backup(text.encode("utf-8")))
    assert imported["ok"] is True and imported["kind"] == "backup" and imported["notices"] == []
    assert imported["exported_at"] == "2026-01-20T16:02:11.000Z"
    assert [(a["id"], a["name"], a["created_at"]) for a in imported["audits"]] == [
        (e["id"], e["name"], e["created_at"]) for e in entries()["audits"]]
    assert [a["saved"] for a in imported["audits"]] == [json.loads(saved_text(a)) for a in (SEPTEMBER, JANUARY, OAIP_REVIEW)]
    assert imported["audits"][0]["framework"] == {"id": FRAMEWORK.id, "version": FRAMEWORK.version, "title": FRAMEWORK.title}
    # What the list shows before Python is ready is stored with it: the score and coverage.
    assert imported["audits"][1]["summary"] == {"percent": 57, "band": "amber", "band_label": "Amber", "rated": 7, "total": 40,
                                                "coverage_percent": 18, "status": "in-progress"}


def test_the_same_audits_always_make_the_same_file():
    assert backup_text() == backup_text()
    assert backup_text().endswith("}\n")
    read_back = history.read_backup(backup_text())
    again = json.loads(bridge.write_history_backup(json.dumps({"exported_at": read_back.exported_at, "audits": [
        {key: entry[key] for key in ("id", "name", "created_at", "updated_at", "saved")}
        for entry in read_back.as_dict()["audits"]]})))
    assert again["text"] == backup_text() and again["count"] == 3


def test_an_audit_imported_twice_is_recognised_by_its_id():
    imported = json.loads(bridge.read_history_backup(backup_text()))
    ids = [audit["id"] for audit in imported["audits"]]
    assert len(set(ids)) == 3  # the page compares these with the ids it holds; the engine never invents one
    doubled = json.loads(backup_text())
    doubled["audits"].append(dict(doubled["audits"][0], name="A copy"))
    answer = json.loads(bridge.read_history_backup(json.dumps(doubled)))
    assert answer["ok"] is False
    assert plain(answer["problems"]) == [
        "Audits 1 and 4 in the file have the same id (‘3f1c2a9e-0b7d-4c55-9a31-2f0e8d6b7c41’), so one could be taken for "
        "the other. The file may have been changed by another program."]


def test_a_single_saved_audit_is_accepted_where_a_backup_is_expected():
    answer = json.loads(bridge.read_history_backup(saved_text(SEPTEMBER).encode("utf-8")))
    assert answer["ok"] is True and answer["kind"] == "audit" and answer["exported_at"] == ""
    (entry,) = answer["audits"]
    assert (entry["id"], entry["name"], entry["created_at"], entry["updated_at"]) == (None, "", "", "")
    assert entry["saved"] == json.loads(saved_text(SEPTEMBER))


def test_a_damaged_backup_is_refused_whole_naming_each_bad_audit():
    damaged = json.loads(backup_text())
    damaged["audits"][1]["saved"]["responses"]["safe-ethos-1"]["rating"] = "purple"
    damaged["audits"][2]["id"] = ""
    answer = json.loads(bridge.read_history_backup(json.dumps(damaged)))
    assert answer["ok"] is False and "audits" not in answer
    assert plain(answer["problems"]) == [
        "Audit 2 (‘Spring re-audit’): Statement 1.1.1 (‘The School leadership team (SLT) are…’): the rating must be Red, "
        "Amber, Green or left blank; the file has 'purple'.",
        "Audit 3: its id is missing or damaged, so it could not be told apart from other audits. The file may have been "
        "changed by another program.",
    ]


@pytest.mark.parametrize(("change", "problem"), [
    ({"schema": "belonging-audit-history/2"}, "The file was saved by a newer version of this site (format belonging-audit-history/2); "
                                              "this version reads format belonging-audit-history/1. Open it with the latest version of the site."),
    ({"schema": "belonging-audit-history/0"}, "The file uses format belonging-audit-history/0, which this site never wrote, so it cannot be read."),
    ({"audits": {}}, "The file does not hold a list of audits (its 'audits' entry is missing or damaged)."),
    ({"audits": []}, "The file holds no audits."),
    ({"exported_at": 5}, "The file's time of backup ('exported_at') must be text."),
    ({"audits": [7]}, "Audit 1: it is not in the expected form."),
    ({"audits": [{"id": "x", "name": "Autumn", "saved": "text"}]}, "Audit 1 (‘Autumn’): the saved audit is missing or damaged."),
    ({"audits": [{"id": "x", "name": ["Autumn"], "saved": {}}]}, "Audit 1: the name must be text."),
])
def test_a_file_that_is_not_a_backup_from_this_site_gets_one_plain_problem(change, problem):
    raw = json.loads(backup_text()) | change
    answer = json.loads(bridge.read_history_backup(json.dumps(raw)))
    assert answer["ok"] is False and plain(answer["problems"])[0] == problem


def test_a_backup_is_read_by_the_same_checks_as_any_file():
    utf16 = backup_text().encode("utf-16")
    assert json.loads(bridge.read_history_backup(utf16))["ok"] is True
    latin1 = json.loads(bridge.read_history_backup('{"schema": "belonging-audit-history/1", "x": "Café"}'.encode("latin-1")))
    assert latin1["problems"] == [json_input.ENCODING_PROBLEM]
    assert json.loads(bridge.read_history_backup(b"[" * 100 + b"]" * 100))["ok"] is False
    assert json.loads(bridge.read_history_backup(12))["problems"] == ["The file could not be read: it was not text."]


def test_an_audit_saved_with_another_version_of_the_framework_comes_with_its_notice():
    old = json.loads(backup_text())
    old["audits"][0]["saved"]["framework"]["version"] = "2024-01"
    old["audits"][0]["saved"]["responses"]["gone-statement"] = {"rating": "red", "evidence": "Kept in the notice"}
    answer = json.loads(bridge.read_history_backup(json.dumps(old)))
    assert answer["ok"] is True
    notices = plain(answer["notices"])
    assert notices[0].startswith("Audit 1 (‘Autumn audit’): This audit was saved with version 2024-01 of the Relational Approaches Audit")
    assert "Kept in the notice" in notices[1]


def test_writing_refuses_what_could_not_be_read_back():
    bad = entries()
    bad["audits"][0]["id"] = "not an id!"
    bad["audits"][1]["saved"] = "{"
    answer = json.loads(bridge.write_history_backup(json.dumps(bad)))
    assert answer["ok"] is False
    assert plain(answer["problems"]) == [
        "Audit 1 (‘Autumn audit’): its id is missing or damaged, so it could not be told apart from other audits (the page "
        "gives every audit an id: 1 to 100 letters, digits, dots, colons, hyphens or underscores).",
        "Audit 2 (‘Spring re-audit’): The file is not one this site can read: it is not valid JSON (the first fault is on "
        "line 1, column 2). It may have been cut short or changed by another program.",
    ]
    doubled = entries()
    doubled["audits"][2]["id"] = doubled["audits"][0]["id"]
    assert "Audits 1 and 3 have the same id" in plain(json.loads(bridge.write_history_backup(json.dumps(doubled)))["problems"][0])
    assert json.loads(bridge.write_history_backup("[]")) == {"ok": True, "text": json.dumps(
        {"schema": "belonging-audit-history/1", "exported_at": "", "audits": []}, indent=2) + "\n", "count": 0, "notices": []}
    assert json.loads(bridge.write_history_backup('"x"'))["problems"] == ["The audits to back up must be a list."]
    assert json.loads(bridge.trend('"x"'))["problems"] == ["The audits must be a list of {name, data} entries."]


def test_a_backup_too_large_to_import_again_is_refused_rather_than_written(monkeypatch):
    monkeypatch.setattr(json_input, "MAX_FILE_BYTES", 20_000)
    monkeypatch.setattr(history, "MAX_FILE_BYTES", 20_000)
    answer = json.loads(bridge.write_history_backup(entries()))  # as objects: JSON text this long would be refused first
    assert answer["ok"] is False
    assert answer["problems"][0].startswith("These 3 audits together are too large for one file (")
    assert answer["problems"][0].endswith("Download them one by one instead.")


@PROPERTY_SETTINGS
@given(audits(), audits(OAIP))
def test_any_audits_come_back_from_a_backup_exactly_as_they_went(first, second):
    sent = {"exported_at": "now", "audits": [
        {"id": "one", "name": "First", "saved": json.loads(saved_text(first))},
        {"id": "two", "name": "Second", "saved": json.loads(saved_text(second))},
    ]}
    text, _, problems = history.write_backup(sent)
    assert not problems
    read = history.read_backup(text.encode("utf-8"))
    assert read.ok, read.problems
    assert [entry.audit for entry in read.entries] == [savefile.load(saved_text(first), FRAMEWORK).audit,
                                                        savefile.load(saved_text(second), OAIP).audit]


# ------------------------------------------------------------------------------------------- copy forward

FULL_SEPTEMBER = build(
    FRAMEWORK,
    {sid: "amber" for sid in STATEMENT_IDS},
    responses={sid: {key: f"{label} for {sid}" for key, label in RESPONSE_TEXT_FIELDS.items()} for sid in STATEMENT_IDS},
    details=Details(school="Oakfield Primary", date="2025-09-20", completed_by="A. Head"),
    notes={sub: f"Notes on {sub}" for sub in SUBSECTION_IDS},
)


def test_re_auditing_copies_forward_the_evidence_and_next_steps_with_the_ratings_cleared():
    answer = json.loads(bridge.copy_forward(saved_text(FULL_SEPTEMBER)))
    assert answer["ok"] is True and answer["notices"] == []
    new = answer["audit"]
    assert new["details"] == {"school": "Oakfield Primary", "date": "", "completed_by": ""}
    for sid in STATEMENT_IDS:
        assert new["responses"][sid] == {
            "rating": None, "evidence": f"Evidence for {sid}", "next_step": f"Next step for {sid}", "owner": f"Owner for {sid}",
            "target_date": "", "success_criteria": f"Success criteria for {sid}", "review_date": "",
        }
    assert new["subsection_notes"] == {sub: f"Notes on {sub}" for sub in SUBSECTION_IDS}
    assert savefile.load(json.dumps(new), FRAMEWORK).ok  # a normal saved audit


def test_copying_forward_keeps_the_setting_of_an_oaip_self_review_and_accepts_an_object():
    answer = json.loads(bridge.copy_forward(json.loads(saved_text(OAIP_REVIEW)), OAIP.id))
    assert answer["ok"] is True
    assert answer["audit"]["details"] == {"school": "Oakfield Primary", "date": "", "completed_by": "", "setting": "school"}
    assert all(response["rating"] is None for response in answer["audit"]["responses"].values())


def test_copying_forward_a_damaged_audit_gives_the_usual_problems():
    assert json.loads(bridge.copy_forward("{"))["ok"] is False
    assert json.loads(bridge.copy_forward(saved_text(OAIP_REVIEW)))["problems"][0].startswith(
        "The file is a saved OAIP self-review: Attendance and belonging, not a saved Relational Approaches Audit")
    assert json.loads(bridge.copy_forward(b"{}", "nope"))["ok"] is False


@PROPERTY_SETTINGS
@given(audits())
def test_copying_forward_never_loses_evidence_and_never_keeps_a_rating(audit):
    copied = history.copy_forward(FRAMEWORK, audit)
    for sid in STATEMENT_IDS:
        before, after = audit.response(sid), copied.response(sid)
        assert after.rating is None and after.target_date == "" and after.review_date == ""
        assert (after.evidence, after.next_step, after.owner, after.success_criteria) == (
            before.evidence, before.next_step, before.owner, before.success_criteria)
    assert copied.details == Details(school=audit.details.school, setting=audit.details.setting)
