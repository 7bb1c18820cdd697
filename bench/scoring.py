"""10,000 applications through the scoring engine (criteria 2026.1, with survey figures) against the bare
arithmetic of the same weighted mean in plain Python."""

from __future__ import annotations

import random
import time
from pathlib import Path

APPLICATIONS = 10_000
CRITERIA = Path(__file__).resolve().parent.parent / "criteria" / "kaasav-omavalitsus" / "2026.1.yaml"


def measured() -> dict:
    """run() in a fresh process, three times; the median time (a long-lived process's heap slows the GC)."""
    import statistics

    from bench import in_fresh_process

    runs = [in_fresh_process("bench.scoring", "run") for _ in range(3)]
    return {"engine": statistics.median(r["engine"] for r in runs),
            "baseline": statistics.median(r["baseline"] for r in runs), "passed": runs[0]["passed"]}


def run(seed: int = 2026) -> dict:
    from labelapp.criteria import scoring
    from labelapp.criteria.loader import read

    criteria = read(CRITERIA).data
    rng = random.Random(seed)
    ids = [c.id for _a, c in criteria.criteria()]
    weights = {c.id: c.weight for _a, c in criteria.criteria()}
    answers = [{cid: rng.choice([1, 2, 3, 4, None]) for cid in ids} for _ in range(APPLICATIONS)]
    surveys = [scoring.SurveyFigures(v, v - 4, v + 4, rng.randrange(30, 900))
               for v in (rng.uniform(40, 90) for _ in range(APPLICATIONS))]

    started = time.perf_counter()
    results = [scoring.evaluate(criteria, a, s) for a, s in zip(answers, surveys, strict=True)]
    engine = time.perf_counter() - started

    started = time.perf_counter()
    plain = []
    for a in answers:
        total = sum(weights[c] * (level - 1) / 3 for c, level in a.items() if level is not None)
        plain.append(total / sum(weights.values()))
    arithmetic = time.perf_counter() - started
    assert len(results) == len(plain) == APPLICATIONS
    return {"engine": engine, "baseline": arithmetic, "passed": sum(bool(r.passed) for r in results)}
