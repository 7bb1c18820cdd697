"""1,000,000-respondent survey file: the real import path vs raw pandas read_csv + groupby, same file.

Each side runs in its own process so that its peak memory (max RSS) is its own; times are the median of three
runs. The import path is the command line's: hash the file, parse, validate every row, aggregate, store.
"""

from __future__ import annotations

import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench import in_fresh_process

ANSWERS = ["Väga rahul", "Pigem rahul", "Pigem ei ole rahul", "Üldse pole rahul", "Ei oska öelda"]


def generate(path: Path, rows: int, seed: int = 2024) -> None:
    """A respondent-level file as the statistics office might send it: ';', decimal commas, names and codes."""
    from labelapp.municipalities.services import DEFAULT_FILE

    places = [line.split("\t")[1:3] for line in DEFAULT_FILE.read_text(encoding="utf-8").splitlines()[1:]]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("EHAK;Omavalitsus;Vastus;Kaal;Keel\n")
        lines = []
        for _ in range(rows):
            code, name = rng.choice(places)
            weight = f"{rng.uniform(0.3, 3.0):.4f}".replace(".", ",")
            lines.append(f"{code};{name};{rng.choice(ANSWERS)};{weight};{rng.choice(('et', 'ru', 'en'))}\n")
            if len(lines) == 100_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


REPEAT = 3


def raw_pandas(path: str) -> dict:
    import pandas as pd

    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        frame = pd.read_csv(path, sep=";", decimal=",", dtype={"EHAK": str})
        totals = frame.groupby(["EHAK", "Vastus"])["Kaal"].agg(["sum", "count"])
        times.append(time.perf_counter() - start)
        del frame
    return {"seconds": statistics.median(times), "peak_mib": _peak_mib(), "groups": len(totals)}


def labelapp_import(path: str) -> dict:
    runs = [_one_import(path) for _ in range(REPEAT)]
    return {"seconds": statistics.median(r["seconds"] for r in runs), "peak_mib": _peak_mib(),
            "results": runs[-1]["results"], "rows": runs[-1]["rows"]}


def _one_import(path: str) -> dict:
    from flask_migrate import upgrade

    from labelapp import create_app
    from labelapp.extensions import db
    from labelapp.municipalities import services as municipalities
    from labelapp.surveys import services

    instance = tempfile.mkdtemp(prefix="bench-instance-")
    app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": instance,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite3"})
    with app.app_context():
        upgrade()
        municipalities.load()
        db.session.commit()
        start = time.perf_counter()
        staged = services.stage_path(Path(path))
        wave, report = services.import_wave(staged, 2024, "bench")
        db.session.commit()
        seconds = time.perf_counter() - start
        services.discard(staged)
        return {"seconds": seconds, "peak_mib": _peak_mib(), "results": len(report.results), "rows": wave.rows}


def run(rows: int = 1_000_000) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-survey-") as folder:
        path = Path(folder) / "respondents.csv"
        generate(path, rows)
        baseline = in_fresh_process("bench.survey_import", "raw_pandas", str(path))
        ours = in_fresh_process("bench.survey_import", "labelapp_import", str(path))
    return [
        {"figure": f"survey import, {rows:,} respondents: time (s)", "value": round(ours["seconds"], 2),
         "baseline": round(baseline["seconds"], 2), "ratio": round(ours["seconds"] / baseline["seconds"], 2),
         "target": "≤ 1.5 × raw pandas"},
        {"figure": f"survey import, {rows:,} respondents: peak memory (MiB)", "value": round(ours["peak_mib"]),
         "baseline": round(baseline["peak_mib"]), "ratio": round(ours["peak_mib"] / baseline["peak_mib"], 2),
         "target": "< 1024 MiB"},
    ]
