"""Start-up of a command that reads no survey file: ``flask --app labelapp users --help`` against
``python -c "import flask, sqlalchemy"`` (the two libraries every command needs anyway).

Each side is a fresh interpreter started from the survey bench's tiny launcher (``posix_spawn`` and ``os.wait4``),
which reports the wall time from spawn to exit and the CPU time (user + system) of that child alone. The sides
run interleaved over ``ROUNDS`` rounds; each ratio is against the baseline of the same round, and the median and
range of the ratios are reported. On a shared, loaded machine the CPU ratio is the steadier one.

Both sides read their bytecode from one cache in a temporary folder (``PYTHONPYCACHEPREFIX``, written by a first
untimed run of each), as an installed application does: with ``PYTHONDONTWRITEBYTECODE`` set, as on the development
machines, labelapp's own modules would be compiled from source on every start while the libraries' would not.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROUNDS = 7
BASELINE = "import flask, sqlalchemy"


def run(rounds: int = ROUNDS) -> list[dict]:
    from bench.survey_import import launch

    flask = str(Path(sys.executable).with_name("flask"))
    measured: dict[str, list[dict]] = {"app": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as instance:
        cache = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(Path(instance) / "pycache")}
        env = {"LABELAPP_INSTANCE_PATH": instance, "SECRET_KEY": "bench",
               "DATABASE_URL": f"sqlite:///{Path(instance) / 'bench.sqlite3'}", **cache}
        launch([sys.executable, "-c", BASELINE], cache)  # write the bytecode cache of both sides, untimed
        launch([flask, "--app", "labelapp", "users", "--help"], env)
        for _ in range(rounds):
            measured["bare"].append(launch([sys.executable, "-c", BASELINE], cache))
            measured["app"].append(launch([flask, "--app", "labelapp", "users", "--help"], env))
    out = []
    for key, name, target, limit in (("cpu", "CPU time, user + system (s)", "≤ 2 × import flask, sqlalchemy", 2),
                                     ("seconds", "wall time (s)", "(CPU time is the steadier figure)", None)):
        ratios = [ours[key] / bare[key] for ours, bare in zip(measured["app"], measured["bare"], strict=True)]
        out.append({"figure": f"start-up, flask --app labelapp users --help: {name}, median of {rounds}",
                    "value": round(statistics.median(r[key] for r in measured["app"]), 3),
                    "baseline": round(statistics.median(r[key] for r in measured["bare"]), 3),
                    "ratio": round(statistics.median(ratios), 2), "range": f"{min(ratios):.2f}–{max(ratios):.2f}",
                    "target": target, "met": None if limit is None else statistics.median(ratios) <= limit})
    return out


if __name__ == "__main__":
    for item in run(int(sys.argv[1]) if sys.argv[1:] else ROUNDS):
        print(item)
