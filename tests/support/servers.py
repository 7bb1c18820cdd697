"""Run the real app in separate gunicorn processes against a test database."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.support.postgres import free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")


class GunicornServer:
    def __init__(self, database_url: str, instance: Path, workers: int = 1, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url.replace("postgresql+psycopg://", "postgresql://"),
            "SECRET_KEY": "test-only-secret-key",
            "LABELAPP_INSTANCE_PATH": str(instance),
            **(extra_env or {}),
        }
        env.pop("SMTP_HOST", None)
        # The server's output goes to a file (a pipe nobody reads while the test runs could fill and block it).
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "labelapp:create_app()"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 30) -> GunicornServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.output())
            try:
                requests.get(self.url + "/", timeout=10)
                return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
