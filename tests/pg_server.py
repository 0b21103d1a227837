"""A real PostgreSQL 15 server for the app-state tests, started from the machine's binaries
(/usr/lib/postgresql/15/bin; STACK_NOTES.md). PostgreSQL refuses to run as root, so as root the
server runs as the ``postgres`` user (runuser). Never a mock: if the binaries are missing the
PostgreSQL variants are skipped with the reason.

Fixtures: ``postgres_server`` (session: the base URL) and ``app_db`` (per test, parametrised:
a fresh SQLite file, and a fresh database on the PostgreSQL server).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("MONEV_PG_BIN", "/usr/lib/postgresql/15/bin"))
_n = itertools.count()


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """Start a throw-away cluster on a free loopback port; yield its base URL; stop it."""
    if not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"{PG_BIN}/pg_ctl tidak ada: PostgreSQL 15 belum terpasang")
    base = Path(tempfile.mkdtemp(prefix="monev-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", _free_port()
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "monev",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True, timeout=120)
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                                 "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
                                 "start"]), check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://monev@127.0.0.1:{port}"
    finally:
        from dashboards import appdb

        for key, eng in list(appdb._engines.items()):
            if f":{port}/" in key[1]:
                eng.dispose()
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def new_database(base_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    import psycopg

    name = f"monev_uji_{os.getpid()}_{next(_n)}"
    with psycopg.connect(base_url.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as con:
        con.execute(f'create database "{name}"')
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request, tmp_path) -> str:
    """The app database URL of one test: SQLite in tmp_path, or a new database on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.db'}"
    return new_database(request.getfixturevalue("postgres_server"))
