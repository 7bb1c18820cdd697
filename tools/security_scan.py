"""`make security`: wapiti3 against a throwaway demo instance served by gunicorn, anonymous and logged in as each
role. Prints one table of findings per role and module; exits 1 if wapiti reports any vulnerability.

Run by the Makefile with the project's virtual environment (for the app and gunicorn); wapiti lives in its own
(it pins its own dependencies): python tools/security_scan.py --wapiti .venv-security/bin/wapiti
Reports go to a temporary folder (never into the repository); --keep prints where.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

import requests

MODULES = ["http_headers", "csp", "cookieflags", "csrf", "xss", "permanentxss", "sql", "exec", "file", "redirect",
           "upload", "crlf", "methods"]
ROLES = {  # role -> demo account (None: anonymous)
    "anonymous": None,
    "staff": "tallinn@demo.kaasav.ee",
    "assessor": "hindaja1@demo.kaasav.ee",
    "coordinator": "koordinaator@demo.kaasav.ee",
}
# Requests that would end the scanner's own session or lock it out of its account; everything else is attacked.
EXCLUDED = ["/logout", "/account", "/account/*", "/language/*"]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "labelapp", *args], env=env, capture_output=True,  # nosec B603
                            text=True, check=True)
    return result.stdout


def log_in(base: str, env: dict, email: str) -> str:
    """The session cookie of a demo account, through the real login form and second factor."""
    from labelapp.core import demo

    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    response = session.post(base + "/login", data={"email": email, "password": demo.PASSWORD,
                                                   "csrf_token": TOKEN.search(page.text).group(1)}, timeout=60)
    if response.url.endswith("/login/second-factor"):
        code = flask(env, "demo", "code", email).strip()
        response = session.post(base + "/login/second-factor", timeout=60, data={
            "code": code, "csrf_token": TOKEN.search(response.text).group(1)})
    if not response.url.endswith("/dashboard"):
        raise SystemExit(f"could not log in as {email}: ended on {response.url}")
    return session.cookies["session"]


def scan(wapiti: str, base: str, cookie: str | None, report: Path, minutes: float) -> dict:
    command = [wapiti, "-u", base + "/", "--scope", "folder", "-m", ",".join(MODULES), "--flush-session",
               "-f", "json", "-o", str(report), "--max-scan-time", str(int(minutes * 60)),
               "--max-attack-time", str(int(minutes * 60 / 4)), "--tasks", "4", "-d", "6"]
    for path in EXCLUDED:
        command += ["-x", base + path]
    if cookie:
        command += ["-C", f"session={cookie}"]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"wapiti failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    data["_seconds"] = time.monotonic() - started
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wapiti", required=True)
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SECURITY_SCAN_MINUTES", "4")),
                        help="scan time per role")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder and the JSON reports")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="labelapp-security-"))
    env = {**os.environ, "LABELAPP_INSTANCE_PATH": str(folder), "LABELAPP_ENV": "development"}
    env.pop("DATABASE_URL", None)
    print(f"Demo instance in {folder}")
    flask(env, "db", "upgrade")
    flask(env, "demo", "seed")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",  # nosec B603
                               "--log-level", "warning", "labelapp:create_app()"], env=env)
    rows, total = [], 0
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        for role, email in ROLES.items():
            cookie = log_in(base, env, email) if email else None
            data = scan(args.wapiti, base, cookie, folder / f"wapiti-{role}.json", args.minutes)
            crawled = len(data.get("infos", {}).get("crawled_pages", [])) if isinstance(data.get("infos"), dict) \
                else "?"
            found = {name: len(items) for name, items in data.get("vulnerabilities", {}).items() if items}
            anomalies = {name: len(items) for name, items in data.get("anomalies", {}).items() if items}
            total += sum(found.values())
            rows.append((role, crawled, round(data["_seconds"]), found, anomalies))
            for name, items in data.get("vulnerabilities", {}).items():
                for item in items:
                    print(f"  [{role}] {name}: {item.get('info')} ({item.get('method')} {item.get('path')} "
                          f"{item.get('parameter')})")
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("\nwapiti modules: " + ", ".join(MODULES))
    print(f"{'role':<12} {'pages':>6} {'seconds':>8}  vulnerabilities / anomalies")
    for role, crawled, seconds, found, anomalies in rows:
        print(f"{role:<12} {crawled!s:>6} {seconds:>8}  {sum(found.values())} {found or ''} / "
              f"{sum(anomalies.values())} {anomalies or ''}")
    if args.keep:
        print(f"Reports and instance kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
