"""`make security`: wapiti3 against a throwaway demo instance served by gunicorn, anonymous and logged in as each
role. Prints one table of findings per role and module; exits 1 if wapiti reports any vulnerability.

Run by the Makefile with the project's virtual environment (for the app and gunicorn); wapiti lives in its own
(it pins its own dependencies): python -m tools.security_scan --wapiti .venv-security/bin/wapiti
Reports go to a temporary folder (never into the repository); --keep prints where.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import time
from pathlib import Path

import requests
import urllib3

from tests.support.postgres import free_port
from tests.support.web import csrf_token

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the scan's own self-signed certificate

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
BIN = Path(sys.executable).parent


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "labelapp", *args], env=env, capture_output=True,  # nosec B603
                            text=True, check=True)
    return result.stdout


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, so that the instance runs as in production: HTTPS, Secure cookies, HSTS."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, private


def log_in(base: str, env: dict, email: str) -> str:
    """The session cookie of a demo account, through the real login form and second factor."""
    from labelapp import demo

    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise override verify=False
    session.verify = False  # the throwaway self-signed certificate
    session.headers["Referer"] = base + "/login"  # over HTTPS, Flask-WTF checks the referrer as browsers send it
    page = session.get(base + "/login", timeout=30)
    response = session.post(base + "/login", data={"email": email, "password": demo.PASSWORD,
                                                   "csrf_token": csrf_token(page.text)}, timeout=60)
    if response.url.endswith("/login/second-factor"):
        code = flask(env, "demo", "code", email).strip()
        response = session.post(base + "/login/second-factor", timeout=60, data={
            "code": code, "csrf_token": csrf_token(response.text)})
    if not response.url.endswith("/dashboard"):
        raise SystemExit(f"could not log in as {email}: ended on {response.url}")
    return session.cookies["session"]


def scan(wapiti: str, base: str, cookie: str | None, report: Path, minutes: float) -> dict:
    # ``minutes`` is the whole budget for the role: a quarter to crawl, the rest shared by the attack modules.
    budget = minutes * 60
    command = [wapiti, "-u", base + "/", "--scope", "folder", "-m", ",".join(MODULES), "--flush-session",
               "-f", "json", "-o", str(report), "--max-scan-time", str(int(budget)),
               "--max-attack-time", f"{budget * 0.75 / len(MODULES):.0f}", "--tasks", "4", "-d", "6"]
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
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    # As in production (HTTPS, Secure cookies, HSTS, e-mail links from PUBLIC_BASE_URL, other Hosts refused), but
    # with the demo data that production refuses.
    (folder / "config.py").write_text(f"SESSION_COOKIE_SECURE = True\nPUBLIC_BASE_URL = {base!r}\n"
                                      "TRUSTED_HOSTS = ['127.0.0.1']\n", encoding="utf-8")
    flask(env, "db", "upgrade")
    flask(env, "demo", "seed")
    cert, key = self_signed_certificate(folder)
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",  # nosec B603
                               "--certfile", str(cert), "--keyfile", str(key), "--log-level", "error",
                               "labelapp:create_app()"], env=env)
    rows, total = [], 0
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=5, verify=False)  # noqa: S501  (throwaway certificate)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        # Log every role in before any scan: the anonymous scan's failed logins from this address would
        # otherwise (rightly) lock the address out for 15 minutes.
        cookies = {role: log_in(base, env, email) if email else None for role, email in ROLES.items()}
        for role in ROLES:
            cookie = cookies[role]
            data = scan(args.wapiti, base, cookie, folder / f"wapiti-{role}.json", args.minutes)
            crawled = data.get("infos", {}).get("crawled_pages_nbr", "?")
            found = {name: len(items) for name, items in data.get("vulnerabilities", {}).items() if items}
            anomalies = {name: len(items) for name, items in data.get("anomalies", {}).items() if items}
            notes = {name: len(items) for name, items in data.get("additionals", {}).items() if items}
            total += sum(found.values())
            rows.append((role, crawled, round(data["_seconds"]), found, anomalies, notes))
            for name, items in data.get("vulnerabilities", {}).items():
                for item in items:
                    print(f"  [{role}] {name}: {item.get('info')} ({item.get('method')} {item.get('path')} "
                          f"{item.get('parameter')})")
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("\nwapiti modules: " + ", ".join(MODULES))
    print(f"{'role':<12} {'pages':>6} {'seconds':>8}  vulnerabilities / anomalies / informational")
    for role, crawled, seconds, found, anomalies, notes in rows:
        print(f"{role:<12} {crawled!s:>6} {seconds:>8}  {sum(found.values())} {found or ''} / "
              f"{sum(anomalies.values())} {anomalies or ''} / {notes or ''}")
    if args.keep:
        print(f"Reports and instance kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
