"""Recognising what a column holds from its values when its header is not one of the known words.

Header words win (names.COLUMNS); a coordinator's choice wins over both. Each recognised column gets a reason
that the preview shows. Two columns that could both be the answer are not guessed between: the question is
returned for the coordinator to settle."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from labelapp.surveys.names import ANSWERS, fold

SAMPLE_ROWS = 200
MAX_SUBGROUP_VALUES = 12
NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*%?\s*$")
SHARE_WORDS = ("osakaal", "share", "protsent", "percent", "rahul", "satisf")
SUBGROUP_WORDS = {"subgroup:language": ("keel", "language", "lang"), "subgroup:gender": ("sugu", "gender", "sex"),
                  "subgroup:age_group": ("vanus", "age")}

BY_HEADER = _l("the header names it")
BY_CHOICE = _l("chosen by you")
ANSWERS_REASON = _l("the values are answers on the national scale")
SHARE_REASON = _l("numbers from 0 to 100 (or 0 to 1) under a share-like header or with %")
COUNT_REASON = _l("whole numbers of 0 or more next to the share")
WEIGHT_REASON = _l("positive decimal numbers beside the answers: weights")
SUBGROUP_REASON = _l("few distinct values and a header naming a group")


def _number(cell: str) -> float | None:
    if not NUMBER.match(cell):
        return None
    return float(cell.replace("%", "").replace(",", ".").strip())


def recognise(headers: list[str], rows: list[list[str]], roles: dict[str, str], chosen: dict[str, str]
              ) -> tuple[dict[str, str], dict[str, object], list[list[str]]]:
    """(roles, reason per header, ambiguous groups of headers). ``roles`` holds what the header words and the
    coordinator's ``chosen`` mapping already gave; the other columns are judged by their values in ``rows``."""
    roles = dict(roles)
    reasons: dict[str, object] = {h: BY_CHOICE if h in chosen else BY_HEADER for h in roles}
    reasons.update({h: BY_CHOICE for h, role in chosen.items() if not role})
    taken = set(roles.values())
    columns = {h: [str(r[i]).strip() for r in rows[:SAMPLE_ROWS] if i < len(r) and str(r[i]).strip()]
               for i, h in enumerate(headers) if h and h not in roles and h not in chosen}
    columns = {h: values for h, values in columns.items() if values}
    answers = [h for h, values in columns.items() if all(fold(v) in ANSWERS for v in values)]
    ambiguous = []
    if "answer" not in taken and len(answers) == 1:
        roles[answers[0]], reasons[answers[0]] = "answer", ANSWERS_REASON
        taken.add("answer")
    elif "answer" not in taken and len(answers) > 1:
        ambiguous.append(answers)
    numeric = {h: [_number(v) for v in values] for h, values in columns.items() if h not in roles}
    numeric = {h: nums for h, nums in numeric.items() if all(n is not None for n in nums)}
    order = [h for h in headers if h]
    for header, nums in numeric.items():
        share_like = any(word in fold(header) for word in SHARE_WORDS) or "%" in header or \
            any("%" in v for v in columns[header])
        if "share" not in taken and share_like and all(0 <= n <= 100 for n in nums):
            roles[header], reasons[header] = "share", SHARE_REASON
            taken.add("share")
    if "share" in taken and "n" not in taken:
        share = next(h for h, r in roles.items() if r == "share")
        position = order.index(share)
        for neighbour in order[position + 1: position + 2] + order[max(position - 1, 0): position]:
            nums = numeric.get(neighbour)
            if neighbour not in roles and nums and all(n >= 0 and n == int(n) for n in nums):
                roles[neighbour], reasons[neighbour] = "n", COUNT_REASON
                taken.add("n")
                break
    if "answer" in taken and "weight" not in taken:
        for header, nums in numeric.items():
            if header not in roles and all(n > 0 for n in nums) and any(n != int(n) for n in nums):
                roles[header], reasons[header] = "weight", WEIGHT_REASON
                taken.add("weight")
                break
    for header, values in columns.items():
        if header in roles or header in numeric or len(set(values)) > MAX_SUBGROUP_VALUES:
            continue
        for role, words in SUBGROUP_WORDS.items():
            if role not in taken and any(word in fold(header).split() or fold(header).startswith(word)
                                         for word in words):
                roles[header], reasons[header] = role, SUBGROUP_REASON
                taken.add(role)
                break
    return roles, reasons, ambiguous
