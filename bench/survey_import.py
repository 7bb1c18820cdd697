"""1,000,000-respondent survey file: the import through the web path and through the command line, each against a
raw ``pandas.read_csv`` + ``groupby`` script of the same file, all started the same way.

Every side is a fresh interpreter started from a tiny launcher (``LAUNCHER``: ``posix_spawn`` and ``os.wait4``),
which reports the wall time from spawn to exit (interpreter start-up included) and the peak memory (max RSS) of
that child alone, not inherited from the bench process. The sides run interleaved over ``ROUNDS`` rounds; each
ratio is against the raw script of the same round, and the median and range of the ratios are reported.

- raw: ``python -c "pandas.read_csv(...).groupby(...)"``;
- command line: ``flask --app labelapp survey import FILE --wave 2024`` on a migrated database with the
  municipalities loaded (a fresh copy each round: the same file is refused the second time);
- web: ``python -m bench.survey_import web FILE INSTANCE EMAIL``: creates the app, logs the coordinator in
  through the form, uploads the file (multipart, from disk), opens the preview and confirms, with Flask's test
  client (the WSGI app itself, without a server's sockets).

Every side reads its bytecode from one cache in the temporary folder (``PYTHONPYCACHEPREFIX``, written by a first,
untimed round of all three sides), as an installed application does and as the start-up bench (bench/startup.py)
does: with ``PYTHONDONTWRITEBYTECODE`` set, as on the development machines, labelapp's own modules would be compiled
from source in every round while pandas' (installed with their bytecode) would not. Both sides get the same
treatment; the raw script's libraries had their bytecode already, so the cache changes its figures little.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ANSWERS = ["Väga rahul", "Pigem rahul", "Pigem ei ole rahul", "Üldse pole rahul", "Ei oska öelda"]
ROUNDS = 3
ROOT = Path(__file__).resolve().parent.parent


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


LAUNCHER = """
import json, os, sys, time
log = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], dict(os.environ), file_actions=[
    (os.POSIX_SPAWN_DUP2, log, 1), (os.POSIX_SPAWN_DUP2, log, 2)])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
                  "exit": os.waitstatus_to_exitcode(status)}))
"""
RAW = """
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], sep=";", decimal=",", dtype={"EHAK": str})
totals = frame.groupby(["EHAK", "Vastus"])["Kaal"].agg(["sum", "count"])
print(len(totals))
"""
CHEAP_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8 * 1024, "ARGON2_PARALLELISM": 1}


def app_config(instance: Path) -> dict:
    return {"SECRET_KEY": "bench", "INSTANCE_PATH": str(instance), "SMTP_HOST": None,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.sqlite3'}", **CHEAP_HASHING}


def prepare(instance: str) -> str:
    """A migrated database with the municipalities and one coordinator (run in its own process); their e-mail."""
    from flask_migrate import upgrade

    from labelapp import create_app
    from labelapp.auth.models import Role
    from labelapp.extensions import db
    from labelapp.municipalities import services as municipalities
    from tests.support.factories import make_user

    app = create_app(app_config(Path(instance)))
    with app.app_context():
        upgrade()
        municipalities.load()
        db.session.commit()
        return make_user(Role.COORDINATOR).email


def web(path: str, instance: str, email: str) -> None:
    """The web path, as the coordinator's browser goes through it: log in, upload, preview, confirm."""
    from labelapp import create_app
    from tests.support.web import csrf_token, login

    app = create_app(app_config(Path(instance)))
    client = app.test_client()
    assert login(client, email).status_code == 302
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    with open(path, "rb") as upload:
        response = client.post("/admin/surveys/import", content_type="multipart/form-data", data={
            "csrf_token": token, "year": "2024", "description": "bench", "shape": "", "url": "",
            "file": (upload, "respondents.csv")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    preview = response.headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    assert "/confirm" in page, page[-4000:]
    confirmed = client.post(preview + "/confirm", data={"csrf_token": csrf_token(page)})
    assert confirmed.headers["Location"].endswith("/admin/surveys/"), confirmed.status_code


def launch(argv: list[str], env: dict | None = None, output: bool = False) -> dict:
    """Time ``argv`` and read its peak memory from the tiny launcher; raise with its output if it failed (with
    ``output``, what it printed is returned too, as ``output``)."""
    with tempfile.NamedTemporaryFile(prefix="bench-survey-", suffix=".log") as log:
        done = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, log.name, *argv], capture_output=True,
                              text=True, check=True, env={**os.environ, **(env or {})}, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result["exit"] != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{Path(log.name).read_text()[-3000:]}")
        if output:
            result["output"] = Path(log.name).read_text()
    return result


def run(rows: int = 1_000_000, rounds: int = ROUNDS) -> list[dict]:
    from bench import in_fresh_process

    flask = str(Path(sys.executable).with_name("flask"))
    with tempfile.TemporaryDirectory(prefix="bench-survey-") as folder:
        path, template = Path(folder) / "respondents.csv", Path(folder) / "template"
        generate(path, rows)
        email = in_fresh_process("bench.survey_import", "prepare", str(template))
        cache = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        measured: dict[str, list[dict]] = {"raw": [], "cli": [], "web": []}
        for round_number in range(-1, rounds):  # round -1 writes the bytecode cache of every side, untimed
            copies = {side: Path(folder) / f"{side}-{round_number}" for side in ("cli", "web")}
            for copy in copies.values():
                shutil.copytree(template, copy)
            results = {
                "raw": launch([sys.executable, "-c", RAW, str(path)], cache),
                "cli": launch([flask, "--app", "labelapp", "survey", "import", str(path), "--wave", "2024"],
                              {"LABELAPP_INSTANCE_PATH": str(copies["cli"]), "SECRET_KEY": "bench",
                               "DATABASE_URL": f"sqlite:///{copies['cli'] / 'bench.sqlite3'}", **cache}),
                "web": launch([sys.executable, "-m", "bench.survey_import", "web", str(path), str(copies["web"]),
                               email], cache)}
            for copy in copies.values():
                shutil.rmtree(copy)
            if round_number >= 0:
                for side, result in results.items():
                    measured[side].append(result)
    print(json.dumps(measured), file=sys.stderr)  # every round, for the record
    out = []
    names = {"cli": "command line, end to end", "web": "web path (upload, preview, confirm)"}
    for side, name in names.items():
        times = [ours["seconds"] / raw["seconds"] for ours, raw in zip(measured[side], measured["raw"], strict=True)]
        memory = [ours["peak_mib"] / raw["peak_mib"] for ours, raw in zip(measured[side], measured["raw"], strict=True)]
        out.append({"figure": f"survey import, {rows:,} respondents, {name}: time (s), median of {rounds}",
                    "value": round(statistics.median(r["seconds"] for r in measured[side]), 2),
                    "baseline": round(statistics.median(r["seconds"] for r in measured["raw"]), 2),
                    "ratio": round(statistics.median(times), 2), "range": f"{min(times):.2f}–{max(times):.2f}",
                    "target": "≤ 1.5 × raw pandas", "met": statistics.median(times) <= 1.5})
        cpu = [ours["cpu"] / raw["cpu"] for ours, raw in zip(measured[side], measured["raw"], strict=True)]
        out.append({"figure": f"survey import, {rows:,} respondents, {name}: CPU time, user + system (s)",
                    "value": round(statistics.median(r["cpu"] for r in measured[side]), 2),
                    "baseline": round(statistics.median(r["cpu"] for r in measured["raw"]), 2),
                    "ratio": round(statistics.median(cpu), 2), "range": f"{min(cpu):.2f}–{max(cpu):.2f}",
                    "target": "(wall time is what counts)", "met": None})
        out.append({"figure": f"survey import, {rows:,} respondents, {name}: peak memory (MiB)",
                    "value": round(statistics.median(r["peak_mib"] for r in measured[side])),
                    "baseline": round(statistics.median(r["peak_mib"] for r in measured["raw"])),
                    "ratio": round(statistics.median(memory), 2), "range": f"{min(memory):.2f}–{max(memory):.2f}",
                    "target": "≤ 1.2 × raw pandas", "met": statistics.median(memory) <= 1.2})
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["web"]:
        web(*sys.argv[2:5])
