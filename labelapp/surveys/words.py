"""What people read instead of the codes the import works with: indicators, shapes, column roles, subgroups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INDICATORS = {"engagement_satisfaction": _l("Satisfaction with how the municipality involves residents")}
SHAPES = {"aggregated": _l("aggregated (one row per municipality)"),
          "respondents": _l("respondent-level (one row per respondent)")}
ROLES = {
    "code": _l("Municipality code (EHAK)"), "municipality": _l("Municipality name"), "answer": _l("Answer"),
    "weight": _l("Weight"), "share": _l("Share satisfied, %"), "n": _l("Number of respondents"),
    "indicator": _l("Indicator"), "subgroup:language": _l("Subgroup: questionnaire language"),
    "subgroup:gender": _l("Subgroup: gender"), "subgroup:age_group": _l("Subgroup: age group"),
    "code or municipality": _l("Municipality code or name"),
}
SUBGROUPS = {"language": _l("Questionnaire language"), "gender": _l("Gender"), "age_group": _l("Age group")}


def _plain(code: str) -> str:
    """An unknown code made readable: 'trust_in_council' -> 'Trust in council'."""
    return str(code).replace("_", " ").strip().capitalize()


def indicator(code: str) -> str:
    return str(INDICATORS[code]) if code in INDICATORS else _plain(code)


def shape(code: str | None) -> str:
    return str(SHAPES[code]) if code in SHAPES else "?"


def role(code: str) -> str:
    return str(ROLES[code]) if code in ROLES else _plain(code)


def subgroup(code: str) -> str:
    return str(SUBGROUPS[code]) if code in SUBGROUPS else _plain(code)


FILTERS = {"survey_indicator": indicator, "survey_shape": shape, "survey_role": role, "survey_subgroup": subgroup}
