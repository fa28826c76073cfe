"""A teacher turns an attendance figure into the learning missed, for a conversation with a family."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app import bridge
from audit_app.missed_learning import calculate

from .support import plain, run_cli
from .team_support import PROPERTY_SETTINGS


def test_a_percentage_gives_full_year_key_stage_and_weekly_figures():
    result = calculate({"percent": 87})
    assert result["ok"] is True and result["so_far"] is None
    assert result["full_year"] == {
        "days_possible": 190, "days_missed": 24.7, "weeks_possible": 38, "weeks_missed": 4.9,
        "sessions_possible": 380, "sessions_missed": 49.4, "lessons_missed": 124,
    }
    assert result["key_stage"]["years"] == 2 and result["key_stage"]["days_missed"] == 49.4
    assert result["per_week"] == {"days_missed": 0.7, "sessions_missed": 1.3, "lessons_missed": 3.3}
    assert (result["attendance_percent"], result["absence_percent"]) == (87, 13)
    assert result["summary"][2] == "Over a full school year at this rate: 24.7 of 190 school days missed (4.9 school weeks), 49.4 sessions, about 124 lessons."
    assert "Give the school days so far this year to see what has been missed so far." in result["notes"]


def test_sessions_attended_out_of_possible_give_exact_so_far_figures():
    result = calculate({"attended": 150, "possible": 180})
    assert result["input"] == {"kind": "sessions", "attended": 150, "possible": 180}
    assert result["so_far"] == {
        "days_possible": 90, "days_missed": 15, "weeks_possible": 18, "weeks_missed": 3,
        "sessions_possible": 180, "sessions_missed": 30, "lessons_missed": 75,
    }
    assert result["attendance_percent"] == 83.3 and result["full_year"]["days_missed"] == 31.7
    assert result["summary"][0] == "150 of 180 sessions attended: attendance of 83.3% means missing about 16.7 in every 100 sessions."


def test_every_assumption_can_be_changed():
    result = calculate({"percent": "90%", "school_days_per_year": "195", "sessions_per_day": 2, "lessons_per_day": "6",
                        "days_so_far": 100, "key_stage_years": 3})
    assert result["assumptions"] == {"school_days_per_year": 195, "sessions_per_day": 2, "lessons_per_day": 6, "days_so_far": 100, "key_stage_years": 3}
    assert result["so_far"]["days_missed"] == 10 and result["so_far"]["lessons_missed"] == 60
    assert result["full_year"]["days_missed"] == 19.5 and result["key_stage"]["days_missed"] == 58.5
    assert result["notes"][0].startswith("Approximate: assumes 195 school days in a full year, 2 sessions a day and 6 lessons a day")
    # Blank or null assumptions mean the default, as an empty form field would.
    assert calculate({"percent": 90, "lessons_per_day": "", "days_so_far": None})["assumptions"]["lessons_per_day"] == 5


def test_days_so_far_is_not_used_when_sessions_already_say_how_far_into_the_year():
    result = calculate({"attended": 50, "possible": 60, "days_so_far": 100})
    assert result["so_far"]["days_possible"] == 30
    assert "School days so far this year was not used: the sessions possible already say how much of the year has passed." in result["notes"]


@pytest.mark.parametrize(
    ("values", "persistent", "severe"),
    [({"percent": 90.1}, False, False), ({"percent": 90}, True, False), ({"attended": 162, "possible": 180}, True, False),
     ({"percent": 50.5}, True, False), ({"percent": 50}, True, True), ({"attended": 0, "possible": 10}, True, True)],
)
def test_persistent_and_severe_absence_use_the_dfe_thresholds(values, persistent, severe):
    result = calculate(values)
    assert (result["persistent_absence"], result["severe_absence"]) == (persistent, severe)
    assert [(f["id"], f["label"], f["applies"]) for f in result["flags"]] == [
        ("persistent-absence", "Persistent absence", persistent), ("severe-absence", "Severe absence", severe),
    ]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"percent": 101}, "Attendance (%) must be a number from 0 to 100 (a percentage); you gave 101."),
        ({"percent": -1}, "Attendance (%) must be a number from 0 to 100 (a percentage); you gave -1."),
        ({"percent": "eighty"}, "Attendance (%) must be a number from 0 to 100 (a percentage); you gave ‘eighty’."),
        ({"percent": float("inf")}, "Attendance (%) must be a number from 0 to 100 (a percentage); you gave inf."),
        ({"attended": 181, "possible": 180}, "Sessions attended (181) cannot be more than sessions possible (180)."),
        ({"attended": 0, "possible": 0}, "Sessions possible must be more than 0: with no possible sessions there is no attendance to work out."),
        ({"attended": 10.5, "possible": 20}, "Sessions attended must be a whole number; you gave 10.5."),
        ({"attended": 10}, "Give the sessions possible as well as the sessions attended."),
        ({"percent": 90, "possible": 20}, "Give either the attendance percentage or the sessions attended and possible, not both."),
        ({}, "Give the attendance as a percentage, or the sessions attended and the sessions possible."),
        ({"percent": 90, "lessons_per_day": 0}, "Lessons per day must be a number more than 0 and at most 20; you gave 0."),
        ({"percent": 90, "days_so_far": 191}, "School days so far this year (191) cannot be more than the school days in a full year (190)."),
        ({"attended": 300, "possible": 400}, "Sessions possible (400) is more than a full school year holds at these assumptions (190 days × 2 sessions = 380). Check the figures, or change the school days in a full year."),
        ({"percent": 90, "pupil_name": "Tom"}, "‘pupil_name’ is not something this calculator uses: it needs only attendance figures and the assumptions, never a pupil’s name or other details."),
        ([87], "The calculator needs its figures as named values (attendance, and any assumptions)."),
    ],
)
def test_unusable_figures_are_explained_never_raised(values, problem):
    result = calculate(values)
    assert result["ok"] is False and problem in plain(result["problems"])


def test_nothing_identifying_a_pupil_is_kept_in_the_result():
    result = json.dumps(calculate({"percent": 87}))
    assert set(calculate({"percent": 87})) == {
        "ok", "input", "assumptions", "attendance_percent", "absence_percent", "so_far", "per_week", "full_year",
        "key_stage", "persistent_absence", "severe_absence", "flags", "notes", "summary",
    }
    assert "name" not in result.lower().replace("named", "")


@PROPERTY_SETTINGS
@given(
    st.one_of(
        st.fixed_dictionaries({"percent": st.floats(0, 100)}),
        st.integers(1, 380).flatmap(lambda possible: st.fixed_dictionaries({"attended": st.integers(0, possible), "possible": st.just(possible)})),
    ),
    st.fixed_dictionaries({}, optional={
        "lessons_per_day": st.integers(1, 8), "days_so_far": st.integers(1, 190), "key_stage_years": st.integers(1, 4),
    }),
)
def test_days_missed_never_exceed_days_possible(attendance, assumptions):
    result = calculate(attendance | assumptions)
    assert result["ok"], result.get("problems")
    for period in ("so_far", "full_year", "key_stage"):
        figures = result[period]
        if figures is not None:
            assert 0 <= figures["days_missed"] <= figures["days_possible"]
            assert 0 <= figures["sessions_missed"] <= figures["sessions_possible"]
            assert 0 <= figures["weeks_missed"] <= figures["weeks_possible"]
    if "percent" in attendance:
        missed = 1 - Fraction(repr(attendance["percent"])) / 100
    else:
        missed = Fraction(attendance["possible"] - attendance["attended"], attendance["possible"])
    assert (result["persistent_absence"], result["severe_absence"]) == (missed >= Fraction(1, 10), missed >= Fraction(1, 2))


def test_the_page_calls_the_calculator_through_the_bridge():
    assert json.loads(bridge.missed_learning('{"percent": 87}')) == json.loads(json.dumps(calculate({"percent": 87})))
    assert json.loads(bridge.missed_learning("87")) == {"ok": False, "problems": ["The calculator needs its figures as named values (attendance, and any assumptions)."]}
    assert json.loads(bridge.missed_learning("{")) == {"ok": False, "problems": ["Could not read the figures: it was not valid JSON."]}


def test_the_calculator_on_the_command_line():
    text = run_cli("missed-learning", "--percent", "87")
    assert text.returncode == 0 and text.stdout.decode("utf-8").startswith("Attendance of 87% means missing about 13 in every 100 sessions.\n")
    data = json.loads(run_cli("missed-learning", "--attended", "150", "--possible", "180", "--lessons-per-day", "6", "--format", "json").stdout)
    assert data["so_far"]["lessons_missed"] == 90
    bad = run_cli("missed-learning", "--percent", "120")
    assert bad.returncode == 1 and "Attendance (%) must be a number from 0 to 100" in bad.stderr.decode("utf-8")
    assert run_cli("missed-learning", "--attended", "150").returncode == 2
    assert run_cli("missed-learning").returncode == 2
