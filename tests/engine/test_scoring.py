"""Scores a leader can explain: points over rated statements, bands from the data, coverage."""

from __future__ import annotations

import json

import pytest

from audit_app import scoring
from audit_app.framework import parse_framework
from audit_app.model import empty_audit

from .support import FRAMEWORK, STATEMENT_IDS, audit_with, rate_all
from .test_framework_data import RAW


def test_a_leader_sees_an_unrated_statement_left_out_of_the_score():
    only_green = scoring.score(FRAMEWORK, audit_with({"safe-ethos-1": "green"})).overall
    assert (only_green.points, only_green.max_points, only_green.share, only_green.percent) == (2, 2, 1.0, 100)
    assert only_green.band == "green"
    assert only_green.counts == {"red": 0, "amber": 0, "green": 1, "unrated": 39}
    as_red = scoring.score(FRAMEWORK, audit_with({"safe-ethos-1": "green", "safe-ethos-2": "red"})).overall
    assert as_red.percent == 50  # a real Red does count


def test_a_new_audit_has_no_score_and_no_band_rather_than_red():
    overall = scoring.score(FRAMEWORK, empty_audit(FRAMEWORK)).overall
    assert overall.share is None and overall.percent is None and overall.band is None
    assert overall.band_label == "Not yet rated" and overall.score_text == "–"
    assert (overall.rated, overall.total, overall.coverage, overall.status) == (0, 40, 0.0, "not-started")


def test_counts_coverage_and_status_are_given_at_every_level():
    audit = audit_with({"safe-ethos-1": "red", "safe-ethos-2": "amber", "safe-practice-1": "green", "relationships-individual-6": "amber"})
    result = scoring.score(FRAMEWORK, audit)
    safe = result.sections[0]
    assert safe.metrics.counts == {"red": 1, "amber": 1, "green": 1, "unrated": 12}
    assert (safe.metrics.rated, safe.metrics.total, safe.metrics.coverage) == (3, 15, 0.2)
    assert safe.subsections[0].metrics.counts == {"red": 1, "amber": 1, "green": 0, "unrated": 6}
    assert result.sections[1].metrics.status == "not-started"
    assert result.overall.status == "in-progress"
    assert scoring.score(FRAMEWORK, rate_all("amber")).overall.status == "completed"


def test_sections_and_the_whole_audit_pool_statements_rather_than_averaging_averages():
    # 1.1 has one Green (100%), 1.2 has three Reds (0%): pooled 2 of 8 points = 25%, not the 50% average.
    audit = audit_with({"safe-ethos-1": "green", "safe-practice-1": "red", "safe-practice-2": "red", "safe-practice-3": "red"})
    section = scoring.score(FRAMEWORK, audit).sections[0].metrics
    assert (section.points, section.max_points, section.percent, section.band) == (2, 8, 25, "red")


@pytest.mark.parametrize(
    ("ratings", "percent", "band"),
    [
        (["green", "green", "amber", "red"], 63, "amber"),  # 5/8 = 62.5% rounds half up
        (["green", "amber"], 75, "green"),  # exactly 75% is Green
        (["amber", "amber", "amber", "red", "red"], 30, "red"),
        (["green", "red", "red", "red", "red"], 20, "red"),
        (["amber", "amber", "red", "red", "red"], 20, "red"),
        (["green", "red", "red", "red", "amber"], 30, "red"),
        (["amber", "amber", "amber", "amber", "red"], 40, "amber"),  # exactly 40% is Amber
        (["amber"] * 8, 50, "amber"),
    ],
)
def test_bands_follow_the_thresholds_in_the_framework_data(ratings, percent, band):
    audit = audit_with(dict(zip(STATEMENT_IDS, ratings)))
    overall = scoring.score(FRAMEWORK, audit).overall
    assert (overall.percent, overall.band) == (percent, band)


def test_changing_the_thresholds_in_the_data_changes_the_bands():
    raw = json.loads(json.dumps(RAW))
    raw["bands"] = [{"rating": "green", "min_share": 0.5}, {"rating": "red", "min_share": 0}]
    strict = parse_framework(json.dumps(raw), "test.json")
    overall = scoring.score(strict, audit_with({"safe-ethos-1": "amber"})).overall
    assert (overall.band, overall.band_label) == ("green", "Green")
    assert "Bands: Green from 50%, Red below 50%." in scoring.describe_scheme(strict)


def test_the_scheme_is_described_from_the_data_in_plain_words():
    text = scoring.describe_scheme(FRAMEWORK)
    assert "Red 0, Amber 1, Green 2" in text
    assert "never counted as Red" in text
    assert text.endswith("Bands: Green from 75%, Amber from 40%, Red below 40%.")


def test_score_as_json_has_the_promised_shape():
    data = scoring.score(FRAMEWORK, audit_with({"safe-ethos-1": "green"})).as_dict()
    metric_keys = {"points", "max_points", "share", "percent", "band", "band_label", "rated", "total", "coverage", "counts", "status"}
    assert set(data["overall"]) == metric_keys
    section = data["sections"][0]
    assert set(section) == metric_keys | {"id", "number", "title", "subsections"}
    assert set(section["subsections"][0]) == metric_keys | {"id", "ref", "title"}
    assert json.loads(json.dumps(data)) == data
