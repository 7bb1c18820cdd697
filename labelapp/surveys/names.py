"""Matching the words real survey files use: column headers, answers, municipality names and codes."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

# The two kinds of survey file: one row per municipality, or one row per respondent.
SHAPES = ("aggregated", "respondents")


def fold(text: object) -> str:
    """Case-, accent- and punctuation-insensitive form: 'Põltsamaa  Vald' -> 'poltsamaa vald'."""
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", plain).strip()


# canonical column -> header spellings (compared after fold())
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ehak", "ehak kood", "ehak code", "ehak_code", "kood", "code", "kov kood", "omavalitsuse kood", "lau"),
    "municipality": ("omavalitsus", "kov", "kov nimi", "municipality", "nimi", "name", "omavalitsuse nimi",
                     "local government"),
    "answer": ("vastus", "answer", "rahulolu", "rahulolu kaasamisega", "hinnang", "response"),
    "weight": ("kaal", "weight", "wgt", "kaalud", "kaalukoefitsient"),
    "share": ("osakaal", "share", "rahulolevate osakaal", "share satisfied", "rahul", "satisfied", "value",
              "vaartus", "protsent", "percent"),
    "n": ("n", "vastajaid", "vastajate arv", "respondents", "number of respondents", "valim"),
    "indicator": ("naitaja", "indicator"),
    "subgroup:language": ("keel", "language", "ankeedi keel", "questionnaire language", "kysitluse keel"),
    "subgroup:gender": ("sugu", "gender", "sex"),
    "subgroup:age_group": ("vanuseruhm", "vanus", "age group", "age_group"),
}
ROLES = list(COLUMNS)
_LOOKUP = {fold(spelling): role for role, spellings in COLUMNS.items() for spelling in spellings}


def column_role(header: object) -> str | None:
    return _LOOKUP.get(fold(header))


# The national scale, in Estonian and English. None = no opinion ("don't know"): left out of the share.
SATISFIED, DISSATISFIED = "satisfied", "dissatisfied"
ANSWERS: dict[str, str | None] = {}
for _spellings, _meaning in (
    (("väga rahul", "very satisfied"), SATISFIED),
    (("pigem rahul", "rather satisfied", "fairly satisfied", "somewhat satisfied"), SATISFIED),
    (("pigem ei ole rahul", "pigem pole rahul", "rather dissatisfied", "rather not satisfied",
      "somewhat dissatisfied"), DISSATISFIED),
    (("üldse pole rahul", "üldse ei ole rahul", "ei ole üldse rahul", "not at all satisfied", "very dissatisfied"),
     DISSATISFIED),
    (("ei oska öelda", "ei tea", "don't know", "dont know", "cannot say", "can't say"), None),
):
    for _spelling in _spellings:
        ANSWERS[fold(_spelling)] = _meaning
ACCEPTED_ANSWERS = "Väga rahul, Pigem rahul, Pigem ei ole rahul, Üldse pole rahul, Ei oska öelda (or in English)"


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str


class MunicipalityMatcher:
    """Finds municipalities by code (restoring leading zeros) or by name in its usual varying forms."""

    SUFFIXES = ("linn", "vald", "vallavalitsus", "linnavalitsus", "city", "municipality", "rural municipality")

    def __init__(self, places: list[Place]):
        self.places = places
        self.by_code = {p.code: p for p in places}
        self.by_number = {int(p.code): p for p in places if p.code.isdigit()}
        self.by_full: dict[str, Place] = {fold(p.name): p for p in places}
        self.by_stem: dict[str, list[Place]] = {}
        for place in places:
            self.by_stem.setdefault(self._stem(fold(place.name)), []).append(place)

    def _stem(self, folded: str) -> str:
        for suffix in self.SUFFIXES:
            if folded.endswith(" " + suffix):
                return folded[: -len(suffix) - 1]
        return folded

    def by_code_text(self, code: object) -> Place | None:
        text = str(code).strip()
        if text.endswith(".0"):  # a code that went through a spreadsheet as a number
            text = text[:-2]
        if text in self.by_code:
            return self.by_code[text]
        return self.by_number.get(int(text)) if text.isdigit() else None

    def by_name(self, name: object) -> tuple[Place | None, list[str]]:
        """The place, or None with the closest names as suggestions (several when the name is ambiguous)."""
        folded = fold(name)
        if folded in self.by_full:
            return self.by_full[folded], []
        stem = self._stem(folded)
        candidates = [stem] + ([stem[:-1]] if stem.endswith("a") else [])  # genitive: Tallinna -> Tallinn
        for candidate in candidates:
            found = self.by_stem.get(candidate, [])
            if len(found) == 1:
                return found[0], []
            if len(found) > 1:
                return None, sorted(p.name for p in found)
        close = difflib.get_close_matches(folded, list(self.by_full), n=3, cutoff=0.6)
        return None, [self.by_full[c].name for c in close]
