"""Web pages under load (gunicorn, load from another process) against a bare-Flask baseline, and SQL statements
per page at two data sizes."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.dataset import Dataset
from tests.support.postgres import free_port
from tests.support.web import csrf_token

GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 3  # README: 2 × cores − 1 on the 2-core machine


def pages(data: Dataset) -> dict[str, str]:
    deep = max(1, data.labels // 25 // 2)
    return {
        "registry, first page": "/registry",
        "registry, filtered": "/registry?county=Harju+maakond&state=valid",
        f"registry, deep page ({deep})": f"/registry?page={deep}",
        "municipality page": f"/registry/{data.sample_code}",
        "JSON list": "/api/v1/labels",
        "badge SVG": f"/badge/{data.sample_label}.svg",
        "programme results": "/programme",
        "library of good practice": "/library",
        "assessor dashboard": "/dashboard",
    }


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


def assessor_cookie(base: str, data: Dataset) -> str:
    """Log the bench assessor in through the real form and second factor; return the Cookie header."""
    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    response = session.post(base + "/login", timeout=60, data={
        "email": data.assessor_email, "password": data.password, "csrf_token": csrf_token(page.text)})
    response = session.post(base + "/login/second-factor", timeout=60, data={
        "code": data.assessor_recovery_codes.pop(), "csrf_token": csrf_token(response.text)})
    assert response.url.endswith("/dashboard"), response.url
    return f"session={session.cookies['session']}"


def load(url: str, count: int, concurrency: int, cookie: str = "") -> dict:
    output = subprocess.run([sys.executable, "-m", "bench.loadgen", url, str(count), str(concurrency), cookie],
                            capture_output=True, text=True, check=True).stdout
    result = json.loads(output)
    latencies = sorted(result.pop("latencies"))
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {**result, "rps": result["count"] / result["seconds"], "p50": quantiles[49], "p95": quantiles[94],
            "p99": quantiles[98]}


def under_load(data: Dataset, backend: str, count: int, concurrency: int) -> list[dict]:
    baseline = Server("bench.baseline:create_app()")
    try:
        base_figures = load(baseline.base + "/", count, concurrency)
    finally:
        baseline.stop()
    server = Server("labelapp:create_app()", app_env(data), ready="/static/css/app.css")
    rows = []
    try:
        cookie = assessor_cookie(server.base, data)
        for name, path in pages(data).items():
            figures = load(server.base + path, count, concurrency, cookie if name == "assessor dashboard" else "")
            rows.append({"backend": backend, "page": name, "path": path, **figures, "baseline": base_figures})
    finally:
        server.stop()
    return rows


def query_counts(data: Dataset) -> dict[str, int]:
    """SQL statements per page, counted in-process with the same app (test client, real requests)."""
    from sqlalchemy import event

    from bench.dataset import make_app
    from labelapp.extensions import db

    app = make_app(data.url, data.instance, data.instance / "criteria")
    counts = {}
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": data.assessor_email, "password": data.password,
                                "csrf_token": csrf_token(page)})
    page = client.get("/login/second-factor").get_data(as_text=True)
    client.post("/login/second-factor", data={"code": data.assessor_recovery_codes.pop(),
                                              "csrf_token": csrf_token(page)})
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is transaction control, not a query
            statements.append(1)

    for name, path in pages(data).items():
        anonymous = app.test_client() if name != "assessor dashboard" else client
        anonymous.get(path)  # warm caches (criteria files, templates) first
        event.listen(engine, "before_cursor_execute", count)
        statements.clear()
        response = anonymous.get(path)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code)
        counts[re.sub(r" \(\d+\)", "", name)] = len(statements)
    with app.app_context():
        db.engine.dispose()
    return counts
