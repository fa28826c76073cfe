"""Every file is checked before it is parsed, the same way in the browser and on the command line."""

from __future__ import annotations

import codecs
import json
import time

import pytest

from audit_app import savefile
from audit_app.framework import framework_by_id, framework_ids
from audit_app.json_input import (
    ENCODING_PROBLEM,
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    MAX_JSON_PARTS,
    InputProblem,
    read_json,
    structure_problem,
)
from audit_app.model import DETAIL_FIELDS, RESPONSE_TEXT_FIELDS, Audit, Details, Response
from audit_app.text_fields import MAX_TEXT_CHARS

from .support import FRAMEWORK, audit_with, saved

WORDS = "Café, naïve façade – “quoted” 🙂 مرحبا שלום 日本語"
AUDIT = saved(audit_with({"safe-ethos-1": "green"}, responses={"safe-ethos-1": {"evidence": WORDS}}, details=Details(school=WORDS)))
DEEP = "The file is not one this site can read: its contents are nested more than 64 levels deep, which no saved file from this site is."


def problem_with(data: str | bytes) -> str:
    with pytest.raises(InputProblem) as caught:
        read_json(data)
    return str(caught.value)


@pytest.mark.parametrize(
    "encoded",
    [
        AUDIT.encode("utf-8"),
        codecs.BOM_UTF8 + AUDIT.encode("utf-8"),
        codecs.BOM_UTF16_LE + AUDIT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + AUDIT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 LE with BOM", "utf-16 BE with BOM"],
)
def test_a_leader_opens_a_file_saved_as_utf8_or_utf16_and_every_character_survives(encoded):
    result = savefile.load(encoded, FRAMEWORK)
    assert result.ok and result.notices == ()
    assert result.audit.details.school == WORDS and result.audit.response("safe-ethos-1").evidence == WORDS


@pytest.mark.parametrize(
    "encoded",
    [
        saved(audit_with(details=Details(school="École Sainte-Thérèse, naïve café"))).encode("latin-1"),
        AUDIT.encode("utf-8").replace("é".encode("utf-8"), b"\xe9"),
        codecs.BOM_UTF32_LE + AUDIT.encode("utf-32-le"),
        AUDIT.encode("utf-16-le"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["latin-1", "invalid utf-8", "utf-32", "utf-16 without BOM", "an image"],
)
def test_a_leader_opening_a_file_in_another_encoding_is_told_to_save_it_as_utf8(encoded):
    assert savefile.load(encoded, FRAMEWORK).problems == (ENCODING_PROBLEM,)
    assert "save it as UTF-8" in ENCODING_PROBLEM and "Latin-1" in ENCODING_PROBLEM


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "[" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        "[{" * 50_000,
        "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
    ],
    ids=["100,000 levels", "100,000 unclosed", "100,000 objects", "arrays and objects interleaved", "one level too deep"],
)
def test_deeply_nested_json_is_refused_before_parsing_with_a_plain_sentence(text):
    started = time.perf_counter()
    assert problem_with(text) == DEEP
    assert problem_with(text.encode("utf-8")) == DEEP
    assert time.perf_counter() - started < 2


def test_nesting_up_to_the_limit_and_brackets_inside_notes_are_fine():
    assert read_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    note = 'She said \\"[[[" and {{{' + "[" * 10_000 + "\\\\"
    raw = json.loads(AUDIT)
    raw["responses"]["safe-ethos-1"]["evidence"] = note
    result = savefile.load(json.dumps(raw), FRAMEWORK)
    assert result.ok and result.audit.response("safe-ethos-1").evidence == note


def test_the_nesting_check_matches_a_careful_count_on_tricky_texts():
    def careful_depth(text: str) -> int:
        depth = deepest = 0
        in_string = escaped = False
        for char in text:
            if in_string:
                escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
        return deepest

    pieces = ['"', "\\", "[", "]", "{", "}", '\\"', "x"]
    for seed in range(400):
        text = "[" * (seed % 70) + "".join(pieces[(seed * 7 + i * i) % len(pieces)] for i in range(seed % 50)) + "]" * (seed % 30)
        assert (structure_problem(text) is not None) == (careful_depth(text) > MAX_JSON_DEPTH), text


def test_a_file_of_more_parts_than_any_audit_is_refused_quickly():
    started = time.perf_counter()
    (problem,) = savefile.load("[" + "{}," * MAX_JSON_PARTS + "{}]", FRAMEWORK).problems
    assert problem == "The file is not one this site can read: it holds more than 100,000 groups of values, far more than any saved file from this site."
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    "text",
    ["[" * MAX_FILE_BYTES, "[]" * (MAX_FILE_BYTES // 2), ("[" * 64 + "]" * 64) * (MAX_FILE_BYTES // 128), '["' + "[" * (MAX_FILE_BYTES - 10) + '"]'],
    ids=["all open", "shallow and wide", "64 deep, repeated", "brackets inside one string"],
)
def test_the_checks_take_about_a_second_even_on_the_largest_file(text):
    started = time.perf_counter()
    try:
        read_json(text)
    except InputProblem:
        pass
    assert time.perf_counter() - started < 5  # CPython on a shared machine; Pyodide is about three times slower


def test_a_number_of_thousands_of_digits_is_a_plain_problem():
    assert problem_with('{"schema": ' + "9" * 5000 + "}") == (
        "The file is not one this site can read: it holds a number far too long to be real."
    )


def test_an_empty_file_a_huge_file_and_broken_json_are_named_plainly():
    assert problem_with(b"") == "The file is empty."
    assert problem_with(codecs.BOM_UTF8 + b"  \n") == "The file is empty."
    assert problem_with(b" " * (MAX_FILE_BYTES + 2)).startswith("The file is too large (32.0 MB). A saved audit is never more than 32 MB")
    assert problem_with(b" " * (MAX_FILE_BYTES + 1)).startswith("The file is too large (more than 32 MB).")
    assert problem_with("{") == (
        "The file is not one this site can read: it is not valid JSON (the first fault is on line 1, column 2). "
        "It may have been cut short or changed by another program."
    )


@pytest.mark.parametrize("framework_id", framework_ids())
def test_the_largest_audit_the_form_can_make_fits_in_a_file_the_site_reads(framework_id):
    # Every box full to the form's limit with the character that takes the most bytes in JSON ("\u0001"
    # becomes the six bytes \u0001): the form counts UTF-16 units, so no typed text can take more.
    framework = framework_by_id(framework_id)
    full = "\u0001" * MAX_TEXT_CHARS
    details = Details(**dict.fromkeys(DETAIL_FIELDS, full), setting="")
    audit = Audit(
        framework.id, framework.version, details=details,
        responses={s.id: Response("red", **dict.fromkeys(RESPONSE_TEXT_FIELDS, full)) for _, _, s in framework.iter_statements()},
        subsection_notes={sub.id: full for _, sub in framework.iter_subsections()},
    )
    text = savefile.dumps(audit, framework)
    assert len(text.encode("utf-8")) <= MAX_FILE_BYTES
    result = savefile.load(text, framework)
    assert result.ok and result.notices == () and result.audit == audit
