"""The framework file: the 40 statements of Toolkit 1, verbatim, and a loader that checks any framework."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from audit_app.framework import DEFAULT_FRAMEWORK_PATH, FrameworkError, load_framework, parse_framework

from .support import FRAMEWORK

SOURCE_GUIDE = Path(__file__).resolve().parents[1] / "source" / "relational-approaches-guide.md"  # the client's text
RAW = json.loads(DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8"))


def statement(statement_id: str):
    return FRAMEWORK.statement_index[statement_id][2]


def test_a_leader_sees_all_40_statements_in_their_three_sections():
    counts = {sub.id: len(sub.statements) for _, sub in FRAMEWORK.iter_subsections()}
    assert counts == {
        "safe-ethos": 8,
        "safe-practice": 7,
        "personalised-ethos": 2,
        "personalised-practice": 6,
        "personalised-individual": 2,
        "relationships-ethos": 3,
        "relationships-practice": 6,
        "relationships-individual": 6,
    }
    assert [(s.id, s.number, s.title) for s in FRAMEWORK.sections] == [
        ("safe", "1", "Feeling safe in school"),
        ("personalised", "2", "Personalised approach"),
        ("relationships", "3", "Positive relationships and interactions"),
    ]
    assert [sub.title for _, sub in FRAMEWORK.iter_subsections()] == [
        "Whole School values and ethos",
        "Whole School practice",
        "Whole School values and ethos",
        "Whole School practice",
        "Personalised support for individual children and young people",
        "Whole School values and ethos",
        "Whole School practice",
        "Personalised support for individual children and young people",
    ]


def test_statement_ids_are_the_subsection_id_and_the_source_number():
    for _, subsection, item in FRAMEWORK.iter_statements():
        assert item.id == f"{subsection.id}-{item.number}"
    for _, subsection in FRAMEWORK.iter_subsections():
        assert [s.number for s in subsection.statements] == [str(n) for n in range(1, len(subsection.statements) + 1)]


def test_every_statement_has_a_reference_label_section_subsection_number():
    assert statement("safe-ethos-5").ref == "1.1.5"
    assert statement("personalised-individual-2").ref == "2.3.2"
    assert statement("relationships-practice-6").ref == "3.2.6"
    assert len({s.ref for _, _, s in FRAMEWORK.iter_statements()}) == 40


def test_statement_wording_is_verbatim_from_the_toolkit():
    assert statement("safe-ethos-5").text == (
        "Commitment to action – when an adult or child raises concerns about safety, "
        "these are acting upon (‘You said, we did’)"
    )
    assert statement("safe-ethos-1").text == (
        "The School leadership team (SLT) are committed to promoting school belonging, examples of which "
        "from Ma (2018) and O’Keefe (2013) include the following:"
    )
    assert statement("personalised-practice-2").text == "Do you know the children who struggle to get into school in the morning?"
    assert statement("relationships-individual-5").text.endswith("when a member of staff is away for the day or longer, etc.")


def test_the_bulleted_examples_stay_inside_their_statements():
    slt = statement("safe-ethos-1").examples
    assert len(slt) == 5
    assert slt[0].startswith("There is an appreciation that some children will achieve only when")
    assert slt[1] == "SLT ensure time and/or flexibility in the school day for teachers to establish positive relationships with their students"
    assert statement("safe-practice-4").examples == (
        "Safeguarding children",
        "Trauma training",
        "Domestic abuse",
        "Emotional Based School Avoidance",
        "Emotional Coaching",
    )
    pedlar = statement("relationships-practice-6").examples
    assert len(pedlar) == 9 and pedlar[0] == "prioritise high-quality teacher–student relationships"
    others = [s for _, _, s in FRAMEWORK.iter_statements() if s.id not in {"safe-ethos-1", "safe-practice-4", "relationships-practice-6"}]
    assert all(s.examples == () for s in others)
    assert all("examples" in raw for section in RAW["sections"] for sub in section["subsections"] for raw in sub["statements"])


def test_the_text_is_free_of_pdf_conversion_noise():
    texts = [FRAMEWORK.guidance, FRAMEWORK.introduction]
    texts += [t for _, _, s in FRAMEWORK.iter_statements() for t in (s.text, *s.examples)]
    for text in texts:
        assert not re.search(r"<[a-z/]|•|  |\t|somechildren|\binthe\b", text), text
        assert text == text.strip()


def test_every_statement_and_example_appears_in_the_source_in_order():
    source = SOURCE_GUIDE.read_text(encoding="utf-8")
    toolkit = source[source.index("# Toolkit 1") : source.index("# Toolkit 2")]
    cleaned = re.sub(r"<[^>]+>", " ", toolkit).replace("•", " ")
    cleaned = cleaned.replace("somechildren", "some children")
    cleaned = re.sub(r"\binthe\b", "in the", cleaned)
    cleaned = " ".join(cleaned.split())
    position = 0
    for _, _, item in FRAMEWORK.iter_statements():
        found = cleaned.find(f"{item.number} {item.text}", position)
        assert found >= 0, item.id
        position = found
        for example in item.examples:
            assert example in cleaned, (item.id, example)
    guidance = " ".join(FRAMEWORK.guidance.replace("\n- ", " ").split())
    assert guidance in cleaned.replace(" - ", " ")
    assert FRAMEWORK.introduction in cleaned


def test_a_school_printing_toolkit_1_gets_the_notes_prompts_the_printed_guide_has():
    """The printed recording sheet ends every subsection's table with the same
    notes prompt, and one subsection with "Additional notes:" too; the data
    says which, so the Toolkit 1 page can print the same sheet."""
    source = SOURCE_GUIDE.read_text(encoding="utf-8").replace("’", "'")
    toolkit = source[source.index("# Toolkit 1") : source.index("# Toolkit 2")]
    header = re.compile(r"^(.*)\tRED\tAMBER\tGREEN$", flags=re.MULTILINE)
    titles = header.findall(toolkit)
    tables = header.split(toolkit)[2::2]  # the text after each table's header row
    subsections = [sub for _, sub in FRAMEWORK.iter_subsections()]
    assert [title.casefold() for title in titles] == [sub.title.casefold() for sub in subsections]
    for sub, table in zip(subsections, tables, strict=True):
        assert f"**Notes: {FRAMEWORK.notes_prompt.replace('’', "'")}**" in table, sub.id
        assert ("**Additional notes:**" in table) == bool(sub.additional_notes_prompt), sub.id
        if sub.additional_notes_prompt:
            assert f"**{sub.additional_notes_prompt}:**" in table
    assert [sub.id for sub in subsections if sub.additional_notes_prompt] == ["personalised-individual"]


def test_rag_meanings_points_and_bands_live_in_the_data():
    assert [(r.id, r.label, r.letter, r.meaning, r.points) for r in FRAMEWORK.ratings] == [
        ("red", "Red", "R", "No evidence for this area", 0),
        ("amber", "Amber", "A", "Some evidence of this area", 1),
        ("green", "Green", "G", "Strong evidence for this area", 2),
    ]
    assert RAW["bands"] == [
        {"rating": "green", "min_share": 0.75},
        {"rating": "amber", "min_share": 0.4},
        {"rating": "red", "min_share": 0.0},
    ]
    assert (RAW["schema"], RAW["id"], RAW["version"]) == ("belonging-framework/1", "relational-approaches-audit", "2025-04")


def test_the_default_framework_loads_from_the_package_without_a_path():
    assert load_framework(None) == FRAMEWORK
    assert load_framework(DEFAULT_FRAMEWORK_PATH) == FRAMEWORK


def _broken(mutate) -> str:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda raw: raw["sections"][1]["subsections"][0]["statements"][1].update(text=""),
            "relational-approaches-audit.json: sections[1].subsections[0].statements[1]: 'text' must be a non-empty string",
        ),
        (
            lambda raw: raw["sections"][0]["subsections"][1]["statements"][2].pop("examples"),
            "relational-approaches-audit.json: sections[0].subsections[1].statements[2]: 'examples' is missing",
        ),
        (
            lambda raw: raw["sections"][2]["subsections"][2]["statements"][0].update(exmaples=[]),
            "relational-approaches-audit.json: sections[2].subsections[2].statements[0]: unknown key 'exmaples'",
        ),
        (
            lambda raw: raw["sections"][2]["subsections"][0]["statements"][0].update(id="safe-ethos-1"),
            "sections[2].subsections[0].statements[0]: id 'safe-ethos-1' is already used at sections[0].subsections[0].statements[0]",
        ),
        (lambda raw: raw["bands"].pop(), "relational-approaches-audit.json: bands: one band must have 'min_share' 0"),
        (lambda raw: raw["bands"][0].update(rating="gold"), "bands[0]: 'rating' must be one of the rating ids"),
        (lambda raw: raw["ratings"][1].update(points="1"), "ratings[1]: 'points' must be a whole number"),
        (lambda raw: raw.update(schema="other/1"), "relational-approaches-audit.json: 'schema' must be 'belonging-framework/1'"),
        (lambda raw: raw["sections"][0]["subsections"][0]["statements"][0]["examples"].append(7), "statements[0].examples[5]: must be a non-empty string"),
        (lambda raw: raw["sections"][0].update(id="Feeling Safe"), "sections[0]: 'id' must use only lower-case letters"),
        (
            lambda raw: raw["sections"][1]["subsections"][2].update(additional_notes_prompt=["Additional notes"]),
            "sections[1].subsections[2]: 'additional_notes_prompt' must be a string",
        ),
    ],
)
def test_a_broken_framework_file_is_refused_naming_the_file_and_entry(mutate, message):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_broken(mutate), "relational-approaches-audit.json")
    assert message in str(caught.value)


def test_a_framework_file_that_is_not_json_or_missing_is_refused_by_name(tmp_path):
    bad = tmp_path / "oaip.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"^oaip\.json: not valid JSON"):
        load_framework(bad)
    with pytest.raises(FrameworkError, match=r"^missing\.json: cannot be read"):
        load_framework(tmp_path / "missing.json")


def test_a_second_framework_with_other_ratings_and_sections_loads_through_the_same_code():
    other = {
        "schema": "belonging-framework/1",
        "id": "oaip-attendance",
        "version": "2025-09",
        "title": "OAIP: Attendance and belonging",
        "source": "Ordinarily Available Inclusive Provision",
        "guidance": "Rate each expectation.",
        "ratings": [
            {"id": "not-yet", "label": "Not yet", "letter": "N", "meaning": "Not in place", "points": 0},
            {"id": "embedded", "label": "Embedded", "letter": "E", "meaning": "In place", "points": 3},
        ],
        "bands": [{"rating": "embedded", "min_share": 0.5}, {"rating": "not-yet", "min_share": 0}],
        "sections": [
            {
                "id": "attendance",
                "number": "A",
                "title": "Attendance and belonging",
                "subsections": [
                    {
                        "id": "curiosity",
                        "title": "Professional curiosity",
                        "statements": [{"id": "curiosity-1", "number": "1", "text": "There is a culture of professional curiosity.", "examples": []}],
                    }
                ],
            }
        ],
    }
    framework = parse_framework(json.dumps(other), "oaip.json")
    assert framework.max_points == 3
    assert [s.ref for _, _, s in framework.iter_statements()] == ["A.1.1"]
    assert [b.rating for b in framework.bands] == ["embedded", "not-yet"]
