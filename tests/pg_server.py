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

import pytest
from pgserver import PG_BIN, USER, remove, start_postgres

_n = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    """Start a throw-away cluster on a free loopback port (tests/pgserver.py); yield its base URL; stop it."""
    if not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"{PG_BIN}/pg_ctl tidak ada: PostgreSQL 15 belum terpasang")
    server = start_postgres()
    try:
        yield f"postgresql+psycopg://{USER}@127.0.0.1:{server.port}"
    finally:
        from dashboards import appdb

        for key, eng in list(appdb._engines.items()):
            if f":{server.port}/" in key[1]:
                eng.dispose()
        remove(server)


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
