"""The shape of a criteria file (schema_version 1), checked with pydantic and then cross-checked.

Everything the award depends on (weights, thresholds, the self/survey combination, validity) is data here.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from labelapp.criteria.patterns import ID_PATTERN, VERSION_PATTERN

SCHEMA_VERSION = 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in every interface language; both must be non-empty."""

    et: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("et", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.et


class Level(Strict):
    level: int = Field(ge=0, le=10)
    descriptor: Text


class ScaleLevel(Strict):
    level: int = Field(ge=0, le=10)
    label: Text


class Criterion(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    guidance: Text
    weight: float = Field(gt=0, le=100)
    evidence_from_level: int = Field(ge=0, le=10)
    levels: list[Level] = Field(min_length=2)

    @cached_property
    def max_level(self) -> int:  # computed once: the scoring engine asks for it for every answer
        return max(level.level for level in self.levels)


class Area(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    description: Text | None = None
    weight: float = Field(gt=0, le=100)
    min_score: float | None = Field(default=None, ge=0, le=100)
    criteria: list[Criterion] = Field(min_length=1)


class SurveyRule(Strict):
    indicator: str = Field(pattern=ID_PATTERN)
    threshold: float = Field(ge=0, le=100)
    applies_to: Literal["value", "ci_lower"]
    min_sample: int = Field(ge=1)
    # What happens when a municipality has no (or too little) survey data:
    # "fail" — the survey key fails; "self_only" — judged on the self-assessment alone (its weight becomes 100 %);
    # "panel_decides" — not failed automatically, the verdict is flagged for the panel.
    when_missing: Literal["fail", "self_only", "panel_decides"]


class LabelLevel(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    # The level's short name where a person reads it (registry, certificate, e-mails): "kuldtase" / "gold".
    # Required in files (cross_check); versions published before it existed show their title instead.
    name: Text | None = None
    min_score: float = Field(ge=0, le=100)

    def display_name(self, language: str) -> str:
        return (self.name or self.title).get(language)


class AwardRules(Strict):
    self_weight: float = Field(ge=0, le=100)
    survey_weight: float = Field(ge=0, le=100)
    overall_threshold: float = Field(ge=0, le=100)
    area_minimum: float = Field(ge=0, le=100)
    survey: SurveyRule
    validity_months: int = Field(ge=1, le=120)
    # A municipality whose label was revoked may apply again this many months after the revocation.
    reapply_after_revocation_months: int = Field(default=12, ge=0, le=120)
    levels: list[LabelLevel] = Field(default_factory=list)


class PanelRules(Strict):
    # Below this many assessors a panel is not formed, the coordinators are told when one shrinks below it
    # (a declared conflict), and it does not consolidate. Files published before the rule existed get 2.
    min_assessors: int = Field(default=2, ge=1, le=20)


class CriteriaFile(Strict):
    schema_version: Literal[1]
    framework: str = Field(pattern=ID_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    title: Text
    valid_from: dt.date
    scale: list[ScaleLevel] = Field(min_length=2)
    areas: list[Area] = Field(min_length=1)
    award_rules: AwardRules
    panel: PanelRules = Field(default_factory=PanelRules)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value):
        # YAML reads 2025.1 as a float; a version is a label, so keep what was written.
        return str(value) if isinstance(value, (int, float)) else value

    def criteria(self) -> list[tuple[Area, Criterion]]:
        return [(area, criterion) for area in self.areas for criterion in area.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for _, c in self.criteria() if c.id == criterion_id), None)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def area_min_score(self, area: Area) -> float:
        return self.award_rules.area_minimum if area.min_score is None else area.min_score

    @cached_property
    def scoring_plan(self) -> tuple[tuple[Area, float, tuple[tuple[str, int, float, int], ...]], ...]:
        """Per area: the area, its minimum score and (id, top level, weight, evidence-from level) of each
        criterion — what scoring needs, worked out once per file instead of once per application."""
        return tuple((area, self.area_min_score(area),
                      tuple((c.id, c.max_level, c.weight, c.evidence_from_level) for c in area.criteria))
                     for area in self.areas)


def cross_check(data: CriteriaFile) -> list[tuple[str, str]]:
    """Rules between fields that a field-level schema cannot state: (path, problem) pairs."""
    problems: list[tuple[str, str]] = []
    scale_levels = [s.level for s in data.scale]
    expected = list(range(len(scale_levels)))
    if scale_levels != expected:
        problems.append(("scale", f"levels must be {expected} in order, found {scale_levels}"))
    seen_areas: dict[str, int] = {}
    seen_criteria: dict[str, str] = {}
    for a, area in enumerate(data.areas):
        if area.id in seen_areas:
            problems.append((f"areas[{a}].id", f"duplicate area id {area.id!r} (also areas[{seen_areas[area.id]}])"))
        seen_areas.setdefault(area.id, a)
        for c, criterion in enumerate(area.criteria):
            path = f"areas[{a}].criteria[{c}]"
            if criterion.id in seen_criteria:
                problems.append((f"{path}.id", f"duplicate criterion id {criterion.id!r} "
                                               f"(also {seen_criteria[criterion.id]})"))
            seen_criteria.setdefault(criterion.id, path)
            levels = [level.level for level in criterion.levels]
            if levels != expected:
                problems.append((f"{path}.levels",
                                 f"levels must be contiguous and match the scale {expected}, found {levels}"))
            if criterion.evidence_from_level > max(levels, default=0):
                problems.append((f"{path}.evidence_from_level",
                                 f"{criterion.evidence_from_level} is above the highest level {max(levels)}"))
    rules = data.award_rules
    if rules.self_weight + rules.survey_weight <= 0:
        problems.append(("award_rules", "self_weight and survey_weight must not both be 0"))
    level_ids = [level.id for level in rules.levels]
    for n, level in enumerate(rules.levels):
        if level.name is None:
            problems.append((f"award_rules.levels[{n}].name", "a name in Estonian and English is required "
                                                              "(et, en), e.g. {et: kuldtase, en: gold}"))
    if len(set(level_ids)) != len(level_ids):
        problems.append(("award_rules.levels", f"duplicate label level ids {level_ids}"))
    minimums = [level.min_score for level in rules.levels]
    if minimums != sorted(minimums):
        problems.append(("award_rules.levels", f"min_score must rise from level to level, found {minimums}"))
    if minimums and minimums[0] < rules.overall_threshold:
        problems.append(("award_rules.levels[0].min_score",
                         f"{minimums[0]} is below the overall threshold {rules.overall_threshold}"))
    return problems


def format_location(location: tuple) -> str:
    """('areas', 2, 'criteria', 4, 'levels', 1, 'et') -> 'areas[2].criteria[4].levels[1].et'"""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(part)):
            text += ("." if text else "") + str(part)
    return text or "(top level)"
