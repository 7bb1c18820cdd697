"""What people read instead of the codes the import works with: indicators, shapes, column roles, subgroups."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from labelapp.surveys.names import fold

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
# Values of a subgroup column as files write them (compared after fold()) -> what a reader sees.
LANGUAGES = {"et": _l("Estonian"), "ru": _l("Russian"), "en": _l("English")}
LANGUAGE_SPELLINGS = {"et": ("et", "est", "eesti", "eesti keel", "estonian"), "ru": ("ru", "rus", "vene", "vene keel",
                                                                                  "russian"),
                      "en": ("en", "eng", "inglise", "inglise keel", "english")}
GENDERS = {"men": _l("Men"), "women": _l("Women")}
GENDER_SPELLINGS = {"men": ("m", "mees", "mehed", "male", "man", "men"),
                    "women": ("n", "f", "naine", "naised", "female", "woman", "women")}


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


def _spelled(value: str, spellings: dict[str, tuple[str, ...]]) -> str | None:
    folded = fold(value)
    return next((key for key, forms in spellings.items() if folded in forms), None)


def group(column: str, value: str) -> str:
    """A subgroup's value in words: questionnaire language 'ru' -> 'Russian' (Babel's name for a language code
    not listed here), gender 'N' -> 'Women'; anything else (age groups such as '18-34') as the file wrote it."""
    if column == "language":
        if known := _spelled(value, LANGUAGE_SPELLINGS):
            return str(LANGUAGES[known])
        try:
            name = Locale.parse(str(get_locale())).languages.get(Locale.parse(str(value).strip()).language)
        except (ValueError, UnknownLocaleError):
            name = None
        return name[:1].upper() + name[1:] if name else str(value)
    if column == "gender" and (known := _spelled(value, GENDER_SPELLINGS)):
        return str(GENDERS[known])
    return str(value)


FILTERS = {"survey_indicator": indicator, "survey_shape": shape, "survey_role": role, "survey_subgroup": subgroup}
