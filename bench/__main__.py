"""`make bench`: build synthetic data, measure, print one table (figure, labelapp, baseline, ratio, target) and
write it to bench-results/bench.json.

python -m bench [--survey-rows N] [--requests N] [--concurrency N] [--quick] [--only survey|startup|audit]
  --quick: smaller data (1,000 municipalities, 10,000 labels) and 100,000 survey respondents, for a try-out.
  --only survey: only the survey import figures.
  --only startup: only the start-up figures.
  --only audit: only `flask audit verify` against the plain digest loop.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench import audit_verify, dataset, scoring, startup, status_list, survey_import, web


def row(figure: str, value, baseline, target: str, met: bool | None, ratio=None) -> dict:
    if ratio is None and isinstance(value, (int, float)) and isinstance(baseline, (int, float)) and baseline:
        ratio = round(value / baseline, 2)
    return {"figure": figure, "value": value, "baseline": baseline, "ratio": ratio, "target": target,
            "met": {True: "yes", False: "NO", None: ""}[met]}


def postgres_cluster():
    from tests.support import postgres

    if not postgres.binaries_available():
        return None
    return postgres.PostgresCluster().start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--survey-rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000, help="requests per page under load")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["survey", "startup", "audit"], help="measure only this part")
    args = parser.parse_args()
    if args.only == "survey":
        table = survey_figures(100_000 if args.quick else args.survey_rows)
        print_table(table)
        return
    if args.only == "startup":
        print_table(startup_figures())
        return
    if args.only == "audit":
        print_table(audit_figures(10_000 if args.quick else audit_verify.ROWS))
        return
    size = {"municipalities": 1_000, "labels": 10_000, "in_review": 500} if args.quick else \
        {"municipalities": 10_000, "labels": 100_000, "in_review": 2_000}
    survey_rows = 100_000 if args.quick else args.survey_rows
    started = time.monotonic()
    table: list[dict] = []
    details: dict = {"size": size, "requests": args.requests, "concurrency": args.concurrency}
    work = Path(tempfile.mkdtemp(prefix="labelapp-bench-"))
    cluster = postgres_cluster()
    try:
        backends = {"sqlite": lambda name: f"sqlite:///{work / name / 'bench.sqlite3'}"}
        if cluster is not None:
            backends["postgresql"] = lambda name: cluster.create_database(name.replace("-", "_"))
        for backend, url_of in backends.items():
            small_dir, large_dir = work / f"{backend}-small", work / f"{backend}-large"
            small_dir.mkdir(), large_dir.mkdir()
            small = dataset.build(url_of(f"{backend}-small"), municipalities=10, labels=100, in_review=10,
                                  instance=small_dir)
            began = time.monotonic()
            large = dataset.build(url_of(f"{backend}-large"), **size, instance=large_dir)
            built = time.monotonic() - began
            table.append(row(f"[{backend}] build {size['municipalities']:,} municipalities, {size['labels']:,} "
                             f"labels, {size['in_review']:,} in review (s)", round(built, 1), None, "", None))
            counts_small, counts_large = web.query_counts(small), web.query_counts(large)
            for page, count in counts_large.items():
                table.append(row(f"[{backend}] database round trips: {page} (10 vs {size['municipalities']:,} "
                                 "municipalities)", count, counts_small[page], "equal and ≤ 12",
                                 count == counts_small[page] and count <= 12))
            for item in status_list.run(large.url, large.instance, size["labels"], backend):
                table.append(row(item["figure"], item["value"], None, item["target"], item["met"]))
            loads = web.under_load(large, backend, args.requests, args.concurrency, large_dir)
            details[f"{backend}_load"] = loads
            for result in loads:
                name, base = result["page"], result["baseline"]
                limit, held = web.targets(name)
                target = f"p95 ≤ {limit} ms" if limit else ""
                table.append(row(f"[{backend}] {name}: p50 / p95 / p99 (ms)",
                                 f"{result['p50']:.1f} / {result['p95']:.1f} / {result['p99']:.1f}",
                                 f"{base['p50']:.1f} / {base['p95']:.1f} / {base['p99']:.1f}", target,
                                 (result["p95"] <= limit) if limit else None,
                                 ratio=round(result["p95"] / base["p95"], 1)))
                low, high = result["ratio_range"]
                table.append(row(f"[{backend}] {name}: requests/s ÷ bare Flask, median of {web.ROUNDS} interleaved "
                                 f"rounds (range {low:.2f}–{high:.2f}){' (errors!)' if result['errors'] else ''}",
                                 round(result["rps"]), round(base["rps"]), "≥ 0.8" if held else "",
                                 result["ratio"] >= 0.8 if held else None,
                                 ratio=round(result["ratio"], 2)))
        score = scoring.measured()
        table.append(row(f"scoring {scoring.APPLICATIONS:,} applications, median of 3 (s)", round(score["engine"], 3),
                         round(score["baseline"], 3), "≤ 1 s", score["engine"] <= 1))
        table += survey_figures(survey_rows) + startup_figures() + \
            audit_figures(10_000 if args.quick else audit_verify.ROWS)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(table)
    print(f"\nTotal {time.monotonic() - started:.0f} s; {args.requests} requests per page at concurrency "
          f"{args.concurrency}, gunicorn {web.WORKERS} workers; the baseline of each web figure is a bare Flask "
          "route returning a constant under the same gunicorn, measured in this run.")
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"table": table, "details": details}, indent=1, ensure_ascii=False))
    print(f"(written to {out / 'bench.json'})")


def survey_figures(rows: int) -> list[dict]:
    """The survey import's figures (bench/survey_import.py): ratio as the median of the rounds, with its range."""
    return [row(item["figure"], item["value"], item["baseline"], f"{item['target']} (range {item['range']})",
                item["met"], item["ratio"]) for item in survey_import.run(rows)]


def startup_figures() -> list[dict]:
    """Start-up of a command reading no survey file (bench/startup.py), against ``import flask, sqlalchemy``."""
    return [row(item["figure"], item["value"], item["baseline"], f"{item['target']} (range {item['range']})",
                item["met"], item["ratio"]) for item in startup.run()]


def audit_figures(rows: int) -> list[dict]:
    """``flask audit verify`` against a plain digest loop over the same rows (bench/audit_verify.py)."""
    return [row(item["figure"], item["value"], item["baseline"], f"{item['target']} (range {item['range']})",
                item["met"], item["ratio"]) for item in audit_verify.run(rows)]


def print_table(table: list[dict]) -> None:
    width = max(len(r["figure"]) for r in table)
    print(f"\n{'figure':<{width}}  {'labelapp':>20}  {'baseline':>20}  {'ratio':>6}  {'target':<20} met")
    for r in table:
        print(f"{r['figure']:<{width}}  {r['value']!s:>20}  {'' if r['baseline'] is None else r['baseline']!s:>20}  "
              f"{'' if r['ratio'] is None else r['ratio']!s:>6}  {r['target']:<20} {r['met']}")


if __name__ == "__main__":
    main()
