"""Criteria files: the shipped versions pass; broken variants fail with the path inside the file."""

import copy
from pathlib import Path

import pytest
import yaml

from labelapp.criteria.loader import CriteriaFileError, parse, read
from labelapp.criteria.schema import CriteriaFile

ROOT = Path(__file__).resolve().parents[2] / "criteria"
FIRST = ROOT / "kaasav-omavalitsus" / "2025.1.yaml"


def shipped() -> dict:
    return yaml.safe_load(FIRST.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(ROOT.glob("*/*.yaml")), ids=lambda p: p.name)
def test_shipped_versions_are_valid(path):
    data = read(path).data
    assert len(data.areas) == 6
    assert all(3 <= len(area.criteria) <= 5 for area in data.areas)
    assert all(len(c.levels) == 4 for _, c in data.criteria())


def _set(document: dict, dotted: str, value) -> None:
    *parents, last = dotted.split("/")
    target = document
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is DELETE:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


DELETE = object()
BROKEN = [
    # (change: path in document, new value), expected location, words in the message
    ("areas/2/criteria/1/levels/1/descriptor/en", DELETE, "areas[2].criteria[1].levels[1].descriptor.en", "missing"),
    ("areas/0/title/et", "   ", "areas[0].title.et", "blank"),
    ("areas/1/criteria/2/id", "communities.mapping", "areas[1].criteria[2].id", "duplicate criterion id"),
    ("areas/3/id", "strategy", "areas[3].id", "duplicate area id"),
    ("areas/0/criteria/0/levels/2/level", 5, "areas[0].criteria[0].levels", "contiguous"),
    ("areas/0/criteria/0/levels/3", DELETE, "areas[0].criteria[0].levels", "contiguous"),
    ("award_rules/overall_threshold", 120, "award_rules.overall_threshold", "less than or equal to 100"),
    ("award_rules/survey/threshold", -5, "award_rules.survey.threshold", "greater than or equal to 0"),
    ("award_rules/survey/applies_to", "median", "award_rules.survey.applies_to", "'value' or 'ci_lower'"),
    ("areas/4/weight", 0, "areas[4].weight", "greater than 0"),
    ("areas/0/criteria/0/evidence_from_level", 4, "areas[0].criteria[0].evidence_from_level", "above the highest"),
    ("award_rules/levels/1/min_score", 40, "award_rules.levels", "must rise"),
    ("award_rules/levels/0/name", DELETE, "award_rules.levels[0].name", "a name in Estonian and English"),
    ("award_rules/levels/1/name/en", "  ", "award_rules.levels[1].name.en", "blank"),
    ("award_rules/self_weight", 0, "award_rules", "must not both be 0"),
    ("areas/0/criteria/0/wieght", 1, "areas[0].criteria[0].wieght", "not a known field"),
    ("award_rules/validity_months", "two years", "award_rules.validity_months", "valid integer"),
    ("areas/5/criteria/0/id", "Bad Id!", "areas[5].criteria[0].id", "should match pattern"),
    ("scale/2/level", 7, "scale", "levels must be [0, 1, 2, 3]"),
]


@pytest.mark.parametrize("change,value,location,words", BROKEN, ids=[b[2] + ":" + b[3] for b in BROKEN])
def test_broken_variant_names_path_and_problem(change, value, location, words):
    document = copy.deepcopy(shipped())
    if change == "award_rules/survey/threshold":
        document["award_rules"]["survey_weight"] = 0  # keep the rest valid
    _set(document, change, value)
    if change == "award_rules/self_weight":
        document["award_rules"]["survey_weight"] = 0
    with pytest.raises(CriteriaFileError) as caught:
        parse(FIRST, yaml.safe_dump(document, allow_unicode=True).encode())
    problems = dict(caught.value.problems)
    assert location in problems, problems
    assert words in problems[location]
    assert str(FIRST) in str(caught.value)


def test_wrong_schema_version_is_refused_first():
    document = shipped() | {"schema_version": 2}
    with pytest.raises(CriteriaFileError) as caught:
        parse(FIRST, yaml.safe_dump(document).encode())
    assert caught.value.problems == [("schema_version", "must be 1, found 2")]


def test_invalid_yaml_names_line_and_column():
    with pytest.raises(CriteriaFileError) as caught:
        parse(FIRST, b"schema_version: 1\nareas: [\n  - oops: : :\n")
    where, what = caught.value.problems[0]
    assert where.startswith("line ")
    assert "not valid YAML" in what


def test_file_name_must_match_framework_and_version(tmp_path):
    path = tmp_path / "kaasav-omavalitsus" / "2030.1.yaml"
    path.parent.mkdir()
    path.write_bytes(FIRST.read_bytes())
    with pytest.raises(CriteriaFileError) as caught:
        read(path)
    assert caught.value.problems[0][0] == "(file name)"


def test_version_written_as_number_is_kept_as_text():
    document = shipped() | {"version": 2025.1}
    assert parse(FIRST, yaml.safe_dump(document).encode()).version == "2025.1"


def test_panel_minimum_is_read_from_the_file_and_is_2_when_absent():
    assert parse(FIRST, FIRST.read_bytes()).panel.min_assessors == 2
    document = shipped() | {"panel": {"min_assessors": 3}}
    assert parse(FIRST, yaml.safe_dump(document, allow_unicode=True).encode()).panel.min_assessors == 3
    with pytest.raises(CriteriaFileError) as caught:
        parse(FIRST, yaml.safe_dump(shipped() | {"panel": {"min_assessors": 0}}, allow_unicode=True).encode())
    assert "greater than or equal to 1" in dict(caught.value.problems)["panel.min_assessors"]


def test_content_published_before_the_panel_rule_still_validates_with_a_minimum_of_2():
    content = parse(FIRST, FIRST.read_bytes()).model_dump(mode="json")
    del content["panel"]
    assert CriteriaFile.model_validate(content).panel.min_assessors == 2


def test_a_version_published_before_level_names_shows_its_level_title():
    """Stored content published before ``name`` existed still loads (no cross-check on stored content)."""
    document = shipped()
    for level in document["award_rules"]["levels"]:
        del level["name"]
    level = CriteriaFile.model_validate(document).award_rules.levels[1]
    assert (level.display_name("et"), level.display_name("en")) == ("Kaasav omavalitsus – kuldtase",
                                                                     "Inclusive municipality – gold")


def test_shipped_level_names():
    levels = read(FIRST).data.award_rules.levels
    assert [(lv.id, lv.display_name("et"), lv.display_name("en")) for lv in levels] == [
        ("label", "põhitase", "standard"), ("gold", "kuldtase", "gold")]
