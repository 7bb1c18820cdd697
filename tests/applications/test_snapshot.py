"""The score snapshot recomputes exactly: over generated criteria files and answer sets, recomputing a snapshot
from its stored inputs (after the JSON round trip the database makes) gives the stored snapshot, floats
included."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from labelapp.applications.services import compute_snapshot
from labelapp.criteria.schema import CriteriaFile, cross_check

WEIGHTS = st.one_of(st.integers(1, 100).map(float), st.floats(0.01, 100, allow_nan=False, allow_infinity=False))
PERCENT = st.floats(0, 100, allow_nan=False, allow_infinity=False)


def text(value: str) -> dict:
    return {"et": value, "en": value}


@st.composite
def criteria_files(draw) -> CriteriaFile:
    """A valid criteria file: 1–4 areas of 1–4 criteria, a scale of 2–5 levels, weights, area minimums and award
    rules of every kind (survey on the value or the lower bound, every rule for missing survey data, label
    levels)."""
    top = draw(st.integers(1, 4))
    scale = [{"level": n, "label": text(f"level {n}")} for n in range(top + 1)]
    areas = []
    for a in range(draw(st.integers(1, 4))):
        criteria = [{"id": f"a{a}.c{c}", "title": text(f"Criterion {a}.{c}"), "guidance": text("Guidance"),
                     "weight": draw(WEIGHTS), "evidence_from_level": draw(st.integers(0, top)),
                     "levels": [{"level": n, "descriptor": text(f"Descriptor {n}")} for n in range(top + 1)]}
                    for c in range(draw(st.integers(1, 4)))]
        areas.append({"id": f"a{a}", "title": text(f"Area {a}"), "weight": draw(WEIGHTS),
                      "min_score": draw(st.one_of(st.none(), PERCENT)), "criteria": criteria})
    self_weight = draw(st.one_of(st.just(0.0), PERCENT))
    survey_weight = draw(PERCENT if self_weight else st.floats(1, 100))
    overall = draw(PERCENT)
    minimums = sorted(draw(st.lists(st.floats(overall, 100), max_size=3)))
    data = {
        "schema_version": 1, "framework": "generated", "version": "1.0", "title": text("Generated"),
        "valid_from": "2025-01-01", "scale": scale, "areas": areas,
        "award_rules": {
            "self_weight": self_weight, "survey_weight": survey_weight, "overall_threshold": overall,
            "area_minimum": draw(PERCENT),
            "survey": {"indicator": "engagement_satisfaction", "threshold": draw(PERCENT),
                       "applies_to": draw(st.sampled_from(["value", "ci_lower"])),
                       "min_sample": draw(st.integers(1, 200)),
                       "when_missing": draw(st.sampled_from(["fail", "self_only", "panel_decides"]))},
            "validity_months": draw(st.integers(1, 120)),
            "levels": [{"id": f"level{n}", "title": text(f"Level {n}"), "name": text(f"level {n}"), "min_score": m}
                       for n, m in enumerate(minimums)]},
    }
    criteria = CriteriaFile.model_validate(data)
    assert cross_check(criteria) == []
    return criteria


@st.composite
def surveys(draw) -> dict | None:
    """None, or the survey inputs as an application stores them."""
    if draw(st.booleans()):
        return None
    value = draw(PERCENT)
    low, high = draw(st.floats(0, value)), draw(st.floats(value, 100))
    n = draw(st.integers(0, 2000))
    return {"wave": draw(st.integers(2020, 2030)), "wave_id": draw(st.integers(1, 50)), "value": value,
            "ci_low": low, "ci_high": high, "n": n, "n_effective": draw(st.floats(0, max(n, 1))),
            "flag": draw(st.sampled_from(["ok", "insufficient"]))}


@st.composite
def scored(draw) -> tuple[CriteriaFile, dict, dict | None]:
    criteria = draw(criteria_files())
    top = len(criteria.scale) - 1
    answers = {c.id: draw(st.one_of(st.none(), st.integers(0, top))) for _area, c in criteria.criteria()}
    return criteria, answers, draw(surveys())


def stored(value):
    """What the database gives back: JSON written and read again."""
    return json.loads(json.dumps(value))


@settings(max_examples=300, deadline=None)
@given(case=scored())
def test_recomputing_a_stored_snapshot_from_its_inputs_gives_it_exactly(case):
    criteria, answers, survey = case
    snapshot = stored(compute_snapshot(criteria, answers, survey))
    # The criteria version too is as published: its content as JSON, read back.
    published = CriteriaFile.model_validate(stored(criteria.model_dump(mode="json")))
    inputs = snapshot["inputs"]
    assert compute_snapshot(published, inputs["answers"], inputs["survey"]) == snapshot
    assert stored(compute_snapshot(published, inputs["answers"], inputs["survey"])) == snapshot
