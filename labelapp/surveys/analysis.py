"""Parse → validate → aggregate a survey file into a report. Nothing is written here (see services.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext

from labelapp.surveys import reader, words
from labelapp.surveys.names import ACCEPTED_ANSWERS, ANSWERS, SATISFIED, SHAPES, MunicipalityMatcher, fold  # noqa: F401
from labelapp.surveys.stats import summarise, wilson

MAX_PROBLEMS = 200
MIN_SUBGROUP_N = 10
# Why a row is not used, in the order checked (a row is counted once, under the first reason that applies).
EXCLUSIONS = ("unknown_municipality", "invalid_answer", "invalid_weight", "invalid_share", "invalid_n", "duplicate",
              "no_answer", "dont_know", "zero_weight")
MAX_STORED_INT = 2**31 - 1  # the database's INTEGER column
BLANK, UNKNOWN, DONT_KNOW, YES, OTHER = range(5)  # what an answer cell means (_Respondents._meaning)


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = ", ".join(x for x in (_("row %(n)d", n=self.row) if self.row else "",
                                      _("column %(name)s", name=repr(self.column)) if self.column else "") if x)
        shown = f" {self.value!r}:" if self.value is not None else ""
        return f"{where}:{shown} {self.message}" if where else f"{shown} {self.message}".strip()


@dataclass
class Result:
    municipality_id: int
    code: str
    name: str
    indicator: str
    value: float
    n: int
    n_effective: float
    ci_low: float
    ci_high: float
    flag: str
    subgroups: dict = field(default_factory=dict)


@dataclass
class Report:
    origin: str
    shape: str | None = None
    rows: int = 0
    layout: reader.Layout | None = None
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Problem] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    used: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    first_rows: dict[str, int] = field(default_factory=dict)  # reason -> first row excluded for it

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def accounting(self) -> dict:
        """Rows read, used and excluded by reason: read == used + sum(excluded). Stored with the wave."""
        return {"read": self.rows, "used": self.used,
                "excluded": {k: self.excluded[k] for k in EXCLUSIONS if self.excluded.get(k)}}

    def account(self, part: pd.DataFrame, reasons: list[tuple[str, pd.Series]]) -> np.ndarray:
        """Count each row of ``part`` under the first reason whose mask holds; return the mask of rows left."""
        left = np.ones(len(part), dtype=bool)
        lines = part["_line"].to_numpy()
        for reason, mask in reasons:
            hit = left & np.asarray(mask, dtype=bool)
            if hit.any():
                self.excluded[reason] = self.excluded.get(reason, 0) + int(hit.sum())
                self.first_rows.setdefault(reason, int(lines[hit][0]))
            left &= ~hit
        self.used += int(left.sum())
        return left

    def error(self, message: str, row: int | None = None, column: str | None = None, value=None) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(message, row, column, None if value is None else str(value)))

    def warn(self, message: str, row: int | None = None, column: str | None = None, value=None) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(message, row, column, None if value is None else str(value)))


class _Places:
    """Resolves the code/name columns of a chunk to municipality ids, reporting each bad value once."""

    def __init__(self, matcher: MunicipalityMatcher, report: Report, headers: dict[str, str]):
        self.matcher, self.report, self.headers = matcher, report, headers
        self.codes: dict[str, int | None] = {}
        self.names: dict[str, int | None] = {}
        self.disagreements: set[tuple[str, str]] = set()

    def resolve(self, part: pd.DataFrame) -> pd.Series:
        ids = pd.Series(pd.NA, index=part.index, dtype="Int64")
        if "code" in part:
            ids = _map_unique(part["code"], self._code)
        if "municipality" in part:
            by_name = _map_unique(part["municipality"], self._name)
            if "code" in part:
                self._compare(part, ids, by_name)
                if ids.isna().any():  # rows without a code fall back to their name
                    blank = _per_distinct(part["code"], lambda v: not str(v).strip(), dtype=bool)
                    ids = ids.fillna(by_name.where(blank))
            else:
                ids = by_name
        self._report_unknown(part, ids)
        return ids

    def _code(self, value: str) -> int | None:
        if value not in self.codes:
            place = self.matcher.by_code_text(value) if str(value).strip() else None
            self.codes[value] = place.id if place else None
        return self.codes[value]

    def _name(self, value: str) -> int | None:
        if value not in self.names:
            place, _suggestions = self.matcher.by_name(value)
            self.names[value] = place.id if place else None
        return self.names[value]

    def _compare(self, part: pd.DataFrame, by_code: pd.Series, by_name: pd.Series) -> None:
        clash = by_code.notna() & by_name.notna() & (by_code != by_name)
        for line, code, name in part.loc[clash, ["_line", "code", "municipality"]].itertuples(index=False):
            if (code, name) not in self.disagreements:
                self.disagreements.add((code, name))
                place = self.matcher.by_code_text(code)
                self.report.warn(_("the code %(code)s is %(name)s, but the name says %(given)s; the code is used",
                                   code=code, name=place.name, given=repr(name)),
                                 line, self.headers.get("municipality"), name)

    def _report_unknown(self, part: pd.DataFrame, ids: pd.Series) -> None:
        missing = part.loc[ids.isna()]
        if missing.empty:
            return
        columns = [c for c in ("code", "municipality") if c in part]
        keys = pd.Series(list(zip(*(_text(missing[c]) for c in columns), strict=True)), index=missing.index)
        for key, rows in missing["_line"].groupby(keys, sort=False):
            given = dict(zip(columns, key, strict=True))
            lines = rows.tolist()
            more = (ngettext(" (and %(num)d more row)", " (and %(num)d more rows)", len(lines) - 1)
                    if len(lines) > 1 else "")
            if given.get("code"):
                what, column, value, suggestions = _("not a known municipality code"), "code", given["code"], []
            elif given.get("municipality"):
                what, column, value = _("not a known municipality name"), "municipality", given["municipality"]
                suggestions = self.matcher.by_name(value)[1]
            else:
                what, column, value, suggestions = _("no municipality code or name"), columns[0], None, []
            hint = _("; closest: %(names)s", names=", ".join(suggestions)) if suggestions else ""
            self.report.error(f"{what}{hint}{more}", lines[0], self.headers.get(column), value)


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text, missing ones as ""."""
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def _per_distinct(values: pd.Series, lookup: Callable[[str], object], dtype=object) -> np.ndarray:
    """``lookup`` applied once per distinct value and spread back over the rows (a file has a million rows but
    only dozens of municipalities and five answers). Missing cells are looked up as ""."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # the CSV reader already found the distinct values
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.array([lookup(value) for value in uniques] + [lookup("")], dtype=dtype)
    return table[codes]  # the sentinel -1 picks the last entry


def _map_unique(values: pd.Series, lookup: Callable[[str], int | None]) -> pd.Series:
    """Municipality ids (nullable) for a column of codes or names."""
    found = _per_distinct(values, lambda v: np.nan if (r := lookup(v)) is None else float(r), dtype=float)
    return pd.Series(found, index=values.index).astype("Int64")


def _check_numbers(report: Report, part: pd.DataFrame, column: str, values: pd.Series, header: str,
                   low: float, high: float | None, expected: str) -> pd.Series:
    bad = values.isna() | (values < low) | ((values > high) if high is not None else False)
    for line, raw in part.loc[bad, ["_line", column]].itertuples(index=False):
        report.error(_("expected %(what)s", what=expected), line, header, raw)
    return ~bad


def analyse(path: Path, origin: str, matcher: MunicipalityMatcher, *, shape: str | None = None,
            mapping: dict[str, str] | None = None, indicator: str = "engagement_satisfaction",
            min_sample: int = 30, progress: Callable[[int], None] | None = None,
            parsed: reader.Parsed | None = None) -> Report:
    """Check every row; aggregate respondent-level rows; return the report (results only if ok). ``parsed`` is
    the file as read at staging (reader.parse); without it the file is read now."""
    report = Report(origin)
    parsed = parsed or reader.parse(path)
    if parsed.error is not None:
        report.error(parsed.error)
        return report
    layout = reader.with_roles(parsed, mapping)
    report.layout = layout
    for headers in layout.ambiguous:
        report.error(_("the columns %(columns)s all hold answers on the national scale; choose which one is the "
                       "answer under “Columns” below", columns=", ".join(repr(h) for h in headers)))
    if layout.ambiguous:
        return report
    roles = set(layout.roles.values())
    headers = {role: header for header, role in layout.roles.items()}
    report.unmapped = [h for h in layout.headers if h and h not in layout.roles]
    report.shape = shape or ("respondents" if "answer" in roles else "aggregated" if "share" in roles else None)
    required = {"respondents": ["answer"], "aggregated": ["share", "n"]}.get(report.shape, ["answer"])
    missing = [role for role in required if role not in roles]
    if not roles & {"code", "municipality"}:
        missing.insert(0, "code or municipality")
    if report.shape is None or missing:
        report.error(_("missing required column(s): %(missing)s; found %(found)s. Name the columns as expected "
                       "(e.g. EHAK, omavalitsus, vastus, kaal, osakaal, n) or map them by hand",
                       missing=", ".join(words.role(m) for m in missing), found=layout.headers))
        return report
    places = _Places(matcher, report, headers)
    collect = _Respondents(report, headers, places) if report.shape == "respondents" else \
        _Aggregated(report, headers, places, indicator)
    try:
        for part in reader.parsed_chunks(parsed, layout):
            report.rows += len(part)
            collect.add(part)
            if progress:
                progress(len(part))
    except reader.FormatError as exc:
        report.error(str(exc))
        return report
    if report.rows == 0:
        report.error(_("the file has a header but no data rows"))
    _warn_exclusions(report)
    if report.ok:
        report.results = collect.results(matcher, indicator, min_sample)
    return report


def _warn_exclusions(report: Report) -> None:
    """Rows left out without being errors are said so, with the first row of each kind."""
    if count := report.excluded.get("no_answer"):
        report.warn(ngettext("%(num)d row has no answer; it is counted as “no answer” and left out of the share",
                             "%(num)d rows have no answer; they are counted as “no answer” and left out of the share",
                             count), report.first_rows["no_answer"],
                    next(h for h, r in report.layout.roles.items() if r == "answer"))
    if count := report.excluded.get("zero_weight"):
        report.warn(ngettext("%(num)d row has the weight 0 and is left out",
                             "%(num)d rows have the weight 0 and are left out", count),
                    report.first_rows["zero_weight"])


class _Sums:
    """Running sums per key (municipality id, or municipality and subgroup): Σw, Σw², Σw·satisfied, count."""

    def __init__(self) -> None:
        self.table: dict[object, np.ndarray] = {}

    def add(self, keys: np.ndarray, w: np.ndarray, satisfied: np.ndarray, labels: list) -> None:
        size = len(labels)
        stacked = np.vstack([
            np.bincount(keys, weights=w, minlength=size), np.bincount(keys, weights=w * w, minlength=size),
            np.bincount(keys, weights=w * satisfied, minlength=size), np.bincount(keys, minlength=size),
        ])
        for index in np.flatnonzero(stacked[3]):
            label = labels[index]
            self.table[label] = self.table.get(label, 0) + stacked[:, index]


class _Respondents:
    def __init__(self, report: Report, headers: dict[str, str], places: _Places):
        self.report, self.headers, self.places = report, headers, places
        self.subgroup_columns = [role for role in headers if role.startswith("subgroup:")]
        self.totals = _Sums()
        self.subtotals = {role: _Sums() for role in self.subgroup_columns}
        self.answers: dict[str, object] = {}
        self.seen: set[int] = set()  # municipalities with rows, used or not

    def _meaning(self, value: str) -> int:
        """The answer as a small number (one lookup per distinct value): blank, not on the scale, "don't know",
        satisfied, or another answer on the scale."""
        if value not in self.answers:
            meaning = ANSWERS.get(fold(value), "?") if str(value).strip() else ""
            self.answers[value] = {"": BLANK, "?": UNKNOWN, None: DONT_KNOW, SATISFIED: YES}.get(meaning, OTHER)
        return self.answers[value]

    def add(self, part: pd.DataFrame) -> None:
        ids = self.places.resolve(part)
        self.seen.update(int(m) for m in ids.dropna().unique())
        meaning = _per_distinct(part["answer"], self._meaning, dtype=np.int8)
        unknown = meaning == UNKNOWN
        for value, rows in part.loc[unknown].groupby("answer", sort=False, observed=True)["_line"]:
            more = (ngettext(" (and %(num)d more row)", " (and %(num)d more rows)", len(rows) - 1)
                    if len(rows) > 1 else "")
            self.report.error(_("not an answer on the national scale; accepted: %(answers)s",
                                answers=ACCEPTED_ANSWERS) + more,
                              int(rows.iloc[0]), self.headers["answer"], value)
        if "weight" in part:
            weights = reader.numbers(part["weight"], self.report.layout.decimal)
            good_weight = _check_numbers(self.report, part, "weight", weights, self.headers["weight"], 0, 1e12,
                                         _("a number of 0 or more"))
        else:
            weights, good_weight = pd.Series(1.0, index=part.index), pd.Series(True, index=part.index)
        usable = self.report.account(part, [
            ("unknown_municipality", ids.isna()), ("invalid_answer", unknown), ("invalid_weight", ~good_weight),
            ("no_answer", meaning == BLANK), ("dont_know", meaning == DONT_KNOW), ("zero_weight", weights == 0)])
        if not self.report.ok:
            return  # keep checking later chunks, but stop aggregating
        m = ids.to_numpy(dtype="int64", na_value=0)[usable]
        w = weights.to_numpy(dtype=float)[usable]
        satisfied = (meaning == YES)[usable].astype(float)
        self.totals.add(m, w, satisfied, list(range(int(m.max(initial=0)) + 1)))
        for role in self.subgroup_columns:
            column = part[role]
            if isinstance(column.dtype, pd.CategoricalDtype):  # the distinct values are known already
                codes = column.cat.codes.to_numpy()[usable].astype("int64")
                groups = [*column.cat.categories, ""]
                codes[codes < 0] = len(groups) - 1  # a blank cell
            else:
                codes, groups = pd.factorize(column.to_numpy()[usable], use_na_sentinel=False)
            # Labels differing only by spaces are summed together; a blank cell is in no subgroup.
            groups = ["" if pd.isna(g) else str(g).strip() for g in groups]
            keys = m * len(groups) + codes
            labels = [(mm, g) for mm in range(int(m.max(initial=0)) + 1) for g in groups]
            self.subtotals[role].add(keys, w, satisfied, labels)

    def results(self, matcher: MunicipalityMatcher, indicator: str, min_sample: int) -> list[Result]:
        places = {p.id: p for p in matcher.places}
        by_place: dict[object, list] = {}  # each municipality's subgroup sums, in the order they were first met
        for role, sums in self.subtotals.items():
            for (mm, group), entry in sums.table.items():
                by_place.setdefault(mm, []).append((role, group, entry))
        out = []
        for m, (sum_w, sum_w2, sum_sw, n) in self.totals.table.items():
            value, n_eff, low, high = summarise(sum_w, sum_w2, sum_sw)
            subgroups = {}
            for role, group, (g_w, g_w2, g_sw, g_n) in by_place.get(m, ()):
                if not group:
                    continue
                if g_n < MIN_SUBGROUP_N:  # too few to compute: kept as a count, so pages can say it is left out
                    subgroups.setdefault(role.split(":", 1)[1], {})[group] = {"n": int(g_n)}
                    continue
                share, sub_eff, sub_low, sub_high = summarise(g_w, g_w2, g_sw)
                subgroups.setdefault(role.split(":", 1)[1], {})[group] = {
                    "value": share, "n": int(g_n), "n_effective": sub_eff, "ci_low": sub_low, "ci_high": sub_high}
            place = places[int(m)]
            out.append(Result(place.id, place.code, place.name, indicator, value, int(n), n_eff, low, high,
                              "ok" if n >= min_sample and n_eff > 0 else "insufficient", subgroups))
        for m in self.seen - set(self.totals.table):  # rows, but none usable (all "don't know", weights 0 ...)
            place = places[m]
            out.append(Result(place.id, place.code, place.name, indicator, 0.0, 0, 0.0, 0.0, 100.0, "insufficient"))
        return sorted(out, key=lambda r: r.code)


class _Aggregated:
    def __init__(self, report: Report, headers: dict[str, str], places: _Places, indicator: str):
        self.report, self.headers, self.places, self.indicator = report, headers, places, indicator
        self.rows: list[tuple] = []
        self.seen: dict[tuple[int, str], int] = {}

    def add(self, part: pd.DataFrame) -> None:
        ids = self.places.resolve(part)
        share = reader.numbers(part["share"], self.report.layout.decimal)
        ok_share = _check_numbers(self.report, part, "share", share, self.headers["share"], 0, 100,
                                  _("a share in per cent from 0 to 100"))
        n = reader.numbers(part["n"], self.report.layout.decimal)
        ok_n = _check_numbers(self.report, part, "n", n, self.headers["n"], 1, MAX_STORED_INT,
                              _("a whole number from 1 to %(max)d", max=MAX_STORED_INT))
        whole = n.notna() & (n == n.round())
        for line, raw in part.loc[ok_n & ~whole, ["_line", "n"]].itertuples(index=False):
            self.report.error(_("expected %(what)s", what=_("a whole number from 1 to %(max)d",
                                                             max=MAX_STORED_INT)), line, self.headers["n"], raw)
        indicators = part["indicator"].map(lambda v: fold(v).replace(" ", "_") or self.indicator) \
            if "indicator" in part else pd.Series(self.indicator, index=part.index)
        good = ids.notna() & ok_share & ok_n & whole
        label_column = "code" if "code" in part else "municipality"
        duplicate = pd.Series(False, index=part.index)
        for index, line, label, m, ind, value, count in zip(
                part.index[good], part["_line"][good], part[label_column][good], ids[good], indicators[good],
                share[good], n[good], strict=True):
            key = (int(m), ind)
            if key in self.seen:
                self.report.error(_("the municipality appears twice for indicator %(indicator)s (also row %(row)d)",
                                    indicator=ind, row=self.seen[key]),
                                  int(line), self.headers[label_column], label)
                duplicate[index] = True
                continue
            self.seen[key] = int(line)
            self.rows.append((int(m), ind, float(value), int(count)))
        self.report.account(part, [("unknown_municipality", ids.isna()), ("invalid_share", ~ok_share),
                                   ("invalid_n", ~(ok_n & whole)), ("duplicate", duplicate)])

    def results(self, matcher: MunicipalityMatcher, indicator: str, min_sample: int) -> list[Result]:
        places = {p.id: p for p in matcher.places}
        if self.rows and all(value <= 1 for _, _, value, _ in self.rows):
            self.report.warn(_("every share is at most 1: if the file has fractions, multiply them by 100"))
        out = []
        for m, ind, value, n in self.rows:
            low, high = wilson(value / 100, n)
            place = places[m]
            out.append(Result(place.id, place.code, place.name, ind, round(value, 2), n, float(n),
                              round(100 * low, 2), round(100 * high, 2), "ok" if n >= min_sample else "insufficient"))
        return sorted(out, key=lambda r: (r.code, r.indicator))
