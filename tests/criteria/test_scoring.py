"""The scoring engine alone: examples computed by hand, and properties over random answers."""

from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from labelapp.criteria.loader import read
from labelapp.criteria.scoring import SurveyFigures, evaluate, score_self

CRITERIA = read(Path(__file__).resolve().parents[2] / "criteria" / "kaasav-omavalitsus" / "2025.1.yaml").data
CRITERION_IDS = [c.id for _, c in CRITERIA.criteria()]
GOOD_SURVEY = SurveyFigures(value=70.0, ci_low=62.0, ci_high=77.0, n=120)

answers_strategy = st.fixed_dictionaries({cid: st.one_of(st.none(), st.integers(0, 3)) for cid in CRITERION_IDS})
survey_strategy = st.one_of(st.none(), st.builds(
    lambda v, w, n: SurveyFigures(v, max(0.0, v - w), min(100.0, v + w), n),
    st.floats(0, 100), st.floats(0, 30), st.integers(0, 500)))


def test_all_top_levels_score_100_and_earn_gold():
    result = evaluate(CRITERIA, {cid: 3 for cid in CRITERION_IDS}, GOOD_SURVEY)
    assert result.self_score == 100.0
    assert result.combined == 0.6 * 100 + 0.4 * 70.0
    assert (result.passed, result.level) == (True, "gold")


def test_nothing_answered_scores_0_and_fails_every_area():
    result = evaluate(CRITERIA, {}, GOOD_SURVEY)
    assert result.self_score == 0.0
    assert result.passed is False
    assert [r.rule for r in result.reasons if r.passed is False] == ["overall"] + [f"area:{a.id}" for a in
                                                                                   CRITERIA.areas]


def test_weighted_area_score_by_hand():
    # decisions: early (weight 2) at level 3, feedback (1) at 0, accessible (1) at 3 -> (2*100 + 0 + 100) / 4 = 75
    _, areas, _ = score_self(CRITERIA, {"decisions.early": 3, "decisions.feedback": 0, "decisions.accessible": 3})
    decisions = next(a for a in areas if a.id == "decisions")
    assert (decisions.score, decisions.answered, decisions.total) == (75.0, 3, 3)


def test_survey_rule_on_lower_bound_fails_when_value_passes():
    rules = CRITERIA.award_rules
    lower_bound_rules = CRITERIA.model_copy(update={"award_rules": rules.model_copy(update={
        "survey": rules.survey.model_copy(update={"applies_to": "ci_lower"})})})
    survey = SurveyFigures(value=55.0, ci_low=45.0, ci_high=65.0, n=100)
    answers = {cid: 3 for cid in CRITERION_IDS}
    assert evaluate(CRITERIA, answers, survey).passed is True
    result = evaluate(lower_bound_rules, answers, survey)
    reason = next(r for r in result.reasons if r.rule.startswith("survey"))
    assert (result.passed, reason.rule, reason.actual, reason.required, reason.margin) == \
        (False, "survey:ci_lower", 45.0, 50.0, -5.0)


def test_small_sample_is_treated_as_missing_and_left_to_the_panel():
    answers = {cid: 3 for cid in CRITERION_IDS}
    result = evaluate(CRITERIA, answers, replace(GOOD_SURVEY, n=12))
    assert result.survey_score is None
    assert result.combined == 100.0  # judged on the self-assessment alone
    assert result.passed is None
    assert next(r for r in result.reasons if r.rule == "survey:missing").actual == 12


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy, survey=survey_strategy)
def test_scores_stay_between_0_and_100(answers, survey):
    result = evaluate(CRITERIA, answers, survey)
    numbers = [result.self_score] + [a.score for a in result.areas] + [c.score for c in result.criteria]
    numbers += [x for x in (result.combined, result.survey_score) if x is not None]
    assert all(0 <= x <= 100 for x in numbers)


@settings(max_examples=200, deadline=None)
@given(answers=answers_strategy, survey=survey_strategy, which=st.sampled_from(CRITERION_IDS))
def test_raising_a_level_never_lowers_any_score(answers, survey, which):
    before = evaluate(CRITERIA, answers, survey)
    current = answers[which]
    if current == 3:
        return
    after = evaluate(CRITERIA, {**answers, which: (current or 0) + 1 if current is not None else 1}, survey)
    assert after.self_score >= before.self_score
    assert all(a2.score >= a1.score for a1, a2 in zip(before.areas, after.areas, strict=True))
    assert all(c2.score >= c1.score for c1, c2 in zip(before.criteria, after.criteria, strict=True))
    if before.combined is not None:
        assert after.combined >= before.combined


@settings(max_examples=100, deadline=None)
@given(answers=answers_strategy, survey=survey_strategy)
def test_recomputing_gives_the_identical_result(answers, survey):
    assert evaluate(CRITERIA, dict(answers), survey) == evaluate(CRITERIA, dict(answers), survey)
