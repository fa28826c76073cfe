"""The OAIP self-review: a second framework, verbatim, with the setting chosen by the user."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app import bridge, exports, savefile, scoring
from audit_app.framework import (
    DEFAULT_FRAMEWORK_ID,
    FRAMEWORKS_DIR,
    FrameworkError,
    default_framework,
    framework_by_id,
    framework_ids,
    parse_framework,
)
from audit_app.model import Details, empty_audit
from audit_app.plan import build_plan

from .support import FRAMEWORK, plain, run_cli, saved
from .team_support import OAIP, OAIP_IDS, PROPERTY_SETTINGS, audits, build, saved_text
from .test_framework_data import RAW

SOURCE = Path(__file__).resolve().parents[1] / "source" / "oaip-attendance-and-belonging.txt"  # the client's text
OAIP_RAW = json.loads((FRAMEWORKS_DIR / "oaip-attendance-and-belonging.json").read_text(encoding="utf-8"))


def subsection_ids(framework, setting=None):
    return [sub.id for _, sub in framework.for_setting(setting).iter_subsections()]


def test_a_school_reviews_whole_setting_and_classroom_an_early_years_setting_whole_setting_and_early_years():
    assert [(s.id, s.label) for s in OAIP.settings] == [("school", "School"), ("early-years", "Early years setting")]
    assert subsection_ids(OAIP, "school") == ["curiosity-whole-setting", "curiosity-classroom", "partners-whole-setting", "partners-classroom"]
    assert subsection_ids(OAIP, "early-years") == ["curiosity-whole-setting", "curiosity-early-years", "partners-whole-setting", "partners-early-years"]
    assert len(subsection_ids(OAIP)) == 6 and len(OAIP_IDS) == 26  # no setting chosen: every part


def test_the_two_expectations_are_the_sections_with_their_evidence_base():
    assert [(s.id, s.number, s.title) for s in OAIP.sections] == [
        ("curiosity", "1", "There is a culture of professional curiosity about changes in attendance at the earliest stages."),
        ("partners", "2", "Parents and pupils are seen as partners in good attendance and are engaged in conversations early on."),
    ]
    assert OAIP.sections[0].evidence[0] == "Professional curiosity makes it more likely that the reasons underpinning changes to attendance will be identified and supported."
    assert [len(s.evidence) for s in OAIP.sections] == [2, 2]
    assert [[(sub.title, sub.applies_to) for sub in s.subsections] for s in OAIP.sections] == [
        [("Whole setting", ()), ("Early years", ("early-years",)), ("Classroom", ("school",))]
    ] * 2


def test_statement_ids_and_labels_follow_the_subsections():
    counts = {sub.id: len(sub.statements) for _, sub in OAIP.iter_subsections()}
    assert counts == {
        "curiosity-whole-setting": 5, "curiosity-early-years": 4, "curiosity-classroom": 3,
        "partners-whole-setting": 6, "partners-early-years": 6, "partners-classroom": 2,
    }
    for _, sub, statement in OAIP.iter_statements():
        assert statement.id == f"{sub.id}-{statement.number}"
    assert OAIP.statement_index["curiosity-classroom-2"][2].ref == "1.3.2"
    # Labels do not change with the setting: the Classroom part is 1.3 for a school too.
    assert [sub.ref for _, sub in OAIP.for_setting("school").iter_subsections()] == ["1.1", "1.3", "2.1", "2.3"]


def test_the_wording_is_the_sources_with_only_conversion_noise_fixed():
    assert OAIP.statement_index["curiosity-whole-setting-1"][2].text.endswith("including governors, committees and early years setting owners.")
    assert "needs. Working in this way" in OAIP.statement_index["partners-early-years-1"][2].text
    for text in [t for _, _, s in OAIP.iter_statements() for t in (s.text,)] + [e for s in OAIP.sections for e in s.evidence]:
        assert not re.search(r"\s\s|\u202f|,\S|•", text), text


def test_every_statement_and_evidence_bullet_appears_in_the_source_in_order():
    source = SOURCE.read_text(encoding="utf-8").replace("\u202f", " ").replace("governors,committees", "governors, committees")
    source = " ".join(source.replace("•", " ").split())
    position = 0
    for section in OAIP.sections:
        position = source.index(section.title, position)
        for bullet in section.evidence:
            position = source.index(bullet, position)
        for sub in section.subsections:
            position = source.index(f"How? {sub.title}", position)
            for statement in sub.statements:
                position = source.index(statement.text, position)


def test_the_self_review_rates_with_toolkit_1s_own_scale():
    """The OAIP text has no rating scale; the self-review borrows the guide's, word for word."""
    assert [(r.id, r.label, r.points, r.meaning) for r in OAIP.ratings] == [
        (r.id, r.label, r.points, r.meaning) for r in FRAMEWORK.ratings
    ]
    assert OAIP.bands == FRAMEWORK.bands


def test_frameworks_are_found_by_id_once_per_process():
    assert framework_ids() == ("oaip-attendance-and-belonging", "relational-approaches-audit")
    assert framework_by_id("oaip-attendance-and-belonging") is OAIP
    assert framework_by_id(DEFAULT_FRAMEWORK_ID) is default_framework()
    for bad in ("partnership-questions", "nope", "../frameworks/relational-approaches-audit", "", 7):
        with pytest.raises(FrameworkError, match="There is no audit framework called"):
            framework_by_id(bad)


def test_a_school_scores_only_the_parts_for_schools():
    audit = build(OAIP, {sid: "green" for sid in OAIP_IDS if "early-years" in sid} | {"curiosity-classroom-1": "red"}, details=Details(setting="school"))
    result = scoring.score(OAIP, audit)
    assert (result.overall.rated, result.overall.total, result.overall.percent) == (1, 16, 0)
    assert [sub.id for section in result.sections for sub in section.subsections] == subsection_ids(OAIP, "school")
    everything = scoring.score(OAIP, dataclasses.replace(audit, details=Details()))
    assert (everything.overall.rated, everything.overall.total) == (11, 26)


def test_the_plan_and_exports_leave_out_parts_for_other_settings():
    audit = build(OAIP, {"curiosity-early-years-1": "red", "curiosity-classroom-1": "amber"}, details=Details(school="Acorn Nursery", setting="early-years"))
    assert [a.statement_id for a in build_plan(OAIP, audit)] == ["curiosity-early-years-1"]
    md = exports.render(OAIP, audit, "md")
    assert "- **Setting:** Early years setting" in md
    assert "1.2.1" in md and "1.3" not in md and "Classroom" not in md
    assert exports.render(OAIP, audit, "csv").count("\r\n") == 2
    book = openpyxl.load_workbook(io.BytesIO(exports.render(OAIP, audit, "xlsx")))
    rows = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert ["Setting", "Early years setting"] == rows[4][:2]
    assert "Classroom" not in [row[1] for row in rows]


def test_the_relational_approaches_audit_workbook_has_no_setting_row():
    book = openpyxl.load_workbook(io.BytesIO(exports.render(FRAMEWORK, empty_audit(FRAMEWORK), "xlsx")))
    assert [c.value for c in book["Summary"]["A"]][:5] == [f"{FRAMEWORK.title}: summary", "School", "Date", "Completed by", "Framework"]


def test_the_saved_file_uses_the_same_schema_and_records_the_setting():
    audit = build(OAIP, {"partners-classroom-2": "amber"}, details=Details(setting="school"))
    data = json.loads(saved_text(audit))
    assert data["schema"] == "belonging-audit/1"
    assert data["framework"] == {"id": "oaip-attendance-and-belonging", "version": "1"}
    assert data["details"] == {"school": "", "date": "", "completed_by": "", "setting": "school"}
    assert list(data["responses"]) == OAIP_IDS  # answers for every part are kept, whatever the setting
    assert savefile.load(saved_text(audit), OAIP).audit == audit
    # The Relational Approaches Audit's saved form is unchanged: no setting.
    assert json.loads(saved(empty_audit(FRAMEWORK)))["details"] == {"school": "", "date": "", "completed_by": ""}


def test_a_setting_is_read_by_label_and_a_wrong_one_is_explained():
    raw = json.loads(saved_text(empty_audit(OAIP)))
    raw["details"]["setting"] = "early years SETTING"
    assert savefile.load(json.dumps(raw), OAIP).audit.details.setting == "early-years"
    raw["details"]["setting"] = "college"
    assert plain(savefile.load(json.dumps(raw), OAIP).problems) == (
        "The ‘Setting’ detail must be School, Early years setting or left blank; the file has 'college'.",
    )


def test_a_setting_in_a_relational_approaches_audit_file_is_ignored_with_a_notice():
    raw = json.loads(saved(empty_audit(FRAMEWORK)))
    raw["details"]["setting"] = "school"
    result = savefile.load(json.dumps(raw), FRAMEWORK)
    assert result.ok and result.audit.details.setting == ""
    assert plain(result.notices) == ("The file names a setting ('school'), but the Relational Approaches Audit is the same for every setting, so it was ignored.",)


def test_opening_an_oaip_file_as_the_audit_names_it():
    problems = savefile.load(saved_text(empty_audit(OAIP)), FRAMEWORK).problems
    assert problems == ("The file is a saved OAIP self-review: Attendance and belonging, not a saved Relational Approaches Audit, so it cannot be opened here.",)
    assert savefile.load_any(saved_text(empty_audit(OAIP))).framework is OAIP


def _setting_nobody_serves(raw):
    raw["settings"].append({"id": "college", "label": "College"})
    for section in raw["sections"]:
        for sub in section["subsections"]:
            sub.setdefault("applies_to", ["school", "early-years"])


def _broken(mutate):
    raw = copy.deepcopy(OAIP_RAW)
    mutate(raw)
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw["sections"][0]["subsections"][1].update(applies_to=["nursery"]), "sections[0].subsections[1]: 'applies_to' must list setting ids (early-years, school); got 'nursery'"),
        (lambda raw: raw["sections"][0]["subsections"][1].update(applies_to=[]), "sections[0].subsections[1]: 'applies_to' must be a non-empty list"),
        (lambda raw: raw["settings"].append({"id": "school", "label": "Again"}), "settings: setting ids must be unique"),
        (_setting_nobody_serves, "settings: no subsection applies to the setting 'college'"),
        (lambda raw: raw["sections"][1]["evidence"].append(""), "sections[1].evidence[2]: must be a non-empty string"),
        (lambda raw: raw["settings"][0].pop("label"), "settings[0]: 'label' is missing"),
    ],
)
def test_a_broken_settings_or_evidence_entry_is_refused_naming_the_entry(mutate, message):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_broken(mutate), "oaip.json")
    assert message in str(caught.value)


def test_applies_to_needs_declared_settings_and_the_first_framework_stays_valid():
    raw = copy.deepcopy(RAW)
    raw["sections"][0]["subsections"][0]["applies_to"] = ["school"]
    with pytest.raises(FrameworkError, match=r"sections\[0\]\.subsections\[0\]: 'applies_to' needs the framework to declare its 'settings'"):
        parse_framework(json.dumps(raw), "x.json")
    assert FRAMEWORK.settings == () and all(sub.applies_to == () for _, sub in FRAMEWORK.iter_subsections())
    assert FRAMEWORK.for_setting("") is FRAMEWORK
    with pytest.raises(ValueError):
        FRAMEWORK.for_setting("school")


def test_the_bridge_serves_either_framework_and_keeps_the_old_calls():
    data = json.loads(bridge.framework_json("oaip-attendance-and-belonging"))
    assert data["settings"] == [{"id": "school", "label": "School"}, {"id": "early-years", "label": "Early years setting"}]
    assert data["sections"][0]["evidence"][1].startswith("Early support for children")
    assert data["sections"][0]["subsections"][2]["applies_to"] == ["school"]
    assert json.loads(bridge.framework_json()) == json.loads(bridge.framework_json("relational-approaches-audit"))
    blank = json.loads(bridge.new_audit("oaip-attendance-and-belonging"))
    assert blank["details"]["setting"] == "" and len(blank["responses"]) == 26
    blank["details"]["setting"] = "school"
    blank["responses"]["partners-classroom-1"]["rating"] = "green"
    text = json.dumps(blank)
    scored = json.loads(bridge.score(text, "oaip-attendance-and-belonging"))
    assert (scored["overall"]["rated"], scored["overall"]["total"], scored["overall"]["percent"]) == (1, 16, 100)
    both = json.loads(bridge.score_and_plan(text, "oaip-attendance-and-belonging"))
    assert both["plan"]["actions"] == [] and both["score"] == scored
    assert bridge.export(text, "md", "oaip-attendance-and-belonging").startswith("# OAIP self-review: Attendance and belonging: action plan")
    assert json.loads(bridge.load_saved(text, "oaip-attendance-and-belonging"))["audit"] == json.loads(saved_text(savefile.load(text, OAIP).audit))
    # The old one-argument calls still mean the Relational Approaches Audit.
    assert json.loads(bridge.score(text))["problems"][0].startswith("The file is a saved OAIP self-review")
    assert [f["id"] for f in json.loads(bridge.frameworks_json())] == ["oaip-attendance-and-belonging", "relational-approaches-audit"]


@pytest.mark.parametrize("call", [
    lambda: bridge.framework_json("nope"), lambda: bridge.new_audit("nope"), lambda: bridge.score("{}", "nope"),
    lambda: bridge.plan("{}", "nope"), lambda: bridge.score_and_plan("{}", "nope"), lambda: bridge.export("{}", "md", "nope"),
    lambda: bridge.load_saved("{}", "nope"),
])
def test_an_unknown_framework_id_gives_problems_not_an_exception(call):
    assert json.loads(call()) == {"ok": False, "problems": ["There is no audit framework called 'nope'."]}


def test_the_command_line_reads_the_framework_from_the_saved_file(tmp_path):
    path = tmp_path / "acorn.json"
    path.write_text(saved_text(build(OAIP, {"curiosity-early-years-1": "green"}, details=Details(school="Acorn", setting="early-years"))), encoding="utf-8")
    result = run_cli("score", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert out.startswith("OAIP self-review: Attendance and belonging: Acorn, Early years setting")
    assert "1/21" in out and "Classroom" not in out
    assert run_cli("validate", str(path)).stdout.decode().endswith("OK, a saved OAIP self-review: Attendance and belonging. 1 of 21 statements rated.\n")
    listed = run_cli("statements", "--framework", "oaip-attendance-and-belonging").stdout.decode("utf-8")
    assert "1.2 Early years (only for: Early years setting)" in listed and "[curiosity-whole-setting-1]" in listed


@PROPERTY_SETTINGS
@given(audits(OAIP), st.data())
def test_answers_in_parts_that_do_not_apply_never_change_the_score_or_plan(audit, data):
    setting = audit.details.setting
    outside = [s.id for _, sub, s in OAIP.iter_statements() if not sub.applies(setting)]
    changed = dict(audit.responses)
    for statement_id in outside:
        changed[statement_id] = dataclasses.replace(changed[statement_id], rating=data.draw(st.sampled_from([None, "red", "green"])), next_step="x")
    other = dataclasses.replace(audit, responses=changed)
    assert scoring.score(OAIP, other) == scoring.score(OAIP, audit)
    assert build_plan(OAIP, other) == build_plan(OAIP, audit)
    assert scoring.score(OAIP, audit).overall.total == len(list(OAIP.for_setting(setting).iter_statements()))
    # and the saved file round-trips with its setting
    assert savefile.load(saved_text(audit), OAIP).audit == audit
