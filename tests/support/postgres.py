"""A throwaway PostgreSQL cluster in a temporary folder, on a free port, for the test session."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binaries_available() -> bool:
    return all(shutil.which(name) for name in ("initdb", "pg_ctl", "postgres"))


class PostgresCluster:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="labelapp-pg-"))
        self.port = free_port()
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "server.log"
        self._prefix: list[str] = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; run it as the (unprivileged) postgres system user.
            account = pwd.getpwnam("postgres")
            self.sockets.mkdir()
            for path in (self.base, self.sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
            self._prefix = ["runuser", "-u", "postgres", "--"]
        else:
            self.sockets.mkdir()

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self._prefix, *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> PostgresCluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
