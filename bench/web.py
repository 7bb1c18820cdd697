"""Web pages under load (gunicorn, load from another process) against a bare-Flask baseline, and SQL statements
per page at two data sizes."""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

import requests

from bench.dataset import Dataset
from tests.support.postgres import free_port
from tests.support.web import csrf_token

GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 3  # README: 2 × cores − 1 on the 2-core machine


COUNTIES = ["Harju maakond", "Tartu maakond", "Pärnu maakond", "Ida-Viru maakond", "Saare maakond"]
STATES = ["valid", "expiring", "revoked", "expired"]


def pages(data: Dataset) -> dict[str, str]:
    """Pages measured cached (the same address again) and, for the cold ones, a list of addresses each asked
    once (``@name``, written by cold_paths)."""
    deep = max(1, data.labels // 25 // 2)
    return {
        "registry, first page": "/registry",
        "registry, filtered": "/registry?county=Harju+maakond&state=valid",
        f"registry, deep page ({deep})": f"/registry?page={deep}",
        "municipality page": f"/registry/{data.sample_code}",
        "JSON list": "/api/v1/labels",
        "badge SVG": f"/badge/{data.sample_label}.svg",
        "verification page": f"/verify/{data.sample_label}",
        "Atom feed": "/registry/feed.atom",
        "programme results": "/programme",
        "library of good practice": "/library",
        "assessor dashboard": "/dashboard",
        "assessor: application page": f"/applications/{data.sample_application}",
        "coordinator: applications list": "/applications/",
        "coordinator: calibration": "/applications/calibration",
        "coordinator: audit log": "/admin/audit",
        "coordinator: decisions": "/applications/decisions",
        "CSV of all labels, cached": "/api/v1/labels.csv",
        # Asked by a logged-in coordinator, whom neither cache serves: built and streamed every time.
        "CSV of all labels, not cached": "/api/v1/labels.csv",
        "registry, filter not cached before": "@filters",
        "registry, search not cached before": "@searches",
        "municipality page (with chart), not cached": "@municipality",
    }


def role_of(name: str) -> str | None:
    """Who asks for a page: the bench's assessor or coordinator (logged in), or nobody (anonymous)."""
    if name.startswith(("assessor", "coordinator")):
        return name.split(":")[0].split()[0]
    return "coordinator" if name == "CSV of all labels, not cached" else None


# Pages too heavy for the common request count: requests per round, one at a time.
HEAVY = {"CSV of all labels, not cached": 4}
# The p95 each page must keep (ms), and whether its throughput is held to 0.8 × bare Flask (public, cached).
P95_TARGETS = {"CSV of all labels, not cached": 1500, "CSV of all labels, cached": 25}


def targets(name: str) -> tuple[float | None, bool]:
    """(p95 target in ms or None, throughput held to ≥ 0.8 × bare Flask)."""
    if name in P95_TARGETS:
        return P95_TARGETS[name], "not cached" not in name
    if "not cached" in name:
        return 25, False
    if role_of(name):
        return 50, False
    return None, True


SORTS = ("status", "name", "awarded", "valid_until")
LEVELS = ("", "märgis", "kuldmärgis")


def cold_paths(data: Dataset, folder: Path) -> dict[str, Path]:
    """Addresses never asked before: filter combinations, searches (accent-free, lower case, as people type),
    and the sample municipality's page with a query string no cache has seen. No two filters or searches share
    their filters either (only their order would differ), so that the registry's count, kept per filter whatever
    the order, is never found kept: each is counted afresh, as a filter no one asked for before is."""
    combinations = [(county, state, year, level) for county in COUNTIES for state in STATES
                    for year in range(2010, 2031) for level in LEVELS]
    random.Random(2026).shuffle(combinations)  # consecutive requests differ in every filter
    filters = [f"/registry?county={quote_plus(county)}&state={state}&sort={SORTS[n % len(SORTS)]}&year={year}"
               + (f"&level={quote_plus(level)}" if level else "")
               for n, (county, state, year, level) in enumerate(combinations)]
    searches = [f"/registry?q=sunteetiline+{n}{also}&sort={SORTS[n % len(SORTS)]}"
                for also in ("", "&state=valid", "&state=expired")
                for n in range(1, max(2, data.municipalities - 79))]
    municipality = [f"/registry/{data.sample_code}?v={n}" for n in range(20_000)]
    found = {}
    for name, paths in (("filters", filters), ("searches", searches), ("municipality", municipality)):
        found[name] = folder / f"{name}.paths"
        found[name].write_text("\n".join(paths) + "\n", encoding="utf-8")
    return found


class Server:
    def __init__(self, spec: str, env: dict | None = None, ready: str = "/") -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}", "--log-level", "error",
             spec], env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + ready, timeout=30)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{spec} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def app_env(data: Dataset) -> dict[str, str]:
    return {"DATABASE_URL": data.url.replace("postgresql+psycopg://", "postgresql://"),
            "SECRET_KEY": "bench-only-secret-key", "LABELAPP_INSTANCE_PATH": str(data.instance),
            "CRITERIA_DIR": str(data.instance / "criteria")}


def login_cookie(base: str, data: Dataset, role: str) -> str:
    """Log the bench's assessor or coordinator in through the real form and second factor; the Cookie header."""
    email, codes = data.login_of(role)
    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    response = session.post(base + "/login", timeout=60, data={
        "email": email, "password": data.password, "csrf_token": csrf_token(page.text)})
    response = session.post(base + "/login/second-factor", timeout=60, data={
        "code": codes.pop(), "csrf_token": csrf_token(response.text)})
    assert response.url.endswith("/dashboard"), response.url
    return f"session={session.cookies['session']}"


def load(url: str, count: int, concurrency: int, cookie: str = "", start: int = 0) -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.loadgen", url, str(count), str(concurrency), cookie,
                             str(start)], capture_output=True, text=True, check=True).stdout
    result = json.loads(output)
    latencies = sorted(result.pop("latencies"))
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {**result, "rps": result["count"] / result["seconds"], "p50": quantiles[49], "p95": quantiles[94],
            "p99": quantiles[98]}


ROUNDS = 3


def under_load(data: Dataset, backend: str, count: int, concurrency: int, folder: Path) -> list[dict]:
    """Each page under load against the bare-Flask baseline, interleaved: in each of ROUNDS rounds the baseline is
    measured right before each page, so that both see the same machine; the ratio is per round (median, range)."""
    baseline = Server("bench.baseline:create_app()")
    server = Server("labelapp:create_app()", app_env(data), ready="/static/css/app.css")
    cold = cold_paths(data, folder)
    per_round = max(50, count // ROUNDS)
    rows = []
    try:
        cookies = {role: login_cookie(server.base, data, role) for role in ("assessor", "coordinator")}
        runs: dict[str, list[tuple[dict, dict]]] = {}
        for number in range(ROUNDS):
            for name, path in pages(data).items():
                requests_, parallel = (HEAVY[name], 1) if name in HEAVY else (per_round, concurrency)
                base_figures = load(baseline.base + "/", requests_, parallel)
                url = f"{server.base}@{cold[path[1:]]}" if path.startswith("@") else server.base + path
                # Each round asks the next addresses of a cold list: none was asked in an earlier round.
                role = role_of(name)
                figures = load(url, requests_, parallel, cookies[role] if role else "", start=number * requests_)
                runs.setdefault(name, []).append((figures, base_figures))
        for name, measured in runs.items():
            ratios = sorted(f["rps"] / b["rps"] for f, b in measured)
            middle = sorted(measured, key=lambda pair: pair[0]["rps"] / pair[1]["rps"])[len(measured) // 2]
            rows.append({"backend": backend, "page": name, "path": pages(data)[name], **middle[0],
                         "baseline": middle[1], "ratio": statistics.median(ratios),
                         "ratio_range": (ratios[0], ratios[-1]),
                         "p95_all": [round(f["p95"], 1) for f, _b in measured]})
    finally:
        server.stop()
        baseline.stop()
    return rows


def query_counts(data: Dataset) -> dict[str, int]:
    """Round trips to the database per page, counted in-process with the same app (test client, real requests):
    every statement the driver is given, BEGIN included (explicit on SQLite, sent by psycopg before the first
    statement on PostgreSQL), every COMMIT and ROLLBACK (also the pool's on return, when a transaction was open)
    and the front cache's marker reads (counted as if each request were the first of its interval). A cached page
    is counted on its second request; a page "not cached before" on an address not asked before."""
    from sqlalchemy import event

    from bench.dataset import make_app
    from labelapp.extensions import db

    app = make_app(data.url, data.instance, data.instance / "criteria")
    counts = {}
    with app.app_context():
        engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    clients = {}
    for role in ("assessor", "coordinator"):
        email, codes = data.login_of(role)
        client = clients[role] = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": email, "password": data.password, "csrf_token": csrf_token(page)})
        page = client.get("/login/second-factor").get_data(as_text=True)
        client.post("/login/second-factor", data={"code": codes.pop(), "csrf_token": csrf_token(page)})
    trips = []
    front = app.extensions.get("labelapp.front_cache")
    if front is not None:
        reader = front.read_marker

        def counted_marker():
            trips.append("SELECT counter (front cache)")
            return reader()

        front.read_marker = counted_marker

    def statement(_conn, _cursor, sql, *_args):
        trips.append(sql)

    def begin(_conn):
        if postgres:  # psycopg sends BEGIN itself; SQLite's explicit BEGIN is a statement, counted above
            trips.append("BEGIN")

    def ended(_conn):
        trips.append("COMMIT/ROLLBACK")

    def reset(dbapi_connection, _record, *_args):
        if postgres and dbapi_connection.info.transaction_status != 0:  # psycopg rolls back only an open one
            trips.append("ROLLBACK (pool)")

    listeners = [(engine, "before_cursor_execute", statement), (engine, "begin", begin),
                 (engine, "commit", ended), (engine, "rollback", ended), (engine.pool, "reset", reset)]
    samples = {"@filters": "/registry?county=Tartu+maakond&state=expired&sort=name&year=2020",
               "@searches": "/registry?q=sunteetiline+7&sort=name",
               "@municipality": f"/registry/{data.sample_code}?v=counting"}
    for name, path in pages(data).items():
        role = role_of(name)
        visitor = clients[role] if role else app.test_client()
        cold = path.startswith("@")
        path = samples.get(path, path)
        if not cold:
            visitor.get(path).get_data()  # warm caches (criteria files, templates, responses) first
        if front is not None:
            front._read_at = float("-inf")  # count the worst case: the one marker read of an interval falls here
        for target, name_, function in listeners:
            event.listen(target, name_, function)
        trips.clear()
        response = visitor.get(path)
        response.get_data()
        for target, name_, function in listeners:
            event.remove(target, name_, function)
        assert response.status_code == 200, (path, response.status_code)
        counts[re.sub(r" \(\d+\)", "", name)] = len(trips)
    with app.app_context():
        db.engine.dispose()
    return counts
