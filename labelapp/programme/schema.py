"""The shape of the programme file (``criteria/programme.yaml``), checked with pydantic like the criteria files.

An indicator is a rule over criterion levels; the targets are cumulative numbers by the end of a year.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from labelapp.criteria.schema import ID_PATTERN, Strict, Text

INDICATOR_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class Condition(Strict):
    criterion: str = Field(pattern=ID_PATTERN)
    min_level: int = Field(ge=0, le=10)


class Indicator(Strict):
    id: str = Field(pattern=INDICATOR_ID)
    title: Text
    description: Text
    all: list[Condition] = Field(default_factory=list)
    any: list[Condition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_a_condition(self) -> Indicator:
        if not self.all and not self.any:
            raise ValueError("an indicator needs at least one condition in `all` or `any`")
        return self

    def conditions(self) -> list[Condition]:
        return [*self.all, *self.any]


class Renamed(Strict):
    # ``from`` is a Python keyword: the field is read from the file under that name.
    old: str = Field(alias="from", pattern=ID_PATTERN)
    to: str = Field(pattern=ID_PATTERN)


class Targets(Strict):
    labels_awarded: dict[int, int] = Field(default_factory=dict)
    good_examples: dict[int, int] = Field(default_factory=dict)


class ProgrammeFile(Strict):
    schema_version: int = Field(ge=1, le=1)
    title: Text
    years: list[int] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    renamed: list[Renamed] = Field(default_factory=list)
    targets: Targets = Field(default_factory=Targets)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def aliases(self) -> dict[str, str]:
        return {r.old: r.to for r in self.renamed}


def cross_check(data: ProgrammeFile, known_ids: set[str]) -> list[tuple[str, str]]:
    """Rules a field-level schema cannot state, among them that every criterion id is one some criteria version
    knows (``known_ids``): (path, problem) pairs."""
    problems: list[tuple[str, str]] = []
    if data.years != sorted(set(data.years)):
        problems.append(("years", f"must rise without repeats, found {data.years}"))
    if any(not 1900 <= year <= 2200 for year in data.years):
        problems.append(("years", "must be years such as 2025"))
    seen: dict[str, int] = {}
    for i, indicator in enumerate(data.indicators):
        if indicator.id in seen:
            problems.append((f"indicators[{i}].id", f"duplicate indicator id {indicator.id!r} "
                                                    f"(also indicators[{seen[indicator.id]}])"))
        seen.setdefault(indicator.id, i)
        for group in ("all", "any"):
            for c, condition in enumerate(getattr(indicator, group)):
                if condition.criterion not in known_ids:
                    problems.append((f"indicators[{i}].{group}[{c}].criterion",
                                     f"{condition.criterion!r} is not a criterion of any criteria version"))
    for r, renamed in enumerate(data.renamed):
        for field, value in (("from", renamed.old), ("to", renamed.to)):
            if value not in known_ids:
                problems.append((f"renamed[{r}].{field}", f"{value!r} is not a criterion of any criteria version"))
    for name in ("labels_awarded", "good_examples"):
        targets = getattr(data.targets, name)
        for year, value in targets.items():
            if year not in data.years:
                problems.append((f"targets.{name}.{year}", f"{year} is not one of the years {data.years}"))
            if value < 0:
                problems.append((f"targets.{name}.{year}", f"must be 0 or more, found {value}"))
        values = [targets[year] for year in sorted(targets)]
        if values != sorted(values):
            problems.append((f"targets.{name}", f"targets are cumulative and must not fall, found {values}"))
    return problems
