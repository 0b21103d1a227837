"""A real PostgreSQL 15 server for tests, from the machine's binaries (STACK_NOTES "Real servers").

PostgreSQL refuses to run as root; CI runs as root, so the server runs as the image's `postgres`
user (`runuser -u postgres --`), in a folder that user owns, listening on 127.0.0.1 only on a
free port. Trust authentication for the role `monev` (loopback, throw-away cluster).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("MONEV_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "monev"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    folder: Path
    port: int
    as_postgres: bool

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self.as_postgres else list(args)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(self._cmd(*args), capture_output=True, text=True, check=check, cwd=self.folder)

    def dsn(self, db: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={db}"

    def connect(self, db: str = "postgres"):
        import psycopg2

        con = psycopg2.connect(self.dsn(db))
        con.autocommit = True
        return con

    def create_database(self, name: str) -> None:
        con = self.connect()
        try:
            con.cursor().execute(f'create database "{name}"')
        finally:
            con.close()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def start_postgres() -> PostgresServer:
    """initdb + pg_ctl start in a fresh folder; raises with the server log when it does not start."""
    if not (PG_BIN / "pg_ctl").exists():
        raise FileNotFoundError(f"{PG_BIN}: PostgreSQL 15 binaries not found (Debian: postgresql-15)")
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="monev-pg-"))
    if as_postgres:
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    server = PostgresServer(folder, _free_port(), as_postgres)
    server.run(str(PG_BIN / "initdb"), "-D", str(server.data), "-A", "trust", "-U", USER, "-E", "UTF8",
               "--no-instructions")
    started = server.run(
        str(PG_BIN / "pg_ctl"), "-D", str(server.data), "-l", str(folder / "server.log"), "-w", "-t", "120",
        "-o", f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start", check=False)
    if started.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {started.stdout}{started.stderr}{log[-2000:]}")
    deadline = time.monotonic() + 60
    while True:
        try:
            server.connect().close()
            break
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise
            time.sleep(0.5)
    return server


def remove(server: PostgresServer) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
