"""The scoring rules engine: criteria version + answers (+ survey figures) in, numbers and a verdict out.

Pure: no Flask, no database. The self-assessment review page, the panel and the what-if view all call it.
Scores are percentages (0–100). An unanswered criterion counts as level 0 and is reported as unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile


# Results are plain slotted records (not frozen: a frozen dataclass sets each field through object.__setattr__,
# which made building them most of the engine's time). Treat them as read-only.
@dataclass(slots=True)
class CriterionScore:
    id: str
    area_id: str
    level: int | None
    max_level: int
    weight: float
    score: float
    evidence_required: bool


@dataclass(slots=True)
class AreaScore:
    id: str
    score: float
    weight: float
    answered: int
    total: int
    min_score: float

    @property
    def passed(self) -> bool:
        return self.score >= self.min_score


@dataclass(frozen=True)
class SurveyFigures:
    """One municipality's indicator from one survey wave (share satisfied, in %)."""

    value: float
    ci_low: float
    ci_high: float
    n: int


@dataclass(slots=True)
class Reason:
    """One rule of the verdict: what was required, what was found, by how much it passed (+) or failed (-)."""

    rule: str
    passed: bool | None  # None: the rule could not be judged automatically (left to the panel)
    actual: float | None
    required: float | None

    @property
    def margin(self) -> float | None:
        if self.actual is None or self.required is None:
            return None
        return round(self.actual - self.required, 2)


@dataclass(slots=True)
class Result:
    criteria: list[CriterionScore]
    areas: list[AreaScore]
    self_score: float
    survey_score: float | None
    combined: float | None
    passed: bool | None
    level: str | None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for c in self.criteria if c.level is not None)


def _weighted(pairs: list[tuple[float, float]]) -> float:
    total = sum(weight for _, weight in pairs)
    return round(sum(score * weight for score, weight in pairs) / total, 2) if total else 0.0


def score_self(criteria: CriteriaFile, answers: Mapping[str, int | None]) -> tuple[list[CriterionScore],
                                                                                  list[AreaScore], float]:
    """Per-criterion, per-area and overall self-assessment scores.

    Area and overall scores are weighted means rounded to 2 decimals, summed in file order.
    """
    criterion_scores: list[CriterionScore] = []
    area_scores: list[AreaScore] = []
    for area, min_score, items in criteria.scoring_plan:
        total, weighted, answered = 0, 0.0, 0
        for criterion_id, top, weight, evidence_from in items:
            level = answers.get(criterion_id)
            if level is None:
                value, required = 0.0, False
            else:
                level = max(0, min(int(level), top))
                value, required = round(100.0 * level / top, 2), level >= evidence_from
                answered += 1
            criterion_scores.append(CriterionScore(criterion_id, area.id, level, top, weight, value, required))
            total += weight
            weighted += value * weight
        area_scores.append(AreaScore(area.id, round(weighted / total, 2) if total else 0.0, area.weight, answered,
                                     len(items), min_score))
    overall = _weighted([(a.score, a.weight) for a in area_scores])
    return criterion_scores, area_scores, overall


def evaluate(criteria: CriteriaFile, answers: Mapping[str, int | None], survey: SurveyFigures | None) -> Result:
    """Scores and the award-rule verdict with a reason for each rule."""
    criterion_scores, area_scores, self_score = score_self(criteria, answers)
    rules = criteria.award_rules
    reasons = [Reason(f"area:{a.id}", a.passed, a.score, a.min_score) for a in area_scores]

    survey_rule = rules.survey
    usable = survey is not None and survey.n >= survey_rule.min_sample
    survey_score = survey.value if usable else None
    self_weight, survey_weight = rules.self_weight, rules.survey_weight
    if usable:
        judged = survey.ci_low if survey_rule.applies_to == "ci_lower" else survey.value
        reasons.append(Reason(f"survey:{survey_rule.applies_to}", judged >= survey_rule.threshold, judged,
                              survey_rule.threshold))
    else:
        found = None if survey is None else float(survey.n)
        if survey_rule.when_missing == "fail":
            reasons.append(Reason("survey:missing", False, found, float(survey_rule.min_sample)))
        elif survey_rule.when_missing == "panel_decides":
            reasons.append(Reason("survey:missing", None, found, float(survey_rule.min_sample)))
        survey_weight = 0.0  # combine on the self-assessment alone

    if self_weight + survey_weight:
        combined = round((self_score * self_weight + (survey_score or 0.0) * survey_weight)
                         / (self_weight + survey_weight), 2)
    else:
        combined = None
    reasons.insert(0, Reason("overall", combined is not None and combined >= rules.overall_threshold, combined,
                             rules.overall_threshold))

    outcomes = [r.passed for r in reasons]
    passed = False if False in outcomes else (None if None in outcomes else True)
    level = None
    if passed is not False and combined is not None:
        reached = [lv for lv in rules.levels if combined >= lv.min_score]
        level = reached[-1].id if reached else None
    return Result(criterion_scores, area_scores, self_score, survey_score, combined, passed, level, reasons)
